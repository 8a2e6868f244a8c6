/** What a volunteer and an admin see of a pairing and of its child. */
import { NEED_LABELS, RELATION_LABELS, ageOn, periodStart, periodsOf, rhythmOf, type ChildRecord } from '../../src/domain'
import { db, rows } from '../_server/cloud'
import { COLLECTIONS } from '../_server/collections'
import { Places } from '../_server/places'
import { contactsSince, pairingStart, type PairingDoc } from '../_server/pairing/records'

/** What a volunteer sees of a child: name (masked until they accept), age, village, school class, needs. */
export async function childForVolunteer (child: ChildRecord, masked: boolean, now: Date) {
  const places = new Places()
  await places.load([child.villageId, child.schoolId])
  const name = masked ? `${child.name.slice(0, 1)}${'*'.repeat(Math.max(1, child.name.length - 2))}${child.name.length > 2 ? child.name.slice(-1) : ''}` : child.name
  return { name, age: ageOn(child.birthDate, now), gender: child.gender, villageName: places.name(child.villageId), schoolName: places.name(child.schoolId), className: child.className, needs: (child.needs ?? []).map((n) => NEED_LABELS[n]) }
}

export async function pairingView (p: PairingDoc, now: Date) {
  const [child] = await rows<ChildRecord>(db.collection(COLLECTIONS.children).where({ _id: p.childId }).limit(1))
  // The latest fifty to show; the rhythm from every contact of this quarter.
  const logs = await rows<{ kind: 'talk' | 'visit', mode: string, at: Date, note: string }>(db.collection(COLLECTIONS.contactLogs).where({ pairingId: p._id }).orderBy('at', 'desc').limit(50))
  const quarter = await contactsSince(p._id, periodStart(periodsOf(now).quarter))
  const shown = await childForVolunteer(child, false, now)
  return {
    id: p._id,
    child: shown,
    visit: { villageName: shown.villageName, guardianName: child.guardian?.name ?? '', guardianRelation: child.guardian ? RELATION_LABELS[child.guardian.relation] ?? '' : '' },
    volunteerName: p.volunteerName,
    since: p.acceptedAt ?? p.offeredAt ?? now,
    status: (p.status === 'active' || p.status === 'review' ? p.status : 'ended') as 'active' | 'review' | 'ended',
    rhythm: rhythmOf(quarter, now, pairingStart(p)),
    logs: logs.map((l) => ({ kind: l.kind, mode: l.mode, at: l.at, note: l.note }))
  }
}
