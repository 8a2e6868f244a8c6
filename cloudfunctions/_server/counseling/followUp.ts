/**
 * Following up an unbooked soon-request (尽快): after SOON_FOLLOW_UP_HOURS (24 by default; the deployment may set
 * `SOON_FOLLOW_UP_HOURS` on the counseling and scheduler functions) the on-duty counsellor is alerted once, and the
 * queue shows it overdue. The timer is `soonFollowUp` in `_server/jobs/counseling.ts`.
 */
import { SOON_FOLLOW_UP_HOURS, followUpDueAt } from '../../../src/domain'
import type { HelpRequest } from './records'

export function followUpHours (): number {
  const v = Number(process.env.SOON_FOLLOW_UP_HOURS)
  return Number.isFinite(v) && v > 0 ? v : SOON_FOLLOW_UP_HOURS
}

/** An open soon-request with no session booked, past its follow-up time. */
export function isOverdue (r: Pick<HelpRequest, 'urgency' | 'state' | 'createdAt'>, now: Date): boolean {
  return r.urgency === 'soon' && r.state === 'open' && followUpDueAt(new Date(r.createdAt), followUpHours()).getTime() <= now.getTime()
}
