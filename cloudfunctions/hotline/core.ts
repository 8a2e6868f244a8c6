/**
 * The booking engine of the family hotline, shared by the hotline function and the scheduler.
 *
 * Capacity is kept by the database, not by counting: a slot of a room with N devices has seats `<slotKey>#1..N`
 * (collection `seats`), and a booking first inserts one seat document with that `_id`; an `add` of an existing
 * `_id` fails, so N seats never hold N + 1 calls however many parents press at once. A family's limit of future
 * bookings in a room works the same way with `quotaLocks` (`<roomId>:<childId>#1..max`).
 */
import {
  AppError, BOOKING_STATUS_LABELS, callTimeLabel, careRoomResource, freeSlots, generateSlots, preferredFirst, roomSettings,
  seatIds, toDateKey, validateSlotChoice, type BookingStatus, type BookingView, type CallMode, type CareRoomSettings, type ChildRecord,
  type FreeHours, type ScheduleResource, type WorkCalendar
} from '../../src/domain'
import { _, db, findById, removeDoc, rows } from '../_server/cloud'
import { COLLECTIONS } from '../_server/collections'
import { isDuplicate } from '../_server/idempotency'
import { send } from '../_server/messages'

export interface RoomDoc { _id: string, schoolId: string, countyId: string, townshipId: string, name: string, devices: number, settings?: unknown }
export interface BookingDoc {
  _id: string
  roomId: string
  slotKey: string
  seatId: string
  start: Date
  end: Date
  childId: string
  childName: string
  bookedBy: string
  bookedByName: string
  mode: CallMode
  status: BookingStatus
  standingRuleId?: string
  note?: string
  cancelReason?: string
  reminders: { day: boolean, halfHour: boolean }
  quotaLockId?: string
}

export interface Room { doc: RoomDoc, settings: CareRoomSettings, resource: ScheduleResource, schoolName: string }

export async function loadRoom (roomId: string): Promise<Room | null> {
  const doc = await findById<RoomDoc>(COLLECTIONS.careRooms, roomId)
  if (!doc) return null
  const settings = roomSettings(doc.settings, doc.devices)
  const school = await findById<{ name: string }>(COLLECTIONS.places, doc.schoolId)
  return { doc, settings, resource: careRoomResource(doc._id, settings), schoolName: school?.name ?? '' }
}

/** The care room of a child's school (the first, where a school has several). */
export async function roomOfChild (child: ChildRecord): Promise<Room | null> {
  const [doc] = await rows<RoomDoc>(db.collection(COLLECTIONS.careRooms).where({ schoolId: child.schoolId }).orderBy('_id', 'asc').limit(1))
  return doc ? await loadRoom(doc._id) : null
}

export function roomView (room: Room) {
  return { id: room.doc._id, name: room.doc.name, schoolName: room.schoolName, devices: room.settings.devices, slotMinutes: room.settings.slotMinutes }
}

export function bookingView (b: BookingDoc, roomName: string): BookingView {
  return {
    id: b._id, childId: b.childId, childName: b.childName, roomId: b.roomId, roomName, start: b.start, end: b.end, mode: b.mode,
    status: b.status, statusLabel: BOOKING_STATUS_LABELS[b.status], bookedByName: b.bookedByName, note: b.note, standing: Boolean(b.standingRuleId)
  }
}

/** Taken seats of a room between two instants, as the slot engine counts them. */
export async function takenSeats (roomId: string, from: Date, to: Date): Promise<Array<{ slotKey: string }>> {
  const taken: Array<{ slotKey: string }> = []
  for (let skip = 0; ; skip += 100) {
    const page = await rows<{ slotKey: string }>(db.collection(COLLECTIONS.seats).where({ roomId, start: _.gte(from).and(_.lt(to)) }).field({ slotKey: true }).orderBy('_id', 'asc').skip(skip).limit(100))
    taken.push(...page)
    if (page.length < 100) break
  }
  return taken
}

/** Free slots of a room from `now` over `days`, the parent's free hours first. */
export async function openSlots (room: Room, cal: WorkCalendar, now: Date, days: number, freeHours: FreeHours = [], fromDay?: Date) {
  const from = fromDay && fromDay > now ? fromDay : now
  const to = new Date(from.getTime() + days * 86400000)
  const slots = generateSlots(room.resource, cal, { from, to, now })
  const taken = await takenSeats(room.doc._id, from, to)
  const free = freeSlots(slots, taken, room.resource.capacity).filter((s) => s.remaining > 0)
  return preferredFirst(free, freeHours).map((s) => ({ start: s.start, end: s.end, key: s.key, remaining: s.remaining, preferred: s.preferred }))
}

/** Checks a chosen start against the room's hours, notice and horizon; the reason names the problem. */
export function checkStart (room: Room, cal: WorkCalendar, start: Date, now: Date): { start: Date, end: Date, key: string } {
  const choice = validateSlotChoice(room.resource, cal, start, now)
  if (!choice.ok) throw new AppError('INVALID_INPUT', choice.message, { start: choice.message })
  return { start: choice.slot.start, end: choice.slot.end, key: choice.slot.key }
}

/** Takes a free seat of the slot, or returns null when every seat is taken. */
export async function claimSeat (roomId: string, slot: { key: string, start: Date }, capacity: number, holder: Record<string, unknown>): Promise<string | null> {
  for (const seatId of seatIds(slot.key, capacity)) {
    try {
      await db.collection(COLLECTIONS.seats).add({ data: { _id: seatId, roomId, slotKey: slot.key, start: slot.start, ...holder } })
      return seatId
    } catch (err) {
      if (!isDuplicate(err)) throw err
    }
  }
  return null
}

export async function releaseSeat (seatId: string): Promise<void> {
  await removeDoc(COLLECTIONS.seats, seatId)
}

/** Frees a family's locks for calls that are over or gone, so they no longer count against the limit. */
async function tidyQuota (roomId: string, childId: string, now: Date): Promise<void> {
  const locks = await rows<{ _id: string, start: Date, bookingId: string }>(db.collection(COLLECTIONS.quotaLocks).where({ roomId, childId }).limit(20))
  for (const lock of locks) {
    if (new Date(lock.start) <= now) await removeDoc(COLLECTIONS.quotaLocks, lock._id)
  }
}

export async function claimQuota (room: Room, childId: string, start: Date, bookingId: string, now: Date): Promise<string> {
  await tidyQuota(room.doc._id, childId, now)
  for (let n = 1; n <= room.settings.maxFutureBookingsPerFamily; n++) {
    const _id = `${room.doc._id}:${childId}#${n}`
    try {
      await db.collection(COLLECTIONS.quotaLocks).add({ data: { _id, roomId: room.doc._id, childId, start, bookingId } })
      return _id
    } catch (err) {
      if (!isDuplicate(err)) throw err
    }
  }
  const max = room.settings.maxFutureBookingsPerFamily
  throw new AppError('CONFLICT', `每个孩子在这个关爱室最多同时约${max}次通话。请先通完或取消一次，再约新的。`)
}

export async function releaseQuota (lockId?: string): Promise<void> {
  if (lockId) await removeDoc(COLLECTIONS.quotaLocks, lockId)
}

export interface BookRequest {
  room: Room
  cal: WorkCalendar
  child: { _id: string, name: string }
  start: Date
  mode: CallMode
  by: { openid: string, name: string }
  now: Date
  standingRuleId?: string
  /** a seat already held for this family (a waiting-list offer) */
  heldSeatId?: string
}

export type BookResult = { outcome: 'booked', booking: BookingDoc } | { outcome: 'taken', message: string, next: Awaited<ReturnType<typeof openSlots>> }

const TAKEN = '这个时间刚被别人约走了，请换一个时间。下面是最近还空着的时间。'

/** Books one call: seat first (the race), then the family's limit, then the booking; undone on any failure. */
/** One child holds at most one seat of a slot: a marker `<slotKey>@<childId>` (in quotaLocks, without a room). */
export const childSlotId = (slotKey: string, childId: string) => `${slotKey}@${childId}`

export async function claimChildSlot (slotKey: string, childId: string): Promise<void> {
  try {
    await db.collection(COLLECTIONS.quotaLocks).add({ data: { _id: childSlotId(slotKey, childId), childSlot: true } })
  } catch (err) {
    if (isDuplicate(err)) throw new AppError('CONFLICT', '这个时间已经为孩子约好了，不用再约')
    throw err
  }
}

export async function releaseChildSlot (slotKey: string, childId: string): Promise<void> {
  await removeDoc(COLLECTIONS.quotaLocks, childSlotId(slotKey, childId))
}

export async function bookCall (r: BookRequest): Promise<BookResult> {
  const slot = checkStart(r.room, r.cal, r.start, r.now)
  const bookingId = `bk-${slot.key.replace(/[:#]/g, '-')}-${r.child._id}-${Math.random().toString(36).slice(2, 8)}`
  await claimChildSlot(slot.key, r.child._id)
  const seatId = r.heldSeatId ?? await claimSeat(r.room.doc._id, slot, r.room.resource.capacity, { bookingId })
  if (!seatId) {
    await releaseChildSlot(slot.key, r.child._id)
    // The free times nearest the one that was taken, before or after it, soonest first among equals.
    const free = await openSlots(r.room, r.cal, r.now, r.room.resource.horizonDays)
    const next = free.sort((a, b) => Math.abs(a.start.getTime() - slot.start.getTime()) - Math.abs(b.start.getTime() - slot.start.getTime()) || a.start.getTime() - b.start.getTime()).slice(0, 4)
    return { outcome: 'taken', message: TAKEN, next }
  }
  let quotaLockId: string | undefined
  try {
    quotaLockId = await claimQuota(r.room, r.child._id, slot.start, bookingId, r.now)
    const booking: BookingDoc = {
      _id: bookingId, roomId: r.room.doc._id, slotKey: slot.key, seatId, start: slot.start, end: slot.end, childId: r.child._id, childName: r.child.name,
      bookedBy: r.by.openid, bookedByName: r.by.name, mode: r.mode, status: 'booked', reminders: { day: false, halfHour: false }, quotaLockId,
      ...(r.standingRuleId ? { standingRuleId: r.standingRuleId } : {})
    }
    await db.collection(COLLECTIONS.bookings).add({ data: { ...booking, createdAt: db.serverDate() } })
    if (r.heldSeatId) await db.collection(COLLECTIONS.seats).doc(seatId).update({ data: { bookingId, offerFor: _.remove(), expiresAt: _.remove() } })
    return { outcome: 'booked', booking }
  } catch (err) {
    await releaseQuota(quotaLockId)
    await releaseChildSlot(slot.key, r.child._id)
    if (!r.heldSeatId) await releaseSeat(seatId)
    throw err
  }
}

/** A seat came free: offer it to the first family waiting for that day, holding it for them for 30 minutes. */
export const OFFER_MINUTES = 30

export async function offerFreedSeat (room: Room, slot: { key: string, start: Date }, date: string, now: Date): Promise<boolean> {
  const [first] = await rows<{ _id: string, openid: string, childName: string }>(db.collection(COLLECTIONS.waitlist)
    .where({ roomId: room.doc._id, date, state: 'waiting' }).orderBy('createdAt', 'asc').limit(1))
  if (!first) return false
  if (slot.start.getTime() - now.getTime() < room.resource.noticeMinutes * 60000) return false
  const expiresAt = new Date(now.getTime() + OFFER_MINUTES * 60000)
  const seatId = await claimSeat(room.doc._id, slot, room.resource.capacity, { offerFor: first._id, expiresAt })
  if (!seatId) return false
  const res = await db.collection(COLLECTIONS.waitlist).where({ _id: first._id, state: 'waiting' })
    .update({ data: { state: 'offered', offer: { seatId, slotKey: slot.key, start: slot.start, expiresAt } } }) as { stats: { updated: number } }
  if (res.stats.updated !== 1) { await releaseSeat(seatId); return false }
  await send({ touser: first.openid, template: 'slotOffer', page: 'packages/hotline/pages/bookings/index', title: `${first.childName}的通话有空位了`, time: callTimeLabel(slot.start), detail: `请在${OFFER_MINUTES}分钟内确认，过时让给下一位` })
  return true
}

/** Cancels (or moves away from) a booking's seat and offers it to whoever waits for that day. */
export async function freeSeatOf (room: Room, b: Pick<BookingDoc, 'seatId' | 'slotKey' | 'start'>, now: Date): Promise<void> {
  await releaseSeat(b.seatId)
  const start = new Date(b.start)
  if (start > now) await offerFreedSeat(room, { key: b.slotKey, start }, toDateKey(start), now)
}
