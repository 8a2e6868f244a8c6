/**
 * The crisis path: the on-duty counsellor of the child's county is alerted at once (outbox and queue), must
 * acknowledge within CRISIS_ACK_MINUTES, and otherwise the next counsellor and then the station's supervisor are
 * alerted by the scheduler (`_server/jobs/counseling.ts`), every step timestamped on the request.
 */
import { escalationTarget } from '../../../src/domain'
import { _, db } from '../cloud'
import { COLLECTIONS } from '../collections'
import { notify } from '../notify'
import { namesOf, rosterOf, type HelpRequest } from './records'

/** Alerts `to` at `level` of the ladder, once: the level is claimed on the request before the message goes. */
export async function alert (req: HelpRequest, to: string, level: number, now: Date): Promise<void> {
  const names = await namesOf([to])
  // Claim the level first (conditional on the level we read), so two runs never alert twice.
  const res = await db.collection(COLLECTIONS.helpRequests).where({ _id: req._id, 'crisis.level': req.crisis?.level ?? -1, 'crisis.ackAt': _.exists(false) })
    .update({ data: { 'crisis.level': level, 'crisis.alerts': _.push([{ to, toName: names.get(to) ?? '', level, at: now }]) } }) as { stats: { updated: number } }
  if (res.stats.updated !== 1) return
  await notify({ to, template: 'crisisAlert', link: 'packages/counseling/pages/queue/index', title: level === 0 ? `紧急求助：${req.childName}` : `紧急求助无人接，已升级：${req.childName}`, detail: '请马上打电话，并在雏燕里点“我来处理”', key: `crisis:${req._id}:${level}`, urgent: true })
}

/** Raises the alert of a new crisis (level 0: the on-duty counsellor). */
export async function raiseCrisis (req: HelpRequest, now: Date): Promise<void> {
  const roster = await rosterOf(req.stationId)
  const to = escalationTarget(roster.order, roster.supervisor, 0)
  if (to) await alert({ ...req, crisis: { level: -1, alerts: [] } }, to, 0, now)
}
