import { dayInfo, holidayName, type WorkCalendar } from '../calendar/calendar'
import { addDays, atShanghai, minuteOfDay, minutesOf, shanghaiWall, toDateKey, WEEKDAY_LABELS, weekdayOf, type DateKey, type Weekday } from '../calendar/dates'
import { dayjs } from '../time'
import type { ScheduleResource, WeeklyRange } from './settings'

/**
 * Slots of a bookable resource (a care room with N devices, a counsellor with 1), in Asia/Shanghai.
 *
 * A slot is identified by a deterministic key `<resourceId>:<YYYYMMDDHHmm>` (its Shanghai start time). Capacity is
 * enforced by the database, not by reading and counting: a slot of capacity N has the seat ids `<key>#1` … `<key>#N`
 * (`seatIds`), a booking takes one seat by inserting a document with that `_id`, and a unique `_id` cannot be
 * inserted twice, so N seats can never hold N + 1 bookings whatever the concurrency.
 */
export interface Slot {
  start: Date
  end: Date
  /** `<resourceId>:<YYYYMMDDHHmm>`, Shanghai time of `start`. */
  key: string
  /** Shanghai date of the slot. */
  date: DateKey
  /** The slot's year has no holiday data: the day may turn out to be a holiday. */
  estimated: boolean
}

const KEY_TIME_FORMAT = 'YYYYMMDDHHmm'

/** The key of the slot of `resourceId` starting at `start`. A resource id must not contain ':' or '#'. */
export function slotKey (resourceId: string, start: Date): string {
  if (resourceId.length === 0 || /[:#]/.test(resourceId)) throw new RangeError(`a resource id must be non-empty and free of ':' and '#': ${resourceId}`)
  return `${resourceId}:${shanghaiWall(start).format(KEY_TIME_FORMAT)}`
}

/** Reads a slot key back; undefined when it is not one. */
export function parseSlotKey (key: string): { resourceId: string, start: Date } | undefined {
  const m = /^([^:#]+):(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(key)
  if (!m) return undefined
  const [, resourceId, y, mo, d, h, mi] = m
  const date = `${y}-${mo}-${d}`
  if (dayjs.utc(date).format('YYYY-MM-DD') !== date || Number(h) > 23 || Number(mi) > 59) return undefined
  return { resourceId, start: atShanghai(date, Number(h) * 60 + Number(mi)) }
}

/** The seat ids of a slot: `<key>#1` … `<key>#capacity`. A booking document's `_id` is one of them. */
export function seatIds (key: string, capacity: number): string[] {
  return Array.from({ length: Math.max(0, Math.floor(capacity)) }, (_, i) => `${key}#${i + 1}`)
}

type ClosedReason = 'closedDate' | 'holiday' | 'noHours'

/** How a resource opens on one day. */
interface DayOpening {
  date: DateKey
  open: boolean
  closedReason?: ClosedReason
  holidayName?: string
  /** The day is an adjusted workday (调休上班). */
  adjustedWorkday: boolean
  /** The weekday whose hours apply (differs from the date's own on an adjusted workday of a school-calendar room). */
  hoursOf: Weekday
  /** Open ranges of the day in minutes after midnight, sorted. */
  ranges: Array<{ start: number, end: number }>
  estimated: boolean
}

/**
 * The opening of a resource on a day. Closed dates always close it. A resource that follows the school calendar is
 * closed on public holidays and, on an adjusted workday (a Saturday or Sunday worked), opens with the hours of
 * `adjustedWorkdayAs` (Monday by default) as on a school day; one that does not keeps its weekly hours on every day.
 */
export function openingOn (resource: ScheduleResource, cal: WorkCalendar, date: Date | DateKey): DayOpening {
  const info = dayInfo(cal, date)
  const own = info.weekday as Weekday
  const hoursOf: Weekday = resource.followsSchoolCalendar && info.adjustedWorkday ? resource.adjustedWorkdayAs : own
  const base = { date: info.date, adjustedWorkday: info.adjustedWorkday, hoursOf, estimated: info.estimated }
  const named = info.holidayName !== undefined ? { holidayName: info.holidayName } : {}
  if (resource.closedDates.includes(info.date)) return { ...base, ...named, open: false, closedReason: 'closedDate', ranges: [] }
  if (resource.followsSchoolCalendar && info.holiday) return { ...base, ...named, open: false, closedReason: 'holiday', ranges: [] }
  const ranges = rangesOn(resource.openHours, hoursOf)
  if (ranges.length === 0) return { ...base, ...named, open: false, closedReason: 'noHours', ranges }
  return { ...base, ...named, open: true, ranges }
}

function rangesOn (hours: readonly WeeklyRange[], weekday: Weekday): Array<{ start: number, end: number }> {
  return hours.filter((r) => r.days.includes(weekday))
    .map((r) => ({ start: minutesOf(r.start), end: minutesOf(r.end) }))
    .filter((r) => r.end > r.start)
    .sort((a, b) => a.start - b.start)
}

/**
 * Slot starts of a day, in minutes after midnight: in each range the first slot starts at the range's start, each next
 * one `slotMinutes + bufferMinutes` later, as long as the whole call fits before the range's end. The buffer follows
 * every call (the device is handed over), so 16:30–18:30 with 20 + 5 minutes gives 16:30, 16:55, 17:20, 17:45, 18:10.
 */
function dayStarts (resource: ScheduleResource, opening: DayOpening): number[] {
  const out = new Set<number>()
  const step = resource.slotMinutes + resource.bufferMinutes
  if (!(resource.slotMinutes > 0) || !(step > 0)) return []
  for (const r of opening.ranges) {
    for (let t = r.start; t + resource.slotMinutes <= r.end; t += step) out.add(t)
  }
  return [...out].sort((a, b) => a - b)
}

function makeSlot (resource: ScheduleResource, opening: DayOpening, minutes: number): Slot {
  const start = atShanghai(opening.date, minutes)
  return {
    start,
    end: new Date(start.getTime() + resource.slotMinutes * 60_000),
    key: slotKey(resource.id, start),
    date: opening.date,
    estimated: opening.estimated
  }
}

/** The last date (Shanghai) that may be booked at `now`: today + horizonDays, the whole of that day included. */
function lastBookableDate (resource: ScheduleResource, now: Date): DateKey {
  return addDays(toDateKey(now), resource.horizonDays)
}

/** The earliest bookable instant at `now`: now + the minimum notice. */
function earliestBookable (resource: ScheduleResource, now: Date): Date {
  return new Date(now.getTime() + resource.noticeMinutes * 60_000)
}

interface SlotWindow {
  /** Slots starting at or after `from`… */
  from: Date
  /** …and before `to`. */
  to: Date
  now: Date
}

/**
 * The bookable slots starting in [from, to), sorted by time: none in the past or inside the minimum notice (a slot
 * starting exactly at now + notice is bookable), none on a date after `lastBookableDate`, none on closed dates, and
 * for a school-calendar resource none on public holidays.
 */
export function generateSlots (resource: ScheduleResource, cal: WorkCalendar, window: SlotWindow): Slot[] {
  const earliest = Math.max(window.from.getTime(), earliestBookable(resource, window.now).getTime())
  const to = window.to.getTime()
  if (!(earliest < to)) return []
  const lastDate = lastBookableDate(resource, window.now)
  const toDate = toDateKey(new Date(to - 1))
  const endDate = toDate < lastDate ? toDate : lastDate
  const out: Slot[] = []
  for (let d = toDateKey(new Date(earliest)); d <= endDate; d = addDays(d, 1)) {
    const opening = openingOn(resource, cal, d)
    if (!opening.open) continue
    for (const m of dayStarts(resource, opening)) {
      const slot = makeSlot(resource, opening, m)
      const t = slot.start.getTime()
      if (t >= earliest && t < to) out.push(slot)
    }
  }
  return out
}

type SlotProblem = 'IN_PAST' | 'BEYOND_HORIZON' | 'CLOSED_DAY' | 'OUTSIDE_HOURS' | 'NOT_SLOT_START' | 'INSIDE_NOTICE'
type SlotChoice =
  | { ok: true, slot: Slot }
  | { ok: false, code: SlotProblem, message: string }

const hhmm = (m: number): string => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`
const monthDay = (d: DateKey): string => `${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`

function noticeText (minutes: number): string {
  if (minutes % 60 === 0) return `${minutes / 60} 小时`
  if (minutes < 60) return `${minutes} 分钟`
  return `${minutes / 60} 小时`
}

/**
 * Checks a chosen start time against the resource's rules at `now`; ok exactly when generateSlots would offer that
 * slot. Reasons are checked in this order, so the message names the most basic problem: IN_PAST, BEYOND_HORIZON,
 * CLOSED_DAY, OUTSIDE_HOURS, NOT_SLOT_START, INSIDE_NOTICE. Messages are Chinese and name the time or day.
 */
export function validateSlotChoice (resource: ScheduleResource, cal: WorkCalendar, start: Date, now: Date): SlotChoice {
  const t = start.getTime()
  if (Number.isNaN(t)) return { ok: false, code: 'OUTSIDE_HOURS', message: '没有选择时间' }
  if (t < now.getTime()) return { ok: false, code: 'IN_PAST', message: '这个时间已经过去了，请另选一个时间' }
  const date = toDateKey(start)
  const last = lastBookableDate(resource, now)
  if (date > last) {
    return { ok: false, code: 'BEYOND_HORIZON', message: `只能预约 ${resource.horizonDays} 天内的时间（最晚到${monthDay(last)}），请选近一点的日子` }
  }
  const opening = openingOn(resource, cal, date)
  if (!opening.open) {
    const day = `${monthDay(date)}（${WEEKDAY_LABELS[weekdayOf(date)]}）`
    const why = opening.closedReason === 'holiday'
      ? `${monthDay(date)}是${holidayName(cal, date) ?? '法定节假日'}，不开放，请另选一天`
      : opening.closedReason === 'closedDate' ? `${day}暂停开放，请另选一天` : `${day}不开放，请另选一天`
    return { ok: false, code: 'CLOSED_DAY', message: why }
  }
  const minute = minuteOfDay(start)
  const hoursText = opening.ranges.map((r) => `${hhmm(r.start)}–${hhmm(r.end)}`).join('、')
  const inRange = opening.ranges.some((r) => minute >= r.start && minute + resource.slotMinutes <= r.end)
  if (!inRange) {
    return { ok: false, code: 'OUTSIDE_HOURS', message: `${hhmm(minute)} 不在开放时间内，${monthDay(date)}开放 ${hoursText}` }
  }
  const starts = dayStarts(resource, opening)
  const exact = shanghaiWall(start).second() === 0 && start.getMilliseconds() === 0
  if (!exact || !starts.includes(minute)) {
    const near = [...starts].sort((a, b) => Math.abs(a - minute) - Math.abs(b - minute) || a - b).slice(0, 2)
      .sort((a, b) => a - b).map(hhmm).join('、')
    return { ok: false, code: 'NOT_SLOT_START', message: `${hhmm(minute)} 不是可预约的开始时间${near ? `，附近可选 ${near}` : ''}` }
  }
  if (t < earliestBookable(resource, now).getTime()) {
    return { ok: false, code: 'INSIDE_NOTICE', message: `需至少提前 ${noticeText(resource.noticeMinutes)}预约，${hhmm(minute)} 来不及了，请选晚一点的时间` }
  }
  return { ok: true, slot: makeSlot(resource, opening, minute) }
}

type WithSeats<T> = T & { taken: number, remaining: number }

/**
 * Each slot with its seats: `taken` counts the bookings on its key (pass only live bookings, not cancelled ones),
 * `remaining` is capacity − taken, never below 0. Full slots stay in the list (the page shows them as 已约满).
 */
export function freeSlots<T extends { key: string }> (slots: readonly T[], bookings: ReadonlyArray<{ slotKey: string }>, capacity: number): Array<WithSeats<T>> {
  const taken = new Map<string, number>()
  for (const b of bookings) taken.set(b.slotKey, (taken.get(b.slotKey) ?? 0) + 1)
  return slots.map((s) => {
    const n = taken.get(s.key) ?? 0
    return { ...s, taken: n, remaining: Math.max(0, capacity - n) }
  })
}

/** True when a slot lies wholly inside one of the weekly ranges (Shanghai weekday and wall time). */
function withinHours (slot: { start: Date, end: Date }, hours: readonly WeeklyRange[]): boolean {
  const day = weekdayOf(toDateKey(slot.start))
  const start = minuteOfDay(slot.start)
  const end = start + Math.round((slot.end.getTime() - slot.start.getTime()) / 60_000)
  return hours.some((r) => r.days.includes(day) && start >= minutesOf(r.start) && end <= minutesOf(r.end))
}

/**
 * A parent's free hours first: the slots lying wholly inside one of `preferredHours` come first, then the others,
 * each group by time. Each slot is marked `preferred`. With no saved hours, the order is plain time order.
 */
export function preferredFirst<T extends { start: Date, end: Date }> (slots: readonly T[], preferredHours: readonly WeeklyRange[]): Array<T & { preferred: boolean }> {
  return slots
    .map((s) => ({ ...s, preferred: withinHours(s, preferredHours) }))
    .sort((a, b) => (a.preferred === b.preferred ? a.start.getTime() - b.start.getTime() : a.preferred ? -1 : 1))
}

/**
 * "This time was just taken, here are the next free times": the first `n` slots with a seat left (slots without a
 * `remaining` count are taken as free), keeping the order given (time order, or preferred-first), and when `after` is
 * given only those starting after it.
 */
export function nextFree<T extends { start: Date, remaining?: number }> (slots: readonly T[], n: number, after?: Date): T[] {
  const out: T[] = []
  for (const s of slots) {
    if (out.length >= n) break
    if (s.remaining !== undefined && s.remaining <= 0) continue
    if (after && s.start.getTime() <= after.getTime()) continue
    out.push(s)
  }
  return out
}
