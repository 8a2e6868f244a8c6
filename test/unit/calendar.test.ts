import {
  AppError, addDays, addWorkingDays, clockState, dayInfo, deadlineAt, endOfShanghaiDay, endOfWorkingDay, hasYear, holidayName, HolidayYearInput, HOUR_MS, inShanghai,
  isHoliday, isWorkingDay, lawyerAssignmentDue, legalAidClocks, makeCalendar, missingYears, shanghaiWall, startOfShanghaiDay,
  statutoryHolidays, STATUTORY_SOURCE, startOfShanghaiWeek, toDateKey, workingDaysBetween
} from '../../src/domain'
import { chinaCalendar, estimatedYear, LIBRARY_SOURCE, lunarDaysOf, publishedYears } from '../../src/domain/calendar/library'

/** An instant given as Shanghai wall time. */
const sh = (wall: string): Date => new Date(`${wall.replace(' ', 'T')}:00+08:00`)
/** An instant shown as Shanghai wall time, as a user reads it. */
const wall = (d: Date): string => inShanghai(d).format('YYYY-MM-DD HH:mm')

const cal = chinaCalendar()

describe('published years from the kept library (chinese-days)', () => {
  it('has 2025 and 2026 as the State Council published them, and nothing after', () => {
    const years = publishedYears().map((y) => y.year)
    expect(years).toEqual(expect.arrayContaining([2024, 2025, 2026]))
    expect(Math.max(...years)).toBe(2026)
    expect(publishedYears().at(-1)!.source).toBe(LIBRARY_SOURCE)
    expect(hasYear(cal, 2025)).toBe(true)
    expect(hasYear(cal, 2026)).toBe(true)
  })

  // The days off and adjusted workdays of 国办发明电〔2024〕12号 and 国办发明电〔2025〕7号, read from the notices: the
  // library must agree with them day for day, and each published year must pass the checks an admin's entry passes.
  it('agrees day for day with the 2025 and 2026 notices', () => {
    const notices: Record<number, { off: Array<[string, string]>, worked: string[] }> = {
      2025: { off: [['2025-01-01', '2025-01-01'], ['2025-01-28', '2025-02-04'], ['2025-04-04', '2025-04-06'], ['2025-05-01', '2025-05-05'], ['2025-05-31', '2025-06-02'], ['2025-10-01', '2025-10-08']], worked: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'] },
      2026: { off: [['2026-01-01', '2026-01-03'], ['2026-02-15', '2026-02-23'], ['2026-04-04', '2026-04-06'], ['2026-05-01', '2026-05-05'], ['2026-06-19', '2026-06-21'], ['2026-09-25', '2026-09-27'], ['2026-10-01', '2026-10-07']], worked: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'] }
    }
    for (const [year, n] of Object.entries(notices)) {
      const data = publishedYears().find((y) => y.year === Number(year))!
      const days = (ranges: Array<{ from: string, to: string }>) => ranges.flatMap((r) => { const out: string[] = []; for (let d = r.from; d <= r.to; d = addDays(d, 1)) out.push(d); return out })
      expect(days(data.holidays)).toEqual(days(n.off.map(([from, to]) => ({ from, to }))))
      expect(data.workdays).toEqual(n.worked)
      expect(HolidayYearInput.safeParse(data).success).toBe(true)
    }
  })
})

describe('working days of 2025–2026', () => {
  it('gives the whole 2026 Spring Festival off, Sunday 15 to Monday 23 February', () => {
    for (const d of ['2026-02-15', '2026-02-16', '2026-02-20', '2026-02-23']) {
      expect(isWorkingDay(cal, d)).toBe(false)
      expect(isHoliday(cal, d)).toBe(true)
      expect(holidayName(cal, d)).toBe('春节')
    }
    expect(isWorkingDay(cal, '2026-02-13')).toBe(true) // the Friday before
    expect(isWorkingDay(cal, '2026-02-24')).toBe(true) // the Tuesday after
    expect(holidayName(cal, '2026-02-24')).toBeUndefined()
  })

  it('works the adjusted Saturdays of 2026 (14 and 28 February) and the adjusted Sunday of 2025 (28 September)', () => {
    for (const d of ['2026-02-14', '2026-02-28', '2025-09-28']) {
      const info = dayInfo(cal, d)
      expect(info).toMatchObject({ working: true, adjustedWorkday: true, holiday: false, estimated: false })
    }
    expect(dayInfo(cal, '2025-09-28').weekday).toBe(7)
  })

  it('gives the 2026 National Day week off and works Saturday 10 October', () => {
    for (let day = 1; day <= 7; day++) expect(holidayName(cal, `2026-10-0${day}`)).toBe('国庆节')
    expect(isWorkingDay(cal, '2026-10-05')).toBe(false) // a Monday
    expect(isWorkingDay(cal, '2026-10-08')).toBe(true)
    expect(isWorkingDay(cal, '2026-10-10')).toBe(true)
    expect(isWorkingDay(cal, '2026-10-11')).toBe(false) // an ordinary Sunday
  })

  it('names the joint 2025 National Day and Mid-Autumn holiday', () => {
    expect(holidayName(cal, '2025-10-06')).toBe('国庆节、中秋节')
    expect(holidayName(cal, '2025-10-08')).toBe('国庆节、中秋节')
    expect(isWorkingDay(cal, '2025-10-09')).toBe(true)
  })

  it('keeps ordinary weekends off without calling them holidays', () => {
    expect(dayInfo(cal, '2026-03-07')).toMatchObject({ working: false, holiday: false, adjustedWorkday: false, weekday: 6 })
    expect(isWorkingDay(cal, '2026-03-09')).toBe(true)
  })

  it('reads an instant in Shanghai time: Sunday 23:59 is off, Monday 00:00 is a working day, the same UTC day', () => {
    const sunday = new Date('2026-03-01T15:59:00Z')
    const monday = new Date('2026-03-01T16:00:00Z')
    expect(isWorkingDay(cal, sunday)).toBe(false)
    expect(isWorkingDay(cal, monday)).toBe(true)
  })

  it('refuses a malformed date string or an invalid Date instead of guessing', () => {
    expect(() => isWorkingDay(cal, '2026-02-30')).toThrow(RangeError)
    expect(() => isWorkingDay(cal, '2026/03/01')).toThrow(RangeError)
    expect(() => isWorkingDay(cal, new Date('soon'))).toThrow(RangeError)
  })

  it('reads Shanghai wall time as the zone database does, across its 1988 DST change and today', () => {
    const intl = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23'
    })
    const zoneDb = (ms: number): string => {
      const p = Object.fromEntries(intl.formatToParts(ms).map((x) => [x.type, x.value]))
      return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`
    }
    const samples = [
      ...Array.from({ length: 240 }, (_, i) => Date.UTC(1988, 3, 9, 16) + i * 60_000), // 1988-04-10 00:00–04:00 Shanghai
      ...Array.from({ length: 240 }, (_, i) => Date.UTC(1988, 8, 10, 16) + i * 60_000), // 1988-09-11, back to +08:00
      ...Array.from({ length: 200 }, (_, i) => Date.UTC(2026, 2, 7, 12) + i * 7 * 60_000) // 2026-03-08, New York's change
    ]
    for (const ms of samples) expect(shanghaiWall(ms).format('YYYY-MM-DD HH:mm')).toBe(zoneDb(ms))
    expect(toDateKey(new Date('2026-03-01T15:59:59.999Z'))).toBe('2026-03-01')
    expect(toDateKey(new Date('2026-03-01T16:00:00Z'))).toBe('2026-03-02')
  })
})

describe('a year with no published arrangement (2027)', () => {
  it('is reported missing so an admin can be warned', () => {
    expect(hasYear(cal, 2027)).toBe(false)
    expect(missingYears(cal, 2025, 2028)).toEqual([2027, 2028])
    expect(missingYears(cal, 2025, 2026)).toEqual([])
  })

  it('takes 2027-01-01 off as New Year\'s Day, flagged as an estimate, never throwing', () => {
    expect(dayInfo(cal, '2027-01-01')).toMatchObject({ working: false, holiday: true, holidayName: '元旦', estimated: true })
    expect(dayInfo(cal, '2027-02-08')).toMatchObject({ working: false, holidayName: '春节', estimated: true }) // 正月初三, a Monday
    expect(dayInfo(cal, '2027-02-11')).toMatchObject({ working: true, holiday: false, estimated: true }) // a Thursday after
    expect(dayInfo(cal, '2026-12-31').estimated).toBe(false)
    const due = addWorkingDays(cal, sh('2026-12-30 10:00'), 3)
    expect(wall(due.at)).toBe('2027-01-05 17:30') // Thu 31, (Fri 1 off), Mon 4, Tue 5
    expect(due.estimated).toBe(true)
    expect(addWorkingDays(cal, sh('2026-12-14 10:00'), 3).estimated).toBe(false)
  })

  it('counts plain weekends where no estimate is given (a calendar without the library)', () => {
    const plain = makeCalendar()
    expect(dayInfo(plain, '2027-01-01')).toMatchObject({ working: true, estimated: true })
  })

  it('takes the year from an admin and then counts its holidays', () => {
    const with2027 = chinaCalendar([{
      year: 2027,
      holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-03' }, { name: '春节', from: '2027-02-05', to: '2027-02-11' }],
      workdays: ['2027-02-13'],
      source: '管理员录入（测试）'
    }])
    expect(hasYear(with2027, 2027)).toBe(true)
    expect(holidayName(with2027, '2027-02-08')).toBe('春节')
    expect(isWorkingDay(with2027, '2027-02-13')).toBe(true)
    const due = addWorkingDays(with2027, sh('2026-12-30 10:00'), 3)
    expect(wall(due.at)).toBe('2027-01-05 17:30') // Thu 31, Mon 4, Tue 5: as entered, no longer an estimate
    expect(due.estimated).toBe(false)
    expect(isWorkingDay(with2027, '2027-02-10')).toBe(false) // the entered Spring Festival, not the estimate's
    expect(isWorkingDay(with2027, '2027-02-12')).toBe(true)
    expect(hasYear(cal, 2027)).toBe(false) // the shared calendar is untouched
  })

  it('lets later data for a year replace earlier data', () => {
    const corrected = chinaCalendar([
      { year: 2026, holidays: [{ name: '国庆节', from: '2026-10-01', to: '2026-10-03' }], workdays: [] },
      { year: 2027, holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-01' }], workdays: [] },
      { year: 2027, holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-03' }], workdays: [] }
    ])
    expect(isWorkingDay(corrected, '2026-10-05')).toBe(true) // no longer a holiday
    expect(isWorkingDay(corrected, '2026-02-16')).toBe(true) // the replacement has no Spring Festival
    expect(isWorkingDay(corrected, '2026-10-10')).toBe(false) // nor the adjusted Saturday
    expect(holidayName(corrected, '2027-01-03')).toBe('元旦') // the later 2027 entry won
  })
})

describe('HolidayYearInput (an admin adding a year)', () => {
  const fieldsOf = (input: unknown): Record<string, string> => {
    try { chinaCalendar([input as HolidayYearInput]) } catch (e) {
      expect(e).toBeInstanceOf(AppError)
      expect((e as AppError).code).toBe('INVALID_INPUT')
      return (e as AppError).fields ?? {}
    }
    throw new Error('expected the input to be refused')
  }

  it('names a weekday entered as an adjusted workday, a date of another year and a reversed range', () => {
    const fields = fieldsOf({
      year: 2027,
      holidays: [{ name: '春节', from: '2027-02-11', to: '2027-02-05' }, { name: '国庆节', from: '2028-10-01', to: '2028-10-07' }],
      workdays: ['2027-02-08']
    })
    expect(fields['holidays.0.to']).toBe('放假结束日不能早于开始日')
    expect(fields['holidays.1.from']).toBe('日期不属于 2027 年')
    expect(fields['workdays.0']).toContain('调休上班日应为周六或周日')
  })

  it('names overlapping holidays and a day that is both off and worked', () => {
    const fields = fieldsOf({
      year: 2027,
      holidays: [{ name: '春节', from: '2027-02-05', to: '2027-02-11' }, { name: '其他', from: '2027-02-10', to: '2027-02-12' }],
      workdays: ['2027-02-06']
    })
    expect(fields['holidays.1.from']).toContain('重叠')
    expect(fields['workdays.0']).toContain('既是放假日又是上班日')
  })

  it('names an impossible date and a missing holiday name', () => {
    const fields = fieldsOf({ year: 2027, holidays: [{ name: ' ', from: '2027-02-30', to: '2027-03-01' }], workdays: [] })
    expect(fields['holidays.0.from']).toBe('没有这一天，请核对日期')
    expect(fields['holidays.0.name']).toBe('请填写节日名称')
  })

  it('accepts a New Year holiday that begins in the last days of the year before', () => {
    expect(HolidayYearInput.safeParse({ year: 2024, holidays: [{ name: '元旦', from: '2023-12-30', to: '2024-01-01' }], workdays: [] }).success).toBe(true)
  })
})

describe('endOfWorkingDay (acknowledge the same working day)', () => {
  it('is 17:30 of the day for a request on a working day before the close, even before opening', () => {
    expect(wall(endOfWorkingDay(cal, sh('2026-03-05 10:00')).at)).toBe('2026-03-05 17:30')
    expect(wall(endOfWorkingDay(cal, sh('2026-03-05 07:00')).at)).toBe('2026-03-05 17:30')
    expect(wall(endOfWorkingDay(cal, sh('2026-03-05 17:29')).at)).toBe('2026-03-05 17:30')
  })

  it('moves to the next working day at 17:30 or later, and on days off', () => {
    expect(wall(endOfWorkingDay(cal, sh('2026-03-05 17:30')).at)).toBe('2026-03-06 17:30')
    expect(wall(endOfWorkingDay(cal, sh('2026-03-06 18:00')).at)).toBe('2026-03-09 17:30') // Friday evening -> Monday
    expect(wall(endOfWorkingDay(cal, sh('2026-03-07 10:00')).at)).toBe('2026-03-09 17:30') // Saturday
    expect(wall(endOfWorkingDay(cal, sh('2026-02-16 10:00')).at)).toBe('2026-02-24 17:30') // inside Spring Festival
  })

  it('counts an adjusted Saturday as the next working day', () => {
    const due = endOfWorkingDay(cal, sh('2026-02-13 18:00'))
    expect(wall(due.at)).toBe('2026-02-14 17:30')
    expect(due.date).toBe('2026-02-14')
  })

  it('takes a date string as that day', () => {
    expect(wall(endOfWorkingDay(cal, '2026-03-05').at)).toBe('2026-03-05 17:30')
    expect(wall(endOfWorkingDay(cal, '2026-03-07').at)).toBe('2026-03-09 17:30')
  })

  it('honours another close of business', () => {
    expect(wall(endOfWorkingDay(cal, sh('2026-03-05 17:40'), { closesAt: '18:00' }).at)).toBe('2026-03-05 18:00')
  })
})

describe('addWorkingDays', () => {
  it('ends a 3-day period started on the Friday evening before the 2025 National Day week before the holiday', () => {
    // Working days after Fri 26 Sep: Sun 28 (调休上班), Mon 29, Tue 30.
    expect(wall(addWorkingDays(cal, sh('2025-09-26 18:00'), 3).at)).toBe('2025-09-30 17:30')
    expect(wall(addWorkingDays(cal, sh('2025-09-26 18:00'), 4).at)).toBe('2025-10-09 17:30')
  })

  it('does not count the day of arrival, so Friday morning, Friday evening and Saturday share a due time', () => {
    const morning = addWorkingDays(cal, sh('2026-02-13 09:00'), 3)
    expect(wall(morning.at)).toBe('2026-02-25 17:30') // Sat 14 (调休), Tue 24, Wed 25
    expect(addWorkingDays(cal, sh('2026-02-13 18:00'), 3).at).toEqual(morning.at)
    expect(wall(addWorkingDays(cal, sh('2026-03-07 11:00'), 3).at)).toBe(wall(addWorkingDays(cal, sh('2026-03-06 11:00'), 3).at))
  })

  it('treats n = 0 as the same working day', () => {
    expect(addWorkingDays(cal, sh('2026-02-13 18:00'), 0)).toEqual(endOfWorkingDay(cal, sh('2026-02-13 18:00')))
  })

  it('refuses a negative or fractional count', () => {
    expect(() => addWorkingDays(cal, sh('2026-03-05 10:00'), -1)).toThrow(RangeError)
    expect(() => addWorkingDays(cal, sh('2026-03-05 10:00'), 1.5)).toThrow(RangeError)
  })
})

describe('workingDaysBetween', () => {
  it('counts the working days after the first day up to the second, skipping the holiday week', () => {
    expect(workingDaysBetween(cal, '2026-02-13', '2026-02-25')).toBe(3)
    expect(workingDaysBetween(cal, '2026-02-25', '2026-02-13')).toBe(-3)
    expect(workingDaysBetween(cal, sh('2026-03-05 08:00'), sh('2026-03-05 20:00'))).toBe(0)
  })

  it('agrees with addWorkingDays over the holiday seasons', () => {
    for (const start of ['2025-09-26 18:00', '2026-02-11 12:00', '2026-09-24 09:00', '2026-12-24 16:00']) {
      for (let n = 1; n <= 12; n++) {
        expect(workingDaysBetween(cal, sh(start), addWorkingDays(cal, sh(start), n).at)).toBe(n)
      }
    }
  })
})

describe('legal-aid clocks', () => {
  it('sets the clocks of a request filed on the Friday evening before the Spring Festival week', () => {
    const at = sh('2026-02-13 18:00')
    const clocks = legalAidClocks(cal, { submittedAt: at, now: at })
    expect(wall(clocks.acknowledgeBy.at)).toBe('2026-02-14 17:30') // the adjusted Saturday
    expect(wall(clocks.decideBy.at)).toBe('2026-02-25 17:30') // green channel: 3 working days
    expect(wall(clocks.statutoryReviewBy.at)).toBe('2026-03-02 17:30') // 7 working days, Sat 28 Feb worked
    expect(clocks).toMatchObject({ reviewExtended: false, provideFirst: false, provideFirstReasons: [], estimated: false })
  })

  it('extends the statutory review to 10 working days only for a complex case with a recorded reason', () => {
    const at = sh('2026-02-13 18:00')
    const extended = legalAidClocks(cal, { submittedAt: at, now: at, complex: true, complexReason: '涉及多方监护人，需调取外省材料' })
    expect(extended.reviewExtended).toBe(true)
    expect(wall(extended.statutoryReviewBy.at)).toBe('2026-03-05 17:30')
    const noReason = legalAidClocks(cal, { submittedAt: at, now: at, complex: true, complexReason: '  ' })
    expect(noReason.reviewExtended).toBe(false)
    expect(wall(noReason.statutoryReviewBy.at)).toBe('2026-03-02 17:30')
  })

  it('provides aid first when a court deadline is 6 days away, not when it is 8 (or 7) days away', () => {
    const now = sh('2026-03-05 10:00')
    const six = legalAidClocks(cal, { submittedAt: now, now, deadlineAt: sh('2026-03-11 09:00') })
    expect(six).toMatchObject({ provideFirst: true, provideFirstReasons: ['deadlineUnder7Days'], daysToDeadline: 6 })
    const eight = legalAidClocks(cal, { submittedAt: now, now, deadlineAt: sh('2026-03-13 09:00') })
    expect(eight).toMatchObject({ provideFirst: false, provideFirstReasons: [], daysToDeadline: 8 })
    expect(legalAidClocks(cal, { submittedAt: now, now, deadlineAt: sh('2026-03-12 23:00') }).provideFirst).toBe(false)
  })

  it('turns provide-first on as the deadline comes nearer while the request waits', () => {
    const submittedAt = sh('2026-03-05 10:00')
    const deadlineAt = sh('2026-03-13 09:00')
    expect(legalAidClocks(cal, { submittedAt, deadlineAt, now: submittedAt }).provideFirst).toBe(false)
    const later = legalAidClocks(cal, { submittedAt, deadlineAt, now: sh('2026-03-07 09:00') })
    expect(later).toMatchObject({ provideFirst: true, daysToDeadline: 6 })
  })

  it('provides aid first when evidence must be preserved at once', () => {
    const now = sh('2026-03-05 10:00')
    expect(legalAidClocks(cal, { submittedAt: now, now, evidenceUrgent: true }))
      .toMatchObject({ provideFirst: true, provideFirstReasons: ['evidenceUrgent'] })
  })

  it('flags clocks that run into a year without data', () => {
    const at = sh('2026-12-28 10:00')
    const clocks = legalAidClocks(cal, { submittedAt: at, now: at })
    expect(clocks.acknowledgeBy.estimated).toBe(false)
    expect(clocks.statutoryReviewBy.estimated).toBe(true)
    expect(clocks.estimated).toBe(true)
  })

  it('gives the lawyer assignment 3 calendar days after the decision, to 24:00 of the third day', () => {
    const due = lawyerAssignmentDue(cal, sh('2026-03-10 15:00'))
    expect(due.date).toBe('2026-03-13')
    expect(wall(due.at)).toBe('2026-03-14 00:00')
    expect(due.onDayOff).toBe(false)
  })

  it('does not push the lawyer assignment past a holiday, but warns that the due day is off', () => {
    const due = lawyerAssignmentDue(cal, sh('2026-09-30 11:00'))
    expect(due.date).toBe('2026-10-03')
    expect(due.onDayOff).toBe(true)
  })
})

describe('clockState', () => {
  const due = sh('2026-03-05 17:30')
  it('is on time before the warning window, due soon inside it and at the due time, late after it', () => {
    expect(clockState(due, sh('2026-03-05 14:00'), 2 * HOUR_MS)).toBe('onTime')
    expect(clockState(due, sh('2026-03-05 15:30'), 2 * HOUR_MS)).toBe('dueSoon')
    expect(clockState(due, due, 2 * HOUR_MS)).toBe('dueSoon')
    expect(clockState(due, new Date(due.getTime() + 1), 2 * HOUR_MS)).toBe('late')
  })

  it('accepts a computed due time', () => {
    const at = sh('2026-02-13 18:00')
    const { acknowledgeBy } = legalAidClocks(cal, { submittedAt: at, now: at })
    expect(clockState(acknowledgeBy, sh('2026-02-14 18:00'), HOUR_MS)).toBe('late')
    expect(clockState(acknowledgeBy, sh('2026-02-14 09:00'), HOUR_MS)).toBe('onTime')
  })
})

describe('Shanghai days and weeks as instants', () => {
  it('starts a day at Shanghai midnight, which is 16:00 UTC the day before', () => {
    expect(startOfShanghaiDay('2026-11-26').toISOString()).toBe('2026-11-25T16:00:00.000Z')
    expect(startOfShanghaiDay('2027-01-01').toISOString()).toBe('2026-12-31T16:00:00.000Z')
    expect(() => startOfShanghaiDay('2026-02-30')).toThrow(RangeError)
  })

  it('ends a day at its last second, still on that day', () => {
    const end = endOfShanghaiDay('2026-11-26')
    expect(wall(end)).toBe('2026-11-26 23:59')
    expect(end.toISOString()).toBe('2026-11-26T15:59:59.000Z')
    expect(toDateKey(end)).toBe('2026-11-26')
    expect(deadlineAt('2026-11-26')).toEqual(end)
    expect(deadlineAt(undefined)).toBeUndefined()
  })

  it('starts a week on Monday 00:00 Shanghai, also for the UTC hours that are already Monday in Shanghai', () => {
    expect(wall(startOfShanghaiWeek('2026-11-29'))).toBe('2026-11-23 00:00') // a Sunday
    expect(wall(startOfShanghaiWeek('2026-11-30'))).toBe('2026-11-30 00:00') // a Monday
    // Sunday 16:30 UTC is Monday 00:30 in Shanghai: the new week
    expect(wall(startOfShanghaiWeek(new Date('2026-11-29T16:30:00Z')))).toBe('2026-11-30 00:00')
    expect(wall(startOfShanghaiWeek(new Date('2026-11-29T15:59:59Z')))).toBe('2026-11-23 00:00')
    // across a year: 2027-01-01 is a Friday of the week that began on 28 December
    expect(wall(startOfShanghaiWeek('2027-01-01'))).toBe('2026-12-28 00:00')
  })
})

describe('statutory holidays of a year with no published arrangement', () => {
  it('converts the lunar dates of 2027: Spring Festival 6 February, 清明 5 April, 端午 9 June, 中秋 15 September', () => {
    expect(lunarDaysOf(2027)).toEqual({ springFestival: '2027-02-06', qingming: '2027-04-05', dragonBoat: '2027-06-09', midAutumn: '2027-09-15' })
  })

  it('gives 2027 its seven holidays, 春节 four days from the eve, weekend days made up on the next working days', () => {
    const y = estimatedYear(2027)!
    expect(y.source).toBe(STATUTORY_SOURCE)
    expect(y.workdays).toEqual([]) // bridging days are published, never computed
    expect(y.holidays).toEqual([
      { name: '元旦', from: '2027-01-01', to: '2027-01-01' },
      // eve Fri 5, Sat 6, Sun 7, Mon 8: the two weekend days are made up on Tue 9 and Wed 10
      { name: '春节', from: '2027-02-05', to: '2027-02-10' },
      { name: '清明节', from: '2027-04-05', to: '2027-04-05' },
      // Sat 1 May made up on Mon 3 and Sun 2 May on Tue 4
      { name: '劳动节', from: '2027-05-01', to: '2027-05-04' },
      { name: '端午节', from: '2027-06-09', to: '2027-06-09' },
      { name: '中秋节', from: '2027-09-15', to: '2027-09-15' },
      // Sat 2 and Sun 3 October made up on Mon 4 and Tue 5
      { name: '国庆节', from: '2027-10-01', to: '2027-10-05' }
    ])
    expect(HolidayYearInput.safeParse(y).success).toBe(true)
  })

  it('makes up a Mid-Autumn day that falls on National Day (2028: 中秋 on 3 October)', () => {
    expect(estimatedYear(2028)!.holidays.at(-1)).toEqual({ name: '国庆节、中秋节', from: '2028-10-01', to: '2028-10-05' })
  })

  it('matches the statutory days inside what the State Council published for 2025 and 2026', () => {
    for (const year of [2025, 2026]) {
      const published = chinaCalendar()
      for (const h of statutoryHolidays(year, lunarDaysOf(year)).holidays) {
        for (let d = h.from; d <= h.to; d = addDays(d, 1)) expect([d, isWorkingDay(published, d)]).toEqual([d, false])
      }
    }
  })
})
