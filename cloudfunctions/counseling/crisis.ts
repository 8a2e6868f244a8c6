/**
 * The crisis path: the on-duty counsellor of the child's county is alerted at once (outbox and queue), must
 * acknowledge within CRISIS_ACK_MINUTES, and otherwise the next counsellor and then the station's supervisor are
 * alerted by the scheduler, every step timestamped on the request.
 */
import { CRISIS_ACK_MINUTES, dueLevel, escalationTarget } from '../../src/domain'
import { _, db, rows } from '../_server/cloud'
import { COLLECTIONS } from '../_server/collections'
import { send } from '../_server/messages'
import { namesOf, rosterOf, type HelpRequest } from './core'

async function alert (req: HelpRequest, to: string, level: number, now: Date): Promise<void> {
  const names = await namesOf([to])
  // Claim the level first (conditional on the level we read), so two runs never alert twice.
  const res = await db.collection(COLLECTIONS.helpRequests).where({ _id: req._id, 'crisis.level': req.crisis?.level ?? -1, 'crisis.ackAt': _.exists(false) })
    .update({ data: { 'crisis.level': level, 'crisis.alerts': _.push([{ to, toName: names.get(to) ?? '', level, at: now }]) } }) as { stats: { updated: number } }
  if (res.stats.updated !== 1) return
  await send({ touser: to, template: 'crisisAlert', page: 'packages/counseling/pages/queue/index', title: level === 0 ? `紧急求助：${req.childName}` : `紧急求助无人接，已升级：${req.childName}`, time: '', detail: '请马上打电话，并在雏燕里点“我来处理”' })
}

/** Raises the alert of a new crisis (level 0: the on-duty counsellor). */
export async function raiseCrisis (req: HelpRequest, now: Date): Promise<void> {
  const roster = await rosterOf(req.stationId)
  const to = escalationTarget(roster.order, roster.supervisor, 0)
  if (to) await alert({ ...req, crisis: { level: -1, alerts: [] } }, to, 0, now)
}

/** Every unacknowledged crisis moves up the ladder as its minutes pass. */
export async function escalateCrises (now: Date): Promise<number> {
  let raised = 0
  const open = await rows<HelpRequest>(db.collection(COLLECTIONS.helpRequests).where({ urgency: 'crisis', state: _.neq('closed'), 'crisis.ackAt': _.exists(false) }).orderBy('createdAt', 'asc').limit(100))
  for (const req of open) {
    const due = dueLevel((now.getTime() - new Date(req.createdAt).getTime()) / 60000, CRISIS_ACK_MINUTES)
    const roster = await rosterOf(req.stationId)
    let current = req.crisis?.level ?? -1
    // At most the three rungs of the ladder in one run; a timer that was down then jumps to where the clock is.
    for (let steps = 0; current < due && steps < 3; steps++) {
      const level = current + 1
      const to = escalationTarget(roster.order, roster.supervisor, level)
      if (to) await alert({ ...req, crisis: { ...(req.crisis ?? { alerts: [] }), level: current } }, to, level, now)
      current = level
      raised++
    }
    if (current < due) {
      await db.collection(COLLECTIONS.helpRequests).where({ _id: req._id, 'crisis.level': current, 'crisis.ackAt': _.exists(false) }).update({ data: { 'crisis.level': due } })
    }
  }
  return raised
}
