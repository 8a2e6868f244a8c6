/**
 * The county justice admin (司法局) over the centres: requests stuck at a centre (nobody active there to act, or a
 * clock run late), and reassigning one to a centre that can act, logged and told to the applicant
 * (docs/DOMAIN.md, "Legal Aid Law").
 */
import {
  AppError, CLOCKED_STATES, LEGAL_AID_STATE_LABELS, MATTER_LABELS, deadlineAt, legalaidContract, runningClocks, shanghaiWall, type ActionOutput, type LegalAidState
} from '../../src/domain'
import { _, db, findById } from '../_server/cloud'
import * as clock from '../_server/clock'
import { COLLECTIONS } from '../_server/collections'
import { allPages } from '../_server/paging'
import { audit } from '../_server/audit'
import { loadCalendar } from '../_server/calendar'
import { notify } from '../_server/notify'
import { action } from '../_server/router'
import type { Caller } from '../_server/caller'
import type { LegalAidDoc } from '../_server/legalaid/records'
import { loadCentres } from '../_server/legalaid/centres'
import { step } from './cases'

/** The counties the caller is the justice admin of. Other admins oversee no legal aid: they see an empty list. */
function justiceCounties (caller: Caller): string[] {
  return caller.grants.filter((g) => g.role === 'admin' && g.agency === 'justice' && g.scope?.level === 'county').map((g) => g.scope!.id)
}

const open = () => _.or([{ state: _.in([...CLOCKED_STATES]) }, { state: 'inProgress', approvalPending: true }])
const when = (d: Date) => shanghaiWall(d).format('M月D日 HH:mm')

export const stuck = action({
  contract: legalaidContract.stuck,
  allowed: ['admin'],
  async handler (_input, caller) {
    const counties = justiceCounties(caller)
    if (counties.length === 0) return { requests: [], centres: [] }
    const list = await allPages<LegalAidDoc>(db.collection(COLLECTIONS.legalAidRequests).where(_.and([{ countyId: _.in(counties) }, open()])))
    const centres = await loadCentres()
    const active = new Map(centres.map((c) => [c._id, c.officers.length]))
    const cal = await loadCalendar()
    const now = clock.now()
    const requests: Array<ActionOutput<'legalaid', 'stuck'>['requests'][number]> = []
    for (const r of list) {
      const why: string[] = []
      if ((active.get(r.centreId) ?? 0) === 0) why.push(`${r.centreName}没有在岗的工作人员，没人能办理`)
      for (const c of runningClocks(cal, { ...r, deadlineAt: deadlineAt(r.deadline) }, now)) {
        if (c.state === 'late') why.push(`已超时：${c.label}（应在${when(c.due)}前）`)
      }
      if (why.length > 0) {
        requests.push({ id: r._id, reference: r.reference ?? r._id, childName: r.childName, matterLabel: MATTER_LABELS[r.matter], centreId: r.centreId, centreName: r.centreName, stateLabel: LEGAL_AID_STATE_LABELS[r.state], submittedAt: r.submittedAt, why })
      }
    }
    requests.sort((a, b) => new Date(a.submittedAt).getTime() - new Date(b.submittedAt).getTime())
    if (requests.length > 0) await audit(caller, { action: 'legalaid.stuck', what: `查看卡住的法律援助申请（${requests.length}件）` }, list.filter((r) => requests.some((x) => x.id === r._id)).map((r) => ({ _id: r.childId, countyId: r.countyId })))
    return {
      requests,
      centres: centres.filter((c) => c.officers.length > 0).map((c) => ({ id: c._id, name: c.name, activeOfficers: c.officers.length })).sort((a, b) => a.name.localeCompare(b.name, 'zh'))
    }
  }
})

export const reassign = action({
  contract: legalaidContract.reassign,
  allowed: ['admin'],
  async handler (input, caller) {
    const r = await findById<LegalAidDoc>(COLLECTIONS.legalAidRequests, input.requestId)
    if (!r || (r.state as string) === 'draft' || !justiceCounties(caller).includes(r.countyId)) throw new AppError('FORBIDDEN', '只有孩子所在县司法局的管理员可以转办这个申请')
    const movable: LegalAidState[] = ['submitted', 'acknowledged', 'approved', 'lawyerAssigned']
    if (!movable.includes(r.state)) throw new AppError('CONFLICT', r.state === 'inProgress' ? '律师已经在办理，请联系中心补办审查' : '这个申请已经办结，不能转办')
    const centres = await loadCentres()
    const target = centres.find((c) => c._id === input.centreId)
    if (!target) throw new AppError('INVALID_INPUT', '请选择转给哪个中心', { centreId: '没有这个法律援助中心' })
    if (target._id === r.centreId) throw new AppError('INVALID_INPUT', '已经在这个中心了', { centreId: '申请已经在这个中心，请选别的中心' })
    if (target.officers.length === 0) throw new AppError('INVALID_INPUT', `${target.name}没有在岗的工作人员`, { centreId: `${target.name}没有在岗的工作人员，转过去也没人办` })
    const now = clock.now()
    // A lawyer of the old centre who has not accepted is released; the new centre chooses its own.
    const release = r.state === 'lawyerAssigned'
      ? { state: r.approvalPending === true ? 'acknowledged' : 'approved', approvalPending: false, lawyerId: _.remove(), lawyerName: _.remove(), assignedAt: _.remove() }
      : {}
    const routedWhy = `县司法局转给${target.name}办理：${input.reason}`
    await step(r._id, `县司法局已把申请转给${target.name}办理：${input.reason}`, {
      centreId: target._id, centreName: target.name, centrePhone: target.phone ?? _.remove(), routedWhy, reassignedAt: now, reassignedBy: caller.openid, reassignedFrom: r.centreId, ...release
    })
    await audit(caller, { action: 'legalaid.reassign', what: `把法律援助申请从${r.centreName}转给${target.name}：${input.reason}`, targetId: r._id }, [{ _id: r.childId, countyId: r.countyId, townshipId: r.townshipId }])
    await notify({ to: r.applicant, template: 'caseUpdate', link: `packages/legalaid/pages/request/index?id=${r._id}`, title: `您的法律援助申请已转给${target.name}`, at: now, detail: input.reason, key: `legalaid:${r._id}:reassigned:${target._id}:${now.getTime()}` })
    for (const o of target.officers) await notify({ to: o, template: 'caseUpdate', link: `packages/legalaid/pages/case/index?id=${r._id}`, title: `县司法局转来法律援助申请：${MATTER_LABELS[r.matter]}`, at: now, detail: input.reason, key: `legalaid:${r._id}:reassigned:${target._id}:${now.getTime()}`, urgent: true })
    if (r.state === 'lawyerAssigned' && r.lawyerId) await notify({ to: r.lawyerId, template: 'caseUpdate', link: 'packages/legalaid/pages/cases/index', title: `案件已转给${target.name}，不用再接`, detail: r.childName, key: `legalaid:${r._id}:released:${r.lawyerId}` })
    return { centreName: target.name }
  }
})
