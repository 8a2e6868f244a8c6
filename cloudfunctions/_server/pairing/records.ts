/** Volunteers and pairings as stored: what the pairing function writes and the scheduler's pairing timers read. */
import type { Agency, Vetting, VolunteerKind } from '../../../src/domain'
import { _, db } from '../cloud'
import { COLLECTIONS } from '../collections'
import { allPages } from '../paging'

export interface ProfileDoc {
  _id: string, kind: VolunteerKind, agency: Agency, gender: 'male' | 'female', townshipIds: string[], capacity: number, freeDays: number[], skills: string[], dialects: string[],
  vetting?: Vetting, codeAgreedAt?: Date,
  /** for the family of a paired child to call (a logged reveal) */
  phone?: string,
  /** names of families the volunteer must not be paired with */
  conflicts?: string[]
}
export interface PairingDoc {
  _id: string, childId: string, countyId?: string, townshipId?: string, volunteerId: string, volunteerName: string, status: 'offered' | 'active' | 'declined' | 'expired' | 'review' | 'ended',
  explanation?: string, offeredAt?: Date, expiresAt?: Date, acceptedAt?: Date, endedAt?: Date, endReason?: string, runId?: string, offeredBy?: string, seatId?: string
  /** false from the acceptance until the family has been told who the volunteer is (the scheduler, within the minute) */
  familyTold?: boolean
}

interface ContactLog { kind: 'talk' | 'visit', at: Date, mode?: string }

/** A pairing's talks and visits from `since` on: all the rhythm looks at (this month, this or the last quarter). */
export async function contactsSince (pairingId: string, since: Date): Promise<ContactLog[]> {
  const logs = await allPages<ContactLog>(db.collection(COLLECTIONS.contactLogs).where({ pairingId, at: _.gte(since) }).field({ kind: true, at: true, mode: true }))
  return logs.map((l) => ({ kind: l.kind, at: new Date(l.at), mode: l.mode }))
}

/** The day a pairing began, from which its contacts count: the acceptance (older pairings: the offer). */
export function pairingStart (p: PairingDoc): Date | undefined {
  const at = p.acceptedAt ?? p.offeredAt
  return at ? new Date(at) : undefined
}
