import { exemptionsFor, priorityOf, proposeLawyers, raisesMandatoryReport, routeCentre, runningClocks } from '../../src/domain'
import { chinaCalendar } from '../../src/domain/calendar/library'

const centres = [
  { id: 'c-county', countyId: 'county-qs', city: '青溪市' },
  { id: 'c-xm', countyId: null, city: '厦门' }
]

describe('routing', () => {
  it('sends a child\'s matter to the centre of the child\'s county', () => {
    expect(routeCentre('maintenance', { countyId: 'county-qs' }, '厦门', centres)?.id).toBe('c-county')
  })
  it('sends a parent\'s wage or work-injury claim to the centre where the parent works, when there is one', () => {
    expect(routeCentre('parentWages', { countyId: 'county-qs' }, '厦门', centres)?.id).toBe('c-xm')
    expect(routeCentre('parentWorkInjury', { countyId: 'county-qs' }, '福建厦门', centres)?.id).toBe('c-xm')
    expect(routeCentre('parentWages', { countyId: 'county-qs' }, '深圳', centres)?.id).toBe('c-county')
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
})
