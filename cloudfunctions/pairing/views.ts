/** What a volunteer and an admin see of a pairing and of its child. */
import { NEED_LABELS, RELATION_LABELS, ageOn, periodStart, periodsOf, rhythmOf, type ChildRecord } from '../../src/domain'
import { _, db } from '../_server/cloud'
import { COLLECTIONS } from '../_server/collections'
import { pieces } from '../_server/paging'
import { Places, type PlaceDoc } from '../_server/places'
import { pairingStart, type PairingDoc } from '../_server/pairing/records'

/** What a volunteer sees of a child: name (masked until they accept), age, village, school class, needs. */
export async function childForVolunteer (child: ChildRecord, masked: boolean, now: Date) {
  const places = new Places()
  await places.load([child.villageId, child.schoolId])
  return childShown(child, masked, now, (id) => places.name(id))
}

function childShown (child: ChildRecord, masked: boolean, now: Date, placeName: (id: string) => string) {
  const name = masked ? `${child.name.slice(0, 1)}${'*'.repeat(Math.max(1, child.name.length - 2))}${child.name.length > 2 ? child.name.slice(-1) : ''}` : child.name
  return { name, age: ageOn(child.birthDate, now), gender: child.gender, villageName: placeName(child.villageId), schoolName: placeName(child.schoolId), className: child.className, needs: (child.needs ?? []).map((n) => NEED_LABELS[n]) }
}

type LogDoc = { pairingId: string, kind: 'talk' | 'visit', mode: string, at: Date, note: string }
type ChildWithAll = ChildRecord & { contacts: LogDoc[], places: PlaceDoc[] }

/**
 * The views of many pairings with one read per hundred children: each child's file with its talks and visits and its
 * village and school joined on (docs/ARCHITECTURE.md, "Cloud functions"), instead of four reads a pairing.
 */
export async function pairingViews (list: readonly PairingDoc[], now: Date): Promise<Array<ReturnType<typeof viewOf>>> {
  const byId = new Map<string, ChildWithAll>()
  for (const some of pieces([...new Set(list.map((p) => p.childId))])) {
    const res = await db.collection(COLLECTIONS.children).aggregate().match({ _id: _.in(some) }).limit(some.length)
      .lookup({ from: COLLECTIONS.contactLogs, localField: '_id', foreignField: 'childId', as: 'contacts' })
      .lookup({ from: COLLECTIONS.places, localField: 'villageId', foreignField: '_id', as: 'village' })
      .lookup({ from: COLLECTIONS.places, localField: 'schoolId', foreignField: '_id', as: 'school' })
      .end() as { list: Array<ChildRecord & { contacts: LogDoc[], village: PlaceDoc[], school: PlaceDoc[] }> }
    for (const c of res.list) byId.set(c._id, { ...c, places: [...c.village, ...c.school] })
  }
  return list.filter((p) => byId.has(p.childId)).map((p) => viewOf(p, byId.get(p.childId)!, now))
}

function viewOf (p: PairingDoc, child: ChildWithAll, now: Date) {
  const mine = child.contacts.filter((l) => l.pairingId === p._id).sort((a, b) => new Date(b.at).getTime() - new Date(a.at).getTime())
  // The latest fifty to show; the rhythm from every contact of this quarter.
  const logs = mine.slice(0, 50)
  const since = periodStart(periodsOf(now).quarter).getTime()
  const quarter = mine.filter((l) => new Date(l.at).getTime() >= since).map((l) => ({ kind: l.kind, at: new Date(l.at), mode: l.mode }))
  const names = new Map(child.places.map((x) => [x._id, x.name]))
  const shown = childShown(child, false, now, (id) => names.get(id) ?? '')
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
