/**
 * Booking a family call in a care room: the hotline's booking engine, which the hotline function and the scheduler's
 * standing calls and waiting-list offers all use.
 *
 * A call takes, in order: the child's one marker for the slot (a child is never booked twice at one time), a seat of
 * the slot (`_server/seats.ts`: never more calls than devices), and one of the family's future-booking locks in the
 * room (`quotaLocks`, `<roomId>:<childId>#1..max`); each is a document with a deterministic `_id`, so the database
 * decides the race, and each is given back if a later step fails.
 */
import {
  AppError, BOOKING_STATUS_LABELS, type BookingStatus, type BookingView, type CallMode, type WorkCalendar
} from '../../../src/domain'
import { _, db, removeDoc, rows } from '../cloud'
import { COLLECTIONS } from '../collections'
import { isDuplicate } from '../idempotency'
import { claimSeat, releaseSeat } from '../seats'
import { openSlots, type CheckedSlot, type Room } from './rooms'
import { tellOfCall } from './tell'

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

export function bookingView (b: BookingDoc, roomName: string): BookingView {
  return {
    id: b._id, childId: b.childId, childName: b.childName, roomId: b.roomId, roomName, start: b.start, end: b.end, mode: b.mode,
    status: b.status, statusLabel: BOOKING_STATUS_LABELS[b.status], bookedByName: b.bookedByName, note: b.note, standing: Boolean(b.standingRuleId)
  }
}

/** Frees a family's locks for calls that are over or gone, so they no longer count against the limit. */
async function tidyQuota (roomId: string, childId: string, now: Date): Promise<void> {
  // At most the family's limit of future calls, and the few whose time has passed since.
  const locks = await rows<{ _id: string, start: Date, bookingId: string }>(db.collection(COLLECTIONS.quotaLocks).where({ roomId, childId }).limit(20))
  for (const lock of locks) {
    if (new Date(lock.start) <= now) await removeDoc(COLLECTIONS.quotaLocks, lock._id)
  }
}

async function claimQuota (room: Room, childId: string, start: Date, bookingId: string, now: Date): Promise<string> {
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

/** One child holds at most one seat of a slot: a marker `<slotKey>@<childId>` (in quotaLocks, without a room). */
const childSlotId = (slotKey: string, childId: string) => `${slotKey}@${childId}`

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

interface BookRequest {
  room: Room
  cal: WorkCalendar
  child: { _id: string, name: string }
  /** the chosen start, checked by `checkStart` (or the slot engine) before anything is claimed */
  slot: CheckedSlot
  mode: CallMode
  by: { openid: string, name: string }
  now: Date
  standingRuleId?: string
  /** a seat already held for this family (a waiting-list offer) */
  heldSeatId?: string
}

export type BookResult = { outcome: 'booked', booking: BookingDoc } | { outcome: 'taken', message: string, next: Awaited<ReturnType<typeof openSlots>> }

const TAKEN = '这个时间刚被别人约走了，请换一个时间。下面是最近还空着的时间。'

/** Books one call: the child's marker, the seat (the race), the family's limit, then the booking; undone on any failure. */
export async function bookCall (r: BookRequest): Promise<BookResult> {
  const { slot } = r
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
  let booking: BookingDoc
  try {
    quotaLockId = await claimQuota(r.room, r.child._id, slot.start, bookingId, r.now)
    booking = {
      _id: bookingId, roomId: r.room.doc._id, slotKey: slot.key, seatId, start: slot.start, end: slot.end, childId: r.child._id, childName: r.child.name,
      bookedBy: r.by.openid, bookedByName: r.by.name, mode: r.mode, status: 'booked', reminders: { day: false, halfHour: false }, quotaLockId,
      ...(r.standingRuleId ? { standingRuleId: r.standingRuleId } : {})
    }
    await db.collection(COLLECTIONS.bookings).add({ data: { ...booking, createdAt: db.serverDate() } })
    if (r.heldSeatId) await db.collection(COLLECTIONS.seats).doc(seatId).update({ data: { bookingId, offerFor: _.remove(), expiresAt: _.remove() } })
  } catch (err) {
    await releaseQuota(quotaLockId)
    await releaseChildSlot(slot.key, r.child._id)
    if (!r.heldSeatId) await releaseSeat(seatId)
    throw err
  }
  await tellOfCall(r.room, booking, { kind: 'booked' })
  return { outcome: 'booked', booking }
}
