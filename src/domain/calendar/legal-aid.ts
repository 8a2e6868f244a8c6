import { addWorkingDays, endOfWorkingDay, isWorkingDay, missingYears, type ClockOptions, type Due, type WorkCalendar } from './calendar'
import { addDays, atShanghai, daysBetween, toDateKey, yearOf } from './dates'

/**
 * The clocks of a legal-aid request (法律援助法, in force 2022-01-01; docs/DOMAIN.md, "Legal Aid Law") and of the green channel that must
 * beat them:
 * - Art. 43: the centre reviews a request within 7 days of receiving it and decides; having decided to give aid it
 *   assigns a lawyer within 3 days of the decision. The Ministry of Justice's procedure rules
 *   (办理法律援助案件程序规定) count the review in working days and allow an extension for complex cases; the product
 *   follows the plan: 7 working days, 10 when the case is complex and the officer records why.
 * - Art. 44: aid is provided first, before the review (先行提供法律援助), when fewer than 7 days remain to a limitation
 *   period or a time limit (to sue, apply for arbitration or administrative review), or when property or evidence
 *   must be preserved at once (财产保全、证据保全).
 * - Green channel (法润童心, the plan's own targets): acknowledge the same working day, decide within 3 working days.
 */
const REVIEW_WORKING_DAYS = 7
const REVIEW_EXTENSION_WORKING_DAYS = 3
const GREEN_CHANNEL_DECISION_WORKING_DAYS = 3
const LAWYER_ASSIGNMENT_DAYS = 3
const PROVIDE_FIRST_DAYS = 7

type ProvideFirstReason = 'deadlineUnder7Days' | 'evidenceUrgent'

interface LegalAidClockInput {
  /** When the request was submitted (received by the centre). */
  submittedAt: Date
  /** The officer marked the case complex… */
  complex?: boolean
  /** …and recorded why: only then is the statutory review extended by 3 working days. */
  complexReason?: string
  /** A limitation period, court date or other time limit the applicant knows of. */
  deadlineAt?: Date
  /** Evidence or property must be preserved at once. */
  evidenceUrgent?: boolean
  now: Date
}

export interface LegalAidClocks {
  /** Green channel: acknowledged the same working day (see endOfWorkingDay). */
  acknowledgeBy: Due
  /** Green channel: decided within 3 working days. */
  decideBy: Due
  /** The statutory floor: 7 working days, 10 when extended. */
  statutoryReviewBy: Due
  reviewExtended: boolean
  /** Aid first, review later (Art. 44). */
  provideFirst: boolean
  provideFirstReasons: ProvideFirstReason[]
  /**
   * Whole calendar days from today (Shanghai, at `now`) to the deadline's day: 6 when the deadline is six days away,
   * 0 on its day, negative once it has passed. Absent without a deadline.
   */
  daysToDeadline?: number
  /** Some clock counted over a year without holiday data (plain weekends assumed). */
  estimated: boolean
}

/**
 * All clocks of a request at `now`. `provideFirst` is judged at `now`, not only at submission: a deadline that was 8
 * days away when the request came in is under 7 two days later, and the officer must then provide aid first.
 * "Fewer than 7 days" is counted in calendar days between Shanghai dates (不足七日): 6 days away is provide-first,
 * 7 is not.
 */
export function legalAidClocks (cal: WorkCalendar, input: LegalAidClockInput, opts?: ClockOptions): LegalAidClocks {
  const { submittedAt, now } = input
  const reviewExtended = input.complex === true && (input.complexReason ?? '').trim().length > 0
  const acknowledgeBy = endOfWorkingDay(cal, submittedAt, opts)
  const decideBy = addWorkingDays(cal, submittedAt, GREEN_CHANNEL_DECISION_WORKING_DAYS, opts)
  const statutoryReviewBy = addWorkingDays(cal, submittedAt,
    REVIEW_WORKING_DAYS + (reviewExtended ? REVIEW_EXTENSION_WORKING_DAYS : 0), opts)
  const reasons: ProvideFirstReason[] = []
  let daysToDeadline: number | undefined
  if (input.deadlineAt) {
    daysToDeadline = daysBetween(toDateKey(now), toDateKey(input.deadlineAt))
    if (daysToDeadline < PROVIDE_FIRST_DAYS) reasons.push('deadlineUnder7Days')
  }
  if (input.evidenceUrgent === true) reasons.push('evidenceUrgent')
  const clocks: LegalAidClocks = {
    acknowledgeBy,
    decideBy,
    statutoryReviewBy,
    reviewExtended,
    provideFirst: reasons.length > 0,
    provideFirstReasons: reasons,
    estimated: acknowledgeBy.estimated || decideBy.estimated || statutoryReviewBy.estimated
  }
  if (daysToDeadline !== undefined) clocks.daysToDeadline = daysToDeadline
  return clocks
}

interface LawyerDue extends Due {
  /** The due day is a weekend or holiday: the officer should assign before the break. */
  onDayOff: boolean
}

/**
 * Art. 43: "自作出决定之日起三日内指派". Our reading: 3 calendar days (the law says 日, not 工作日), the day of the
 * decision not counted (Civil Code Art. 201), due at the end (24:00) of the third day after it. We do not push a
 * due day that falls on a holiday to the day after the holiday (Civil Code Art. 203 would allow it): the green channel
 * must beat the floor, and a child should not wait out a Spring Festival week for a lawyer. `onDayOff` tells the
 * officer to assign before the break.
 */
export function lawyerAssignmentDue (cal: WorkCalendar, decidedAt: Date): LawyerDue {
  const decided = toDateKey(decidedAt)
  const last = addDays(decided, LAWYER_ASSIGNMENT_DAYS)
  return {
    at: atShanghai(addDays(last, 1)), // 24:00 of the last day = 00:00 of the next
    date: last,
    estimated: missingYears(cal, yearOf(decided), yearOf(last)).length > 0,
    onDayOff: !isWorkingDay(cal, last)
  }
}

export type ClockState = 'onTime' | 'dueSoon' | 'late'
export const CLOCK_STATE_LABELS: Record<ClockState, string> = { onTime: '按时', dueSoon: '即将到期', late: '已超时' }

/**
 * 'late' once `now` is past the due instant; 'dueSoon' from `warnBeforeMs` before it up to and including it;
 * 'onTime' before that. `warnBeforeMs` is a duration in milliseconds (e.g. 2 * HOUR_MS).
 */
export function clockState (dueAt: Date | Due, now: Date, warnBeforeMs: number): ClockState {
  const at = dueAt instanceof Date ? dueAt : dueAt.at
  const left = at.getTime() - now.getTime()
  if (left < 0) return 'late'
  if (left <= warnBeforeMs) return 'dueSoon'
  return 'onTime'
}

const MINUTE_MS = 60_000
export const HOUR_MS = 60 * MINUTE_MS
