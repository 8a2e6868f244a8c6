/**
 * The crisis path: the on-duty counsellor of the child's county is alerted at once (inbox, subscription message, and
 * SMS when no allow is left), must acknowledge within CRISIS_ACK_MINUTES, and otherwise the next counsellor and then
 * the station's supervisor are alerted by the scheduler (`_server/jobs/counseling.ts`). Every step is on the request's
 * trail (`crisis.alerts`) with who was alerted and through which channels; a person no channel reached passes the
 * alert to the next at once, the trail saying why (docs/ARCHITECTURE.md, "Notifications").
 */
import { escalationTarget, unreachableWhy } from '../../../src/domain'
import { _, db } from '../cloud'
import { COLLECTIONS } from '../collections'
import { notify, type Delivery } from '../notify'
import { namesOf, rosterOf, type HelpRequest } from './records'

type Roster = Awaited<ReturnType<typeof rosterOf>>

/**
 * Alerts `to` at `level` of the ladder, once: the level is claimed on the request (conditional on the level we read)
 * before the message goes, so two runs never alert twice; then the step goes on the trail with its channels.
 * Undefined when another run had claimed the level.
 */
export async function alert (req: HelpRequest, to: string, level: number, now: Date): Promise<Delivery | undefined> {
  const names = await namesOf([to])
  const res = await db.collection(COLLECTIONS.helpRequests).where({ _id: req._id, 'crisis.level': req.crisis?.level ?? -1, 'crisis.ackAt': _.exists(false) })
    .update({ data: { 'crisis.level': level } }) as { stats: { updated: number } }
  if (res.stats.updated !== 1) return undefined
  const d = await notify({ to, template: 'crisisAlert', link: 'packages/counseling/pages/queue/index', title: level === 0 ? `紧急求助：${req.childName}` : `紧急求助无人接，已升级：${req.childName}`, detail: '请马上打电话，并在雏燕里点“我来处理”', key: `crisis:${req._id}:${level}`, urgent: true })
  const step = { to, toName: names.get(to) ?? '', level, at: now, via: d.via, reached: d.reached, ...(d.reached ? {} : { why: unreachableWhy(d) }) }
  await db.collection(COLLECTIONS.helpRequests).doc(req._id).update({ data: { 'crisis.alerts': _.push([step]) } })
  return d
}

/**
 * Climbs the ladder from `level`: alerts that rung's person and, while nobody outside the app was reached, the next
 * rung at once instead of after the ten minutes. Returns the last level alerted (`lost`: another run holds the request).
 */
export async function climb (req: HelpRequest, roster: Roster, level: number, now: Date): Promise<{ level: number, lost: boolean }> {
  let current = req.crisis?.level ?? -1
  for (let l = level; ; l++) {
    const to = escalationTarget(roster.order, roster.supervisor, l)
    if (!to) {
      // A station with nobody on its roster: the rung is passed all the same, so the next run does not retry it.
      await db.collection(COLLECTIONS.helpRequests).where({ _id: req._id, 'crisis.level': current, 'crisis.ackAt': _.exists(false) }).update({ data: { 'crisis.level': l } })
      return { level: l, lost: false }
    }
    const d = await alert({ ...req, crisis: { ...(req.crisis ?? { alerts: [] }), level: current } }, to, l, now)
    if (!d) return { level: l, lost: true }
    current = l
    const next = escalationTarget(roster.order, roster.supervisor, l + 1)
    // Reached, or nobody else to turn to (the supervisor is the top of the ladder).
    if (d.reached || !next || next === to) return { level: l, lost: false }
  }
}

/** Raises the alert of a new crisis (level 0: the on-duty counsellor, and on at once past anyone unreachable). */
export async function raiseCrisis (req: HelpRequest, now: Date): Promise<void> {
  const roster = await rosterOf(req.stationId)
  if (!escalationTarget(roster.order, roster.supervisor, 0)) return
  await climb({ ...req, crisis: { level: -1, alerts: [] } }, roster, 0, now)
}
