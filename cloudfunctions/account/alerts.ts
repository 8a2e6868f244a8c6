/**
 * 消息 and 接收提醒 (docs/ARCHITECTURE.md, "Notifications"): my inbox, where every notice lands first, paged newest
 * first; and the alerts my duty needs, with the allows I have left for each (the app's mirror of what WeChat keeps),
 * the phone that backs them up by SMS, and, for a supervisor, who on their rosters cannot be reached.
 */
import { AppError, TEMPLATES, accountContract, dutyAlerts, maskPhone, type AlertAllow, type AllowState, type TemplateKey, type UserDoc } from '../../src/domain'
import { _, db, findById, rows } from '../_server/cloud'
import { COLLECTIONS } from '../_server/collections'
import { once } from '../_server/idempotency'
import { activeRoles, allowsOf, reachOfPeople } from '../_server/reach'
import { allPages } from '../_server/paging'
import { action } from '../_server/router'
import * as clock from '../_server/clock'

interface InboxDoc { _id: string, to: string, template: TemplateKey, title: string, detail?: string, at?: Date | null, link: string, urgent?: boolean, read?: boolean, createdAt: Date }

const PAGE = 20

/** A page's cursor: the last entry's time and id (entries of the same instant are ordered by id). */
const cursorOf = (d: InboxDoc): string => `${new Date(d.createdAt).getTime()}|${d._id}`
function parseCursor (s: string): { at: Date, id: string } {
  const bar = s.indexOf('|')
  const at = new Date(Number(s.slice(0, bar)))
  if (bar <= 0 || Number.isNaN(at.getTime())) throw new AppError('INVALID_INPUT', '翻页参数不对', { before: '翻页参数不对' })
  return { at, id: s.slice(bar + 1) }
}

export const inbox = action({
  contract: accountContract.inbox,
  allowed: 'registered',
  async handler (input, caller) {
    const limit = input.limit ?? PAGE
    const mine = { to: caller.openid }
    const where = input.before
      ? (() => { const c = parseCursor(input.before); return _.and([mine, _.or([{ createdAt: _.lt(c.at) }, { createdAt: c.at, _id: _.lt(c.id) }])]) })()
      : mine
    const docs = await rows<InboxDoc>(db.collection(COLLECTIONS.inbox).where(where).orderBy('createdAt', 'desc').orderBy('_id', 'desc').limit(limit + 1))
    const page = docs.slice(0, limit)
    return {
      entries: page.map((d) => ({
        id: d._id, template: d.template, title: d.title, detail: d.detail ?? '', at: d.at ? new Date(d.at) : null, link: d.link,
        urgent: d.urgent === true, read: d.read === true, createdAt: new Date(d.createdAt)
      })),
      next: docs.length > limit ? cursorOf(page[page.length - 1]) : null
    }
  }
})

export const unreadCount = action({
  contract: accountContract.unreadCount,
  allowed: 'registered',
  async handler (_input, caller) {
    const res = await db.collection(COLLECTIONS.inbox).where({ to: caller.openid, read: false }).count() as { total: number }
    return { unread: res.total }
  }
})

export const markRead = action({
  contract: accountContract.markRead,
  allowed: 'registered',
  async handler (input, caller) {
    const entry = await findById<InboxDoc>(COLLECTIONS.inbox, input.id)
    // Someone else's message is as good as none: its existence is not told.
    if (!entry || entry.to !== caller.openid) throw new AppError('NOT_FOUND', '没有这条消息')
    if (!entry.read) await db.collection(COLLECTIONS.inbox).where({ _id: input.id, to: caller.openid }).update({ data: { read: true, readAt: clock.now() } })
    return { read: true as const }
  }
})

export const markAllRead = action({
  contract: accountContract.markAllRead,
  allowed: 'registered',
  async handler (_input, caller) {
    const res = await db.collection(COLLECTIONS.inbox).where({ to: caller.openid, read: false }).update({ data: { read: true, readAt: clock.now() } }) as { stats: { updated: number } }
    return { marked: res.stats.updated }
  }
})

// ---- allows ------------------------------------------------------------------------------------------------------

function alertViews (keys: readonly TemplateKey[], allows: ReadonlyMap<string, AllowState> | undefined): AlertAllow[] {
  return keys.map((k) => {
    const a = allows?.get(k)
    return { template: k, label: TEMPLATES[k].label, purpose: TEMPLATES[k].purpose, remaining: a?.remaining ?? 0, longTerm: a?.longTerm === true, canBeLongTerm: TEMPLATES[k].canBeLongTerm }
  })
}

export const recordAllows = action({
  contract: accountContract.recordAllows,
  allowed: 'registered',
  async handler (input, caller) {
    return await once(caller, 'account.recordAllows', input.idempotencyKey, async () => {
      const at = clock.now()
      for (const [template, answer] of Object.entries(input.answers) as Array<[TemplateKey, string]>) {
        if (answer !== 'accept') continue
        const id = `${caller.openid}:${template}`
        const longTerm = TEMPLATES[template].longTerm
        const res = await db.collection(COLLECTIONS.allows).where({ _id: id }).update({ data: longTerm ? { longTerm: true, acceptedAt: at } : { remaining: _.inc(1), acceptedAt: at } }) as { stats: { updated: number } }
        if (res.stats.updated === 0) {
          try {
            await db.collection(COLLECTIONS.allows).add({ data: { _id: id, openid: caller.openid, template, remaining: longTerm ? 0 : 1, longTerm, acceptedAt: at } })
          } catch {
            // added by a tap at the same moment: count this one on it
            await db.collection(COLLECTIONS.allows).doc(id).update({ data: longTerm ? { longTerm: true } : { remaining: _.inc(1) } })
          }
        }
      }
      const keys = Object.keys(input.answers) as TemplateKey[]
      return { alerts: alertViews(keys, (await allowsOf([caller.openid])).get(caller.openid)) }
    })
  }
})

interface RosterDoc { _id: string, order: string[], supervisor?: string }
interface PlaceDoc { _id: string, name: string, kind: string, supervisorId?: string }

/** The rosters I supervise: a station's duty counsellors, a legal-aid centre's officers and lawyers. */
async function supervisedTeams (openid: string): Promise<Array<{ title: string, ids: string[] }>> {
  const teams: Array<{ title: string, ids: string[] }> = []
  const rosters = await rows<RosterDoc>(db.collection(COLLECTIONS.dutyRosters).where({ supervisor: openid }).limit(20))
  const stations = rosters.length ? await rows<PlaceDoc>(db.collection(COLLECTIONS.places).where({ _id: _.in(rosters.map((r) => r._id)) }).limit(20)) : []
  for (const r of rosters) teams.push({ title: `${stations.find((s) => s._id === r._id)?.name ?? '辅导站'}值班表`, ids: r.order })
  const centres = await rows<PlaceDoc>(db.collection(COLLECTIONS.places).where({ kind: 'centre', supervisorId: openid }).limit(20))
  for (const c of centres) {
    const staff = await allPages<UserDoc>(db.collection(COLLECTIONS.users).where({ 'roles.scope.id': c._id }))
    teams.push({ title: `${c.name}人员`, ids: staff.filter((u) => u._id !== openid && u.roles.some((g) => g.scope?.id === c._id && g.status !== 'suspended' && (g.role === 'legalAidOfficer' || g.role === 'lawyer'))).map((u) => u._id) })
  }
  return teams
}

export const alertSettings = action({
  contract: accountContract.alertSettings,
  allowed: 'registered',
  async handler (_input, caller) {
    const duty = dutyAlerts(activeRoles(caller.grants))
    const mine = (await allowsOf([caller.openid])).get(caller.openid)
    const teams = await supervisedTeams(caller.openid)
    const team: Array<{ title: string, people: Array<{ name: string, roleLabel: string, missing: string[], hasPhone: boolean, unreachable: boolean }> }> = []
    for (const t of teams) {
      const people = await reachOfPeople(t.ids)
      team.push({ title: t.title, people: people.map((p) => ({ name: p.name, roleLabel: p.roleLabel, missing: p.missing.map((k) => TEMPLATES[k].label), hasPhone: p.hasPhone, unreachable: p.unreachable })) })
    }
    return { alerts: alertViews(duty, mine), phone: caller.user?.phone ? maskPhone(caller.user.phone) : null, team }
  }
})

export const setPhone = action({
  contract: accountContract.setPhone,
  allowed: 'registered',
  async handler (input, caller) {
    await db.collection(COLLECTIONS.users).doc(caller.openid).update({ data: { phone: input.phone } })
    return { phone: maskPhone(input.phone) }
  }
})
