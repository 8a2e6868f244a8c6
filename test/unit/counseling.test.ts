import { chooseCounselor, dueLevel, escalationTarget, triage, type TriageAnswers } from '../../src/domain'

const calm: TriageAnswers = { safeNow: 'yes', someoneHurts: 'no', selfHarmThoughts: 'no', hardDays: 'few', howLong: 'days' }

describe('triage', () => {
  it('is routine when the child is safe and the hard days are few', () => {
    expect(triage(calm)).toEqual({ urgency: 'routine', reasons: [], abuseNamed: false })
  })

  it.each([
    ['not safe now', { safeNow: 'no' }, ['notSafe']],
    ['not sure they are safe', { safeNow: 'notSure' }, ['notSafe']],
    ['someone hurts them (abuse named)', { someoneHurts: 'yes' }, ['someoneHurts']],
    ['thoughts of self-harm', { selfHarmThoughts: 'yes' }, ['selfHarm']],
    ['sometimes thoughts of self-harm', { selfHarmThoughts: 'sometimes' }, ['selfHarm']],
    ['words of suicide in an otherwise calm request', { words: '我有时候觉得活着没意思，想死' }, ['selfHarmWords']],
    ['words of being beaten', { words: '叔叔喝醉了就打我' }, ['abuseWords']],
    ['words of danger', { words: '我不敢回家' }, ['dangerWords']]
  ])('is a crisis for %s', (_what, over, reasons) => {
    const r = triage({ ...calm, ...over } as TriageAnswers)
    expect(r.urgency).toBe('crisis')
    expect(r.reasons).toEqual(reasons)
  })

  it('marks abuse as named (for a mandatory report) only when it is', () => {
    expect(triage({ ...calm, someoneHurts: 'yes' }).abuseNamed).toBe(true)
    expect(triage({ ...calm, words: '继父虐待我' }).abuseNamed).toBe(true)
    expect(triage({ ...calm, selfHarmThoughts: 'yes' }).abuseNamed).toBe(false)
  })

  it('finds words even with spaces in between', () => {
    expect(triage({ ...calm, words: '我 想 死' }).urgency).toBe('crisis')
  })

  it('is soon when most days are hard, or some days for over a month', () => {
    expect(triage({ ...calm, hardDays: 'most' }).urgency).toBe('soon')
    expect(triage({ ...calm, hardDays: 'some', howLong: 'months' }).urgency).toBe('soon')
    expect(triage({ ...calm, hardDays: 'some', howLong: 'weeks' }).urgency).toBe('routine')
  })
})

describe('routing', () => {
  const c = (id: string, openCases: number, free = true, last?: string) => ({ id, openCases, free, lastAssignedAt: last ? new Date(last) : undefined })

  it('keeps the counsellor the child saw last when they are free', () => {
    expect(chooseCounselor([c('a', 0), c('b', 5)], 'b')?.id).toBe('b')
  })

  it('otherwise takes the free counsellor with the fewest open cases', () => {
    expect(chooseCounselor([c('a', 3), c('b', 1), c('c', 0, false)], 'c')?.id).toBe('b')
  })

  it('breaks ties by the oldest last assignment, then by id', () => {
    expect(chooseCounselor([c('a', 1, true, '2026-11-20'), c('b', 1, true, '2026-11-10')])?.id).toBe('b')
    expect(chooseCounselor([c('b', 1), c('a', 1)])?.id).toBe('a')
  })

  it('finds nobody when nobody is free', () => {
    expect(chooseCounselor([c('a', 0, false)])).toBeUndefined()
  })
})

describe('crisis escalation ladder', () => {
  const roster = ['onduty', 'next', 'third']
  it('goes on-duty, next counsellor, then the supervisor, and stays with the supervisor', () => {
    expect([0, 1, 2, 3, 4].map((l) => escalationTarget(roster, 'boss', l))).toEqual(['onduty', 'next', 'boss', 'boss', 'boss'])
  })
  it('reaches the supervisor at once after the on-duty counsellor when the roster has one name', () => {
    expect([0, 1].map((l) => escalationTarget(['only'], 'boss', l))).toEqual(['only', 'boss'])
  })
  it('moves one level per 10 unanswered minutes', () => {
    expect([0, 9.9, 10, 19, 20, 35].map((m) => dueLevel(m, 10))).toEqual([0, 0, 1, 1, 2, 3])
  })
})
