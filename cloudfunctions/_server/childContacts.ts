/**
 * Where a child can be found and who can be called for her: her school, class, township and village, and the numbers
 * that may reach her (src/domain/counseling/callback.ts). Read by counselling (the call-back numbers of a crisis) and
 * by reports (what the police act on). Callers log the read: these are the child's file.
 */
import { RELATION_LABELS, callBackNumbers, type CallBackFacts, type ChildPlace, type ChildRecord, type Contact, type HomeConcern } from '../../src/domain'
import { db, rows } from './cloud'
import { COLLECTIONS } from './collections'
import { Places } from './places'

export interface Whereabouts {
  place: ChildPlace
  /** the school's care room: its name and line (answered by the teacher on duty) */
  school?: { name: string, phone?: string }
}

export async function whereabouts (child: ChildRecord): Promise<Whereabouts> {
  const places = new Places()
  await places.load([child.schoolId, child.townshipId, child.villageId].filter(Boolean))
  const [room] = child.schoolId ? await rows<{ name: string, phone?: string }>(db.collection(COLLECTIONS.careRooms).where({ schoolId: child.schoolId }).orderBy('_id', 'asc').limit(1)) : []
  const schoolName = places.name(child.schoolId)
  return {
    place: { school: schoolName, className: child.className ?? '', township: places.name(child.townshipId), village: places.name(child.villageId) },
    ...(room || schoolName ? { school: { name: room?.name ?? schoolName, ...(room?.phone ? { phone: room.phone } : {}) } } : {})
  }
}

/** Every number that may reach the child, in the order to try them (the home flagged when it is pointed at). */
export function contactsOf (child: ChildRecord, where: Whereabouts, extra: { chosen?: CallBackFacts['chosen'], concern?: HomeConcern, childPhone?: boolean } = {}): Contact[] {
  return callBackNumbers({
    chosen: extra.chosen,
    childPhone: extra.childPhone === false ? undefined : child.phone,
    school: where.school,
    guardian: child.guardian ? { name: child.guardian.name, relationLabel: RELATION_LABELS[child.guardian.relation] ?? '', phone: child.guardian.phone } : undefined,
    parents: (child.parents ?? []).map((p) => ({ name: p.name, relationLabel: RELATION_LABELS[p.relation] ?? '', phone: p.phone, workCity: p.workCity })),
    concern: extra.concern
  })
}
