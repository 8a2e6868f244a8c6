/** The pure rules behind the weekly call home and a child's information (docs/DOMAIN.md). */
import {
  CONSENT_VERSION, DATA_POLICY, consentText, contactKnownFrom, dataPolicyFrom, directCallTimeProblem, hotlineContract,
  leftBehindEndedOn, parentsBookedNothing, purgeDue, retainedUntil, weekBeforeKnown, weeksKnown
} from '../../src/domain'

const at = (iso: string) => new Date(iso)

describe('direct calls', () => {
  const now = at('2027-03-10T21:00:00+08:00')
  it('refuses a time in the future or more than seven days back, and takes the week between', () => {
    expect(directCallTimeProblem(at('2027-03-10T21:05:00+08:00'), now)).toBe('这个时间还没到，请选已经打过的通话')
    expect(directCallTimeProblem(at('2027-03-03T20:59:00+08:00'), now)).toBe('只能补记7天以内的通话')
    expect(directCallTimeProblem(at('2027-03-03T21:00:00+08:00'), now)).toBeUndefined()
    expect(directCallTimeProblem(at('2027-03-10T21:00:30+08:00'), now)).toBeUndefined() // a phone's clock a little ahead
  })

  it('checks the time against the day of the request in the function, and only the shape on the page', () => {
    const input = { childId: 'c', at: '2027-03-11T09:00:00+08:00', minutes: 20, mode: 'video', idempotencyKey: 'k-12345678' }
    expect(hotlineContract.recordDirectCall.input.safeParse(input).success).toBe(true)
    const checked = hotlineContract.recordDirectCall.inputAt(now).safeParse(input)
    expect(checked.success).toBe(false)
    expect(hotlineContract.recordDirectCall.inputAt(now).safeParse({ ...input, at: '2027-03-10T20:00:00+08:00', minutes: 0 }).error?.issues[0].message).toBe('通话至少1分钟')
  })
})

describe('the weeks a streak may count', () => {
  const file = at('2026-09-01T10:00:00+08:00')
  it('starts from the later of the file and the first parent binding; none without a parent', () => {
    expect(contactKnownFrom(file, [])).toBeNull()
    expect(contactKnownFrom(file, [at('2026-12-06T10:00:00+08:00'), at('2026-12-20T10:00:00+08:00')])).toEqual(at('2026-12-06T10:00:00+08:00'))
    expect(contactKnownFrom(at('2027-01-05T10:00:00+08:00'), [at('2026-12-06T10:00:00+08:00')])).toEqual(at('2027-01-05T10:00:00+08:00'))
    expect(contactKnownFrom(file, [undefined])).toEqual(file) // a binding with no date counts from the file
  })

  it('counts only whole weeks after the first known week', () => {
    const known = at('2026-12-06T10:00:00+08:00') // a Sunday: week 2026-W49
    const weeks = ['2026-W46', '2026-W47', '2026-W48', '2026-W49', '2026-W50', '2026-W51', '2026-W52']
    expect(weeksKnown(known, '2026-W52', weeks)).toBe(3)
    expect(weeksKnown(known, '2026-W49', weeks)).toBe(0)
    expect(weeksKnown(null, '2026-W52', weeks)).toBe(0)
    expect(weekBeforeKnown(known, '2026-W48')).toBe(true)
    expect(weekBeforeKnown(known, '2026-W49')).toBe(false)
  })
})

describe('retention and the consent text', () => {
  it('keeps a file the policy\'s years after the child stopped being left behind, or after 16', () => {
    const returned = { status: 'parentReturned' as const, birthDate: '2016-04-12', statusHistory: [{ status: 'leftBehind' as const, effectiveDate: '2026-09-01' }, { status: 'parentReturned' as const, effectiveDate: '2027-01-10' }] }
    expect(leftBehindEndedOn(returned)).toBe('2027-01-10')
    expect(retainedUntil(returned, DATA_POLICY)).toBe('2029-01-10')
    expect(purgeDue(returned, DATA_POLICY, at('2029-01-09T23:59:00+08:00'))).toBe(false)
    expect(purgeDue(returned, DATA_POLICY, at('2029-01-10T00:00:00+08:00'))).toBe(true)
    const inCare = { status: 'leftBehind' as const, birthDate: '2016-04-12' }
    expect(retainedUntil(inCare, DATA_POLICY)).toBe('2034-04-12') // 16, then two years
    expect(retainedUntil({ ...returned, birthDate: '2010-01-01' }, DATA_POLICY)).toBe('2028-01-01') // 16 came first
  })

  it('takes a deployment\'s policy within bounds, and the consent text states it under its own version', () => {
    expect(dataPolicyFrom({})).toEqual(DATA_POLICY)
    expect(dataPolicyFrom({ RETENTION_YEARS: '3', DELETION_WORKING_DAYS: '10' })).toEqual({ retentionYears: 3, deletionWorkingDays: 10 })
    expect(dataPolicyFrom({ RETENTION_YEARS: '0', DELETION_WORKING_DAYS: 'x' })).toEqual(DATA_POLICY)
    const text = consentText({ retentionYears: 3, deletionWorkingDays: 10 })
    expect(text.version).not.toBe(CONSENT_VERSION)
    expect(JSON.stringify(text.sections)).toContain('再保存3年')
    expect(JSON.stringify(text.sections)).toContain('在10个工作日内处理')
  })
})

describe('the guardian\'s word that the parents have booked no call', () => {
  const now = at('2026-12-07T09:00:00+08:00')
  const call = (start: string) => ({ start: at(start), end: new Date(at(start).getTime() + 20 * 60000) })
  it('speaks when nothing is booked in the next seven days, and not while a call is booked or under way', () => {
    expect(parentsBookedNothing([], now)).toBe(true)
    expect(parentsBookedNothing([call('2026-12-14T09:00:00+08:00')], now)).toBe(true) // a week away exactly
    expect(parentsBookedNothing([call('2026-12-14T08:59:00+08:00')], now)).toBe(false)
    expect(parentsBookedNothing([call('2026-12-07T08:50:00+08:00')], now)).toBe(false) // under way
    expect(parentsBookedNothing([call('2026-12-07T08:30:00+08:00')], now)).toBe(true) // over
  })
})
