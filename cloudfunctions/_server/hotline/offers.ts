/**
 * The waiting list of a full day: a seat that comes free is offered to the first family waiting for that day and
 * held for them for OFFER_MINUTES; an offer declined or let lapse passes to the next family.
 */
import { toDateKey } from '../../../src/domain'
import { db, rows } from '../cloud'
import { COLLECTIONS } from '../collections'
import { notify } from '../notify'
import { claimSeat, releaseSeat } from '../seats'
import type { BookingDoc } from './calls'
import { loadRoom, type Room } from './rooms'

const OFFER_MINUTES = 30

export interface WaitDoc {
  _id: string, roomId: string, date: string, childId: string, childName: string, openid: string, state: 'waiting' | 'offered' | 'booked' | 'left' | 'expired'
  createdAt: Date, offer?: { seatId: string, slotKey: string, start: Date, expiresAt: Date }
}

/** A seat came free: offer it to the first family waiting for that day, holding the seat for them. */
async function offerFreedSeat (room: Room, slot: { key: string, start: Date }, date: string, now: Date): Promise<boolean> {
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
  await notify({ to: first.openid, template: 'slotOffer', link: 'packages/hotline/pages/bookings/index', title: `${first.childName}的通话有空位了`, at: slot.start, detail: `请在${OFFER_MINUTES}分钟内确认，过时让给下一位` })
  return true
}

/** Cancels (or moves away from) a booking's seat and offers it to whoever waits for that day. */
export async function freeSeatOf (room: Room, b: Pick<BookingDoc, 'seatId' | 'slotKey' | 'start'>, now: Date): Promise<void> {
  await releaseSeat(b.seatId)
  const start = new Date(b.start)
  if (start > now) await offerFreedSeat(room, { key: b.slotKey, start }, toDateKey(start), now)
}

/** A declined or expired offer: free the held seat and offer it to the next family waiting. */
export async function passOfferOn (entry: WaitDoc, now: Date): Promise<void> {
  if (!entry.offer) return
  await releaseSeat(entry.offer.seatId)
  const room = await loadRoom(entry.roomId)
  if (room) await offerFreedSeat(room, { key: entry.offer.slotKey, start: new Date(entry.offer.start) }, entry.date, now)
}
