/** How dates read on a page: Chinese, in Asia/Shanghai whatever the phone's zone (DOMAIN.md). */
import { ZONE, dayjs, inShanghai } from '../domain/time'
import { WEEKDAY_LABELS, weekdayOf } from '../domain/calendar/dates'

/** 2026年11月29日 14:30 */
export function formatDateTime (at: Date): string {
  return inShanghai(at).format('YYYY年M月D日 HH:mm')
}

/** YYYY-MM-DD -> 2016年4月12日 */
export function formatDay (day: string): string {
  const d = dayjs.tz(day, ZONE)
  return d.isValid() ? d.format('YYYY年M月D日') : day
}

/** YYYY-MM-DD -> 12月10日 周四 (with the year when it is not this year). */
export function dayLabel (day: string, now: Date = new Date()): string {
  const [y, m, d] = day.split('-').map(Number)
  if (!y || !m || !d) return day
  const year = y !== inShanghai(now).year() ? `${y}年` : ''
  return `${year}${m}月${d}日 ${WEEKDAY_LABELS[weekdayOf(day)]}`
}

/** Today in Asia/Shanghai as YYYY-MM-DD. */
export function todayString (now: Date = new Date()): string {
  return inShanghai(now).format('YYYY-MM-DD')
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
