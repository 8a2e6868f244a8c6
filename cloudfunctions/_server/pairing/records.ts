/** Volunteers and pairings as stored: what the pairing function writes and the scheduler's pairing timers read. */
import type { Agency, Vetting, VolunteerKind } from '../../../src/domain'
import { _, db } from '../cloud'
import { COLLECTIONS } from '../collections'
import { allPages } from '../paging'

export interface ProfileDoc {
  _id: string, kind: VolunteerKind, agency: Agency, gender: 'male' | 'female', townshipIds: string[], capacity: number, freeDays: number[], skills: string[], dialects: string[],
  vetting?: Vetting, codeAgreedAt?: Date
}
export interface PairingDoc {
  _id: string, childId: string, countyId?: string, townshipId?: string, volunteerId: string, volunteerName: string, status: 'offered' | 'active' | 'declined' | 'expired' | 'review' | 'ended',
  explanation?: string, offeredAt?: Date, expiresAt?: Date, acceptedAt?: Date, endedAt?: Date, endReason?: string, runId?: string, offeredBy?: string, seatId?: string
}

interface ContactLog { kind: 'talk' | 'visit', at: Date }

/** A pairing's talks and visits from `since` on: all the rhythm looks at (this month, this or the last quarter). */
export async function contactsSince (pairingId: string, since: Date): Promise<ContactLog[]> {
  const logs = await allPages<ContactLog>(db.collection(COLLECTIONS.contactLogs).where({ pairingId, at: _.gte(since) }).field({ kind: true, at: true }))
  return logs.map((l) => ({ kind: l.kind, at: new Date(l.at) }))
}
