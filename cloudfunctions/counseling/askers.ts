/** Who may ask for help for a child, and what an asker in a crisis is told at once. */
import { AppError, HELP_NUMBERS, activeGrants, type ChildRecord } from '../../src/domain'
import { db, findById, rows } from '../_server/cloud'
import { COLLECTIONS } from '../_server/collections'
import type { Caller } from '../_server/caller'
import type { StationDoc } from '../_server/counseling/records'

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

export function crisisNumbers (station: StationDoc) {
  const pick = (n: string) => HELP_NUMBERS.find((h) => h.number === n)!
  return [
    { number: '110', name: pick('110').name },
    { number: '12355', name: pick('12355').name },
    ...(station.dutyLine ? [{ number: station.dutyLine, name: `${station.name}值班电话` }] : [])
  ]
}

/** What happens next, in one plain sentence: to the child as 你, to a grown-up asking for a child as 您. */
export function crisisMessage (forSelf: boolean, ackByName?: string): string {
  if (ackByName) return forSelf ? `${ackByName}已经在处理，会给你打电话。` : `${ackByName}已经在处理，会给您打电话。`
  return forSelf ? '值班辅导员马上会给你打电话。如果现在有危险，请先打 110。' : '值班辅导员马上会给您打电话。孩子现在有危险，请先打 110。'
}
