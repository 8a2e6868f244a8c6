/** The centre's officers (queue, acknowledge, decide, assign) and the volunteer lawyers (accept, progress, ask). */
import {
  AppError, CLOCKED_STATES, LAWYER_ACCEPT_HOURS, deadlineAt, legalAidClocks, legalaidContract, proposeLawyers, type LegalAidState, type Matter
} from '../../src/domain'
import { _, db, findById } from '../_server/cloud'
import { COLLECTIONS } from '../_server/collections'
import { allPages } from '../_server/paging'
import { audit } from '../_server/audit'
import { loadCalendar } from '../_server/calendar'
import { notify } from '../_server/notify'
import { action } from '../_server/router'
import type { Caller } from '../_server/caller'
import type { LegalAidDoc } from '../_server/legalaid/records'
import { HOW_TO_OBJECT, step, view } from './cases'
import * as clock from '../_server/clock'

function centresOf (caller: Caller): string[] {
  return caller.grants.filter((g) => g.role === 'legalAidOfficer' && g.scope?.level === 'centre').map((g) => g.scope!.id)
}

async function officerCase (caller: Caller, requestId: string): Promise<LegalAidDoc> {
  const r = await findById<LegalAidDoc>(COLLECTIONS.legalAidRequests, requestId)
  if (!r || (r.state as string) === 'draft' || !centresOf(caller).includes(r.centreId)) throw new AppError('FORBIDDEN', '这个案件不归您的中心')
  return r
}

const tell = (r: LegalAidDoc, title: string, detail: string) =>
  notify({ to: r.applicant, template: 'caseUpdate', link: `packages/legalaid/pages/request/index?id=${r._id}`, title, at: clock.now(), detail })

export const queue = action({
  contract: legalaidContract.queue,
  allowed: ['legalAidOfficer'],
  async handler (_input, caller) {
    const centres = centresOf(caller)
    const list = await allPages<LegalAidDoc>(db.collection(COLLECTIONS.legalAidRequests).where({ centreId: _.in(centres), state: _.in([...CLOCKED_STATES, 'inProgress']) }))
    const cal = await loadCalendar()
    const now = clock.now()
    const views = list.map((r) => view(r, cal, now))
    // Nearest running clock first; abuse and aid-first cases ahead of others due at the same time.
    const next = (v: ReturnType<typeof view>) => v.clocks[0]?.due.getTime() ?? Number.MAX_SAFE_INTEGER
    views.sort((a, b) => next(a) - next(b) || a.priority - b.priority)
    if (list.length > 0) await audit(caller, { action: 'legalaid.queue', what: `查看法律援助队列（${list.length}件）` }, list.map((r) => ({ _id: r.childId, countyId: r.countyId })))
    return { requests: views }
  }
})

export const acknowledge = action({
  contract: legalaidContract.acknowledge,
  allowed: ['legalAidOfficer'],
  async handler (input, caller) {
    const r = await officerCase(caller, input.requestId)
    if (r.state !== 'submitted') return { state: r.state }
    await step(r._id, `${r.centreName}已确认收到，正在审查`, { state: 'acknowledged', acknowledgedAt: clock.now(), acknowledgedBy: caller.openid })
    await tell(r, '法律援助中心已收到您的申请', '正在审查，有结果会马上告诉您')
    return { state: 'acknowledged' as const }
  }
})

export const decide = action({
  contract: legalaidContract.decide,
  allowed: ['legalAidOfficer'],
  async handler (input, caller) {
    const r = await officerCase(caller, input.requestId)
    const reviewing = r.state === 'submitted' || r.state === 'acknowledged'
    // Art. 44: a lawyer who came first is followed by the review (docs/DOMAIN.md, "Legal Aid Law").
    const followsLawyer = r.approvalPending === true && (r.state === 'lawyerAssigned' || r.state === 'inProgress')
    if (!reviewing && !followsLawyer) throw new AppError('CONFLICT', '这个申请已经作出决定了')
    const now = clock.now()
    const extend = input.complex ? { complex: true, complexReason: input.complexReason } : {}
    if (input.decision === 'refused') {
      const refusal = { reason: input.reason!, howToObject: HOW_TO_OBJECT }
      const ended = followsLawyer ? { lawyerId: _.remove(), lawyerName: _.remove(), assignedAt: _.remove() } : {}
      await step(r._id, followsLawyer ? `审查后不予法律援助，先行提供的援助终止：${input.reason}` : `不予法律援助：${input.reason}`,
        { state: 'refused', decidedAt: now, decidedBy: caller.openid, refusal, approvalPending: false, ...ended })
      await tell(r, '法律援助申请的决定', '未予援助，理由和异议办法请在雏燕里查看')
      if (followsLawyer && r.lawyerId) await notify({ to: r.lawyerId, template: 'caseUpdate', link: 'packages/legalaid/pages/cases/index', title: `审查未通过，先行援助终止：${r.childName}`, detail: input.reason!, key: `legalaid:${r._id}:refusedAfterFirst` })
      await audit(caller, { action: 'legalaid.decide', what: '不予法律援助' }, [{ _id: r.childId, countyId: r.countyId }])
      return { state: 'refused' as const }
    }
    if (followsLawyer) {
      await step(r._id, '审查完成，批准法律援助（律师已先行提供帮助）', { decidedAt: now, decidedBy: caller.openid, approvalPending: false, ...extend })
      await tell(r, '法律援助申请已批准', '律师已经在帮您，审查也已批准')
      return { state: r.state }
    }
    await step(r._id, '已批准法律援助，3日内为您安排律师', { state: 'approved', decidedAt: now, decidedBy: caller.openid, ...extend })
    await tell(r, '法律援助申请已批准', '3日内为您安排律师，律师会联系您')
    return { state: 'approved' as const }
  }
})

export const extendReview = action({
  contract: legalaidContract.extendReview,
  allowed: ['legalAidOfficer'],
  async handler (input, caller) {
    const r = await officerCase(caller, input.requestId)
    if (r.state !== 'submitted' && r.state !== 'acknowledged') throw new AppError('CONFLICT', '只有审查中的申请可以延长审查期限')
    await step(r._id, `案情复杂，审查期限延长3个工作日：${input.reason}`, { complex: true, complexReason: input.reason })
    const cal = await loadCalendar()
    const clocks = legalAidClocks(cal, { submittedAt: new Date(r.submittedAt), complex: true, complexReason: input.reason, now: clock.now() })
    return { statutoryReviewBy: clocks.statutoryReviewBy.at }
  }
})

async function lawyersOf (centreId: string) {
  const users = await allPages<{ _id: string, name: string, roles: Array<{ role: string, scope?: { id: string }, status?: string }> }>(db.collection(COLLECTIONS.users).where({ 'roles.scope.id': centreId }))
  const lawyers = users.filter((u) => u.roles.some((g) => g.role === 'lawyer' && g.scope?.id === centreId && g.status !== 'suspended'))
  const profiles = await allPages<{ _id: string, specialties: Matter[], conflicts: string[] }>(db.collection(COLLECTIONS.lawyerProfiles).where({ centreId }))
  const open = await allPages<{ lawyerId: string }>(db.collection(COLLECTIONS.legalAidRequests).where({ centreId, state: _.in(['lawyerAssigned', 'inProgress']) }).field({ lawyerId: true }))
  return lawyers.map((l) => {
    const p = profiles.find((x) => x._id === l._id)
    return { id: l._id, name: l.name, specialties: p?.specialties ?? [], conflicts: p?.conflicts ?? [], openCases: open.filter((o) => o.lawyerId === l._id).length }
  })
}

export const proposeLawyersAction = action({
  contract: legalaidContract.proposeLawyers,
  allowed: ['legalAidOfficer'],
  async handler (input, caller) {
    const r = await officerCase(caller, input.requestId)
    const candidates = (await lawyersOf(r.centreId)).filter((l) => !(r.declinedBy ?? []).includes(l.id))
    const involved = [r.people, r.applicantName, ...r.people.split(/[，,、\s]+/)]
    return { lawyers: proposeLawyers(r.matter, involved, candidates) }
  }
})

/**
 * Assigns a lawyer: after the approval; or at once, before it, when the request is urgent (Art. 44, provide first:
 * under 7 days to a limitation period or court date, or evidence or assets to preserve). Then the request is
 * acknowledged if it was not, the approval follows, and the timeline says so.
 */
export const assignLawyer = action({
  contract: legalaidContract.assignLawyer,
  allowed: ['legalAidOfficer'],
  async handler (input, caller) {
    const r = await officerCase(caller, input.requestId)
    const now = clock.now()
    const reviewing = r.state === 'submitted' || r.state === 'acknowledged'
    const first = reviewing && legalAidClocks(await loadCalendar(), { submittedAt: new Date(r.submittedAt), deadlineAt: deadlineAt(r.deadline), evidenceUrgent: r.evidenceUrgent, now }).provideFirst
    if (r.state !== 'approved' && !first) throw new AppError('CONFLICT', r.state === 'lawyerAssigned' ? '已经安排了律师，等律师回复' : reviewing ? '批准后才能安排律师' : '这个申请现在不能安排律师')
    const lawyer = (await lawyersOf(r.centreId)).find((l) => l.id === input.lawyerId)
    if (!lawyer) throw new AppError('INVALID_INPUT', '请选择本中心的律师', { lawyerId: '不是本中心的律师' })
    const offered = proposeLawyers(r.matter, [r.people, r.applicantName, ...r.people.split(/[，,、\s]+/)], [lawyer])
    if (offered.length === 0) throw new AppError('INVALID_INPUT', '这位律师申报了利益冲突，不能承办', { lawyerId: '这位律师有利益冲突' })
    const assigned = { state: 'lawyerAssigned', assignedAt: now, assignedBy: caller.openid, lawyerId: lawyer.id, lawyerName: lawyer.name }
    if (first) {
      await step(r._id, `情况紧急，先行提供法律援助：已安排志愿律师${lawyer.name}，审查随后补办（法律援助法第四十四条）`,
        { ...assigned, approvalPending: true, ...(r.acknowledgedAt ? {} : { acknowledgedAt: now, acknowledgedBy: caller.openid }) })
      await tell(r, '已先为您安排律师', `情况紧急，${lawyer.name}律师会先帮您，审查随后补办`)
    } else {
      await step(r._id, `已安排志愿律师${lawyer.name}，等待律师接案`, assigned)
    }
    await notify({ to: lawyer.id, template: 'caseUpdate', link: `packages/legalaid/pages/case/index?id=${r._id}`, title: first ? '紧急：先行法律援助案件' : '新的法律援助案件', detail: `请在${LAWYER_ACCEPT_HOURS}小时内接案或说明原因`, key: `legalaid:${r._id}:assigned:${lawyer.id}:${now.getTime()}`, urgent: first })
    await audit(caller, { action: 'legalaid.assignLawyer', what: `${first ? '先行援助，' : ''}指派律师${lawyer.name}` }, [{ _id: r.childId, countyId: r.countyId }])
    return { state: 'lawyerAssigned' as const }
  }
})

async function lawyerCase (caller: Caller, requestId: string): Promise<LegalAidDoc> {
  const r = await findById<LegalAidDoc>(COLLECTIONS.legalAidRequests, requestId)
  if (!r || r.lawyerId !== caller.openid) throw new AppError('FORBIDDEN', '这个案件没有指派给您')
  return r
}

export const myCases = action({
  contract: legalaidContract.myCases,
  allowed: ['lawyer'],
  async handler (_input, caller) {
    const list = await allPages<LegalAidDoc>(db.collection(COLLECTIONS.legalAidRequests).where({ lawyerId: caller.openid, state: _.in(['lawyerAssigned', 'inProgress', 'closed']) }).orderBy('updatedAt', 'desc'))
    const cal = await loadCalendar()
    return { cases: list.map((r) => view(r, cal, clock.now())) }
  }
})

export const respond = action({
  contract: legalaidContract.respond,
  allowed: ['lawyer'],
  async handler (input, caller) {
    const r = await lawyerCase(caller, input.requestId)
    if (r.state !== 'lawyerAssigned') throw new AppError('CONFLICT', '这个案件已经处理过了')
    if (input.accept) {
      await step(r._id, `律师${r.lawyerName}已接案，会联系您`, { state: 'inProgress', acceptedAt: clock.now() })
      await tell(r, '律师已接案', `${r.lawyerName}律师会尽快联系您`)
      return { state: 'inProgress' as const }
    }
    // A lawyer who came first (Art. 44) and declines leaves the request in review, still urgent.
    const back: LegalAidState = r.approvalPending === true ? 'acknowledged' : 'approved'
    await step(r._id, '律师未能接案，中心正在另行安排', { state: back, approvalPending: false, lawyerId: _.remove(), lawyerName: _.remove(), assignedAt: _.remove(), declinedBy: _.push([caller.openid]), declineReason: input.reason })
    const officers = await allPages<{ _id: string }>(db.collection(COLLECTIONS.users).where({ 'roles.scope.id': r.centreId }))
    for (const o of officers.filter((x) => x._id !== caller.openid)) await notify({ to: o._id, template: 'caseUpdate', link: `packages/legalaid/pages/case/index?id=${r._id}`, title: '律师未接案，请另选律师', detail: input.reason ?? '' })
    return { state: back }
  }
})

const STEP_TEXT = { consulted: '律师已和您沟通案情', filed: '律师已向法院或仲裁机构提交', hearing: '已确定开庭日期', closed: '案件已办结' } as const

export const update = action({
  contract: legalaidContract.update,
  allowed: ['lawyer'],
  async handler (input, caller) {
    const r = await lawyerCase(caller, input.requestId)
    if (r.state !== 'inProgress') throw new AppError('CONFLICT', r.state === 'closed' ? '案件已办结' : '请先接案')
    const text = input.step === 'hearing' ? `${STEP_TEXT.hearing}：${input.hearingDate}` : input.step === 'closed' ? `${STEP_TEXT.closed}：${input.outcome}` : STEP_TEXT[input.step]
    await step(r._id, input.note ? `${text}（${input.note}）` : text, { ...(input.step === 'closed' ? { state: 'closed', outcome: input.outcome, closedAt: clock.now() } : {}), ...(input.hearingDate ? { hearingDate: input.hearingDate } : {}), lastStep: input.step })
    await tell(r, '案件有新进展', text)
    return { state: input.step === 'closed' ? 'closed' as const : 'inProgress' as const }
  }
})

export const askDocuments = action({
  contract: legalaidContract.askDocuments,
  allowed: ['lawyer'],
  async handler (input, caller) {
    const r = await lawyerCase(caller, input.requestId)
    await step(r._id, `律师需要您补交材料：${input.what}`, { documentsAsked: input.what })
    await tell(r, '律师需要您补交材料', input.what)
    return { asked: true as const }
  }
})
