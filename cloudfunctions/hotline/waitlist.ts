/** The waiting list of a full day: joining, leaving, and taking a seat offered when one comes free. */
import { AppError, hotlineContract, toDateKey } from '../../src/domain'
import { _, db, findById } from '../_server/cloud'
import * as clock from '../_server/clock'
import { COLLECTIONS } from '../_server/collections'
import { isDuplicate, once } from '../_server/idempotency'
import { loadCalendar } from '../_server/calendar'
import { action } from '../_server/router'
import type { Caller } from '../_server/caller'
import { bookCall, bookingView } from '../_server/hotline/calls'
import { passOfferOn, type WaitDoc } from '../_server/hotline/offers'
import { checkStart, loadRoom } from '../_server/hotline/rooms'
import { FAMILY, familyChild, familyRoom } from './family'

export async function waitView (w: WaitDoc) {
  const ahead = w.state === 'waiting'
    ? (await db.collection(COLLECTIONS.waitlist).where({ roomId: w.roomId, date: w.date, state: 'waiting', createdAt: _.lt(w.createdAt) }).count() as { total: number }).total
    : 0
  return {
    id: w._id, childId: w.childId, childName: w.childName, date: w.date, position: ahead + 1,
    ...(w.state === 'offered' && w.offer ? { offer: { id: w._id, start: w.offer.start, expiresAt: w.offer.expiresAt } } : {})
  }
}

export const joinWaitlist = action({
  contract: hotlineContract.joinWaitlist,
  allowed: FAMILY,
  async handler (input, caller) {
    const { child, room } = await familyRoom(caller, input.childId)
    const today = toDateKey(clock.now())
    if (input.date < today) throw new AppError('INVALID_INPUT', '不能排过去的日子', { date: '不能排过去的日子' })
    return await once(caller, 'hotline.joinWaitlist', input.idempotencyKey, async () => {
      // One entry per child, room and day: pressing twice does not jump the queue.
      const _id = `${room.doc._id}:${input.date}:${child._id}`
      const doc: WaitDoc = { _id, roomId: room.doc._id, date: input.date, childId: child._id, childName: child.name, openid: caller.openid, state: 'waiting', createdAt: clock.now() }
      try {
        await db.collection(COLLECTIONS.waitlist).add({ data: doc })
      } catch (err) {
        if (!isDuplicate(err)) throw err
        const existing = await findById<WaitDoc>(COLLECTIONS.waitlist, _id)
        if (existing && (existing.state === 'waiting' || existing.state === 'offered')) return await waitView(existing)
        await db.collection(COLLECTIONS.waitlist).doc(_id).set({ data: { ...doc, _id: undefined } })
      }
      return await waitView(doc)
    })
  }
})

async function ownEntry (caller: Caller, entryId: string): Promise<WaitDoc> {
  const entry = await findById<WaitDoc>(COLLECTIONS.waitlist, entryId)
  if (!entry) throw new AppError('NOT_FOUND', '没有找到这个排队')
  await familyChild(caller, entry.childId)
  return entry
}

export const leaveWaitlist = action({
  contract: hotlineContract.leaveWaitlist,
  allowed: FAMILY,
  async handler (input, caller) {
    const entry = await ownEntry(caller, input.entryId)
    if (entry.state !== 'waiting' && entry.state !== 'offered') return { left: false }
    const res = await db.collection(COLLECTIONS.waitlist).where({ _id: entry._id, state: entry.state }).update({ data: { state: 'left' } }) as { stats: { updated: number } }
    if (res.stats.updated === 1 && entry.state === 'offered' && entry.offer) await passOfferOn(entry, clock.now())
    return { left: res.stats.updated === 1 }
  }
})

export const acceptOffer = action({
  contract: hotlineContract.acceptOffer,
  allowed: FAMILY,
  async handler (input, caller) {
    const entry = await ownEntry(caller, input.entryId)
    const now = clock.now()
    if (entry.state !== 'offered' || !entry.offer || new Date(entry.offer.expiresAt) <= now) {
      throw new AppError('CONFLICT', '这个空位已经过时，让给下一位了。您还在排队的话，有空位会再通知您。')
    }
    const claimed = await db.collection(COLLECTIONS.waitlist).where({ _id: entry._id, state: 'offered' }).update({ data: { state: 'booked' } }) as { stats: { updated: number } }
    if (claimed.stats.updated !== 1) throw new AppError('CONFLICT', '这个空位已经处理过了')
    const room = await loadRoom(entry.roomId)
    const child = await familyChild(caller, entry.childId)
    const cal = await loadCalendar()
    try {
      const slot = checkStart(room!, cal, new Date(entry.offer.start), now)
      const res = await bookCall({ room: room!, cal, child, slot, mode: input.mode, by: { openid: caller.openid, name: caller.user!.name }, now, heldSeatId: entry.offer.seatId })
      return res.outcome === 'booked' ? { outcome: 'booked' as const, booking: bookingView(res.booking, room!.doc.name) } : res
    } catch (err) {
      // The family's limit or a closed day: give the seat to the next family rather than lose it.
      await db.collection(COLLECTIONS.waitlist).doc(entry._id).update({ data: { state: 'left' } })
      await passOfferOn(entry, now)
      throw err
    }
  }
})
