/**
 * A family's request to delete a child's information (PIPL 第47条; the consent text's promise, docs/DOMAIN.md,
 * "Children's personal information"): either parent or the guardian asks; the county's 民政 admin carries it out
 * within the policy's working days, keeping only what the law requires; the scheduler alerts them when it runs late.
 */
import {
  AppError, DELETION_STATE_LABELS, KEPT_BY_LAW, RELATION_LABELS, deletionDue, registryContract,
  type ChildRecord, type DeletionState, type DeletionView, type Relation, type RoleGrant
} from '../../src/domain'
import { _, db, findById, rows } from '../_server/cloud'
import * as clock from '../_server/clock'
import { COLLECTIONS } from '../_server/collections'
import { audit } from '../_server/audit'
import { loadCalendar } from '../_server/calendar'
import { once } from '../_server/idempotency'
import { notify } from '../_server/notify'
import { action } from '../_server/router'
import type { Caller } from '../_server/caller'
import { dataPolicy } from '../_server/registry/policy'
import { eraseChild } from '../_server/registry/erase'
import { childFor, decidesFor } from './access'

export interface DeletionDoc {
  _id: string
  childId: string
  childName: string
  countyId: string
  townshipId: string
  state: DeletionState
  requestedAt: Date
  requestedBy: string
  requestedByName: string
  requestedByRelation: Relation
  reason: string
  dueAt: Date
  overdueAlerted: boolean
  doneAt?: Date
  doneBy?: string
  doneByName?: string
  deleted?: number
  kept?: number
}

export function deletionView (d: DeletionDoc, now: Date): DeletionView {
  return {
    id: d._id, childId: d.childId, childName: d.childName, state: d.state, stateLabel: DELETION_STATE_LABELS[d.state],
    requestedAt: d.requestedAt, requestedByName: d.requestedByName, requestedByRelation: RELATION_LABELS[d.requestedByRelation] ?? '',
    reason: d.reason, dueAt: d.dueAt, overdue: d.state === 'open' && new Date(d.dueAt) < now,
    ...(d.doneAt ? { doneAt: d.doneAt, doneByName: d.doneByName, deleted: d.deleted, kept: d.kept } : {})
  }
}

/** The county 民政 admins who carry out deletions in a county. */
export async function deletionAdminsOf (countyId: string): Promise<string[]> {
  const users = await rows<{ _id: string, roles: RoleGrant[] }>(db.collection(COLLECTIONS.users).where({ 'roles.scope.id': countyId }).limit(100))
  return users.filter((u) => u.roles.some((g) => isDeletionAdmin(g) && g.scope!.id === countyId)).map((u) => u._id)
}

/** 民政 keeps the county's registry (一人一档), so its county admin carries out deletions. */
function isDeletionAdmin (g: RoleGrant): boolean {
  return g.role === 'admin' && g.agency === 'civilAffairs' && g.scope?.level === 'county' && g.status !== 'suspended'
}

function countiesOf (caller: Caller): string[] {
  const counties = caller.grants.filter(isDeletionAdmin).map((g) => g.scope!.id)
  if (counties.length === 0) throw new AppError('FORBIDDEN', '删除申请由县民政局的管理员处理')
  return counties
}

const ADMIN_PAGE = 'packages/admin/pages/deletions/index'

export const requestDeletion = action({
  contract: registryContract.requestDeletion,
  allowed: ['parent', 'guardian'],
  async handler (input, caller) {
    const { child, binding } = await childFor(caller, input.childId)
    if (!decidesFor(caller, binding)) throw new AppError('FORBIDDEN', '只有孩子的爸爸妈妈或监护人可以申请删除')
    const now = clock.now()
    return await once(caller, 'registry.requestDeletion', input.idempotencyKey, async () => {
      const _id = `del-${child._id}`
      const existing = await findById<DeletionDoc>(COLLECTIONS.deletionRequests, _id)
      if (existing?.state === 'open') return deletionView(existing, now) // asked before: the request stands
      if (existing) throw new AppError('CONFLICT', '孩子的信息已经按申请删除过了')
      const due = deletionDue(await loadCalendar(), now, dataPolicy())
      const doc: DeletionDoc = {
        _id, childId: child._id, childName: child.name, countyId: child.countyId, townshipId: child.townshipId, state: 'open',
        requestedAt: now, requestedBy: caller.openid, requestedByName: caller.user!.name, requestedByRelation: binding!.relation,
        reason: input.reason ?? '', dueAt: due.at, overdueAlerted: false
      }
      await db.collection(COLLECTIONS.deletionRequests).add({ data: doc })
      for (const to of await deletionAdminsOf(child.countyId)) {
        await notify({ to, template: 'deadlineAlert', link: ADMIN_PAGE, at: due.at, title: `${child.name}的家人申请删除信息`, detail: '请在期限前处理', key: `deletion:new:${_id}` })
      }
      await audit(caller, { action: 'registry.requestDeletion', what: '家人申请删除孩子的信息' }, [child])
      return deletionView(doc, now)
    })
  }
})

export const deletionRequests = action({
  contract: registryContract.deletionRequests,
  allowed: ['admin'],
  async handler (_input, caller) {
    const counties = countiesOf(caller)
    const now = clock.now()
    const open = await rows<DeletionDoc>(db.collection(COLLECTIONS.deletionRequests).where({ countyId: _.in(counties), state: 'open' }).orderBy('dueAt', 'asc').limit(100))
    const done = await rows<DeletionDoc>(db.collection(COLLECTIONS.deletionRequests).where({ countyId: _.in(counties), state: 'done' }).orderBy('doneAt', 'desc').limit(20))
    const all = [...open, ...done]
    if (all.length > 0) await audit(caller, { action: 'registry.deletionRequests', what: `查看删除申请（${all.length}条）` }, all.map((d) => ({ _id: d.childId, countyId: d.countyId, townshipId: d.townshipId })))
    return { requests: all.map((d) => deletionView(d, now)), keptByLaw: [...KEPT_BY_LAW] }
  }
})

export const carryOutDeletion = action({
  contract: registryContract.carryOutDeletion,
  allowed: ['admin'],
  async handler (input, caller) {
    const counties = countiesOf(caller)
    const request = await findById<DeletionDoc>(COLLECTIONS.deletionRequests, input.requestId)
    if (!request || !counties.includes(request.countyId)) throw new AppError('NOT_FOUND', '没有找到这个删除申请')
    const now = clock.now()
    if (request.state === 'done') return deletionView(request, now) // pressed twice: done once
    const child = await findById<ChildRecord>(COLLECTIONS.children, request.childId)
    // Each step of the erasure may run again: a run cut short is finished by the next press.
    const erased = child ? await eraseChild(child, true, now) : { deleted: 0, kept: 0 }
    const done = { state: 'done' as const, doneAt: now, doneBy: caller.openid, doneByName: caller.user!.name, deleted: erased.deleted, kept: erased.kept }
    await db.collection(COLLECTIONS.deletionRequests).where({ _id: request._id, state: 'open' }).update({ data: done })
    // Logged by count, never by content.
    await audit(caller, { action: 'registry.carryOutDeletion', what: `按家人申请删除孩子的信息：删除${erased.deleted}项，按法律保留${erased.kept}项` }, [{ _id: request.childId, countyId: request.countyId, townshipId: request.townshipId }])
    await notify({ to: request.requestedBy, template: 'caseUpdate', link: 'pages/home/index', at: now, title: `${request.childName}的信息已按您的申请删除`, detail: '按法律只留下最少的信息', key: `deletion:done:${request._id}` })
    return deletionView({ ...request, ...done }, now)
  }
})
