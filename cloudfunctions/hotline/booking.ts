/** The family's calls: this week at a glance, free slots, booking, moving, cancelling, what is coming, history, free hours. */
import type { z } from 'zod'
import {
  AppError, BOOKING_STATUS_LABELS, CALL_PLACE_LABELS, hotlineContract, shiftWeek, startOfShanghaiDay, startOfShanghaiWeek, toDateKey, weekBeforeKnown, weekOf, weekStartOf,
  type CallPlace, type ChildRecord, type FreeHours
} from '../../src/domain'
import { _, db, findById, rows } from '../_server/cloud'
import * as clock from '../_server/clock'
import { COLLECTIONS } from '../_server/collections'
import { once } from '../_server/idempotency'
import { loadCalendar } from '../_server/calendar'
import { action } from '../_server/router'
import type { Caller } from '../_server/caller'
import { claimSeat, releaseOtherSeats } from '../_server/seats'
import { bookCall, bookingIdOf, bookingView, claimChildSlot, releaseChildSlot, releaseOtherChildSlots, releaseQuota, type BookingDoc, type BookResult } from '../_server/hotline/calls'
import { freeSeatOf, type WaitDoc } from '../_server/hotline/offers'
import { checkStart, loadRoom, loadRooms, openSlots, roomsOfSchools, roomView, type Room } from '../_server/hotline/rooms'
import { tellOfCall } from '../_server/hotline/tell'
import { knownFromOf } from '../_server/hotline/contact'
import { directCallView, type DirectCallDoc } from './direct'
import type { StandingDoc } from '../_server/hotline/standing'
import { FAMILY, familyChild, familyRoom } from './family'
import { standingView } from './standing'
import { waitView } from './waitlist'

async function freeHoursOf (openid: string): Promise<FreeHours> {
  return (await findById<{ freeHours: FreeHours }>(COLLECTIONS.familyPrefs, openid))?.freeHours ?? []
}

function outcomeView (res: BookResult, room: Room) {
  return res.outcome === 'booked' ? { outcome: 'booked' as const, booking: bookingView(res.booking, room.doc.name) } : res
}

export const overview = action({
  contract: hotlineContract.overview,
  allowed: FAMILY,
  async handler (_input, caller) {
    // The caller's own bindings with the children's files joined on, then each kind of thing read once for all the
    // children together (docs/ARCHITECTURE.md, "Cloud functions").
    const [joined, freeHours] = await Promise.all([
      db.collection(COLLECTIONS.bindings).aggregate().match({ openid: caller.openid }).limit(100)
        .lookup({ from: COLLECTIONS.children, localField: 'childId', foreignField: '_id', as: 'child' }).end() as Promise<{ list: Array<{ childId: string, child: ChildRecord[] }> }>,
      freeHoursOf(caller.openid)
    ])
    const kids = joined.list.flatMap((b) => b.child.slice(0, 1))
    const now = clock.now()
    const week = weekOf(now)
    const weekStart = startOfShanghaiWeek(now)
    const weekEnd = new Date(weekStart.getTime() + 7 * 86400000)
    const ids = kids.map((c) => c._id)
    const [rooms, thisWeek, heldWeeks, waiting] = ids.length === 0
      ? [[], [], [], []]
      : await Promise.all([
        roomsOfSchools(kids.map((c) => c.schoolId), 100),
        rows<BookingDoc>(db.collection(COLLECTIONS.bookings).where({ childId: _.in(ids), start: _.gte(weekStart).and(_.lt(weekEnd)), status: _.in(['booked', 'held']) }).limit(Math.min(1000, 20 * ids.length))),
        rows<{ _id: string }>(db.collection(COLLECTIONS.weeklyContacts).where({ _id: _.in(ids.map((id) => `${id}:${week.weekKey}`)) }).field({ _id: true }).limit(ids.length)),
        rows<{ childId: string }>(db.collection(COLLECTIONS.directCalls).where({ childId: _.in(ids), state: 'pending', at: _.gte(weekStart).and(_.lt(weekEnd)) }).field({ childId: true }).limit(Math.min(1000, 20 * ids.length)))
      ])
    const children: Array<z.infer<typeof hotlineContract.overview.output>['children'][number]> = kids.map((child) => {
      const room = rooms.find((r) => r.doc.schoolId === child.schoolId) // rooms come sorted by id: the first is the school's room
      const mine = thisWeek.filter((x) => x.childId === child._id)
      // A week is held by a held care-room call or a confirmed direct call (docs/DOMAIN.md, "Contact rhythm").
      const held = heldWeeks.some((w) => w._id === `${child._id}:${week.weekKey}`) || mine.some((x) => x.status === 'held')
      return {
        childId: child._id, childName: child.name, room: room ? roomView(room) : null,
        thisWeek: { weekKey: week.weekKey, held, booked: mine.some((x) => x.status === 'booked'), awaitingConfirm: waiting.some((w) => w.childId === child._id) }
      }
    })
    return { children, freeHours }
  }
})

export const slots = action({
  contract: hotlineContract.slots,
  allowed: FAMILY,
  async handler (input, caller) {
    const [{ child, room, locks, cal }, freeHours] = await Promise.all([familyRoom(caller, input.childId, { locks: true, calendar: true }), freeHoursOf(caller.openid)])
    const now = clock.now()
    const from = input.from ? startOfShanghaiDay(input.from) : undefined
    const list = await openSlots(room, cal, now, input.days, freeHours, from)
    const used = (locks ?? []).filter((l) => l.roomId === room.doc._id && l.childId === child._id && new Date(l.start) > now).length
    return { room: roomView(room), slots: list, familyLimit: { max: room.settings.maxFutureBookingsPerFamily, used } }
  }
})

export const book = action({
  contract: hotlineContract.book,
  allowed: FAMILY,
  async handler (input, caller) {
    // The child, its room, the family's locks and the calendar in one read.
    const { child, room, locks, cal } = await familyRoom(caller, input.childId, { locks: true, calendar: true })
    const now = clock.now()
    const slot = checkStart(room, cal, input.start, now) // a bad time is refused before the key is claimed
    const known = { locks: (locks ?? []).filter((l) => l.roomId === room.doc._id) }
    // The room's teachers are told within a minute by the scheduler, for every way a call gets booked.
    const bookingId = bookingIdOf(slot.key, child._id)
    return await once(caller, 'hotline.book', input.idempotencyKey, async (run) =>
      outcomeView(await bookCall({ room, cal, child, slot, mode: input.mode, by: { openid: caller.openid, name: caller.user!.name }, now, run, known }), room), {
      // A booking keeps itself (its id comes from the key): the key stores only a refusal.
      keeps: (res) => res.outcome === 'booked',
      find: async (ref) => {
        const done = await findById<BookingDoc>(COLLECTIONS.bookings, bookingId(ref))
        return done ? outcomeView({ outcome: 'booked', booking: done }, room) : undefined
      }
    })
  }
})

/** A booking the caller may change: booked by someone bound to the same child, still in the future. */
async function ownBooking (caller: Caller, bookingId: string): Promise<{ booking: BookingDoc, room: Room }> {
  const booking = await findById<BookingDoc>(COLLECTIONS.bookings, bookingId)
  if (!booking) throw new AppError('NOT_FOUND', '没有找到这次预约')
  await familyChild(caller, booking.childId)
  if (booking.status !== 'booked') throw new AppError('CONFLICT', '这次通话已经取消或已经结束了')
  const room = await loadRoom(booking.roomId)
  if (!room) throw new AppError('NOT_FOUND', '关爱室已不存在')
  return { booking, room }
}

export const cancel = action({
  contract: hotlineContract.cancel,
  allowed: FAMILY,
  async handler (input, caller) {
    const { booking, room } = await ownBooking(caller, input.bookingId)
    const now = clock.now()
    const res = await db.collection(COLLECTIONS.bookings).where({ _id: booking._id, status: 'booked' })
      .update({ data: { status: 'cancelled', cancelReason: input.reason, cancelledBy: caller.openid, cancelledAt: db.serverDate() } }) as { stats: { updated: number } }
    if (res.stats.updated !== 1) throw new AppError('CONFLICT', '这次通话已经取消或已经结束了')
    await releaseQuota(booking.quotaLockId)
    await releaseChildSlot(booking.slotKey, booking.childId)
    await freeSeatOf(room, booking, now)
    await tellOfCall(room, booking, { kind: 'cancelled', reason: input.reason })
    return { status: 'cancelled' as const }
  }
})

export const move = action({
  contract: hotlineContract.move,
  allowed: FAMILY,
  async handler (input, caller) {
    const { booking, room } = await ownBooking(caller, input.bookingId)
    const cal = await loadCalendar()
    const now = clock.now()
    const slot = checkStart(room, cal, input.start, now)
    return await once(caller, 'hotline.move', input.idempotencyKey, async ({ resumed }) => {
      if (slot.key === booking.slotKey) {
        // A retry of a move that crashed after it committed: the booking is already there; give back what it left.
        if (resumed) {
          await releaseOtherSeats({ bookingId: booking._id }, booking.seatId)
          await releaseOtherChildSlots(booking)
          return { outcome: 'booked' as const, booking: bookingView(booking, room.doc.name) }
        }
        throw new AppError('INVALID_INPUT', '新时间和原来的一样', { start: '新时间和原来的一样' })
      }
      // The new seat first: if it is taken the old booking stays as it was.
      await claimChildSlot(slot.key, booking.childId, booking._id)
      const seatId = await claimSeat(room.doc._id, slot, room.resource.capacity, { bookingId: booking._id }, resumed)
      if (!seatId) {
        await releaseChildSlot(slot.key, booking.childId)
        const free = await openSlots(room, cal, now, 3)
        return { outcome: 'taken' as const, message: '这个时间刚被别人约走了，原来的预约还保留着。下面是最近还空着的时间。', next: free.filter((s) => s.start > slot.start).slice(0, 4) }
      }
      const moved = { slotKey: slot.key, seatId, start: slot.start, end: slot.end, reminders: { day: false, halfHour: false }, movedFrom: booking.start, moveReason: input.reason ?? '' }
      await db.collection(COLLECTIONS.bookings).doc(booking._id).update({ data: { ...moved, reminders: _.set(moved.reminders) } })
      if (booking.quotaLockId) await db.collection(COLLECTIONS.quotaLocks).doc(booking.quotaLockId).update({ data: { start: slot.start } })
      await releaseChildSlot(booking.slotKey, booking.childId)
      await freeSeatOf(room, booking, now)
      await tellOfCall(room, { ...booking, start: slot.start }, { kind: 'moved', from: new Date(booking.start) })
      return { outcome: 'booked' as const, booking: bookingView({ ...booking, ...moved }, room.doc.name) }
    })
  }
})

export const history = action({
  contract: hotlineContract.history,
  allowed: FAMILY,
  async handler (input, caller) {
    const child = await familyChild(caller, input.childId)
    const now = clock.now()
    const bookings = await rows<BookingDoc>(db.collection(COLLECTIONS.bookings).where({ childId: child._id, start: _.lt(now) }).orderBy('start', 'desc').limit(50))
    const direct = await rows<DirectCallDoc>(db.collection(COLLECTIONS.directCalls).where({ childId: child._id }).orderBy('at', 'desc').limit(50))
    const thisWeek = weekOf(now).weekKey
    const weeks = Array.from({ length: 12 }, (_x, i) => shiftWeek(thisWeek, -i))
    const held = new Map((await rows<{ weekKey: string, places?: CallPlace[] }>(db.collection(COLLECTIONS.weeklyContacts).where({ childId: child._id, weekKey: _.in(weeks) }).limit(20)))
      .map((w): [string, CallPlace[]] => [w.weekKey, w.places ?? ['careRoom']]))
    const knownFrom = await knownFromOf(child as ChildRecord & { createdAt?: Date })
    const roomNames = new Map([...(await loadRooms(bookings.map((c) => c.roomId)))].map(([id, r]) => [id, r.doc.name]))
    const calls = [
      ...bookings.map((c) => ({
        id: c._id, place: 'careRoom' as const, placeLabel: CALL_PLACE_LABELS.careRoom, start: c.start, minutes: Math.round((new Date(c.end).getTime() - new Date(c.start).getTime()) / 60000),
        mode: c.mode, counted: c.status === 'held', statusLabel: c.status === 'booked' ? '等老师登记' : BOOKING_STATUS_LABELS[c.status], where: roomNames.get(c.roomId) ?? '', note: c.note || undefined
      })),
      ...direct.map((d) => {
        const v = directCallView(d)
        return { id: d._id, place: 'direct' as const, placeLabel: CALL_PLACE_LABELS.direct, start: d.at, minutes: d.minutes, mode: d.mode, counted: d.state === 'confirmed', statusLabel: v.stateLabel, where: `${d.recordedByName}（${v.recordedByRelation}）打的` }
      })
    ].sort((a, b) => new Date(b.start).getTime() - new Date(a.start).getTime()).slice(0, 50)
    return {
      calls,
      weeks: weeks.map((weekKey) => ({ weekKey, weekStart: weekStartOf(weekKey), held: held.has(weekKey), places: held.get(weekKey) ?? [], beforeKnown: weekBeforeKnown(knownFrom, weekKey) }))
    }
  }
})

export const saveFreeHours = action({
  contract: hotlineContract.saveFreeHours,
  allowed: FAMILY,
  async handler (input, caller) {
    await db.collection(COLLECTIONS.familyPrefs).doc(caller.openid).set({ data: { freeHours: input.freeHours, updatedAt: clock.now() } })
    return { freeHours: input.freeHours }
  }
})

export const myBookings = action({
  contract: hotlineContract.myBookings,
  allowed: FAMILY,
  async handler (_input, caller) {
    const bindings = await rows<{ childId: string }>(db.collection(COLLECTIONS.bindings).where({ openid: caller.openid }).limit(100))
    const childIds = bindings.map((b) => b.childId)
    const now = clock.now()
    if (childIds.length === 0) return { upcoming: [], waitlist: [], standing: [] }
    const [upcoming, waits, standing] = await Promise.all([
      rows<any>(db.collection(COLLECTIONS.bookings).where({ childId: _.in(childIds), status: 'booked', end: _.gt(now) }).orderBy('start', 'asc').limit(50)),
      rows<WaitDoc>(db.collection(COLLECTIONS.waitlist).where({ childId: _.in(childIds), state: _.in(['waiting', 'offered']), date: _.gte(toDateKey(now)) }).orderBy('date', 'asc').limit(20)),
      rows<StandingDoc>(db.collection(COLLECTIONS.standingCalls).where({ openid: caller.openid }).limit(20))
    ])
    const names = new Map([...(await loadRooms(upcoming.map((b) => b.roomId)))].map(([id, r]) => [id, r.doc.name]))
    return {
      upcoming: upcoming.map((b) => bookingView(b, names.get(b.roomId) ?? '')),
      waitlist: await Promise.all(waits.map(waitView)),
      standing: standing.map(standingView)
    }
  }
})
