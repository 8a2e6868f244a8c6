/** The parent's side of the hotline: slots, booking, moving, cancelling, history, free hours. */
import type { z } from 'zod'
import {
  AppError, hotlineContract, shiftWeek, startOfShanghaiDay, startOfShanghaiWeek, weekOf, weekStartOf, type ChildRecord, type FreeHours
} from '../../src/domain'
import { _, db, findById, rows } from '../_server/cloud'
import { COLLECTIONS } from '../_server/collections'
import { once } from '../_server/idempotency'
import { loadCalendar } from '../_server/calendar'
import { action } from '../_server/router'
import type { Caller } from '../_server/caller'
import {
  bookCall, bookingView, checkStart, claimChildSlot, claimSeat, freeSeatOf, releaseChildSlot, releaseQuota, loadRoom, openSlots, roomOfChild, roomView, type BookingDoc, type BookResult, type Room
} from './core'
import * as clock from '../_server/clock'

export const FAMILY = ['parent', 'guardian'] as const

/** The child, if bound to the caller as parent or guardian; refuses otherwise. */
export async function familyChild (caller: Caller, childId: string): Promise<ChildRecord> {
  const binding = await findById<{ role?: string }>(COLLECTIONS.bindings, `${childId}:${caller.openid}`)
  if (!binding) throw new AppError('FORBIDDEN', '只能为自己绑定的孩子预约通话')
  const child = await findById<ChildRecord>(COLLECTIONS.children, childId)
  if (!child) throw new AppError('NOT_FOUND', '没有找到这个孩子的档案')
  return child
}

/** The care room of a bound child's school, or a plain refusal when the school has none. */
export async function childRoom (child: ChildRecord): Promise<Room> {
  const room = await roomOfChild(child)
  if (!room) throw new AppError('NOT_FOUND', '孩子的学校还没有开通真情关爱室，请联系班主任')
  return room
}

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
    const bindings = await rows<{ childId: string }>(db.collection(COLLECTIONS.bindings).where({ openid: caller.openid }).limit(100))
    const now = clock.now()
    const week = weekOf(now)
    const weekStart = startOfShanghaiWeek(now)
    const weekEnd = new Date(weekStart.getTime() + 7 * 86400000)
    const children: Array<z.infer<typeof hotlineContract.overview.output>['children'][number]> = []
    for (const b of bindings) {
      const child = await findById<ChildRecord>(COLLECTIONS.children, b.childId)
      if (!child) continue
      const room = await roomOfChild(child)
      const thisWeek = await rows<BookingDoc>(db.collection(COLLECTIONS.bookings).where({ childId: child._id, start: _.gte(weekStart).and(_.lt(weekEnd)), status: _.in(['booked', 'held']) }).limit(20))
      children.push({
        childId: child._id, childName: child.name, room: room ? roomView(room) : null,
        thisWeek: { weekKey: week.weekKey, held: thisWeek.some((x) => x.status === 'held'), booked: thisWeek.some((x) => x.status === 'booked') }
      })
    }
    return { children, freeHours: await freeHoursOf(caller.openid) }
  }
})

export const slots = action({
  contract: hotlineContract.slots,
  allowed: FAMILY,
  async handler (input, caller) {
    const child = await familyChild(caller, input.childId)
    const room = await childRoom(child)
    const cal = await loadCalendar()
    const now = clock.now()
    const from = input.from ? startOfShanghaiDay(input.from) : undefined
    const list = await openSlots(room, cal, now, input.days, await freeHoursOf(caller.openid), from)
    const used = (await rows(db.collection(COLLECTIONS.quotaLocks).where({ roomId: room.doc._id, childId: child._id, start: _.gt(now) }).limit(20))).length
    return { room: roomView(room), slots: list, familyLimit: { max: room.settings.maxFutureBookingsPerFamily, used } }
  }
})

export const book = action({
  contract: hotlineContract.book,
  allowed: FAMILY,
  async handler (input, caller) {
    const child = await familyChild(caller, input.childId)
    const room = await childRoom(child)
    const cal = await loadCalendar()
    const now = clock.now()
    checkStart(room, cal, input.start, now) // refuse bad times before claiming the key
    return await once(caller, 'hotline.book', input.idempotencyKey, async () =>
      outcomeView(await bookCall({ room, cal, child, start: input.start, mode: input.mode, by: { openid: caller.openid, name: caller.user!.name }, now }), room))
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
    if (slot.key === booking.slotKey) throw new AppError('INVALID_INPUT', '新时间和原来的一样', { start: '新时间和原来的一样' })
    return await once(caller, 'hotline.move', input.idempotencyKey, async () => {
      // The new seat first: if it is taken the old booking stays as it was.
      await claimChildSlot(slot.key, booking.childId)
      const seatId = await claimSeat(room.doc._id, slot, room.resource.capacity, { bookingId: booking._id })
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
    const calls = await rows<BookingDoc>(db.collection(COLLECTIONS.bookings).where({ childId: child._id, start: _.lt(now) }).orderBy('start', 'desc').limit(50))
    const thisWeek = weekOf(now).weekKey
    const weeks = Array.from({ length: 12 }, (_x, i) => shiftWeek(thisWeek, -i))
    const held = new Set((await rows<{ weekKey: string }>(db.collection(COLLECTIONS.weeklyContacts).where({ childId: child._id, weekKey: _.in(weeks) }).limit(20))).map((w) => w.weekKey))
    const roomNames = new Map<string, string>()
    for (const id of new Set(calls.map((c) => c.roomId))) roomNames.set(id, (await loadRoom(id))?.doc.name ?? '')
    return {
      calls: calls.map((c) => bookingView(c, roomNames.get(c.roomId) ?? '')),
      weeks: weeks.map((weekKey) => ({ weekKey, weekStart: weekStartOf(weekKey), held: held.has(weekKey) }))
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
