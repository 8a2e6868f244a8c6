/**
 * Erasing a child's information (docs/DOMAIN.md, "Children's personal information"): on a guardian's request the file
 * is cut to the minimum record the law requires and everything else about the child goes; when the retention has run
 * out the file goes too. What another law requires is kept: mandatory reports (未成年人保护法第11条), legal-aid case
 * files, and the access log. Every step is safe to repeat, so a run that stopped half-way is finished by the next.
 */
import { FIELDS_KEPT_ON_REFUSAL, type ChildRecord } from '../../../src/domain'
import { _, db, removeDoc, rows } from '../cloud'
import { COLLECTIONS } from '../collections'
import { allPages } from '../paging'
import { releaseSeat } from '../seats'
import { releaseChildSlot, releaseQuota, type BookingDoc } from '../hotline/calls'

/** Fields of the file that are the system's own record, kept with the minimum. */
const RECORD_FIELDS = ['_id', 'consent', 'consentHistory', 'statusHistory', 'createdBy', 'createdAt', 'updatedAt', 'erasure']

/** The update that cuts a file to the minimum record (on a refusal, or a deletion). */
export function minimumRecordUpdate (child: object): Record<string, unknown> {
  const kept = new Set<string>([...FIELDS_KEPT_ON_REFUSAL, ...RECORD_FIELDS])
  const update: Record<string, unknown> = {}
  for (const key of Object.keys(child)) if (!kept.has(key)) update[key] = _.remove()
  return update
}

export interface Erasure {
  /** documents removed, and one for the file's fields when it is cut down */
  deleted: number
  /** records another law keeps: reports, legal-aid requests, access-log entries */
  kept: number
}

async function removeWhere (collection: string, where: object): Promise<number> {
  const { total } = await db.collection(collection).where(where).count() as { total: number }
  if (total > 0) await db.collection(collection).where(where).remove()
  return total
}

async function countWhere (collection: string, where: object): Promise<number> {
  return (await db.collection(collection).where(where).count() as { total: number }).total
}

/**
 * Removes everything about a child but what the law keeps. `keepMinimum`: the file stays as the minimum record (a
 * guardian's request: the left-behind register of 未成年人保护法第43条 and the fee-waiver categories); otherwise the file
 * goes too (its retention ran out).
 */
export async function eraseChild (child: ChildRecord, keepMinimum: boolean, now: Date): Promise<Erasure> {
  let deleted = 0
  // Calls: seats of calls still to come are given back so other families can take them.
  for (const b of await allPages<BookingDoc>(db.collection(COLLECTIONS.bookings).where({ childId: child._id }))) {
    if (b.status === 'booked') {
      await releaseQuota(b.quotaLockId)
      await releaseChildSlot(b.slotKey, b.childId)
    }
    // A past call's seat frees nothing, but its id names the child.
    await releaseSeat(b.seatId)
    await removeDoc(COLLECTIONS.bookings, b._id)
    deleted++
  }
  // A seat held for the child by a waiting-list offer is given back.
  for (const w of await rows<{ offer?: { seatId: string } }>(db.collection(COLLECTIONS.waitlist).where({ childId: child._id, state: 'offered' }).limit(100))) {
    if (w.offer) await releaseSeat(w.offer.seatId)
  }
  for (const collection of [COLLECTIONS.weeklyContacts, COLLECTIONS.directCalls, COLLECTIONS.standingCalls, COLLECTIONS.waitlist, COLLECTIONS.quotaLocks, COLLECTIONS.bindings, COLLECTIONS.codes, COLLECTIONS.contactLogs]) {
    deleted += await removeWhere(collection, { childId: child._id })
  }
  // Pairings: the child's lock and the volunteer's seat are given back.
  for (const p of await rows<{ _id: string, seatId?: string }>(db.collection(COLLECTIONS.pairings).where({ childId: child._id }).limit(100))) {
    await removeDoc(COLLECTIONS.pairingLocks, child._id)
    if (p.seatId) await removeDoc(COLLECTIONS.pairingLocks, p.seatId)
    await removeDoc(COLLECTIONS.pairings, p._id)
    deleted++
  }
  // Psychological help: the requests, their sessions (seats given back) and the counsellors' notes.
  for (const r of await rows<{ _id: string }>(db.collection(COLLECTIONS.helpRequests).where({ childId: child._id }).limit(100))) {
    for (const s of await rows<{ _id: string, seatId?: string, status?: string, start?: Date }>(db.collection(COLLECTIONS.counselingSessions).where({ requestId: r._id }).limit(100))) {
      if (s.seatId && s.status === 'booked') await releaseSeat(s.seatId)
      await removeDoc(COLLECTIONS.counselingSessions, s._id)
      deleted++
    }
    deleted += await removeWhere(COLLECTIONS.sessionNotes, { requestId: r._id })
    await removeDoc(COLLECTIONS.helpRequests, r._id)
    deleted++
  }
  const kept = await countWhere(COLLECTIONS.mandatoryReports, { childId: child._id }) +
    await countWhere(COLLECTIONS.legalAidRequests, { childId: child._id }) +
    await countWhere(COLLECTIONS.auditLog, { childIds: child._id })
  if (keepMinimum) {
    await db.collection(COLLECTIONS.children).doc(child._id).update({ data: { ...minimumRecordUpdate(child), erasure: { at: now, why: 'request' }, updatedAt: db.serverDate() } })
  } else {
    await removeDoc(COLLECTIONS.children, child._id)
  }
  return { deleted: deleted + 1, kept }
}
