/**
 * The pairing timers, run by the scheduler, each idempotent through claimed marks:
 * - an offer not answered in 7 days expires, the child goes back to the next run and the admin who sent it is told;
 * - a check expiring within a month reminds the volunteer and the admins of their agency, once;
 * - an expired check puts the volunteer's pairings under review (not silently continued) and tells the officers;
 * - near a month's end a volunteer without this month's talk is reminded, near a quarter's end without its visit;
 * - a month or quarter that ended without one is flagged to the child-welfare officer.
 */
import {
  AGENCY_LABELS, VOLUNTEER_KIND_LABELS, countingContacts, isHomeVisit, periodStart, periodsOf, previousPeriod, rhythmOf, vettingState, vettingValidUntil, type ChildRecord
} from '../../../src/domain'
import { _, db, findById, rows } from '../cloud'
import { COLLECTIONS } from '../collections'
import { claimMark } from '../marks'
import { notify } from '../notify'
import { allPages } from '../paging'
import { contactsSince, pairingStart, type PairingDoc, type ProfileDoc } from '../pairing/records'
import { dailyMark, nextDaily, type Job } from './job'
import { sideBySide, TIMER_LANES } from '../sideBySide'

const vetted = () => db.collection(COLLECTIONS.volunteerProfiles).where({ 'vetting.result': 'clear' })
const livePairings = () => db.collection(COLLECTIONS.pairings).where({ status: _.in(['active', 'review']) })

const DAY = 86400000

/**
 * An offer not answered in time expires: the child goes back to the next matching run, and the admin who ran the
 * matching (who sent the offer) is told, once, so the child does not wait unseen for another run.
 */
export const pairingOffers: Job = {
  async run (now) {
    // Every open offer (the lapsed ones expire, the soonest of the rest is when the job is next due) and every
    // pairing just accepted whose family has not heard yet, side by side.
    const [open, accepted] = await Promise.all([
      allPages<PairingDoc>(db.collection(COLLECTIONS.pairings).where({ status: 'offered' }).orderBy('expiresAt', 'asc')),
      tellFamilies()
    ])
    const due = open.filter((p) => p.expiresAt && new Date(p.expiresAt) <= now)
    const waiting = open.find((p) => p.expiresAt && new Date(p.expiresAt) > now)
    offersDue = waiting?.expiresAt ? new Date(waiting.expiresAt) : null
    let expired = accepted
    for (const p of due) {
      // Conditional: an answer that lands at the same moment wins, and the offer is not expired under it.
      const res = await db.collection(COLLECTIONS.pairings).where({ _id: p._id, status: 'offered' }).update({ data: { status: 'expired', expiredAt: now } }) as { stats: { updated: number } }
      if (res.stats.updated !== 1) continue
      expired++
      if (!p.offeredBy) continue
      const child = await findById<ChildRecord>(COLLECTIONS.children, p.childId)
      await notify({
        to: p.offeredBy, template: 'pairingReminder', link: 'packages/pairing/pages/matching/index', at: now,
        title: `结对邀请已过期：${child?.name ?? ''}`,
        detail: `${p.volunteerName}7天内没有答复，孩子已回到待结对名单，请重新匹配`,
        key: `pairing-expired:${p._id}`
      })
    }
    return expired
  },
  // From what the run read (asked right after it, docs/ARCHITECTURE.md "Timers"); a pairing accepted later is a write,
  // after which the local cloud fires the next minute.
  nextDue: async () => offersDue
}
let offersDue: Date | null = null

type Accepted = PairingDoc & { familyTold: false, family: Array<{ openid: string, role?: string }>, child: ChildRecord[], profile: ProfileDoc[] }

/**
 * A pairing just accepted (`familyTold: false`): the child's parents and guardians learn who the volunteer is, within
 * the minute: name, kind and agency. The accepting volunteer's answer does not wait for it (docs/ARCHITECTURE.md,
 * "Notifications"). How many people were told.
 */
async function tellFamilies (): Promise<number> {
  const res = await db.collection(COLLECTIONS.pairings).aggregate().match({ familyTold: false }).limit(50)
    .lookup({ from: COLLECTIONS.bindings, localField: 'childId', foreignField: 'childId', as: 'family' })
    .lookup({ from: COLLECTIONS.children, localField: 'childId', foreignField: '_id', as: 'child' })
    .lookup({ from: COLLECTIONS.volunteerProfiles, localField: 'volunteerId', foreignField: '_id', as: 'profile' })
    .end() as { list: Accepted[] }
  let told = 0
  await Promise.all(res.list.map(async (p) => {
    const claimed = await db.collection(COLLECTIONS.pairings).where({ _id: p._id, familyTold: false }).update({ data: { familyTold: true } }) as { stats: { updated: number } }
    if (claimed.stats.updated !== 1 || p.status !== 'active') return
    const profile = p.profile[0]
    await Promise.all(p.family.filter((x) => x.role === 'parent' || x.role === 'guardian').map(async (b) => {
      await notify({
        to: b.openid, template: 'pairingReminder', link: 'packages/pairing/pages/family/index', at: p.acceptedAt ? new Date(p.acceptedAt) : undefined,
        title: `${p.child[0]?.name ?? '孩子'}有了结对的爱心志愿者`,
        detail: profile ? `${p.volunteerName}（${VOLUNTEER_KIND_LABELS[profile.kind]}，${AGENCY_LABELS[profile.agency]}）` : p.volunteerName,
        key: `pairing:${p._id}:accepted`, claimed: true
      })
      told++
    }))
  }))
  return told
}

async function officersOf (child: ChildRecord): Promise<string[]> {
  const users = await allPages<{ _id: string, roles: Array<{ role: string, scope?: { id: string }, status?: string }> }>(db.collection(COLLECTIONS.users).where({ 'roles.scope.id': _.in([child.villageId, child.townshipId]) }))
  return users.filter((u) => u.roles.some((g) => g.role === 'childWelfareOfficer' && g.status !== 'suspended' && (g.scope?.id === child.villageId || g.scope?.id === child.townshipId))).map((u) => u._id)
}

async function checkVetting (now: Date): Promise<number> {
  // Once a day is enough for checks counted in days.
  if (!(await claimMark(dailyMark('vetting', now)))) return 0
  let sent = 0
  const profiles = await allPages<ProfileDoc>(vetted())
  for (const v of profiles) {
    const state = vettingState(v.vetting, now)
    const until = vettingValidUntil(v.vetting!)
    if (state === 'expiringSoon' && await claimMark(`vetting-soon:${v._id}:${until}`)) {
      const admins = await allPages<{ _id: string, roles: Array<{ role: string, agency?: string }> }>(db.collection(COLLECTIONS.users).where({ 'roles.agency': v.agency, 'roles.role': 'admin' }))
      for (const to of [v._id, ...admins.map((a) => a._id)]) {
        await notify({ to, template: 'pairingReminder', link: 'packages/pairing/pages/profile/index', title: '无犯罪记录审查快到期了', detail: `${until}到期，请复查，过期将暂停新的结对`, key: `vetting-soon:${v._id}:${until}` })
        sent++
      }
    }
    if (state === 'expired' && await claimMark(`vetting-expired:${v._id}:${until}`)) {
      const active = await allPages<PairingDoc>(db.collection(COLLECTIONS.pairings).where({ volunteerId: v._id, status: 'active' }))
      for (const p of active) {
        await db.collection(COLLECTIONS.pairings).doc(p._id).update({ data: { status: 'review', reviewReason: 'vettingExpired' } })
        const child = await findById<ChildRecord>(COLLECTIONS.children, p.childId)
        if (!child) continue
        for (const o of await officersOf(child)) {
          await notify({ to: o, template: 'careAlert', link: `packages/registry/pages/child/index?id=${child._id}`, title: `${child.name}的结对志愿者审查已过期`, detail: `${until}到期，结对待复核，请联系志愿者复查`, key: `vetting-expired:${v._id}:${until}:${p._id}` })
          sent++
        }
      }
    }
  }
  return sent
}

async function checkRhythm (now: Date): Promise<number> {
  if (!(await claimMark(dailyMark('rhythm', now)))) return 0
  let sent = 0
  const { month, quarter } = periodsOf(now)
  const lastMonth = previousPeriod(month)
  const lastQuarter = previousPeriod(quarter)
  const daysLeft = (end: Date) => (end.getTime() - now.getTime()) / DAY
  // Each pairing's check reads its own contacts: side by side, a few at a time.
  await sideBySide(await allPages<PairingDoc>(livePairings()), TIMER_LANES, async (p) => {
    // What the checks below look at: this and the last month and quarter.
    // Only what counts (docs/DOMAIN.md, "Contact rhythm"): contacts within the pairing; visits in person.
    const logs = countingContacts(await contactsSince(p._id, periodStart(lastQuarter)), pairingStart(p))
    const r = rhythmOf(logs, now)
    if (!r.talkDone && daysLeft(r.monthEndsAt) <= 5 && await claimMark(`talk-remind:${p._id}:${month}`)) {
      await notify({ to: p.volunteerId, template: 'pairingReminder', link: 'packages/pairing/pages/pairing/index', title: '这个月还没和孩子谈心', detail: '月底前打个电话或视频吧', claimed: true }); sent++
    }
    if (!r.visitDone && daysLeft(r.quarterEndsAt) <= 14 && await claimMark(`visit-remind:${p._id}:${quarter}`)) {
      await notify({ to: p.volunteerId, template: 'pairingReminder', link: 'packages/pairing/pages/pairing/index', title: '这个季度还没上门看望孩子', detail: '季度结束前请去看看孩子', claimed: true }); sent++
    }
    // Periods that ended before the pairing began do not count against it.
    const since = new Date(p.acceptedAt ?? now)
    const missed: string[] = []
    if (periodsOf(since).month < month && periodsOf(since).month <= lastMonth && !logs.some((l) => periodsOf(new Date(l.at)).month === lastMonth)) missed.push(`${lastMonth}没有谈心`)
    if (periodsOf(since).quarter < quarter && periodsOf(since).quarter <= lastQuarter && !logs.some((l) => isHomeVisit(l) && periodsOf(new Date(l.at)).quarter === lastQuarter)) missed.push(`${lastQuarter}没有上门看望`)
    for (const what of missed) {
      if (!(await claimMark(`rhythm-missed:${p._id}:${what}`))) continue
      const child = await findById<ChildRecord>(COLLECTIONS.children, p.childId)
      if (!child) continue
      for (const o of await officersOf(child)) {
        await notify({ to: o, template: 'careAlert', link: `packages/registry/pages/child/index?id=${child._id}`, title: `${child.name}的爱心家长${what}`, detail: `志愿者：${p.volunteerName}`, claimed: true }); sent++
      }
    }
  })
  return sent
}

/** Once a day: a volunteer's check about to expire, or expired. */
export const vetting: Job = {
  marks: (now) => [dailyMark('vetting', now)],
  run: checkVetting,
  nextDue: async (now) => (await rows(vetted().limit(1))).length > 0 ? await nextDaily('vetting', now) : null
}

/** Once a day: the month's talk and the quarter's visit of each pairing. */
export const pairingRhythm: Job = {
  marks: (now) => [dailyMark('rhythm', now)],
  run: checkRhythm,
  nextDue: async (now) => (await rows(livePairings().limit(1))).length > 0 ? await nextDaily('rhythm', now) : null
}
