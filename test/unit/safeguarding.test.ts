import crypto from 'node:crypto'
import { GENESIS, ReportInput, brokenAt, canonical, type ChainEntry } from '../../src/domain'

const sha = (s: string) => crypto.createHash('sha256').update(s).digest('hex')
function chain (datas: Array<Record<string, unknown>>): ChainEntry[] {
  const out: ChainEntry[] = []
  let prev = GENESIS
  datas.forEach((data, seq) => {
    const base = { seq, at: `2026-11-29T0${seq}:00:00.000Z`, kind: 'note', by: 'u', data, prevHash: prev }
    const e = { ...base, hash: sha(canonical(base)) }
    out.push(e)
    prev = e.hash
  })
  return out
}

describe('the hash chain of a report', () => {
  it('holds for entries as written, whatever order they are read in', () => {
    const c = chain([{ a: 1 }, { b: [2, 3] }, { c: { y: 1, x: 2 } }])
    expect(brokenAt(c, sha)).toBeNull()
    expect(brokenAt([...c].reverse(), sha)).toBeNull()
  })
  it('hashes nested keys in a fixed order', () => {
    const base = { seq: 0, at: 't', kind: 'k', by: 'u', prevHash: GENESIS }
    expect(canonical({ ...base, data: { x: 1, y: { b: 1, a: 2 } } })).toBe(canonical({ ...base, data: { y: { a: 2, b: 1 }, x: 1 } }))
  })
  it('breaks at an edited entry, a removed one, or a forged link', () => {
    const c = chain([{ a: 1 }, { b: 2 }, { c: 3 }])
    expect(brokenAt(c.map((e) => (e.seq === 1 ? { ...e, data: { b: 20 } } : e)), sha)).toBe(1)
    expect(brokenAt(c.filter((e) => e.seq !== 1), sha)).toBe(2)
    const forged = { ...c[2], prevHash: GENESIS }
    expect(brokenAt([c[0], c[1], { ...forged, hash: sha(canonical(forged)) }], sha)).toBe(2)
  })
})

describe('which child a report is about', () => {
  const rest = { kinds: ['neglect'], seen: '孩子一个人在家好几天没饭吃', when: '2026-11-28', where: '白水乡村口', dangerNow: false }
  const fields = (input: object) => {
    const r = ReportInput.safeParse(input)
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
  }

  it('takes a child picked from a list, or one described by name and township', () => {
    expect(fields({ ...rest, childId: 'child-01' })).toEqual([])
    expect(fields({ ...rest, unlistedChild: { name: '小军', townshipId: 'tw-bs' } })).toEqual([])
    expect(fields({ ...rest, unlistedChild: { name: ' 小军 ', townshipId: 'tw-bs', about: '八九岁，住在村口小卖部旁边' } })).toEqual([])
    expect(ReportInput.parse({ ...rest, unlistedChild: { name: ' 小军 ', townshipId: 'tw-bs' } }).unlistedChild?.name).toBe('小军')
  })

  it('asks for a child when neither is given, and for one child when both are', () => {
    expect(fields(rest)).toEqual(['childId: 请选择是哪个孩子，或写下孩子的名字'])
    expect(fields({ ...rest, childId: 'child-01', unlistedChild: { name: '小军', townshipId: 'tw-bs' } })).toEqual(['childId: 一次只报告一个孩子'])
  })

  it('names what is missing of a described child, alongside the rest of the form', () => {
    const out = fields({ ...rest, seen: '', unlistedChild: { name: ' ', townshipId: '', about: 'x'.repeat(201) } })
    expect(out).toEqual(expect.arrayContaining([
      'unlistedChild.name: 请写下孩子的名字或称呼', 'unlistedChild.townshipId: 请选择孩子在哪个乡镇', 'unlistedChild.about: 最多200字', 'seen: 请写下看到或听到了什么'
    ]))
    expect(out).not.toContainEqual(expect.stringMatching(/^childId/))
  })

  it('asks for the child alongside the other answers when the form comes back empty', () => {
    expect(fields({})).toEqual(expect.arrayContaining(['childId: 请选择是哪个孩子，或写下孩子的名字', 'dangerNow: 请选择孩子现在是否有危险']))
    expect(ReportInput.safeParse(null).success).toBe(false)
  })
})
