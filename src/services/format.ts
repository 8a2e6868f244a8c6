/**
 * How days and times read on a page: Chinese, in Asia/Shanghai whatever the phone's zone, "now" from the one clock
 * (services/clock.ts; docs/ARCHITECTURE.md, "The clock"), one wording per meaning. A "day" is a Shanghai calendar
 * date 'YYYY-MM-DD'.
 *
 * - a date of record (a birth date, a file's history, a check valid until, the day a talk or a visit was logged):
 *   dateWords, 2026年11月29日
 * - a day to act on or just past (a call, a waiting list, a closed day, a deadline, a follow-up, the day harm was
 *   seen): dayWords, 今天 11月29日 周日 (the year only when it is not this year)
 * - a moment something happened or falls due: whenWords, 今天 17:30 / 12月3日 周四 17:30; a deadline at midnight
 *   reads as 24:00 of the day before (dueWords)
 * - a moment on a receipt: dateTimeWords, 2026年11月29日 14:30
 * - a booked call's time is the domain's callTimeLabel (the reminders say it the same way), 11月29日 周日 19:00
 */
import { WEEKDAY_LABELS, addDays, callTimeLabel, shanghaiWall, toDateKey, weekdayOf, type Weekday } from '../domain'
import { ZONE, dayjs } from '../domain/time'
import { now } from './clock'

/** Today in Shanghai. */
export function today (at: Date = now()): string {
  return toDateKey(at)
}

/** The Shanghai day of an instant. */
export function dayOf (at: Date): string {
  return toDateKey(at)
}

/** 'HH:mm' of an instant, Shanghai wall time. */
export function timeOf (at: Date): string {
  return shanghaiWall(at).format('HH:mm')
}

/** '周六' */
export function weekdayLabel (day: string): string {
  return WEEKDAY_LABELS[weekdayOf(day)]
}

/** '12月6日' */
export function monthDay (day: string): string {
  return `${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`
}

/** '2026-11' -> '11月' */
export function monthName (month: string): string {
  return `${Number(month.slice(5, 7))}月`
}

/** 昨天, 今天, 明天, 后天, or undefined. */
export function nearName (day: string, at: Date = now()): string | undefined {
  const t = today(at)
  if (day === t) return '今天'
  if (day === addDays(t, 1)) return '明天'
  if (day === addDays(t, 2)) return '后天'
  if (day === addDays(t, -1)) return '昨天'
  return undefined
}

/** A day to act on: 今天 11月29日 周日, 12月10日 周四, 2027年1月4日 周一. */
export function dayWords (day: string, at: Date = now()): string {
  const [y, m, d] = day.split('-').map(Number)
  if (!y || !m || !d) return day
  const near = nearName(day, at)
  const year = y !== shanghaiWall(at).year() ? `${y}年` : ''
  return `${near ? `${near} ` : ''}${year}${m}月${d}日 ${WEEKDAY_LABELS[weekdayOf(day)]}`
}

/** A date of record: 2026年11月29日. */
export function dateWords (day: string): string {
  const d = dayjs.tz(day, ZONE)
  return d.isValid() ? d.format('YYYY年M月D日') : day
}

/** A moment something happened or falls due: 今天 17:30 / 明天 09:00 / 12月3日 周四 17:30 (the year when not this year). */
export function whenWords (at: Date, reference: Date = now()): string {
  const day = toDateKey(at)
  const near = nearName(day, reference)
  if (near) return `${near} ${timeOf(at)}`
  const d = shanghaiWall(at)
  const year = d.year() !== shanghaiWall(reference).year() ? `${d.year()}年` : ''
  return `${year}${d.month() + 1}月${d.date()}日 ${WEEKDAY_LABELS[weekdayOf(day)]} ${timeOf(at)}`
}

/** A deadline: as whenWords, but midnight reads as the end of the day before (12月2日 周三 24:00). */
export function dueWords (at: Date, reference: Date = now()): string {
  if (timeOf(at) !== '00:00') return whenWords(at, reference)
  return whenWords(new Date(at.getTime() - 60_000), reference).replace(/23:59$/, '24:00')
}

/** A free time to choose, near now: 今天 11月29日 周日 19:00. */
export function dayTimeWords (at: Date): string {
  return `${dayWords(dayOf(at))} ${timeOf(at)}`
}

/** A counselling session: 12月6日 周六 09:00–09:50. */
export function sessionWords (start: Date, end: Date): string {
  return `${callTimeLabel(start)}–${timeOf(end)}`
}

/** A moment on a receipt or a record: 2026年11月29日 14:30. */
export function dateTimeWords (at: Date): string {
  return shanghaiWall(at).format('YYYY年M月D日 HH:mm')
}

/** A weekly rule's weekday and time: 每周日 19:00 */
export function weeklyWords (weekday: number, time: string): string {
  return `每${WEEKDAY_LABELS[weekday as Weekday] ?? ''} ${time}`
}

/** Ranges of weekdays: [1,2,3,4,5] -> 周一到周五, all seven -> 每天, [6,7] -> 周六、周日. */
export function weekdaysWords (days: readonly number[]): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b)
  if (sorted.length === 7) return '每天'
  if (sorted.length >= 3 && sorted[sorted.length - 1] - sorted[0] === sorted.length - 1) {
    return `${WEEKDAY_LABELS[sorted[0] as Weekday]}到${WEEKDAY_LABELS[sorted[sorted.length - 1] as Weekday]}`
  }
  return sorted.map((d) => WEEKDAY_LABELS[d as Weekday]).join('、')
}

/** The days of the week as choices, Monday first. */
export const WEEKDAY_OPTIONS: Array<{ value: number, label: string }> = [1, 2, 3, 4, 5, 6, 7].map((d) => ({ value: d, label: WEEKDAY_LABELS[d as Weekday] }))

const QUARTER_WORDS = ['', '第一季度', '第二季度', '第三季度', '第四季度']

/** '2026-Q4' -> '第四季度' */
export function quarterName (quarter: string): string {
  return QUARTER_WORDS[Number(quarter.slice(-1))] ?? quarter
}

/** The last day of a period whose end is given as the first instant of the next one. */
export function lastDayBefore (endsAt: Date): string {
  return toDateKey(new Date(endsAt.getTime() - 1))
}

/** Whole days from now until an instant, at least 0. */
export function daysLeft (until: Date, at: Date = now()): number {
  return Math.max(0, Math.ceil((until.getTime() - at.getTime()) / 86400000))
}

/**
 * A picker works with the phone's local Date; the product's days are Shanghai days. These two carry a
 * YYYY-MM-DD across without shifting it by the phone's zone.
 */
export function dayToLocalDate (day: string): Date {
  const [y, m, d] = day.split('-').map(Number)
  return new Date(y, m - 1, d)
}
export function localDateToDay (date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
}

/** Shifts a YYYY-MM-DD by whole years (Feb 29 becomes Feb 28). */
export function addYears (day: string, years: number): string {
  return dayjs.tz(day, ZONE).add(years, 'year').format('YYYY-MM-DD')
}

/** 12345678 -> 1234 5678: easier to read out over the phone. */
export function groupCode (code: string): string {
  return code.replace(/(\d{4})(?=\d)/g, '$1 ')
}
