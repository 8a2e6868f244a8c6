/** What counseling stores, as its function and its timers (crisis escalation, session reminders) both read it. */
import type { CallBackWhose, CrisisReason, HurtBy, SessionMode, TriageAnswers, Urgency } from '../../../src/domain'
import { _, db, findById } from '../cloud'
import { COLLECTIONS } from '../collections'
import { allPages } from '../paging'

export interface HelpRequest {
  _id: string
  childId: string
  childName: string
  countyId: string
  /** The child's township, so a township admin's oversight counts only its own (older records lack it). */
  townshipId?: string
  stationId: string
  requesterOpenid: string
  requesterName: string
  requesterRole: string
  answers: TriageAnswers
  urgency: Urgency
  reasons: CrisisReason[]
  abuseNamed: boolean
  state: 'open' | 'booked' | 'closed'
  counselorId?: string
  counselorName?: string
  createdAt: Date
  /** the ladder's trail: each step names who was alerted, through which channels, and why it moved on when nobody was reached */
  crisis?: { level: number, alerts: Array<{ to: string, toName: string, level: number, at: Date, via?: string[], reached?: boolean, why?: string }>, ackBy?: string, ackByName?: string, ackAt?: Date }
  followUpDate?: string
  reportId?: string
  /** the number the asker left for the call back */
  callBack?: { phone: string, whose: CallBackWhose, at: Date }
  /** what the asker told after help was on its way: who hurts the child, a note */
  told?: { hurtBy?: HurtBy, words?: string, at: Date }
  /** an unbooked soon-request followed up: when the on-duty counsellor was alerted */
  followUp?: { alertedAt: Date, to: string }
}

export interface SessionDoc {
  _id: string, requestId: string, childId: string, childName: string, counselorId: string, counselorName: string, seatId: string, start: Date, end: Date,
  mode: SessionMode, status: 'booked' | 'cancelled' | 'done', requesterOpenid: string, reminders: { day: boolean, halfHour: boolean },
  /** how it happens: the number the counsellor calls (phone, video), or the place (in person) */
  phone?: string
  place?: string
}

export interface StationDoc { _id: string, name: string, dutyLine?: string, countyId: string, /** where in-person sessions are held */ address?: string }
interface Roster { _id: string, order: string[], supervisor?: string }

export async function rosterOf (stationId: string): Promise<Roster> {
  return (await findById<Roster>(COLLECTIONS.dutyRosters, stationId)) ?? { _id: stationId, order: [] }
}

/** The names of people by their ids. */
export async function namesOf (ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)].filter(Boolean)
  if (unique.length === 0) return new Map()
  const users = await allPages<{ _id: string, name: string }>(db.collection(COLLECTIONS.users).where({ _id: _.in(unique) }).field({ name: true }))
  return new Map(users.map((u) => [u._id, u.name]))
}
