import { clockState, HOUR_MS, lawyerAssignmentDue, legalAidClocks, type ClockState } from '../calendar/legal-aid'
import type { WorkCalendar } from '../calendar/calendar'
import { endOfShanghaiDay } from '../calendar/dates'

export const LEGAL_AID_STATES = ['submitted', 'acknowledged', 'approved', 'lawyerAssigned', 'inProgress', 'refused', 'closed'] as const
export type LegalAidState = (typeof LEGAL_AID_STATES)[number]
/** The states in which a request's clocks run (see runningClocks): the centre or the lawyer still owes a step. */
export const CLOCKED_STATES = ['submitted', 'acknowledged', 'approved', 'lawyerAssigned'] as const satisfies readonly LegalAidState[]
export const LEGAL_AID_STATE_LABELS: Record<LegalAidState, string> = {
  submitted: '已提交，等待法律援助中心确认',
  acknowledged: '中心已收到，正在审查',
  approved: '已批准，正在安排律师',
  lawyerAssigned: '已安排律师，等待律师接案',
  inProgress: '律师正在办理',
  refused: '未予援助',
  closed: '已结案'
}

/** A volunteer lawyer answers an assignment within this many hours, or the officer is told to choose another. */
export const LAWYER_ACCEPT_HOURS = 24
/** The officer is warned this long before a clock runs out. */
export const WARN_BEFORE_MS = 2 * HOUR_MS

export interface ClockedRequest {
  state: LegalAidState
  submittedAt: Date
  complex?: boolean
  complexReason?: string
  deadlineAt?: Date
  evidenceUrgent?: boolean
  decidedAt?: Date
  assignedAt?: Date
  /**
   * A lawyer was assigned before the review (Art. 44, provide first): the review clocks keep running until the
   * approval follows.
   */
  approvalPending?: boolean
}

/** A request's deadline date (a limitation period, a court date) as an instant: it lasts to the end of its day. */
export function deadlineAt (deadline: string | undefined): Date | undefined {
  return deadline ? endOfShanghaiDay(deadline) : undefined
}

type ClockName = 'acknowledge' | 'decide' | 'statutoryReview' | 'assignLawyer' | 'lawyerAccept'
export const CLOCK_LABELS: Record<ClockName, string> = {
  acknowledge: '当天确认收到（绿色通道）',
  decide: '3个工作日内作出决定（绿色通道）',
  statutoryReview: '7个工作日内审查决定（法律援助法第四十三条）',
  assignLawyer: '决定后3日内指派律师（法律援助法第四十三条）',
  lawyerAccept: `律师${LAWYER_ACCEPT_HOURS}小时内接案`
}

export interface RunningClock {
  name: ClockName
  label: string
  due: Date
  state: ClockState
  /** Counted over a year with no published holiday arrangement: the due time is an estimate. */
  estimated: boolean
}

/**
 * The clocks still running for a request at `now`, nearest first; none once it is with a lawyer or ended, except the
 * review clocks of a request whose lawyer came first (Art. 44), which run until the approval follows.
 */
export function runningClocks (cal: WorkCalendar, r: ClockedRequest, now: Date): RunningClock[] {
  const c = legalAidClocks(cal, { submittedAt: new Date(r.submittedAt), complex: r.complex, complexReason: r.complexReason, deadlineAt: r.deadlineAt ? new Date(r.deadlineAt) : undefined, evidenceUrgent: r.evidenceUrgent, now })
  const out: Array<{ name: ClockName, due: Date, estimated: boolean }> = []
  if (r.state === 'submitted') out.push({ name: 'acknowledge', due: c.acknowledgeBy.at, estimated: c.acknowledgeBy.estimated })
  const reviewing = r.state === 'submitted' || r.state === 'acknowledged' ||
    (r.approvalPending === true && (r.state === 'lawyerAssigned' || r.state === 'inProgress'))
  if (reviewing) {
    out.push({ name: 'decide', due: c.decideBy.at, estimated: c.decideBy.estimated }, { name: 'statutoryReview', due: c.statutoryReviewBy.at, estimated: c.statutoryReviewBy.estimated })
  }
  if (r.state === 'approved' && r.decidedAt) {
    const due = lawyerAssignmentDue(cal, new Date(r.decidedAt))
    out.push({ name: 'assignLawyer', due: due.at, estimated: due.estimated })
  }
  if (r.state === 'lawyerAssigned' && r.assignedAt) out.push({ name: 'lawyerAccept', due: new Date(new Date(r.assignedAt).getTime() + LAWYER_ACCEPT_HOURS * HOUR_MS), estimated: false })
  return out
    .map((x) => ({ ...x, label: CLOCK_LABELS[x.name], state: clockState(x.due, now, WARN_BEFORE_MS) }))
    .sort((a, b) => a.due.getTime() - b.due.getTime())
}
