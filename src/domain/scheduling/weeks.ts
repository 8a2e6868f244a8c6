import { z } from 'zod'
import { addDays, atShanghai, minutesOf, toDateKey, weekdayOf, type DateKey, type DateLike } from '../calendar/dates'
import { dayjs } from '../time'
import { TimeOfDay, WeekdaySchema } from './settings'

/**
 * Weeks of the weekly contact rule (docs/DOMAIN.md, "Contact rhythm": at least one held call a week, Monday to
 * Sunday, Asia/Shanghai).
 * A week is the ISO week of the Shanghai date: key '2026-W48' (ISO week-numbering year, so 2027-01-01, a Friday,
 * belongs to '2026-W53'). Sunday 23:59 and Monday 00:00 Shanghai time are in different weeks even though both are
 * the same UTC day (Sunday 15:59Z / 16:00Z).
 */
interface WeekOf {
  weekKey: string
  /** Monday, 'YYYY-MM-DD'. */
  weekStart: DateKey
  /** Sunday, 'YYYY-MM-DD'. */
  weekEnd: DateKey
}

export function weekOf (date: DateLike): WeekOf {
  const key = toDateKey(date)
  const d = dayjs.utc(key)
  const weekKey = `${d.isoWeekYear()}-W${String(d.isoWeek()).padStart(2, '0')}`
  const weekStart = addDays(key, 1 - weekdayOf(key))
  return { weekKey, weekStart, weekEnd: addDays(weekStart, 6) }
}

/** The Monday of a week key ('2026-W48' -> '2026-11-23'). Throws on a malformed key. */
export function weekStartOf (weekKey: string): DateKey {
  const m = /^(\d{4})-W(\d{2})$/.exec(weekKey)
  if (!m) throw new RangeError(`not a week key: ${weekKey}`)
  // ISO week 1 is the week holding 4 January.
  const jan4 = `${m[1]}-01-04`
  const week1Monday = addDays(jan4, 1 - weekdayOf(jan4))
  return addDays(week1Monday, (Number(m[2]) - 1) * 7)
}

/** The week `delta` weeks after (negative: before) a week key. */
export function shiftWeek (weekKey: string, delta: number): string {
  return weekOf(addDays(weekStartOf(weekKey), delta * 7)).weekKey
}

/** The time from which a week with no call booked or held nudges the parent: Thursday 10:00 (Shanghai) of that week. */
export function weeklyNudgeFrom (date: DateLike): Date {
  const key = toDateKey(date)
  return atShanghai(addDays(key, 4 - weekdayOf(key)), 10 * 60)
}

/**
 * True when none of the `n` weeks ending with `uptoWeek` (included) is in `weeksWithHeldCall`: "three weeks in a row
 * without a call" is consecutiveWeeksWithout(held, lastFinishedWeek, 3). Pass the last finished week (the check runs
 * on Monday for the week before), and only weeks the child was in the programme (the caller's concern).
 */
export function consecutiveWeeksWithout (weeksWithHeldCall: ReadonlySet<string>, uptoWeek: string, n: number): boolean {
  if (n <= 0) return false
  return weeksWithoutCall(weeksWithHeldCall, uptoWeek, n) >= n
}

/** How many weeks in a row, ending with `uptoWeek`, had no held call (counting back at most `limit` weeks). */
export function weeksWithoutCall (weeksWithHeldCall: ReadonlySet<string>, uptoWeek: string, limit = 52): number {
  let count = 0
  let week = uptoWeek
  while (count < limit && !weeksWithHeldCall.has(week)) {
    count++
    week = shiftWeek(week, -1)
  }
  return count
}

/** A standing weekly call, e.g. every Sunday 19:00 (Shanghai). */
export const StandingCallRule = z.object({
  weekday: WeekdaySchema,
  time: TimeOfDay.refine((t) => t !== '24:00', { message: '时间须在 00:00 到 23:59 之间' })
})
export type StandingCallRule = z.infer<typeof StandingCallRule>

/** The next `count` occurrences of a weekly rule at or after `from`, in Shanghai time. */
export function nextOccurrences (rule: StandingCallRule, from: Date, count: number): Date[] {
  const minutes = minutesOf(rule.time)
  if (Number.isNaN(minutes) || minutes >= 24 * 60) throw new RangeError(`time must be HH:mm: ${rule.time}`)
  if (!Number.isInteger(rule.weekday) || rule.weekday < 1 || rule.weekday > 7) throw new RangeError(`weekday must be 1..7: ${rule.weekday}`)
  const today = toDateKey(from)
  let day = addDays(today, (rule.weekday - weekdayOf(today) + 7) % 7)
  if (atShanghai(day, minutes).getTime() < from.getTime()) day = addDays(day, 7)
  const out: Date[] = []
  for (let i = 0; i < count; i++) out.push(atShanghai(addDays(day, 7 * i), minutes))
  return out
}
