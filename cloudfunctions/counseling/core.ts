/** Shared by the counseling function and the scheduler: who may ask for a child, stations, rosters, alerts. */
import {
  AppError, CRISIS_REASON_LABELS, DEFAULT_COUNSELOR_SETTINGS, HELP_NUMBERS, activeGrants, careRoomResource, roomSettings,
  type CareRoomSettings, type ChildRecord, type CrisisReason, type ScheduleResource, type TriageAnswers, type Urgency
} from '../../src/domain'
import { _, db, findById, rows } from '../_server/cloud'
import { COLLECTIONS } from '../_server/collections'
import type { Caller } from '../_server/caller'

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
  crisis?: { level: number, alerts: Array<{ to: string, toName: string, level: number, at: Date }>, ackBy?: string, ackByName?: string, ackAt?: Date }
  followUpDate?: string
  reportId?: string
}

export interface StationDoc { _id: string, name: string, dutyLine?: string, countyId: string }
export interface Roster { _id: string, order: string[], supervisor?: string }

/** The roles that may ask for help for a child, and how each reaches the child. */
export const ASKERS = ['child', 'parent', 'guardian', 'teacher', 'volunteer'] as const

/** The child, if the caller may ask help for it: their own, bound, of their school, or paired with them. */
export async function askableChild (caller: Caller, childId: string): Promise<ChildRecord> {
  const child = await findById<ChildRecord>(COLLECTIONS.children, childId)
  const refuse = new AppError('FORBIDDEN', '只能为自己、自己的孩子、本校学生或结对的孩子求助')
  if (!child) throw refuse
  const grants = activeGrants(caller.grants)
  if (grants.some((g) => g.role === 'teacher' && g.scope?.level === 'school' && g.scope.id === child.schoolId)) return child
  const binding = await findById<{ role?: string, relation?: string }>(COLLECTIONS.bindings, `${childId}:${caller.openid}`)
  if (binding && grants.some((g) => g.role === 'parent' || g.role === 'guardian' || g.role === 'child')) return child
  if (grants.some((g) => g.role === 'volunteer')) {
    const paired = await rows(db.collection(COLLECTIONS.pairings).where({ childId, volunteerId: caller.openid, status: 'active' }).limit(1))
    if (paired.length > 0) return child
  }
  throw refuse
}

export async function stationOf (countyId: string): Promise<StationDoc> {
  const [station] = await rows<StationDoc>(db.collection(COLLECTIONS.places).where({ kind: 'station', countyId }).orderBy('_id', 'asc').limit(1))
  if (!station) throw new AppError('NOT_FOUND', '这个县还没有心理健康辅导站，请拨打 12355')
  return station
}

export async function rosterOf (stationId: string): Promise<Roster> {
  return (await findById<Roster>(COLLECTIONS.dutyRosters, stationId)) ?? { _id: stationId, order: [] }
}

export async function namesOf (ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)].filter(Boolean)
  if (unique.length === 0) return new Map()
  const users = await rows<{ _id: string, name: string }>(db.collection(COLLECTIONS.users).where({ _id: _.in(unique) }).field({ name: true }).limit(100))
  return new Map(users.map((u) => [u._id, u.name]))
}

/** The stations whose cases a counsellor works on. */
export function stationsOf (caller: Caller): string[] {
  return activeGrants(caller.grants).filter((g) => g.role === 'counselor' && g.scope?.level === 'station').map((g) => g.scope!.id)
}

export function requireStation (caller: Caller, stationId: string): void {
  if (!stationsOf(caller).includes(stationId)) throw new AppError('FORBIDDEN', '只有本辅导站的辅导员可以处理')
}

export interface Counselor { id: string, name: string, settings: CareRoomSettings, resource: ScheduleResource }

export async function counselorsOf (stationId: string): Promise<Counselor[]> {
  const profiles = await rows<{ _id: string, settings?: unknown }>(db.collection(COLLECTIONS.counselorProfiles).where({ stationId }).orderBy('_id', 'asc').limit(100))
  const names = await namesOf(profiles.map((p) => p._id))
  return profiles.map((p) => {
    const settings = roomSettings(p.settings ?? DEFAULT_COUNSELOR_SETTINGS, 1)
    // A counsellor sees one family at a time, whatever was stored.
    const resource = { ...careRoomResource(p._id, settings), capacity: 1 }
    return { id: p._id, name: names.get(p._id) ?? '', settings: { ...settings, devices: 1 }, resource }
  })
}

export function crisisNumbers (station: StationDoc) {
  const pick = (n: string) => HELP_NUMBERS.find((h) => h.number === n)!
  return [
    { number: '110', name: pick('110').name },
    { number: '12355', name: pick('12355').name },
    ...(station.dutyLine ? [{ number: station.dutyLine, name: `${station.name}值班电话` }] : [])
  ]
}

export const CRISIS_MESSAGE = '辅导员马上会给你打电话。如果现在有危险，请先打 110。'

export function reasonLabels (reasons: readonly CrisisReason[]): string[] {
  return reasons.map((r) => CRISIS_REASON_LABELS[r])
}
