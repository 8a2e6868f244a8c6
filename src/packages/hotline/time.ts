/**
 * How the hotline pages read days and times: always Asia/Shanghai (the domain's helpers), never the phone's zone.
 * A "day" is a Shanghai calendar date 'YYYY-MM-DD'.
 */
import { addDays, shanghaiWall, toDateKey, WEEKDAY_LABELS, weekdayOf, type Weekday } from '../../domain'

export { callTimeLabel } from '../../domain'

/** Today in Shanghai. */
export function today (now: Date = new Date()): string {
  return toDateKey(now)
}

/** The Shanghai day of an instant. */
export function dayOf (at: Date): string {
  return toDateKey(at)
}

/** 'HH:mm' of an instant, Shanghai wall time. */
export function clock (at: Date): string {
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

/** '12月6日 周六', with 今天/明天/后天 in front when it is one of them. */
export function dayWords (day: string, now: Date = new Date()): string {
  const near = nearName(day, now)
  return `${near ? `${near} ` : ''}${monthDay(day)} ${weekdayLabel(day)}`
}

/** 今天, 明天, 后天, or undefined. */
export function nearName (day: string, now: Date = new Date()): string | undefined {
  const t = today(now)
  if (day === t) return '今天'
  if (day === addDays(t, 1)) return '明天'
  if (day === addDays(t, 2)) return '后天'
  return undefined
}

/** The next `n` days from today, Shanghai. */
export function nextDays (n: number, now: Date = new Date()): string[] {
  const t = today(now)
  return Array.from({ length: n }, (_x, i) => addDays(t, i))
}

export function shiftDay (day: string, n: number): string {
  return addDays(day, n)
}

/** A rule's weekday and time in words: 每周日 19:00 */
export function weeklyWords (weekday: number, time: string): string {
  return `每${WEEKDAY_LABELS[weekday as Weekday] ?? ''} ${time}`
}

/** Ranges of weekdays in words: [1,2,3,4,5] -> 周一到周五, all seven -> 每天, [6,7] -> 周六、周日. */
export function weekdaysWords (days: readonly number[]): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b)
  if (sorted.length === 7) return '每天'
  if (sorted.length >= 3 && sorted[sorted.length - 1] - sorted[0] === sorted.length - 1) {
    return `${WEEKDAY_LABELS[sorted[0] as Weekday]}到${WEEKDAY_LABELS[sorted[sorted.length - 1] as Weekday]}`
  }
  return sorted.map((d) => WEEKDAY_LABELS[d as Weekday]).join('、')
}

export const WEEKDAYS: Array<{ value: number, label: string }> = [1, 2, 3, 4, 5, 6, 7].map((d) => ({ value: d, label: WEEKDAY_LABELS[d as Weekday] }))
