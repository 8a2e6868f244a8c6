/** Volunteers and pairings as stored: what the pairing function writes and the scheduler's pairing timers read. */
import type { Agency, Vetting, VolunteerKind } from '../../../src/domain'

export interface ProfileDoc {
  _id: string, kind: VolunteerKind, agency: Agency, gender: 'male' | 'female', townshipIds: string[], capacity: number, freeDays: number[], skills: string[], dialects: string[],
  vetting?: Vetting, codeAgreedAt?: Date
}
export interface PairingDoc {
  _id: string, childId: string, countyId?: string, townshipId?: string, volunteerId: string, volunteerName: string, status: 'offered' | 'active' | 'declined' | 'expired' | 'review' | 'ended',
  explanation?: string, offeredAt?: Date, expiresAt?: Date, acceptedAt?: Date, endedAt?: Date, endReason?: string, runId?: string, offeredBy?: string, seatId?: string
}
