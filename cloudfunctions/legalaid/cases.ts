/** A legal-aid case as its applicant, lawyer and officers see it, and the plain-words steps of its timeline. */
import {
  CLOCK_STATE_LABELS, LEGAL_AID_STATE_LABELS, MATTER_LABELS, PRIORITY_LABELS, deadlineAt, legalAidClocks, runningClocks, type WorkCalendar
} from '../../src/domain'
import { _, db } from '../_server/cloud'
import * as clock from '../_server/clock'
import { COLLECTIONS } from '../_server/collections'
import type { LegalAidDoc } from '../_server/legalaid/records'

export const HOW_TO_OBJECT = '如对不予法律援助的决定有异议，可以自收到决定之日起15日内向设立该法律援助机构的司法行政部门提出（法律援助法第四十九条），也可以拨打 12348 咨询。'

export function view (r: LegalAidDoc, cal: WorkCalendar, now: Date) {
  const clocks = legalAidClocks(cal, { submittedAt: new Date(r.submittedAt), deadlineAt: deadlineAt(r.deadline), evidenceUrgent: r.evidenceUrgent, now })
  const running = runningClocks(cal, { ...r, deadlineAt: deadlineAt(r.deadline) }, now)
  return {
    id: r._id,
    reference: r.reference ?? r._id,
    childName: r.childName,
    matter: r.matter,
    matterLabel: MATTER_LABELS[r.matter],
    state: r.state,
    stateLabel: LEGAL_AID_STATE_LABELS[r.state],
    centreName: r.centreName,
    centrePhone: r.centrePhone,
    routedWhy: r.routedWhy ?? `由${r.centreName}办理。`,
    priority: r.priority,
    priorityLabel: PRIORITY_LABELS[r.priority],
    provideFirst: clocks.provideFirst,
    approvalPending: r.approvalPending === true,
    exemptions: r.exemptions.map((e) => ({ label: e.label, article: e.article })),
    submittedAt: r.submittedAt,
    deadline: r.deadline,
    clocks: running.map((c) => ({ name: c.name, label: c.label, due: c.due, state: c.state, stateLabel: CLOCK_STATE_LABELS[c.state], estimated: c.estimated })),
    timeline: r.timeline,
    lawyerName: r.lawyerName,
    refusal: r.refusal,
    documentsAsked: r.documentsAsked
  }
}

/** Adds a plain-words step to the applicant's timeline, with the rest of the update. */
export async function step (id: string, text: string, data: Record<string, unknown>): Promise<void> {
  await db.collection(COLLECTIONS.legalAidRequests).doc(id).update({ data: { ...data, timeline: _.push([{ at: clock.now(), text }]), updatedAt: clock.now() } })
}
