import { AppError, viewOf, type ChildRecord, type ChildView } from '../../src/domain'
import { db, findById, rows } from '../_server/cloud'
import { COLLECTIONS } from '../_server/collections'
import type { Caller } from '../_server/caller'

/** Loads a child and decides how much of it the caller may see; refuses (and reveals nothing) otherwise. */
export async function childFor (caller: Caller, childId: string): Promise<{ child: ChildRecord, view: ChildView, bound: boolean }> {
  const child = await findById<ChildRecord>(COLLECTIONS.children, childId)
  // Not found and not allowed answer alike, so nobody can probe which ids exist.
  if (!child) throw new AppError('FORBIDDEN', '您没有权限查看这个孩子的信息')
  const bound = Boolean(await findById(COLLECTIONS.bindings, `${childId}:${caller.openid}`))
  const paired = !bound && caller.grants.some((g) => g.role === 'volunteer') &&
    (await rows(db.collection(COLLECTIONS.pairings).where({ childId, volunteerId: caller.openid, status: 'active' }).limit(1))).length > 0
  const view = viewOf(caller.grants, child, { bound, paired })
  if (!view) throw new AppError('FORBIDDEN', '您没有权限查看这个孩子的信息')
  return { child, view, bound }
}
