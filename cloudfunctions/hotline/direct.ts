/**
 * Calls a parent makes straight to the guardian's phone (docs/DOMAIN.md, "Contact rhythm"). The parent records one;
 * it counts for its week only once someone at home (a bound guardian) or the child's teacher confirms it, and never
 * on the word of the parent who made it. Care-room calls stay the main path; this keeps an evening video call to
 * grandma's phone from being nudged and flagged as "no call".
 */
import {
  AppError, CALL_MODE_LABELS, DIRECT_CALL_STATE_LABELS, RELATION_LABELS, hotlineContract, shanghaiWall, weekOf,
  type CallMode, type ChildRecord, type DirectCallState, type DirectCallView, type Relation
} from '../../src/domain'
import { _, db, findById, rows } from '../_server/cloud'
import { COLLECTIONS } from '../_server/collections'
import { audit } from '../_server/audit'
import { isDuplicate, once } from '../_server/idempotency'
import { notify } from '../_server/notify'
import { action } from '../_server/router'
import type { Caller } from '../_server/caller'
import { markWeekHeld } from '../_server/hotline/contact'
import { teachersAmong } from '../_server/hotline/tell'
import { familyAround } from './family'

export interface DirectCallDoc {
  _id: string
  childId: string
  childName: string
  schoolId: string
  countyId: string
  townshipId: string
  at: Date
  minutes: number
  mode: CallMode
  state: DirectCallState
  weekKey: string
  recordedBy: string
  recordedByName: string
  recordedByRelation: Relation
  confirmedBy?: string
  confirmedByName?: string
  confirmedAt?: Date
}

export function directCallView (d: DirectCallDoc): DirectCallView {
  return {
    id: d._id, childId: d.childId, childName: d.childName, at: d.at, minutes: d.minutes, mode: d.mode, state: d.state,
    stateLabel: d.state === 'confirmed' && d.confirmedByName ? `${d.confirmedByName}已确认` : DIRECT_CALL_STATE_LABELS[d.state],
    recordedByName: d.recordedByName, recordedByRelation: RELATION_LABELS[d.recordedByRelation] ?? '', confirmedByName: d.confirmedByName
  }
}

const CONFIRM_PAGE = 'packages/hotline/pages/confirm/index'

export const recordDirectCall = action({
  contract: hotlineContract.recordDirectCall,
  allowed: ['parent'],
  async handler (input, caller) {
    // The caller's binding, the child, the family and the school's people in one read that starts from the binding.
    const around = await familyAround(caller, input.childId)
    if (!around || around.binding.role !== 'parent') throw new AppError('FORBIDDEN', '只有孩子绑定的爸爸妈妈可以记下打给家里的电话')
    const { binding, child, family, names, staff } = around
    if (!child) throw new AppError('NOT_FOUND', '没有找到这个孩子的档案')
    return await once(caller, 'hotline.recordDirectCall', input.idempotencyKey, async () => {
      // One record per child and minute: the same call entered twice (by one parent or both) is one call.
      const doc: DirectCallDoc = {
        _id: `dc-${child._id}-${shanghaiWall(input.at).format('YYYYMMDDHHmm')}`,
        childId: child._id, childName: child.name, schoolId: child.schoolId, countyId: child.countyId, townshipId: child.townshipId,
        at: input.at, minutes: input.minutes, mode: input.mode, state: 'pending', weekKey: weekOf(input.at).weekKey,
        recordedBy: caller.openid, recordedByName: caller.user!.name, recordedByRelation: binding.relation as Relation
      }
      try {
        await db.collection(COLLECTIONS.directCalls).add({ data: { ...doc, createdAt: db.serverDate() } })
      } catch (err) {
        if (isDuplicate(err)) throw new AppError('CONFLICT', '这个时间的通话已经记过了', { at: '这个时间的通话已经记过了' })
        throw err
      }
      // Home confirms; where nobody at home uses the app, the child's teachers can.
      const guardians = family.filter((b) => b.role === 'guardian' && b.openid !== caller.openid).map((b) => b.openid)
      const asked = guardians.length > 0 ? guardians : teachersAmong(staff, child.schoolId)
      await Promise.all(asked.map(async (to) => await notify({
        to, template: 'callConfirm', link: `${CONFIRM_PAGE}?id=${encodeURIComponent(doc._id)}`, at: doc.at,
        title: `${doc.recordedByName}说和${child.name}通了电话`, detail: `${CALL_MODE_LABELS[doc.mode]}，约${doc.minutes}分钟，请确认`, key: `confirm:${doc._id}`
      })))
      const askedNames = guardians.length > 0 ? guardians.map((g) => names.get(g)).filter((n): n is string => n !== undefined) : ['孩子的老师']
      return { call: directCallView(doc), askedNames }
    })
  }
})

/** The children whose direct calls the caller may confirm: those they are bound to as guardian, their school's. */
async function mayConfirm (caller: Caller, call: Pick<DirectCallDoc, 'childId' | 'schoolId' | 'recordedBy'>): Promise<boolean> {
  if (call.recordedBy === caller.openid) return false
  const teacher = caller.grants.some((g) => g.role === 'teacher' && g.scope?.level === 'school' && g.scope.id === call.schoolId)
  if (teacher) return true
  if (!caller.grants.some((g) => g.role === 'guardian')) return false
  const binding = await findById<{ role?: string }>(COLLECTIONS.bindings, `${call.childId}:${caller.openid}`)
  return binding?.role === 'guardian'
}

export const callsToConfirm = action({
  contract: hotlineContract.callsToConfirm,
  allowed: ['guardian', 'teacher'],
  async handler (_input, caller) {
    const mine = caller.grants.some((g) => g.role === 'guardian')
      ? (await rows<{ childId: string, role?: string }>(db.collection(COLLECTIONS.bindings).where({ openid: caller.openid }).limit(100))).filter((b) => b.role === 'guardian').map((b) => b.childId)
      : []
    const schools = caller.grants.filter((g) => g.role === 'teacher' && g.scope?.level === 'school').map((g) => g.scope!.id)
    const found: DirectCallDoc[] = []
    if (mine.length > 0) found.push(...await rows<DirectCallDoc>(db.collection(COLLECTIONS.directCalls).where({ childId: _.in(mine), state: 'pending' }).orderBy('at', 'desc').limit(50)))
    if (schools.length > 0) found.push(...await rows<DirectCallDoc>(db.collection(COLLECTIONS.directCalls).where({ schoolId: _.in(schools), state: 'pending' }).orderBy('at', 'desc').limit(50)))
    const calls = [...new Map(found.filter((c) => c.recordedBy !== caller.openid).map((c) => [c._id, c])).values()].sort((a, b) => new Date(b.at).getTime() - new Date(a.at).getTime())
    // A teacher reads children's names of the school: the read is logged (docs/DOMAIN.md, "Children's personal information").
    const staffRead = calls.filter((c) => !mine.includes(c.childId))
    if (staffRead.length > 0) await audit(caller, { action: 'hotline.callsToConfirm', what: '查看家长直接通话（等确认）' }, staffRead.map((c) => ({ _id: c.childId, countyId: c.countyId, townshipId: c.townshipId })))
    return { calls: calls.map(directCallView) }
  }
})

export const confirmDirectCall = action({
  contract: hotlineContract.confirmDirectCall,
  allowed: ['guardian', 'teacher'],
  async handler (input, caller) {
    // The call with its child's file in one read; nothing of either leaves before the checks below.
    const { list } = await db.collection(COLLECTIONS.directCalls).aggregate().match({ _id: input.callId }).limit(1)
      .lookup({ from: COLLECTIONS.children, localField: 'childId', foreignField: '_id', as: 'child' }).end() as { list: Array<DirectCallDoc & { child: ChildRecord[] }> }
    if (!list[0]) throw new AppError('NOT_FOUND', '没有找到这次通话')
    const { child: [child], ...call } = list[0]
    if (call.recordedBy === caller.openid) throw new AppError('FORBIDDEN', '自己记的通话不能自己确认，请家里人或老师确认')
    if (!(await mayConfirm(caller, call))) throw new AppError('FORBIDDEN', '只有孩子的监护人或老师可以确认这次通话')
    const res = await db.collection(COLLECTIONS.directCalls).where({ _id: call._id, state: 'pending' })
      .update({ data: { state: input.decision, confirmedBy: caller.openid, confirmedByName: caller.user!.name, confirmedAt: db.serverDate() } }) as { stats: { updated: number } }
    if (res.stats.updated !== 1) {
      // Pressed twice: the same answer again is fine; a different one is not.
      const now = await findById<DirectCallDoc>(COLLECTIONS.directCalls, call._id)
      if (now?.state === input.decision) return { state: now.state }
      throw new AppError('CONFLICT', '这次通话已经有人确认过了')
    }
    if (input.decision === 'confirmed' && child) await markWeekHeld(child, new Date(call.at), 'direct')
    if (input.decision === 'declined') {
      await notify({ to: call.recordedBy, template: 'bookingProblem', link: `packages/hotline/pages/history/index?childId=${encodeURIComponent(call.childId)}`, at: new Date(call.at), title: `${caller.user!.name}说没有这次通话`, detail: '这次不算。请核对时间，或再约关爱室通话', key: `declined:${call._id}` })
    }
    await audit(caller, { action: 'hotline.confirmDirectCall', what: input.decision === 'confirmed' ? '确认家长直接打的电话' : '说明家长没有打这个电话' }, child ? [child] : [{ _id: call.childId }])
    return { state: input.decision }
  }
})
