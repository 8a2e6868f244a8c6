import { parseInput } from '../validation'
import { HolidayYearInput, type HolidayYears } from './data'
import { addDays, atShanghai, minuteOfDay, minutesOf, toDateKey, weekdayOf, yearOf, type DateKey, type DateLike } from './dates'

/**
 * A working-day calendar (docs/DOMAIN.md, "Working days and holidays"): the years the State Council published (from
 * a kept library, see library.ts), the years an admin entered, and, for any other year, its statutory holidays
 * computed by `estimate` and flagged as an estimate. Build it with `makeCalendar`; its answers never change, so one
 * instance can be shared by every request of a function (an estimated year is computed on first use and kept).
 */
export interface WorkCalendar {
  /** The published or entered data of each year, after later data for a year replaced earlier data for it. */
  readonly years: ReadonlyMap<number, HolidayYears>
  /** Every day off of a holiday (the bridged weekend days of a holiday week included) -> the holiday's name. */
  readonly holidays: ReadonlyMap<DateKey, string>
  /** 调休上班: Saturdays and Sundays that are worked. */
  readonly workdays: ReadonlySet<DateKey>
  /** The statutory days of a year with no data: an estimate (no bridging days). */
  readonly estimate?: (year: number) => HolidayYears | undefined
  /** The years estimated so far (filled as days of such years are asked about). */
  readonly estimatedYears: ReadonlyMap<number, HolidayYears | undefined>
}

export interface CalendarSources {
  /** The years the State Council published, e.g. from the `chinese-days` library (library.ts). */
  published?: readonly HolidayYears[]
  /**
   * Years an admin entered (validated by `HolidayYearInput`; a bad one throws AppError INVALID_INPUT naming the
   * field). An entered year replaces a published one of the same number; among them the later in the array wins.
   */
  entered?: readonly HolidayYearInput[]
  /** Computes a year's statutory holidays when no data has it (statutory.ts); without it, plain weekends. */
  estimate?: (year: number) => HolidayYears | undefined
}

export function makeCalendar (sources: CalendarSources = {}): WorkCalendar {
  const years = new Map<number, HolidayYears>()
  for (const y of sources.published ?? []) years.set(y.year, y)
  for (const y of sources.entered ?? []) {
    const checked = parseInput(HolidayYearInput, y)
    years.set(checked.year, checked)
  }
  const sorted = new Map([...years.entries()].sort(([a], [b]) => a - b))
  const holidays = new Map<DateKey, string>()
  const workdays = new Set<DateKey>()
  // Years in order, so when a notice reaches into a neighbouring year the later notice has the last word on a day.
  for (const y of sorted.values()) {
    for (const h of y.holidays) {
      for (let d = h.from; d <= h.to; d = addDays(d, 1)) { holidays.set(d, h.name); workdays.delete(d) }
    }
    for (const d of y.workdays) { workdays.add(d); holidays.delete(d) }
  }
  return { years: sorted, holidays, workdays, estimate: sources.estimate, estimatedYears: new Map() }
}

/**
 * Makes sure the days of an estimated year are in the calendar's maps. Days a published or entered year already
 * decided (a notice reaching into a neighbouring year) keep their answer.
 */
function ensureYear (cal: WorkCalendar, year: number): void {
  if (cal.years.has(year) || cal.estimatedYears.has(year)) return
  const estimated = cal.estimatedYears as Map<number, HolidayYears | undefined>
  let data: HolidayYears | undefined
  try { data = cal.estimate?.(year) } catch { data = undefined }
  estimated.set(year, data)
  if (!data) return
  const holidays = cal.holidays as Map<DateKey, string>
  for (const h of data.holidays) {
    for (let d = h.from; d <= h.to; d = addDays(d, 1)) {
      if (yearOf(d) === year && !holidays.has(d) && !cal.workdays.has(d)) holidays.set(d, h.name)
    }
  }
}

/** True when the calendar has published or entered data for `year` (not only an estimate). */
export function hasYear (cal: WorkCalendar, year: number): boolean {
  return cal.years.has(year)
}

/** The years from `from` to `to` (both included) with no published or entered data, e.g. [2027]: estimates. */
export function missingYears (cal: WorkCalendar, from: number, to: number): number[] {
  const out: number[] = []
  for (let y = Math.min(from, to); y <= Math.max(from, to); y++) if (!cal.years.has(y)) out.push(y)
  return out
}

interface DayInfo {
  date: DateKey
  weekday: number
  /** A day people work: a weekday that is no holiday, or an adjusted workday. */
  working: boolean
  /** A day off of a statutory holiday (the bridged weekend days included). */
  holiday: boolean
  holidayName?: string
  /** 调休上班: a Saturday or Sunday that is worked. */
  adjustedWorkday: boolean
  /**
   * The calendar has no published or entered data for this day's year: the answer comes from the statutory
   * holidays (without the bridging days) and may be wrong around holidays. Never an error: shown as an estimate.
   */
  estimated: boolean
}

export function dayInfo (cal: WorkCalendar, date: DateLike): DayInfo {
  const key = toDateKey(date)
  ensureYear(cal, yearOf(key))
  const weekday = weekdayOf(key)
  const holidayName = cal.holidays.get(key)
  const adjustedWorkday = cal.workdays.has(key)
  const working = adjustedWorkday || (holidayName === undefined && weekday < 6)
  const info: DayInfo = { date: key, weekday, working, holiday: holidayName !== undefined, adjustedWorkday, estimated: !cal.years.has(yearOf(key)) }
  if (holidayName !== undefined) info.holidayName = holidayName
  return info
}

/** Weekends are off unless worked as 调休上班; holidays are off; other days are working days. */
export function isWorkingDay (cal: WorkCalendar, date: DateLike): boolean {
  return dayInfo(cal, date).working
}

export function isHoliday (cal: WorkCalendar, date: DateLike): boolean {
  return dayInfo(cal, date).holiday
}

/** The name of the holiday a day belongs to ('春节'), or undefined. */
export function holidayName (cal: WorkCalendar, date: DateLike): string | undefined {
  return dayInfo(cal, date).holidayName
}

/**
 * Office hours of a legal-aid centre, used to end a working day. 17:30 is the usual close of county offices
 * (08:30–12:00, 14:00–17:30). Civil Code (民法典) Art. 203: the last day of a period ends at 24:00, or at the time
 * business stops where there are business hours — so a working-day clock ends at the close of business.
 */
const OFFICE_CLOSES = '17:30'

export interface ClockOptions {
  /** Close of business, 'HH:mm' (default 17:30). */
  closesAt?: string
}

/** A computed due time. */
export interface Due {
  /** The instant the clock runs out. */
  at: Date
  /** Its Shanghai date. */
  date: DateKey
  /** A year counted over has no holiday data, so plain weekends were assumed: show it as an estimate. */
  estimated: boolean
}

const MAX_DAYS = 3660 // a safety bound for the day walks; no clock of the product is years long

function closeMinutes (opts?: ClockOptions): number {
  const m = minutesOf(opts?.closesAt ?? OFFICE_CLOSES)
  if (Number.isNaN(m)) throw new RangeError(`closesAt must be HH:mm: ${opts?.closesAt}`)
  return m
}

function nextWorkingDay (cal: WorkCalendar, key: DateKey): DateKey {
  let d = addDays(key, 1)
  for (let i = 0; i < MAX_DAYS && !isWorkingDay(cal, d); i++) d = addDays(d, 1)
  return d
}

function due (cal: WorkCalendar, fromKey: DateKey, dueKey: DateKey, minutes: number): Due {
  return { at: atShanghai(dueKey, minutes), date: dueKey, estimated: missingYears(cal, yearOf(fromKey), yearOf(dueKey)).length > 0 }
}

/**
 * "The same working day": the close of business of the day a request arrives when that is a working day and it
 * arrives before the close; otherwise the close of the next working day (a request arriving after 17:30, or on a
 * weekend or holiday, is due by the end of the next working day). A request before opening (07:00 on a working day)
 * is due that same day. A date string means the day itself (its start).
 */
export function endOfWorkingDay (cal: WorkCalendar, date: DateLike, opts?: ClockOptions): Due {
  const close = closeMinutes(opts)
  const key = toDateKey(date)
  const afterClose = date instanceof Date && minuteOfDay(date) >= close
  const day = isWorkingDay(cal, key) && !afterClose ? key : nextWorkingDay(cal, key)
  return due(cal, key, day, close)
}

/**
 * The end of a period of `n` working days starting at `start`: the close of business (17:30) of the n-th working
 * day after the day `start` falls on.
 *
 * The day of arrival is never counted, whatever the hour (Civil Code Art. 201: a period counted in days starts on
 * the next day), and only working days count, so counting always starts at the next working day: a request arriving
 * on Friday at 10:00, on Friday at 18:00 or on Saturday has the same day 1 (the next working day, which may be an
 * adjusted Saturday/Sunday workday). Example: Friday 2025-09-26 18:00, n = 3: the working days after it are Sunday
 * 09-28 (调休上班), Monday 09-29 and Tuesday 09-30, so the period ends 2025-09-30 17:30, before the National Day week.
 *
 * n = 0 means "the same working day" and equals `endOfWorkingDay(start)`.
 */
export function addWorkingDays (cal: WorkCalendar, start: DateLike, n: number, opts?: ClockOptions): Due {
  if (!Number.isInteger(n) || n < 0 || n > MAX_DAYS) throw new RangeError(`n must be a whole number of days >= 0: ${n}`)
  if (n === 0) return endOfWorkingDay(cal, start, opts)
  const startKey = toDateKey(start)
  let d = startKey
  for (let i = 0; i < n; i++) d = nextWorkingDay(cal, d)
  return due(cal, startKey, d, closeMinutes(opts))
}

/**
 * The working days after a's day up to and including b's day: how many working days of a period have passed at b,
 * or how many working days late b is when a is a due time. Negative when b is before a. Consistent with
 * addWorkingDays: workingDaysBetween(start, addWorkingDays(start, n).at) === n for n >= 1.
 */
export function workingDaysBetween (cal: WorkCalendar, a: DateLike, b: DateLike): number {
  const ka = toDateKey(a)
  const kb = toDateKey(b)
  if (kb < ka) return -workingDaysBetween(cal, kb, ka)
  let count = 0
  for (let d = addDays(ka, 1); d <= kb; d = addDays(d, 1)) if (isWorkingDay(cal, d)) count++
  return count
}
