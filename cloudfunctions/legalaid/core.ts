/** Shared by the legal-aid function and the scheduler: the stored request, its view, its clocks. */
import {
  CLOCK_STATE_LABELS, LEGAL_AID_STATE_LABELS, MATTER_LABELS, PRIORITY_LABELS, deadlineAt, legalAidClocks, runningClocks,
  type Exemption, type LegalAidState, type Matter, type WorkCalendar
} from '../../src/domain'
import { db } from '../_server/cloud'
import { COLLECTIONS } from '../_server/collections'
import * as clock from '../_server/clock'

export interface LegalAidDoc {
  _id: string
  childId: string
  childName: string
  countyId: string
  /** The child's township, so a township admin's oversight counts only its own (older records lack it). */
  townshipId?: string
  applicant: string
  applicantName: string
  matter: Matter
  people: string
  story: string
  deadline?: string
  deadlineWhat?: string
  evidenceUrgent: boolean
  files: string[]
  centreId: string
  centreName: string
  exemptions: Exemption[]
  priority: 0 | 1 | 2
  state: LegalAidState
  submittedAt: Date
  updatedAt: Date
  complex?: boolean
  complexReason?: string
  decidedAt?: Date
  assignedAt?: Date
  lawyerId?: string
  lawyerName?: string
  declinedBy?: string[]
  refusal?: { reason: string, howToObject: string }
  documentsAsked?: string
  timeline: Array<{ at: Date, text: string }>
  reportId?: string
}

export const HOW_TO_OBJECT = '如对不予法律援助的决定有异议，可以自收到决定之日起15日内向设立该法律援助机构的司法行政部门提出（法律援助法第四十九条），也可以拨打 12348 咨询。'

export function view (r: LegalAidDoc, cal: WorkCalendar, now: Date) {
  const clocks = legalAidClocks(cal, { submittedAt: new Date(r.submittedAt), deadlineAt: deadlineAt(r.deadline), evidenceUrgent: r.evidenceUrgent, now })
  const running = runningClocks(cal, { ...r, deadlineAt: deadlineAt(r.deadline) }, now)
  return {
    id: r._id,
    childName: r.childName,
    matter: r.matter,
    matterLabel: MATTER_LABELS[r.matter],
    state: r.state,
    stateLabel: LEGAL_AID_STATE_LABELS[r.state],
    centreName: r.centreName,
    priority: r.priority,
    priorityLabel: PRIORITY_LABELS[r.priority],
    provideFirst: clocks.provideFirst,
    exemptions: r.exemptions.map((e) => ({ label: e.label, article: e.article })),
    submittedAt: r.submittedAt,
    deadline: r.deadline,
    clocks: running.map((c) => ({ name: c.name, label: c.label, due: c.due, state: c.state, stateLabel: CLOCK_STATE_LABELS[c.state] })),
    timeline: r.timeline,
    lawyerName: r.lawyerName,
    refusal: r.refusal,
    documentsAsked: r.documentsAsked
  }
}

/** Adds a plain-words step to the applicant's timeline, with the rest of the update. */
export async function step (id: string, text: string, data: Record<string, unknown>): Promise<void> {
  const _ = db.command
  await db.collection(COLLECTIONS.legalAidRequests).doc(id).update({ data: { ...data, timeline: _.push([{ at: clock.now(), text }]), updatedAt: clock.now() } })
}
