import { mayBeOffered, periodEnd, periodStart, periodsOf, previousPeriod, rhythmOf, vettingState, vettingValidUntil } from '../../src/domain'

const check = { checkDate: '2026-03-01', result: 'clear' as const, checkedBy: '公安局' }
const at = (s: string) => new Date(`${s}+08:00`)

describe('vetting (未成年人保护法 第六十二条: checked before and every year after)', () => {
  it('is valid for a year from the check', () => {
    expect(vettingValidUntil(check)).toBe('2027-02-28')
    expect(vettingState(check, at('2027-01-28T12:00:00'))).toBe('valid')
    expect(vettingState(check, at('2027-01-30T12:00:00'))).toBe('expiringSoon')
    expect(vettingState(check, at('2027-02-28T23:59:00'))).toBe('expiringSoon')
    expect(vettingState(check, at('2027-03-01T00:01:00'))).toBe('expired')
  })
  it('offers only while the check is valid and clear', () => {
    expect(mayBeOffered(check, at('2027-02-01T00:00:00'))).toBe(true)
    expect(mayBeOffered(check, at('2027-03-02T00:00:00'))).toBe(false)
    expect(mayBeOffered({ ...check, result: 'record' }, at('2026-04-01T00:00:00'))).toBe(false)
    expect(mayBeOffered(undefined, at('2026-04-01T00:00:00'))).toBe(false)
  })
})

describe('the rhythm: a talk a month, a visit a quarter (Shanghai time)', () => {
  it('puts 23:30 UTC on 31 October into November in Shanghai', () => {
    expect(periodsOf(new Date('2026-10-31T23:30:00Z'))).toEqual({ month: '2026-11', quarter: '2026-Q4' })
  })
  it('ends months and quarters at Shanghai midnight', () => {
    expect(periodEnd('2026-12').toISOString()).toBe('2026-12-31T16:00:00.000Z')
    expect(periodEnd('2026-Q4').toISOString()).toBe('2026-12-31T16:00:00.000Z')
    expect(periodEnd('2026-Q1').toISOString()).toBe('2026-03-31T16:00:00.000Z')
    expect([previousPeriod('2026-01'), previousPeriod('2026-Q1'), previousPeriod('2026-07')]).toEqual(['2025-12', '2025-Q4', '2026-06'])
  })
  it('begins months and quarters at Shanghai midnight of their first day', () => {
    expect(periodStart('2026-11').toISOString()).toBe('2026-10-31T16:00:00.000Z')
    expect(periodStart('2026-01').toISOString()).toBe('2025-12-31T16:00:00.000Z')
    expect(periodStart('2026-Q4').toISOString()).toBe('2026-09-30T16:00:00.000Z')
    expect(periodStart('2027-Q1').toISOString()).toBe('2026-12-31T16:00:00.000Z')
    // an instant late on the last UTC day of October is already in November's period, which began before it
    const t = new Date('2026-10-31T23:30:00Z')
    expect(periodStart(periodsOf(t).month).getTime()).toBeLessThanOrEqual(t.getTime())
  })
  it('counts a visit as this month\'s talk too, but a talk is not a visit', () => {
    const now = at('2026-11-20T10:00:00')
    expect(rhythmOf([{ kind: 'talk', at: at('2026-11-02T10:00:00') }], now)).toMatchObject({ talkDone: true, visitDone: false })
    expect(rhythmOf([{ kind: 'visit', mode: 'inPerson', at: at('2026-10-05T10:00:00') }], now)).toMatchObject({ talkDone: false, visitDone: true })
    expect(rhythmOf([{ kind: 'visit', mode: 'inPerson', at: at('2026-09-30T10:00:00') }], now)).toMatchObject({ talkDone: false, visitDone: false })
  })
  it('counts a home visit only in person and within the pairing, whatever old records say', () => {
    const now = at('2026-11-20T10:00:00')
    const since = at('2026-10-15T09:00:00')
    // A "visit" logged as a phone call is a talk, not the quarter's visit.
    expect(rhythmOf([{ kind: 'visit', mode: 'call', at: at('2026-11-02T10:00:00') }], now, since)).toMatchObject({ talkDone: true, visitDone: false })
    // A visit dated before the pairing began counts for nothing.
    expect(rhythmOf([{ kind: 'visit', mode: 'inPerson', at: at('2026-10-14T10:00:00') }], now, since)).toMatchObject({ talkDone: false, visitDone: false })
    // The control: in person, on or after the day the pairing began.
    expect(rhythmOf([{ kind: 'visit', mode: 'inPerson', at: at('2026-10-15T08:00:00') }], now, since)).toMatchObject({ visitDone: true })
  })
})
