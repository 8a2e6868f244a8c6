/** Shared by the pairing function and the scheduler. */
import {
  NEED_LABELS, ageOn, activeGrants, rhythmOf, type Agency, type ChildRecord, type Vetting, type VolunteerKind
} from '../../src/domain'
import { _, db, rows } from '../_server/cloud'
import { COLLECTIONS } from '../_server/collections'
import { isDuplicate } from '../_server/idempotency'
import type { Caller } from '../_server/caller'
import { Places } from '../_server/places'

/** The agency that recruits and vets each kind of volunteer (the plan's 责任单位). */
export const AGENCY_OF_KIND: Record<VolunteerKind, Agency> = {
  caringParent: 'womensFederation', // 爱心家长: 市妇联
  elder: 'elderCare', // 五老关爱: 市关工委
  youth: 'youthLeague', // 青春护雏: 团市委
  counselor: 'youthLeague',
  entrepreneur: 'youthLeague',
  leader: 'civilAffairs' // 五个一: leaders' own pairing, kept by 民政
}

export interface ProfileDoc {
  _id: string, kind: VolunteerKind, agency: Agency, gender: 'male' | 'female', townshipIds: string[], capacity: number, freeDays: number[], skills: string[], dialects: string[],
  vetting?: Vetting, codeAgreedAt?: Date
}
export interface PairingDoc {
  _id: string, childId: string, countyId?: string, townshipId?: string, volunteerId: string, volunteerName: string, status: 'offered' | 'active' | 'declined' | 'expired' | 'review' | 'ended',
  explanation?: string, offeredAt?: Date, expiresAt?: Date, acceptedAt?: Date, endedAt?: Date, endReason?: string, runId?: string, offeredBy?: string, seatId?: string
}

/** The areas an admin works in (their county or township scopes). */
export function adminAreas (caller: Caller): Array<{ level: string, id: string, agency: Agency }> {
  return activeGrants(caller.grants).filter((g) => g.role === 'admin' && g.scope && g.agency).map((g) => ({ level: g.scope!.level, id: g.scope!.id, agency: g.agency! }))
}

/** What a volunteer sees of a child: name (masked until they accept), age, village, school class, needs. */
export async function childForVolunteer (child: ChildRecord, masked: boolean, now: Date) {
  const places = new Places()
  await places.load([child.villageId, child.schoolId])
  const name = masked ? `${child.name.slice(0, 1)}${'*'.repeat(Math.max(1, child.name.length - 2))}${child.name.length > 2 ? child.name.slice(-1) : ''}` : child.name
  return { name, age: ageOn(child.birthDate, now), gender: child.gender, villageName: places.name(child.villageId), schoolName: places.name(child.schoolId), className: child.className, needs: (child.needs ?? []).map((n) => NEED_LABELS[n]) }
}

export async function pairingView (p: PairingDoc, now: Date) {
  const [child] = await rows<ChildRecord>(db.collection(COLLECTIONS.children).where({ _id: p.childId }).limit(1))
  const logs = await rows<{ kind: 'talk' | 'visit', mode: string, at: Date, note: string }>(db.collection(COLLECTIONS.contactLogs).where({ pairingId: p._id }).orderBy('at', 'desc').limit(50))
  return {
    id: p._id,
    child: await childForVolunteer(child, false, now),
    volunteerName: p.volunteerName,
    since: p.acceptedAt ?? p.offeredAt ?? now,
    status: (p.status === 'active' || p.status === 'review' ? p.status : 'ended') as 'active' | 'review' | 'ended',
    rhythm: rhythmOf(logs.map((l) => ({ kind: l.kind, at: new Date(l.at) })), now),
    logs: logs.map((l) => ({ kind: l.kind, mode: l.mode, at: l.at, note: l.note }))
  }
}

/** Claims a lock document; false when it is held. */
export async function claimLock (_id: string, fields: Record<string, unknown>): Promise<boolean> {
  try {
    await db.collection(COLLECTIONS.pairingLocks).add({ data: { _id, ...fields } })
    return true
  } catch (err) {
    if (isDuplicate(err)) return false
    throw err
  }
}

/** A volunteer's seat among their capacity, or null when every seat is taken. */
export async function claimSeat (volunteerId: string, capacity: number, pairingId: string): Promise<string | null> {
  for (let n = 1; n <= capacity; n++) {
    if (await claimLock(`${volunteerId}#${n}`, { volunteerId, pairingId })) return `${volunteerId}#${n}`
  }
  return null
}

export async function activeCount (volunteerId: string): Promise<number> {
  return (await rows(db.collection(COLLECTIONS.pairings).where({ volunteerId, status: _.in(['active', 'review']) }).limit(100))).length
}
