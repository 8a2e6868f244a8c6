/**
 * The pairing timers, run by the scheduler, each idempotent through claimed marks:
 * - an offer not answered in 7 days expires and the child goes back to the next run;
 * - a check expiring within a month reminds the volunteer and the admins of their agency, once;
 * - an expired check puts the volunteer's pairings under review (not silently continued) and tells the officers;
 * - near a month's end a volunteer without this month's talk is reminded, near a quarter's end without its visit;
 * - a month or quarter that ended without one is flagged to the child-welfare officer.
 */
import {
  VETTING_REMIND_DAYS, periodsOf, previousPeriod, rhythmOf, toDateKey, vettingState, vettingValidUntil, type ChildRecord
} from '../../src/domain'
import { _, db, findById, rows } from '../_server/cloud'
import { COLLECTIONS } from '../_server/collections'
import { send } from '../_server/messages'
import { claimMark } from '../hotline/jobs'
import type { PairingDoc, ProfileDoc } from './core'

const DAY = 86400000

export async function expirePairingOffers (now: Date): Promise<number> {
  const res = await db.collection(COLLECTIONS.pairings).where({ status: 'offered', expiresAt: _.lte(now) }).update({ data: { status: 'expired' } }) as { stats: { updated: number } }
  return res.stats.updated
}

async function officersOf (child: ChildRecord): Promise<string[]> {
  const users = await rows<{ _id: string, roles: Array<{ role: string, scope?: { id: string }, status?: string }> }>(db.collection(COLLECTIONS.users).where({ 'roles.scope.id': _.in([child.villageId, child.townshipId]) }).limit(50))
  return users.filter((u) => u.roles.some((g) => g.role === 'childWelfareOfficer' && g.status !== 'suspended' && (g.scope?.id === child.villageId || g.scope?.id === child.townshipId))).map((u) => u._id)
}

export async function vettingTimers (now: Date): Promise<number> {
  // Once a day is enough for checks counted in days.
  if (!(await claimMark(`job:vetting:${toDateKey(now)}`))) return 0
  let sent = 0
  const profiles = await rows<ProfileDoc>(db.collection(COLLECTIONS.volunteerProfiles).where({ 'vetting.result': 'clear' }).limit(1000))
  for (const v of profiles) {
    const state = vettingState(v.vetting, now)
    const until = vettingValidUntil(v.vetting!)
    if (state === 'expiringSoon' && await claimMark(`vetting-soon:${v._id}:${until}`)) {
      const admins = await rows<{ _id: string, roles: Array<{ role: string, agency?: string }> }>(db.collection(COLLECTIONS.users).where({ 'roles.agency': v.agency, 'roles.role': 'admin' }).limit(50))
      for (const to of [v._id, ...admins.map((a) => a._id)]) {
        await send({ touser: to, template: 'pairingReminder', page: 'packages/pairing/pages/profile/index', title: '无犯罪记录审查快到期了', time: until, detail: `${VETTING_REMIND_DAYS}天内请复查，过期将暂停新的结对` })
        sent++
      }
    }
    if (state === 'expired' && await claimMark(`vetting-expired:${v._id}:${until}`)) {
      const active = await rows<PairingDoc>(db.collection(COLLECTIONS.pairings).where({ volunteerId: v._id, status: 'active' }).limit(20))
      for (const p of active) {
        await db.collection(COLLECTIONS.pairings).doc(p._id).update({ data: { status: 'review', reviewReason: 'vettingExpired' } })
        const child = await findById<ChildRecord>(COLLECTIONS.children, p.childId)
        if (!child) continue
        for (const o of await officersOf(child)) {
          await send({ touser: o, template: 'careAlert', page: `packages/registry/pages/child/index?id=${child._id}`, title: `${child.name}的结对志愿者审查已过期`, time: until, detail: '结对待复核，请联系志愿者复查' })
          sent++
        }
      }
    }
  }
  return sent
}

export async function rhythmTimers (now: Date): Promise<number> {
  if (!(await claimMark(`job:rhythm:${toDateKey(now)}`))) return 0
  let sent = 0
  const { month, quarter } = periodsOf(now)
  const daysLeft = (end: Date) => (end.getTime() - now.getTime()) / DAY
  for (let skip = 0; skip < 10000; skip += 100) {
    const page = await rows<PairingDoc>(db.collection(COLLECTIONS.pairings).where({ status: _.in(['active', 'review']) }).orderBy('_id', 'asc').skip(skip).limit(100))
    for (const p of page) {
      const logs = await rows<{ kind: 'talk' | 'visit', at: Date }>(db.collection(COLLECTIONS.contactLogs).where({ pairingId: p._id }).limit(500))
      const r = rhythmOf(logs.map((l) => ({ kind: l.kind, at: new Date(l.at) })), now)
      if (!r.talkDone && daysLeft(r.monthEndsAt) <= 5 && await claimMark(`talk-remind:${p._id}:${month}`)) {
        await send({ touser: p.volunteerId, template: 'pairingReminder', page: 'packages/pairing/pages/pairing/index', title: '这个月还没和孩子谈心', time: '', detail: '月底前打个电话或视频吧' }); sent++
      }
      if (!r.visitDone && daysLeft(r.quarterEndsAt) <= 14 && await claimMark(`visit-remind:${p._id}:${quarter}`)) {
        await send({ touser: p.volunteerId, template: 'pairingReminder', page: 'packages/pairing/pages/pairing/index', title: '这个季度还没上门看望孩子', time: '', detail: '季度结束前请去看看孩子' }); sent++
      }
      // Periods that ended before the pairing began do not count against it.
      const since = new Date(p.acceptedAt ?? now)
      const missed: string[] = []
      const lastMonth = previousPeriod(month)
      const lastQuarter = previousPeriod(quarter)
      if (periodsOf(since).month < month && periodsOf(since).month <= lastMonth && !logs.some((l) => periodsOf(new Date(l.at)).month === lastMonth)) missed.push(`${lastMonth}没有谈心`)
      if (periodsOf(since).quarter < quarter && periodsOf(since).quarter <= lastQuarter && !logs.some((l) => l.kind === 'visit' && periodsOf(new Date(l.at)).quarter === lastQuarter)) missed.push(`${lastQuarter}没有上门看望`)
      for (const what of missed) {
        if (!(await claimMark(`rhythm-missed:${p._id}:${what}`))) continue
        const child = await findById<ChildRecord>(COLLECTIONS.children, p.childId)
        if (!child) continue
        for (const o of await officersOf(child)) {
          await send({ touser: o, template: 'careAlert', page: `packages/registry/pages/child/index?id=${child._id}`, title: `${child.name}的爱心家长${what}`, time: '', detail: `志愿者：${p.volunteerName}` }); sent++
        }
      }
    }
    if (page.length < 100) break
  }
  return sent
}
