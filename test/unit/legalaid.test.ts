import { exemptionsFor, priorityOf, proposeLawyers, raisesMandatoryReport, routeCentre, runningClocks } from '../../src/domain'
import { chinaCalendar } from '../../src/domain/calendar/library'

const centres = [
  { id: 'c-county', name: '青山县法律援助中心', countyId: 'county-qs', city: '青溪市', activeOfficers: 2 },
  { id: 'c-xm', name: '厦门市思明区法律援助中心', countyId: null, city: '厦门', activeOfficers: 0 },
  { id: 'c-sz', name: '深圳市宝安区法律援助中心', countyId: null, city: '深圳', activeOfficers: 1 }
]
const child = { countyId: 'county-qs' }

describe('routing', () => {
  it('sends a child\'s matter to the centre of the child\'s county', () => {
    expect(routeCentre('maintenance', child, '厦门', centres)).toMatchObject({ centre: { id: 'c-county' }, reason: 'childCounty' })
  })
  it('sends a wage or work-injury claim to the centre where the applicant works, saying why', () => {
    const r = routeCentre('parentWorkInjury', child, '深圳', centres)!
    expect(r).toMatchObject({ centre: { id: 'c-sz' }, reason: 'workCity' })
    expect(r.why).toContain('您在深圳打工')
    expect(routeCentre('parentWages', child, '广东深圳', centres)?.centre.id).toBe('c-sz')
  })
  it('never sends to a centre with nobody active: the child\'s county centre takes it, and the applicant is told why', () => {
    const r = routeCentre('parentWages', child, '厦门', centres)!
    expect(r).toMatchObject({ centre: { id: 'c-county' }, reason: 'workCityNobodyThere' })
    expect(r.why).toContain('厦门市思明区法律援助中心在雏燕里还没有能办理的工作人员')
    expect(routeCentre('parentWages', child, '温州', centres)).toMatchObject({ centre: { id: 'c-county' }, reason: 'workCityNotJoined' })
  })
  it('keeps a claim filed by someone who is not the worker at the county centre', () => {
    expect(routeCentre('parentWages', child, undefined, centres)).toMatchObject({ centre: { id: 'c-county' }, reason: 'notTheWorker' })
  })
  it('says so when even the county centre has nobody active, and never refuses', () => {
    const empty = centres.map((c) => ({ ...c, activeOfficers: 0 }))
    expect(routeCentre('maintenance', child, undefined, empty)).toMatchObject({ centre: { id: 'c-county' }, reason: 'nobodyActive' })
    expect(routeCentre('maintenance', { countyId: 'elsewhere' }, undefined, centres)).toBeUndefined()
  })
})

describe('exemptions from the hardship check, with their articles', () => {
  it.each([
    ['maintenance', [], ['art42_1']],
    ['abuseOrViolence', [], ['art32_4', 'art42_1']],
    ['abandonment', ['lowIncome'], ['art32_4', 'art42_1', 'art42_2']],
    ['parentWages', [], ['art42_3']],
    ['parentWorkInjury', ['martyrOrEntitled'], ['art42_3', 'art42_2']],
    ['hukou', ['disabled'], ['art42_1']]
  ])('%s with %j → %j', (matter, categories, codes) => {
    expect(exemptionsFor(matter as any, categories as any).map((e) => e.code)).toEqual(codes)
  })
})

describe('priority and reports', () => {
  it('puts abuse and abandonment first, then aid-first cases, then the rest', () => {
    expect(priorityOf('abuseOrViolence', false)).toBe(0)
    expect(priorityOf('abandonment', true)).toBe(0)
    expect(priorityOf('maintenance', true)).toBe(1)
    expect(priorityOf('maintenance', false)).toBe(2)
  })
  it('raises a mandatory report for abuse, violence and abandonment only', () => {
    expect(['abuseOrViolence', 'abandonment', 'bullying', 'injury'].map((m) => raisesMandatoryReport(m as any))).toEqual([true, true, false, false])
  })
})

describe('lawyer proposals', () => {
  const lawyers = [
    { id: 'a', name: '甲', specialties: ['maintenance' as const], openCases: 5, conflicts: [] },
    { id: 'b', name: '乙', specialties: [], openCases: 0, conflicts: [] },
    { id: 'c', name: '丙', specialties: ['maintenance' as const], openCases: 1, conflicts: ['王建军'] },
    { id: 'd', name: '丁', specialties: ['maintenance' as const], openCases: 2, conflicts: [] }
  ]
  it('ranks specialists first, then the lightest load, and leaves out declared conflicts', () => {
    expect(proposeLawyers('maintenance', ['孩子的叔叔王建军'], lawyers).map((l) => l.id)).toEqual(['d', 'a', 'b'])
  })
})

describe('running clocks', () => {
  const cal = chinaCalendar()
  const submittedAt = new Date('2026-02-13T18:00:00+08:00') // Friday evening before the 2026 Spring Festival break
  it('runs acknowledgement and decision clocks until the decision, counting past the holiday', () => {
    const clocks = runningClocks(cal, { state: 'submitted', submittedAt }, new Date('2026-02-14T09:00:00+08:00'))
    expect(clocks.map((c) => c.name)).toEqual(['acknowledge', 'decide', 'statutoryReview'])
    // 14 February 2026 is an adjusted Saturday workday: acknowledgement is due that day at 17:30.
    expect(clocks[0].due.toISOString()).toBe('2026-02-14T09:30:00.000Z')
    expect(clocks[1].due.toISOString()).toBe('2026-02-25T09:30:00.000Z')
    expect(clocks[0].state).toBe('onTime')
  })
  it('marks a clock due soon within 2 hours and late after it', () => {
    const due = new Date('2026-02-25T17:30:00+08:00').getTime()
    const at = (ms: number) => runningClocks(cal, { state: 'acknowledged', submittedAt }, new Date(ms)).find((c) => c.name === 'decide')!.state
    expect([at(due - 3 * 3600000), at(due - 3600000), at(due + 60000)]).toEqual(['onTime', 'dueSoon', 'late'])
  })
  it('gives the lawyer 24 hours to accept and stops the clocks once they do', () => {
    const assignedAt = new Date('2026-03-02T10:00:00+08:00')
    expect(runningClocks(cal, { state: 'lawyerAssigned', submittedAt, assignedAt }, assignedAt).map((c) => [c.name, c.due.toISOString()])).toEqual([['lawyerAccept', '2026-03-03T02:00:00.000Z']])
    expect(runningClocks(cal, { state: 'inProgress', submittedAt }, assignedAt)).toEqual([])
  })
  it('keeps the review clocks running after a lawyer was assigned first (Art. 44), until the approval follows', () => {
    const assignedAt = new Date('2026-03-02T10:00:00+08:00')
    const pending = runningClocks(cal, { state: 'inProgress', submittedAt: assignedAt, assignedAt, approvalPending: true }, assignedAt)
    expect(pending.map((c) => c.name)).toEqual(['decide', 'statutoryReview'])
    expect(runningClocks(cal, { state: 'inProgress', submittedAt: assignedAt, assignedAt, approvalPending: false }, assignedAt)).toEqual([])
  })
  it('marks a clock that runs over a year with no published arrangement as estimated', () => {
    const lateDec = new Date('2026-12-30T10:00:00+08:00')
    const decide = runningClocks(cal, { state: 'acknowledged', submittedAt: lateDec }, lateDec).find((c) => c.name === 'decide')!
    expect(decide).toMatchObject({ estimated: true, due: new Date('2027-01-05T17:30:00+08:00') }) // 1 January off
    expect(runningClocks(cal, { state: 'acknowledged', submittedAt }, submittedAt).every((c) => !c.estimated)).toBe(true)
  })
})
