import {
  bindingCodeState, canRegisterIn, canReveal, childInput, effectiveStatus, idCheckChar, isValidIdNumber, likelyDuplicates,
  maskIdNumber, maskPhone, MobilePhone, newBindingCode, parseInput, registryContract, registryScopes, viewOf, waiversFor, type RoleGrant
} from '../../src/domain'

const NOW = new Date('2026-11-29T04:00:00Z') // 12:00 in Shanghai

describe('ID numbers (GB 11643)', () => {
  it('accepts the standard\'s published examples, including an X check character', () => {
    expect(isValidIdNumber('11010519491231002X')).toBe(true)
    expect(isValidIdNumber('440524188001010014')).toBe(true)
  })

  it('refuses a wrong check character, a wrong length and an impossible birth date', () => {
    expect(isValidIdNumber('110105194912310021')).toBe(false)
    expect(isValidIdNumber('11010519491231002')).toBe(false)
    const feb30 = '11010520160230001'
    expect(isValidIdNumber(feb30 + idCheckChar(feb30))).toBe(false)
  })

  it('masks ID and phone numbers in lists, keeping only the ends', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110***********002X')
    expect(maskPhone('13800001234')).toBe('138****1234')
  })

  it('accepts only 11-digit mainland mobile numbers', () => {
    expect(MobilePhone.safeParse('13800001234').success).toBe(true)
    expect(MobilePhone.safeParse('1380000123').success).toBe(false)
    expect(MobilePhone.safeParse('23800001234').success).toBe(false)
  })
})

describe('registering a child', () => {
  const schema = childInput(NOW)
  const first17 = '35042320160412002'
  const girlId = first17 + idCheckChar(first17) // 17th digit 2: a girl born 2016-04-12
  const good = {
    name: '王小雨', gender: 'female', birthDate: '2016-04-12', idNumber: girlId, schoolId: 'sch-sq', className: '四年级（2）班',
    villageId: 'vil-sq', guardian: { name: '张桂兰', relation: 'grandmother', phone: '13800001000' },
    parents: [{ name: '王建国', relation: 'father', workCity: '厦门', phone: '13800005000' }], categories: ['lowIncome']
  }

  it('accepts a complete file', () => {
    expect(schema.safeParse(good).success).toBe(true)
  })

  it('names each bad field', () => {
    const res = schema.safeParse({ ...good, birthDate: '2000-01-01', guardian: { ...good.guardian, phone: '123' }, parents: [] })
    expect(res.success).toBe(false)
    const paths = res.error!.issues.map((i) => i.path.join('.'))
    expect(paths).toEqual(expect.arrayContaining(['birthDate', 'guardian.phone', 'parents']))
    expect(res.error!.issues.find((i) => i.path.join('.') === 'birthDate')!.message).toBe('孩子应未满18周岁')
  })

  it('refuses a birth date in the future', () => {
    const res = schema.safeParse({ ...good, idNumber: undefined, birthDate: '2027-01-01' })
    expect(res.error!.issues[0].message).toBe('出生日期不能晚于今天')
  })

  it('checks "a minor today" in the function against the day of the request, which the contract is given', () => {
    const input = { child: { ...good, idNumber: undefined, birthDate: '2026-11-30' }, idempotencyKey: 'key-12345678' }
    // A page checks the contract's own input (it has its day in the form); the function builds it for the request's day.
    expect(registryContract.createChild.input.safeParse(input).success).toBe(true)
    expect(() => parseInput(registryContract.createChild.inputAt(NOW), input)).toThrow(expect.objectContaining({ fields: { 'child.birthDate': '出生日期不能晚于今天' } }))
    expect(registryContract.createChild.inputAt(new Date('2026-11-30T00:00:00+08:00')).safeParse(input).success).toBe(true)
    expect(registryContract.updateChild.inputAt(NOW).safeParse({ childId: 'c-1', child: { ...good, birthDate: '2008-11-28', idNumber: undefined } }).success).toBe(false)
  })

  it('catches an ID number that disagrees with the birth date or the gender', () => {
    expect(schema.safeParse({ ...good, birthDate: '2016-04-13' }).error!.issues[0]).toMatchObject({ path: ['idNumber'], message: '身份证号里的出生日期和填写的出生日期不一致' })
    expect(schema.safeParse({ ...good, gender: 'male' }).error!.issues[0]).toMatchObject({ path: ['idNumber'], message: '身份证号里的性别和填写的性别不一致' })
  })
})

describe('fee waivers and status', () => {
  it('grants the plan\'s waivers for any of the five categories and none without one', () => {
    expect(waiversFor([]).length).toBe(0)
    for (const c of ['registeredPoor', 'lowIncome', 'orphan', 'disabled', 'martyrOrEntitled'] as const) {
      expect(waiversFor([c]).map((w) => w.code)).toEqual(['studyTrip', 'practice', 'afterSchoolCare'])
    }
  })

  it('ends left-behind status on the 16th birthday (Shanghai time)', () => {
    expect(effectiveStatus('leftBehind', '2010-11-29', NOW)).toBe('agedOut')
    expect(effectiveStatus('leftBehind', '2010-11-30', NOW)).toBe('leftBehind')
    expect(effectiveStatus('parentReturned', '2010-01-01', NOW)).toBe('parentReturned')
  })

  it('shows a likely duplicate by name and birth date in the county, or by ID number anywhere', () => {
    const existing = [
      { _id: 'a', name: '王小雨', birthDate: '2016-04-12', countyId: 'c1' },
      { _id: 'b', name: '李四', birthDate: '2015-01-01', countyId: 'c2', idNumber: 'X1' },
      { _id: 'c', name: '王小雨', birthDate: '2016-04-12', countyId: 'c2' }
    ]
    expect(likelyDuplicates({ name: ' 王小雨 ', birthDate: '2016-04-12', countyId: 'c1' }, existing).map((d) => d._id)).toEqual(['a'])
    expect(likelyDuplicates({ name: '张三', birthDate: '2017-01-01', countyId: 'c1', idNumber: 'X1' }, existing).map((d) => d._id)).toEqual(['b'])
  })
})

describe('who sees which child', () => {
  const child = { schoolId: 'sch-sq', villageId: 'vil-sq', townshipId: 'tw-sq', countyId: 'county-qs' }
  const teacher: RoleGrant[] = [{ role: 'teacher', scope: { level: 'school', id: 'sch-sq' }, status: 'active' }]
  const otherTeacher: RoleGrant[] = [{ role: 'teacher', scope: { level: 'school', id: 'sch-bs' }, status: 'active' }]
  const townshipOfficer: RoleGrant[] = [{ role: 'childWelfareOfficer', scope: { level: 'township', id: 'tw-sq' }, status: 'active' }]
  const countyAdmin: RoleGrant[] = [{ role: 'admin', agency: 'civilAffairs', scope: { level: 'county', id: 'county-qs' }, status: 'active' }]
  const suspendedAdmin: RoleGrant[] = [{ ...countyAdmin[0], status: 'suspended' }]
  const parent: RoleGrant[] = [{ role: 'parent', status: 'active' }]
  const volunteer: RoleGrant[] = [{ role: 'volunteer', volunteerKind: 'elder', status: 'active' }]
  const police: RoleGrant[] = [{ role: 'police', scope: { level: 'jurisdiction', id: 'jur-sq' }, status: 'active' }]
  const none = { bound: false, paired: false }

  it.each([
    ['a teacher of the school', teacher, none, 'staff'],
    ['a teacher of another school', otherTeacher, none, null],
    ['the township child-welfare officer', townshipOfficer, none, 'staff'],
    ['the county admin', countyAdmin, none, 'staff'],
    ['a suspended county admin', suspendedAdmin, none, null],
    ['a bound parent', parent, { bound: true, paired: false }, 'family'],
    ['a parent not bound to the child', parent, none, null],
    ['a paired volunteer', volunteer, { bound: false, paired: true }, 'volunteer'],
    ['a volunteer not paired with the child', volunteer, none, null],
    ['a police liaison (reaches children through reports, not the registry)', police, none, null]
  ])('%s → %s', (_who, grants, rel, expected) => {
    expect(viewOf(grants as RoleGrant[], child, rel)).toBe(expected)
  })

  it('lets only the officer or teacher of the place register a child there', () => {
    expect(canRegisterIn(teacher, child)).toBe(true)
    expect(canRegisterIn(otherTeacher, child)).toBe(false)
    expect(canRegisterIn(townshipOfficer, child)).toBe(true)
    expect(canRegisterIn(countyAdmin, child)).toBe(false)
  })

  it('shows whole phone numbers to a teacher but ID numbers only to officers and admins of the scope', () => {
    expect(canReveal(teacher, child, 'phone')).toBe(true)
    expect(canReveal(teacher, child, 'idNumber')).toBe(false)
    expect(canReveal(townshipOfficer, child, 'idNumber')).toBe(true)
    expect(canReveal(otherTeacher, child, 'phone')).toBe(false)
    expect(canReveal(parent, child, 'phone')).toBe(false)
  })

  it('ignores a teacher grant recorded at a wider level than a school', () => {
    expect(registryScopes([{ role: 'teacher', scope: { level: 'county', id: 'county-qs' }, status: 'active' }])).toEqual([])
  })
})

describe('binding codes', () => {
  it('are 8 digits', () => {
    let i = 0
    expect(newBindingCode(() => (i++ * 3) % 10)).toMatch(/^\d{8}$/)
  })

  it('are valid for 7 days, once, and void after 5 wrong answers', () => {
    const expiresAt = new Date('2026-12-06T04:00:00Z')
    expect(bindingCodeState({ expiresAt, failedTries: 0 }, NOW)).toBe('valid')
    expect(bindingCodeState({ expiresAt, failedTries: 4 }, NOW)).toBe('valid')
    expect(bindingCodeState({ expiresAt, failedTries: 5 }, NOW)).toBe('locked')
    expect(bindingCodeState({ expiresAt, failedTries: 0, usedAt: NOW }, NOW)).toBe('used')
    expect(bindingCodeState({ expiresAt, failedTries: 0 }, expiresAt)).toBe('expired')
  })
})
