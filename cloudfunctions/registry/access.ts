import { AppError, viewOf, type ChildRecord, type ChildView, type Relation } from '../../src/domain'
import { db, findById, rows } from '../_server/cloud'
import { COLLECTIONS } from '../_server/collections'
import type { Caller } from '../_server/caller'

export interface Binding { relation: Relation, role: 'parent' | 'guardian' | 'child' }

/** Loads a child and decides how much of it the caller may see; refuses (and reveals nothing) otherwise. */
export async function childFor (caller: Caller, childId: string): Promise<{ child: ChildRecord, view: ChildView, bound: boolean, binding: Binding | null }> {
  const child = await findById<ChildRecord>(COLLECTIONS.children, childId)
  // Not found and not allowed answer alike, so nobody can probe which ids exist.
  if (!child) throw new AppError('FORBIDDEN', '您没有权限查看这个孩子的信息')
  const binding = await findById<Binding>(COLLECTIONS.bindings, `${childId}:${caller.openid}`)
  const bound = Boolean(binding)
  const paired = !bound && caller.grants.some((g) => g.role === 'volunteer') &&
    (await rows(db.collection(COLLECTIONS.pairings).where({ childId, volunteerId: caller.openid, status: 'active' }).limit(1))).length > 0
  const view = viewOf(caller.grants, child, { bound, paired })
  if (!view) throw new AppError('FORBIDDEN', '您没有权限查看这个孩子的信息')
  return { child, view, bound, binding }
}

/**
 * Either legal guardian decides on the child's information: a bound parent, or the guardian at home (监护人), with that
 * role active (儿童个人信息网络保护规定 第九条; docs/DOMAIN.md, "Children's personal information").
 */
export function decidesFor (caller: Caller, binding: Binding | null): boolean {
  if (!binding || (binding.role !== 'parent' && binding.role !== 'guardian')) return false
  return caller.grants.some((g) => g.role === binding.role)
}
