/**
 * Counseling's timers: a crisis nobody acknowledged climbs the ladder; sessions are reminded a day and 30 minutes
 * before; an unbooked soon-request is followed up.
 */
import { CRISIS_ACK_MINUTES, dueLevel, followUpDueAt } from '../../../src/domain'
import { _, db } from '../cloud'
import { COLLECTIONS } from '../collections'
import { climb } from '../counseling/crisis'
import { followUpHours } from '../counseling/followUp'
import { rosterOf, type HelpRequest, type SessionDoc } from '../counseling/records'
import { notify } from '../notify'
import { allPages } from '../paging'
import { ruleOn } from '../switches'
import { earliest, type Job } from './job'
import { nextReminder, sendReminders } from './reminders'

const MIN = 60000

const openCrises = () => db.collection(COLLECTIONS.helpRequests).where({ urgency: 'crisis', state: _.neq('closed'), 'crisis.ackAt': _.exists(false) })

/** Every unacknowledged crisis moves up the ladder as its minutes pass. */
export const crisisEscalation: Job = {
  async run (now) {
    if (!ruleOn('ESCALATION_ENABLED')) return 0
    let raised = 0
    for (const req of await allPages<HelpRequest>(openCrises().orderBy('createdAt', 'asc'))) {
      const due = dueLevel((now.getTime() - new Date(req.createdAt).getTime()) / MIN, CRISIS_ACK_MINUTES)
      const roster = await rosterOf(req.stationId)
      let current = req.crisis?.level ?? -1
      // At most the three rungs of the ladder in one run; a timer that was down then jumps to where the clock is.
      // A rung whose person no channel reached passes on at once (climb).
      for (let steps = 0; current < due && steps < 3; steps++) {
        const step = await climb({ ...req, crisis: { ...(req.crisis ?? { alerts: [] }), level: current } }, roster, current + 1, now)
        if (step.lost) break
        current = step.level
        raised++
      }
      if (current < due) {
        await db.collection(COLLECTIONS.helpRequests).where({ _id: req._id, 'crisis.level': current, 'crisis.ackAt': _.exists(false) }).update({ data: { 'crisis.level': due } })
      }
    }
    return raised
  },
  // Level L + 1 falls due (L + 1) × CRISIS_ACK_MINUTES after the crisis was raised.
  async nextDue () {
    if (!ruleOn('ESCALATION_ENABLED')) return null
    let next: Date | null = null
    for (const req of await allPages<HelpRequest>(openCrises().field({ createdAt: true, crisis: true }))) {
      const level = req.crisis?.level ?? -1
      next = earliest(next, new Date(new Date(req.createdAt).getTime() + (level + 1) * CRISIS_ACK_MINUTES * MIN))
    }
    return next
  }
}

export const sessionReminders: Job = {
  run: (now) => sendReminders<SessionDoc>(COLLECTIONS.counselingSessions, now, (s, which) => ({
    to: s.requesterOpenid,
    template: 'sessionReminder',
    link: 'packages/counseling/pages/mine/index',
    title: `${which === 'day' ? '明天有心理辅导' : '半小时后心理辅导'}：${s.childName}`,
    at: new Date(s.start),
    detail: `辅导员：${s.counselorName}`,
    key: `reminder:${s._id}:${which}`
  })),
  nextDue: (now) => nextReminder(COLLECTIONS.counselingSessions, now)
}

const unbookedSoon = () => ({ urgency: 'soon', state: 'open', followUp: _.exists(false) })

/**
 * A soon-request (尽快) nobody booked within SOON_FOLLOW_UP_HOURS: the station's on-duty counsellor is alerted once
 * (the flag is claimed on the request before the message goes), and the queue shows it overdue.
 */
export const soonFollowUp: Job = {
  async run (now) {
    const hours = followUpHours()
    // Every unbooked soon-request in one read (they are few): the overdue ones are followed up now, the oldest of the
    // rest is when the job is next due (asked right after this run, docs/ARCHITECTURE.md "Timers").
    const open = await allPages<HelpRequest>(db.collection(COLLECTIONS.helpRequests).where(unbookedSoon()).orderBy('createdAt', 'asc'))
    const due = open.filter((r) => followUpDueAt(new Date(r.createdAt), hours) <= now)
    const waiting = open.find((r) => followUpDueAt(new Date(r.createdAt), hours) > now)
    followUpsDue = waiting ? followUpDueAt(new Date(waiting.createdAt), hours) : null
    let sent = 0
    for (const req of due) {
      // The case's own counsellor; with none yet, the supervisor, who sees unassigned cases and hands them over
      // (docs/DOMAIN.md, "Roles and scopes").
      const roster = await rosterOf(req.stationId)
      const to = req.counselorId ?? roster.supervisor ?? roster.order[0]
      const res = await db.collection(COLLECTIONS.helpRequests).where({ _id: req._id, state: 'open', followUp: _.exists(false) })
        .update({ data: { followUp: { alertedAt: now, to: to ?? '' } } }) as { stats: { updated: number } }
      if (res.stats.updated !== 1 || !to) continue
      await notify({
        to, template: 'caseUpdate', link: `packages/counseling/pages/case/index?id=${req._id}`, title: `「尽快」求助${hours}小时没约上：${req.childName}`,
        at: new Date(req.createdAt), detail: `请联系${req.requesterName}，帮忙约一个时间`, key: `followUp:${req._id}`
      })
      sent++
    }
    return sent
  },
  // The oldest unbooked soon-request falls due SOON_FOLLOW_UP_HOURS after it was raised.
  nextDue: async () => followUpsDue
}
let followUpsDue: Date | null = null
