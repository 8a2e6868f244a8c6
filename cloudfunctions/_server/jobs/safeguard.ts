/** Mandatory reports' timers: a report not yet out is delivered; one nobody acknowledged climbs the chain each period. */
import { REPORT_ACK_MINUTES } from '../../../src/domain'
import { _, db, rows } from '../cloud'
import { COLLECTIONS } from '../collections'
import { allPages } from '../paging'
import { alertAll, appendEntry, deliver, entriesOf, escalateUnreached, escalationChain, reportNotice, type ReportDoc } from '../reports'
import { earliest, type Job } from './job'
import { ruleOn } from '../switches'

const MIN = 60000

/** The escalation period, in minutes (configurable per deployment: the scheduler's REPORT_ACK_MINUTES). */
const ackMinutes = () => Number(process.env.REPORT_ACK_MINUTES || REPORT_ACK_MINUTES)

const awaitingDelivery = () => db.collection(COLLECTIONS.mandatoryReports).where({ state: 'awaitingDelivery' })
const delivered = () => db.collection(COLLECTIONS.mandatoryReports).where({ state: 'delivered' })

/** Reports not yet delivered (a delivery that failed when the report was filed) go out the same way. */
export const reportDelivery: Job = {
  async run (now) {
    const waiting = await allPages<ReportDoc>(awaitingDelivery())
    for (const r of waiting) {
      const entries = await entriesOf(r._id)
      if (entries.length === 0) await appendEntry(r._id, 'filed', r.raisedBy, { kinds: r.kinds, text: r.text ?? r.seen ?? '', origin: r.origin ?? null }, new Date(r.createdAt))
      await deliver(r, now)
    }
    return waiting.length
  },
  async nextDue (now) {
    return (await rows(awaitingDelivery().limit(1))).length > 0 ? now : null
  }
}

/** No acknowledgement within the period: the next in the chain is alerted, and again each period. */
export const reportEscalation: Job = {
  async run (now) {
    if (!ruleOn('ESCALATION_ENABLED')) return 0
    const period = ackMinutes()
    let sent = 0
    for (const r of await allPages<ReportDoc>(delivered())) {
      const due = Math.floor((now.getTime() - new Date(r.filedAt!).getTime()) / (period * MIN))
      const level = r.escalation?.level ?? 0
      if (due <= level) continue
      // One step per run, straight to the level the clock has reached (a timer that was down does not replay
      // every missed step); the top of the chain is alerted again each period.
      const res = await db.collection(COLLECTIONS.mandatoryReports).where({ _id: r._id, state: 'delivered', 'escalation.level': level }).update({ data: { 'escalation.level': due } }) as { stats: { updated: number } }
      if (res.stats.updated !== 1) continue
      const chain = await escalationChain(r)
      const ids = chain[Math.min(due, chain.length - 1)]
      const users = await allPages<{ _id: string, name: string }>(db.collection(COLLECTIONS.users).where({ _id: _.in(ids.length > 0 ? ids : ['-']) }).field({ name: true }))
      const people = ids.flatMap((id) => users.filter((u) => u._id === id))
      const reference = r.reference ?? ''
      const alerted = await alertAll(people, (id) => reportNotice(r, id, `强制报告${due * period}分钟无人接收：${r.childName ?? ''}`, `report:${r._id}:escalation:${due}`, reference))
      sent += people.length
      await appendEntry(r._id, 'escalated', 'system', { level: due, minutes: due * period, to: people.map((p) => p.name), alerted }, now)
      // Nobody of this level could be reached by any channel: on to the next now, not a period later.
      if (!alerted.some((a) => a.reached) && due + 1 < chain.length) {
        await escalateUnreached(r, due, due + 1, reference, now, people.length === 0 ? '这一级没有人' : `这一级的人都收不到提醒：${alerted.map((a) => `${a.name}（${a.why ?? ''}）`).join('；')}`)
      }
    }
    return sent
  },
  // Level L + 1 falls due (L + 1) periods after the report was filed.
  async nextDue () {
    if (!ruleOn('ESCALATION_ENABLED')) return null
    const period = ackMinutes()
    let next: Date | null = null
    for (const r of await allPages<ReportDoc>(delivered().field({ filedAt: true, escalation: true }))) {
      next = earliest(next, new Date(new Date(r.filedAt!).getTime() + ((r.escalation?.level ?? 0) + 1) * period * MIN))
    }
    return next
  }
}
