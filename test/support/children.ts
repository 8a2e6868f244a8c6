import { idCheckChar } from '../../src/domain'

let seq = 0

/** A fresh, valid registration for a child of 石桥村 at 石桥镇中心小学 (the demo county); override what a test needs. */
export function newChild (over: Record<string, unknown> = {}) {
  seq += 1
  const day = String(1 + (seq % 28)).padStart(2, '0')
  // 6-digit area, birth date, 2-digit sequence, an even 17th digit (a girl), then the check character
  const first17 = `350423201703${day}${String(seq % 100).padStart(2, '0')}2`
  const birthDate = `2017-03-${day}`
  return {
    name: `测试孩子${seq}`,
    gender: 'female',
    birthDate,
    idNumber: first17 + idCheckChar(first17),
    schoolId: 'sch-sq',
    className: '三年级（1）班',
    villageId: 'vil-sq',
    guardian: { name: '测试奶奶', relation: 'grandmother', phone: '13800002001' },
    parents: [{ name: '测试爸爸', relation: 'father', workCity: '厦门', phone: '13800002002' }],
    categories: ['lowIncome'],
    ...over
  }
}

export function key (): string {
  return `k-${Date.now()}-${Math.random().toString(36).slice(2, 10)}`
}
