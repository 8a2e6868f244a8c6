/** Who the family is: the parents and guardians bound to a child, and the care room of the child's school. */
import { AppError, type ChildRecord } from '../../src/domain'
import { findById } from '../_server/cloud'
import { COLLECTIONS } from '../_server/collections'
import type { Caller } from '../_server/caller'
import { roomOfChild, type Room } from '../_server/hotline/rooms'

export const FAMILY = ['parent', 'guardian'] as const

/** The child, if bound to the caller as parent or guardian; refuses otherwise. */
export async function familyChild (caller: Caller, childId: string): Promise<ChildRecord> {
  const binding = await findById<{ role?: string }>(COLLECTIONS.bindings, `${childId}:${caller.openid}`)
  if (!binding) throw new AppError('FORBIDDEN', '只能为自己绑定的孩子预约通话')
  const child = await findById<ChildRecord>(COLLECTIONS.children, childId)
  if (!child) throw new AppError('NOT_FOUND', '没有找到这个孩子的档案')
  return child
}

/** A bound child and the care room of its school: how a family action opens; refuses when either is missing. */
export async function familyRoom (caller: Caller, childId: string): Promise<{ child: ChildRecord, room: Room }> {
  const child = await familyChild(caller, childId)
  const room = await roomOfChild(child)
  if (!room) throw new AppError('NOT_FOUND', '孩子的学校还没有开通真情关爱室，请联系班主任')
  return { child, room }
}
