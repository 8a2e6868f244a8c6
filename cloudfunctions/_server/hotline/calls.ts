/**
 * Booking a family call in a care room: the hotline's booking engine, which the hotline function and the scheduler's
 * standing calls and waiting-list offers all use.
 *
 * A call takes, in order: the child's one marker for the slot (a child is never booked twice at one time), one of the
 * family's future-booking locks in the room (`quotaLocks`, `<roomId>:<childId>#1..max`), and a seat of the slot
 * (`_server/seats.ts`: never more calls than devices); each is a document with a deterministic `_id`, so the database
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
  /** false until the room's teachers have been told of the call; then the token of the scheduler's run that told them
   * (newCallsToRooms); absent on older calls */
  teachersTold?: false | string
}

export function bookingView (b: BookingDoc, roomName: string): BookingView {
  return {
    id: b._id, childId: b.childId, childName: b.childName, roomId: b.roomId, roomName, start: b.start, end: b.end, mode: b.mode,
    status: b.status, statusLabel: BOOKING_STATUS_LABELS[b.status], bookedByName: b.bookedByName, note: b.note, standing: Boolean(b.standingRuleId)
  }
}

/** A lock of the family's limit in a room (`<roomId>:<childId>#n`). */
export interface QuotaLock { _id: string, roomId: string, childId: string, start: Date, bookingId: string }

/** Frees a family's locks for calls that are over or gone, so they no longer count against the limit. */
async function tidyQuota (roomId: string, childId: string, now: Date, known?: QuotaLock[]): Promise<QuotaLock[]> {
  // At most the family's limit of future calls, and the few whose time has passed since.
  const locks = known ?? await rows<QuotaLock>(db.collection(COLLECTIONS.quotaLocks).where({ roomId, childId }).limit(20))
  const passed = locks.filter((l) => new Date(l.start) <= now).map((l) => l._id)
  if (passed.length > 0) await db.collection(COLLECTIONS.quotaLocks).where({ _id: _.in(passed), roomId, childId }).remove()
  return locks.filter((l) => !passed.includes(l._id))
}

/**
 * The child's marker and a lock of the family's limit in one request, when the locks are known and one is free: the
 * marker first, so a refused write (a marker or lock someone holds) leaves at most the marker, which the step-by-step
 * path below treats as its own. Answers the lock's id, or undefined to go step by step.
 */
async function claimBoth (r: BookRequest, bookingId: string, known: QuotaLock[]): Promise<string | undefined> {
  const ids = Array.from({ length: r.room.settings.maxFutureBookingsPerFamily }, (_x, i) => `${r.room.doc._id}:${r.child._id}#${i + 1}`)
  // A lock id no document has is taken as it is; the locks of calls that are over are cleared only when every free id
  // is still one of theirs (one request fewer for the family that books every week).
  const present = new Set(known.map((l) => l._id))
  let free = ids.find((id) => !present.has(id))
  if (!free) {
    const held = new Set((await tidyQuota(r.room.doc._id, r.child._id, r.now, known)).map((l) => l._id))
    free = ids.find((id) => !held.has(id))
  }
  if (!free) return undefined
  try {
    await db.collection(COLLECTIONS.quotaLocks).add({
      data: [
        { _id: childSlotId(r.slot.key, r.child._id), childSlot: true, bookingId },
        { _id: free, roomId: r.room.doc._id, childId: r.child._id, start: r.slot.start, bookingId }
      ]
    })
    return free
  } catch (err) {
    if (!isDuplicate(err)) throw err
    return undefined
  }
}

async function claimQuota (room: Room, childId: string, start: Date, bookingId: string, now: Date, resumed = false): Promise<string> {
  if (resumed) {
    // A retry of a run that took its lock before it crashed: the lock is its own.
    const [mine] = await rows<{ _id: string }>(db.collection(COLLECTIONS.quotaLocks).where({ roomId: room.doc._id, childId, bookingId }).limit(1))
    if (mine) return mine._id
  }
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

/** Takes the child's marker for the slot, for `bookingId`; a marker already held for the same booking (a retry) is its own. */
export async function claimChildSlot (slotKey: string, childId: string, bookingId: string): Promise<void> {
  try {
    await db.collection(COLLECTIONS.quotaLocks).add({ data: { _id: childSlotId(slotKey, childId), childSlot: true, bookingId } })
  } catch (err) {
    if (!isDuplicate(err)) throw err
    const held = await rows<{ bookingId?: string }>(db.collection(COLLECTIONS.quotaLocks).where({ _id: childSlotId(slotKey, childId) }).limit(1))
    if (held[0]?.bookingId === bookingId) return
    throw new AppError('CONFLICT', '这个时间已经为孩子约好了，不用再约')
  }
}

export async function releaseChildSlot (slotKey: string, childId: string): Promise<void> {
  await removeDoc(COLLECTIONS.quotaLocks, childSlotId(slotKey, childId))
}

/** Gives back the booking's markers of other slots: what a move that crashed before its last step left behind. */
export async function releaseOtherChildSlots (booking: Pick<BookingDoc, '_id' | 'slotKey' | 'childId'>): Promise<void> {
  const keep = childSlotId(booking.slotKey, booking.childId)
  for (const m of await rows<{ _id: string }>(db.collection(COLLECTIONS.quotaLocks).where({ childSlot: true, bookingId: booking._id }).limit(20))) {
    if (m._id !== keep) await removeDoc(COLLECTIONS.quotaLocks, m._id)
  }
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
  /** under an idempotency key: the booking's id comes from the key's `ref`, and a resumed run finds what it took */
  run?: { ref: string, resumed: boolean }
  /** read by the caller with the child (docs/ARCHITECTURE.md, "Cloud functions"): the family's locks in the room, the room's teachers */
  known?: { locks: QuotaLock[] }
}

/** A booking's id from its slot, its child and the run's `ref` (or a random tail outside a key): a retry finds it by this. */
export function bookingIdOf (slotKey: string, childId: string): (ref: string) => string {
  return (ref) => `bk-${slotKey.replace(/[:#]/g, '-')}-${childId}-${ref.slice(0, 12)}`
}

export type BookResult = { outcome: 'booked', booking: BookingDoc } | { outcome: 'taken', message: string, next: Awaited<ReturnType<typeof openSlots>> }

const TAKEN = '这个时间刚被别人约走了，请换一个时间。下面是最近还空着的时间。'

/**
 * Books one call: the child's marker, the family's limit, then the seat (the race), then the booking; undone on any
 * failure. The limit is taken before the seat, so a family that may not book never holds a seat even for a moment:
 * a free seat always goes to someone who may have it.
 */
export async function bookCall (r: BookRequest): Promise<BookResult> {
  const { slot } = r
  const bookingId = bookingIdOf(slot.key, r.child._id)(r.run ? r.run.ref : Math.random().toString(36).slice(2, 8))
  const resumed = r.run?.resumed === true
  if (resumed) {
    // The run this one retries may have booked before it crashed: that booking is the answer.
    const [done] = await rows<BookingDoc>(db.collection(COLLECTIONS.bookings).where({ _id: bookingId }).limit(1))
    if (done) return { outcome: 'booked', booking: done }
  }
  // A fresh run that knows the family's locks takes the marker and a free lock together; otherwise one by one.
  let quotaLockId = !resumed && r.known ? await claimBoth(r, bookingId, r.known.locks) : undefined
  if (!quotaLockId) {
    await claimChildSlot(slot.key, r.child._id, bookingId)
    try {
      quotaLockId = await claimQuota(r.room, r.child._id, slot.start, bookingId, r.now, resumed)
    } catch (err) {
      await releaseChildSlot(slot.key, r.child._id)
      throw err
    }
  }
  const seatId = r.heldSeatId ?? await claimSeat(r.room.doc._id, slot, r.room.resource.capacity, { bookingId }, resumed)
  if (!seatId) {
    await releaseQuota(quotaLockId)
    await releaseChildSlot(slot.key, r.child._id)
    // The free times nearest the one that was taken, before or after it, soonest first among equals.
    const free = await openSlots(r.room, r.cal, r.now, r.room.resource.horizonDays)
    const next = free.sort((a, b) => Math.abs(a.start.getTime() - slot.start.getTime()) - Math.abs(b.start.getTime() - slot.start.getTime()) || a.start.getTime() - b.start.getTime()).slice(0, 4)
    return { outcome: 'taken', message: TAKEN, next }
  }
  let booking: BookingDoc
  try {
    booking = {
      _id: bookingId, roomId: r.room.doc._id, slotKey: slot.key, seatId, start: slot.start, end: slot.end, childId: r.child._id, childName: r.child.name,
      bookedBy: r.by.openid, bookedByName: r.by.name, mode: r.mode, status: 'booked', reminders: { day: false, halfHour: false }, quotaLockId, teachersTold: false,
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
  // The room's teachers are told within a minute by the scheduler (jobs/hotline.ts, newCallsToRooms).
  return { outcome: 'booked', booking }
}
