/**
 * The weekly record of calls home (docs/DOMAIN.md, "Contact rhythm"), shared by the teacher's check-in, the
 * guardian's confirmation of a direct call, the history and the timers: a week is held once a care-room call was held
 * or a direct call confirmed, and the record says where.
 */
import { contactKnownFrom, weekOf, type CallPlace, type ChildRecord } from '../../../src/domain'
import { _, db, findById, rows } from '../cloud'
import { COLLECTIONS } from '../collections'
import { isDuplicate } from '../idempotency'

export interface BindingDoc { _id: string, childId: string, openid: string, relation: string, role: 'parent' | 'guardian' | 'child', createdAt?: Date }

type AreaOf = Pick<ChildRecord, '_id' | 'countyId' | 'townshipId'> & { lastHeldCallAt?: Date }

/**
 * Marks the week of a call as held, adding where it happened; the child's last call moves on and a run of weeks
 * without one ends (its flag is cleared). Safe to repeat.
 */
export async function markWeekHeld (child: AreaOf, at: Date, place: CallPlace): Promise<void> {
  const { weekKey } = weekOf(at)
  const _id = `${child._id}:${weekKey}`
  const col = db.collection(COLLECTIONS.weeklyContacts)
  try {
    // The area travels with the record so an agency's oversight counts it without reading every child.
    await col.add({ data: { _id, childId: child._id, weekKey, held: true, places: [place], lastAt: at, countyId: child.countyId ?? null, townshipId: child.townshipId ?? null } })
  } catch (err) {
    if (!isDuplicate(err)) throw err
    await col.doc(_id).update({ data: { held: true, places: _.addToSet(place) } })
  }
  const latest = !child.lastHeldCallAt || new Date(child.lastHeldCallAt) < at
  await db.collection(COLLECTIONS.children).doc(child._id).update({ data: { contactFlag: _.remove(), ...(latest ? { lastHeldCallAt: at } : {}) } })
}

/** The family bound to a child: parents, guardians and the child's own account. */
export async function familyOf (childId: string): Promise<BindingDoc[]> {
  return await rows<BindingDoc>(db.collection(COLLECTIONS.bindings).where({ childId }).limit(100))
}

/** From when the system knew the child and a parent who could call (null: no parent bound). */
export async function knownFromOf (child: Pick<ChildRecord, '_id'> & { createdAt?: Date }, family?: BindingDoc[]): Promise<Date | null> {
  const bound = (family ?? await familyOf(child._id)).filter((b) => b.role === 'parent')
  const file = child.createdAt ?? (await findById<{ createdAt?: Date }>(COLLECTIONS.children, child._id))?.createdAt
  return contactKnownFrom(file ? new Date(file) : undefined, bound.map((b) => (b.createdAt ? new Date(b.createdAt) : undefined)))
}
