/**
 * Seats of bookable slots: capacity kept by the database, not by counting. A slot of a resource (a care room with N
 * devices, a counsellor with one) has seats `<slotKey>#1..N` (collection `seats`); a booking first inserts one seat
 * document with that `_id`, and an `add` of an existing `_id` fails, so N seats never hold N + 1 bookings however many
 * people press at once (docs/ARCHITECTURE.md, "Cloud functions").
 */
import { seatIds } from '../../src/domain'
import { _, db, removeDoc, rows } from './cloud'
import { COLLECTIONS } from './collections'
import { isDuplicate } from './idempotency'
import { allPages } from './paging'

/**
 * Takes a free seat of the slot, or returns null when every seat is taken. `resumed`: a retry of a run that may have
 * taken a seat already (docs/ARCHITECTURE.md, "Idempotency"): a seat of this slot held for the same holder is its own.
 */
export async function claimSeat (resourceId: string, slot: { key: string, start: Date }, capacity: number, holder: Record<string, unknown>, resumed = false): Promise<string | null> {
  if (resumed) {
    const [mine] = await rows<{ _id: string }>(db.collection(COLLECTIONS.seats).where({ roomId: resourceId, slotKey: slot.key, ...holder }).limit(1))
    if (mine) return mine._id
  }
  for (const seatId of seatIds(slot.key, capacity)) {
    try {
      // `roomId` names the resource, a care room or a counsellor
      await db.collection(COLLECTIONS.seats).add({ data: { _id: seatId, roomId: resourceId, slotKey: slot.key, start: slot.start, ...holder } })
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

/** Gives back every seat held for `holder` but `keep`: what a move that crashed before its last step left behind. */
export async function releaseOtherSeats (holder: Record<string, unknown>, keep: string): Promise<void> {
  for (const seat of await rows<{ _id: string }>(db.collection(COLLECTIONS.seats).where(holder).field({ _id: true }).limit(20))) {
    if (seat._id !== keep) await releaseSeat(seat._id)
  }
}

/** Taken seats of a resource between two instants, as the slot engine counts them. */
export async function takenSeats (resourceId: string, from: Date, to: Date): Promise<Array<{ slotKey: string }>> {
  return await allPages<{ slotKey: string }>(db.collection(COLLECTIONS.seats).where({ roomId: resourceId, start: _.gte(from).and(_.lt(to)) }).field({ slotKey: true }))
}
