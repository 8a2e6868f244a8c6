import isoWeek from 'dayjs/plugin/isoWeek'
import { dayjs, ZONE } from '../time'

dayjs.extend(isoWeek)

/**
 * Two kinds of values, kept apart on purpose:
 * - an instant (`Date`): converted to Shanghai wall time with dayjs.tz, never with the machine's zone;
 * - a calendar date ('YYYY-MM-DD', a "date key"): a day of the Shanghai calendar. It has no zone, so date arithmetic
 *   (next day, weekday, ISO week) runs on it in UTC, where a day is always 24 h. Asia/Shanghai has had no DST since
 *   1991, but no code here relies on that: every instant <-> wall-time step takes its offset from dayjs.tz(ZONE).
 */
export type DateKey = string
/** A day as 'YYYY-MM-DD' (a Shanghai calendar date) or an instant (its Shanghai date is meant). */
export type DateLike = Date | string

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7
export const WEEKDAY_LABELS: Record<Weekday, string> = { 1: '周一', 2: '周二', 3: '周三', 4: '周四', 5: '周五', 6: '周六', 7: '周日' }

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/
const TIME_RE = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/

/*
 * Speed: clocks and slots walk day by day, and the bench computes them for 10,000 requests, so the pure results of
 * the date helpers are memoised (module-level caches of deterministic answers, cleared when large). The Shanghai UTC
 * offset comes from dayjs.tz and is cached per UTC day when it is the same at the day's first and last millisecond
 * (zones change offset at most once a day; Shanghai last did in 1991); on a day of change it is computed per instant.
 */
const CACHE_LIMIT = 50_000
function remember<K, V> (cache: Map<K, V>, key: K, compute: () => V): V {
  const hit = cache.get(key)
  if (hit !== undefined) return hit
  const value = compute()
  if (cache.size >= CACHE_LIMIT) cache.clear()
  cache.set(key, value)
  return value
}
const validKeys = new Map<string, boolean>()
const shifted = new Map<string, DateKey>()
const weekdays = new Map<DateKey, Weekday>()
const midnights = new Map<DateKey, number>()
const dayOffsets = new Map<number, number>()

const DAY_MS = 86_400_000
const tzOffset = (ms: number): number => dayjs(ms).tz(ZONE).utcOffset()

/** Shanghai's UTC offset in minutes at an instant (dayjs.tz; see the cache note above). */
function offsetAt (ms: number): number {
  const day = Math.floor(ms / DAY_MS)
  const whole = remember(dayOffsets, day, () => {
    const first = tzOffset(day * DAY_MS)
    return first === tzOffset((day + 1) * DAY_MS - 1) ? first : NaN
  })
  return Number.isNaN(whole) ? tzOffset(ms) : whole
}

/**
 * The Shanghai wall time of an instant as a dayjs in UTC mode (its fields — year … minute, day of week — are the
 * Shanghai ones). Checked against Intl's zone data minute by minute around Shanghai's 1986–1991 DST changes, on hosts
 * in UTC, New York and London. Faster than dayjs(at).tz(ZONE), whose wall fields are also an hour off once a year on
 * a host that itself has DST (dayjs re-parses a locale string in the host zone).
 */
export function shanghaiWall (at: Date | number): dayjs.Dayjs {
  const ms = typeof at === 'number' ? at : at.getTime()
  return dayjs.utc(ms + offsetAt(ms) * 60_000)
}

/** True when `s` is 'YYYY-MM-DD' and a real day (2026-02-30 is not). */
export function isDateKey (s: string): boolean {
  return DATE_RE.test(s) && remember(validKeys, s, () => dayjs.utc(s).format('YYYY-MM-DD') === s)
}

/** The Shanghai calendar date of a day. A malformed string is a programming error and throws. */
export function toDateKey (d: DateLike): DateKey {
  if (typeof d === 'string') {
    if (!isDateKey(d)) throw new RangeError(`not a date (YYYY-MM-DD): ${d}`)
    return d
  }
  if (Number.isNaN(d.getTime())) throw new RangeError('not a date: Invalid Date')
  return shanghaiWall(d).format('YYYY-MM-DD')
}

export function addDays (key: DateKey, n: number): DateKey {
  return remember(shifted, `${key}|${n}`, () => dayjs.utc(key).add(n, 'day').format('YYYY-MM-DD'))
}

/** Whole calendar days from `a` to `b` (negative when b is earlier). */
export function daysBetween (a: DateKey, b: DateKey): number {
  return dayjs.utc(b).diff(dayjs.utc(a), 'day')
}

export function weekdayOf (key: DateKey): Weekday {
  return remember(weekdays, key, () => dayjs.utc(key).isoWeekday() as Weekday)
}

export function yearOf (key: DateKey): number {
  return Number(key.slice(0, 4))
}

/** 'HH:mm' (00:00–23:59, or 24:00 for the end of a day) -> minutes since midnight; NaN when malformed. */
export function minutesOf (hhmm: string): number {
  if (!TIME_RE.test(hhmm)) return NaN
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))
}

export function isTimeOfDay (s: string): boolean {
  return TIME_RE.test(s)
}

/** The instant of a Shanghai wall time: `key` at `minutes` after midnight (1440 = the next midnight). */
export function atShanghai (key: DateKey, minutes = 0): Date {
  const midnight = remember(midnights, key, () => dayjs.tz(key, ZONE).valueOf())
  return dayjs(midnight).add(minutes, 'minute').toDate()
}

/** 00:00 (Shanghai) of a calendar day. */
export function startOfShanghaiDay (key: DateKey): Date {
  return atShanghai(toDateKey(key))
}

/** The last second (23:59:59, Shanghai) of a calendar day: a date-only deadline lasts until then, and is still its day. */
export function endOfShanghaiDay (key: DateKey): Date {
  return new Date(atShanghai(toDateKey(key), 24 * 60).getTime() - 1000)
}

/** Monday 00:00 (Shanghai) of the Monday-to-Sunday week holding a day. */
export function startOfShanghaiWeek (day: DateLike): Date {
  const key = toDateKey(day)
  return atShanghai(addDays(key, 1 - weekdayOf(key)))
}

/** Minutes since Shanghai midnight of an instant's own day. */
export function minuteOfDay (at: Date): number {
  const t = shanghaiWall(at)
  return t.hour() * 60 + t.minute()
}
