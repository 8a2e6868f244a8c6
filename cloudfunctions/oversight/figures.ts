/** The oversight view of an admin's scope (county or township), from the live data. */
import {
  AGENCY_LABELS, AppError, CLOCKED_STATES, FIVE_ONES, FIVE_ONE_LABELS, LIST_AGENCIES, OVERSIGHT_LISTS, OVERSIGHT_LIST_LABELS, deadlineAt, median, periodStart, periodsOf,
  INVITABLE_BY_AGENCY, isInvitedLeader, runningClocks, share, shiftWeek, startOfShanghaiWeek, vettingState, weekOf, weekStartOf, type Agency, type OversightList, type RoleGrant, type TemplateKey, type UserDoc
} from '../../src/domain'
import { _, db } from '../_server/cloud'
import { COLLECTIONS } from '../_server/collections'
import { loadCalendar } from '../_server/calendar'
import { Places } from '../_server/places'
import type { Caller } from '../_server/caller'
import { Reader } from './reader'
import { allPages, pieces } from '../_server/paging'
import { reachOfPeople } from '../_server/reach'

export interface Area { level: 'county' | 'township', id: string, name: string, agency: Agency, field: 'countyId' | 'townshipId', townships: string[], countyId: string }

export async function areaOf (caller: Caller): Promise<Area> {
  const g = caller.grants.find((x) => x.role === 'admin' && x.agency && x.scope && (x.scope.level === 'county' || x.scope.level === 'township'))
  if (!g) throw new AppError('FORBIDDEN', '只有县、乡镇的部门管理员可以查看督导数据')
  const places = new Places()
  await places.load([g.scope!.id])
  const level = g.scope!.level as 'county' | 'township'
  const townships = level === 'township' ? [g.scope!.id] : (await places.loadCounty(g.scope!.id)).filter((p) => p.kind === 'township').map((p) => p._id)
  const countyId = level === 'county' ? g.scope!.id : places.get(g.scope!.id)?.countyId ?? ''
  return { level, id: g.scope!.id, name: places.name(g.scope!.id), agency: g.agency!, field: level === 'county' ? 'countyId' : 'townshipId', townships, countyId }
}

/**
 * lastHeldCallAt for children with no held call since `since`: none ever, the last before it, or the last one a
 * call of a week still to come (checked in just before it began, late on a Sunday): that week has not begun.
 */
export function noHeldCallSince (since: Date, weekStart: Date) {
  return _.or(_.exists(false), _.lt(since), _.gte(new Date(weekStart.getTime() + 7 * 86400000)))
}

/**
 * The staff of the viewer's agency line in the area who cannot be reached: an alert of their duty with no allow left
 * and no phone for SMS (docs/ARCHITECTURE.md, "Notifications"). The agency line is who it invites (教育 teachers and
 * counsellors, 公安 police liaisons, ...) and its own admins.
 */
export async function unreachableStaff (area: Area): Promise<Array<{ name: string, roleLabel: string, placeNames: string, missing: TemplateKey[], hasPhone: boolean }>> {
  const places = new Places()
  await places.load([area.id])
  const county = area.level === 'county' ? area.id : places.get(area.id)?.countyId
  const inArea = county ? (await places.loadCounty(county)).filter((p) => places.within(p._id, area.id)).map((p) => p._id) : [area.id]
  const line = INVITABLE_BY_AGENCY[area.agency]
  const users: UserDoc[] = []
  for (const some of pieces(inArea)) users.push(...await allPages<UserDoc>(db.collection(COLLECTIONS.users).where({ 'roles.scope.id': _.in(some) })))
  const mine = [...new Map(users.map((u) => [u._id, u])).values()].filter((u) => u.roles.some((g) => g.status !== 'suspended' && g.scope && inArea.includes(g.scope.id) &&
    (line as readonly string[]).includes(g.role) && (g.role !== 'admin' || g.agency === area.agency)))
  const reach = await reachOfPeople(mine.map((u) => u._id))
  return reach.filter((p) => p.unreachable).map((p) => {
    const u = mine.find((x) => x._id === p.id)!
    return { name: p.name, roleLabel: p.roleLabel, placeNames: [...new Set(u.roles.filter((g) => g.scope && inArea.includes(g.scope.id)).map((g) => places.name(g.scope!.id)))].join('、'), missing: p.missing, hasPhone: p.hasPhone }
  })
}

export function mayList (area: Area, key: OversightList): boolean {
  const only = LIST_AGENCIES[key]
  return !only || only.includes(area.agency)
}

const DAY = 86400000

export async function computeFigures (area: Area, now: Date, r = new Reader()) {
  const $ = db.command.aggregate
  const inArea = { [area.field]: area.id }
  const week = weekOf(now)
  const weekStart = startOfShanghaiWeek(now)
  const weeks = Array.from({ length: 12 }, (_x, i) => shiftWeek(week.weekKey, -i)).reverse()
  const last4 = weeks.slice(-4)

  // Children by consent and status: a handful of groups.
  const byState = await r.aggregate<{ _id: { consent?: string, status: string }, n: number }>(COLLECTIONS.children, (a) => a.match(inArea).group({ _id: { consent: '$consent.state', status: '$status' }, n: $.sum(1) }))
  const registered = byState.reduce((t, g) => t + g.n, 0)
  const withConsent = byState.filter((g) => g._id.consent === 'granted').reduce((t, g) => t + g.n, 0)
  const leftBehind = byState.filter((g) => g._id.status === 'leftBehind').reduce((t, g) => t + g.n, 0)

  // Held calls per week (12 groups), and distinct children with one in the last 4 weeks (1 group).
  const perWeek = await r.aggregate<{ _id: string, n: number }>(COLLECTIONS.weeklyContacts, (a) => a.match({ ...inArea, weekKey: _.in(weeks) }).group({ _id: '$weekKey', n: $.sum(1) }))
  const held = new Map(perWeek.map((w) => [w._id, w.n]))
  const recent = await r.aggregate<{ n: number }>(COLLECTIONS.weeklyContacts, (a) => a.match({ ...inArea, weekKey: _.in(last4) }).group({ _id: '$childId' }).group({ _id: null, n: $.sum(1) }))
  const heldThisWeek = held.get(week.weekKey) ?? 0

  // Pairings: active ones, and this month's talks and this quarter's visits (distinct pairings).
  const activePairs = await r.aggregate<{ n: number }>(COLLECTIONS.pairings, (a) => a.match({ ...inArea, status: _.in(['active', 'review']) }).group({ _id: null, n: $.sum(1) }))
  const { month, quarter } = periodsOf(now)
  const monthStart = periodStart(month)
  const quarterStart = periodStart(quarter)
  const talks = await r.aggregate<{ n: number }>(COLLECTIONS.contactLogs, (a) => a.match({ ...inArea, at: _.gte(monthStart) }).group({ _id: '$pairingId' }).group({ _id: null, n: $.sum(1) }))
  const visits = await r.aggregate<{ n: number }>(COLLECTIONS.contactLogs, (a) => a.match({ ...inArea, kind: 'visit', at: _.gte(quarterStart) }).group({ _id: '$pairingId' }).group({ _id: null, n: $.sum(1) }))
  const active = activePairs[0]?.n ?? 0

  // Legal aid: the open requests' clocks (read page by page), and days to decision over the last year.
  const cal = await loadCalendar()
  const open = await r.all<any>(db.collection(COLLECTIONS.legalAidRequests).where({ ...inArea, state: _.in([...CLOCKED_STATES]) }).field({ state: true, submittedAt: true, decidedAt: true, assignedAt: true, deadline: true, evidenceUrgent: true, complex: true, complexReason: true }))
  const clockStates = open.map((q) => runningClocks(cal, { ...q, deadlineAt: deadlineAt(q.deadline) }, now)[0]?.state ?? 'onTime')
  const decided = await r.aggregate<{ ds: number[] }>(COLLECTIONS.legalAidRequests, (a) => a.match({ ...inArea, decidedAt: _.gte(new Date(now.getTime() - 365 * DAY)) }).project({ d: $.subtract(['$decidedAt', '$submittedAt']) }).group({ _id: null, ds: $.push('$d') }))

  // Crises and reports: counts and acknowledgement times.
  const crises = await r.aggregate<{ ack: number[], n: number, un: number }>(COLLECTIONS.helpRequests, (a) => a.match({ ...inArea, urgency: 'crisis', createdAt: _.gte(new Date(now.getTime() - 90 * DAY)) })
    .project({ ack: $.subtract(['$crisis.ackAt', '$createdAt']), un: $.cond({ if: $.gt(['$crisis.ackAt', null]), then: 0, else: 1 }) })
    .group({ _id: null, ack: $.push('$ack'), n: $.sum(1), un: $.sum('$un') }))
  const reports = await r.aggregate<{ _id: string, n: number, ack: number[] }>(COLLECTIONS.mandatoryReports, (a) => a.match({ ...inArea, state: _.neq('awaitingDelivery') })
    .project({ state: 1, ack: $.subtract(['$acknowledgedAt', '$filedAt']) }).group({ _id: '$state', n: $.sum(1), ack: $.push('$ack') }))

  // Volunteers reaching the area: check dates, grouped into one document.
  const vet = await r.aggregate<{ checks: Array<{ checkDate: string, result: string }> }>(COLLECTIONS.volunteerProfiles, (a) => a.match({ townshipIds: _.in(area.townships), 'vetting.result': 'clear' }).group({ _id: null, checks: $.push('$vetting') }))
  const states = (vet[0]?.checks ?? []).map((v) => vettingState(v as any, now))

  // 五个一 of each leader an admin invited to the county (a township's view: those whose pairing area covers it).
  // A self-styled leader counts for nothing.
  const invited = (await r.all<{ _id: string, name: string, roles: RoleGrant[] }>(db.collection(COLLECTIONS.users).where({ 'roles.scope.id': area.countyId }).field({ name: true, roles: true })))
    .filter((u) => u.roles.some((g) => isInvitedLeader(g) && g.scope!.id === area.countyId))
  const covering = area.level === 'township' && invited.length
    ? new Set((await r.all<{ _id: string }>(db.collection(COLLECTIONS.volunteerProfiles).where({ _id: _.in(invited.map((u) => u._id)), townshipIds: _.in(area.townships) }).field({ _id: true }))).map((p) => p._id))
    : null
  const names = invited.filter((u) => !covering || covering.has(u._id))
  const leaderIds = names.map((u) => u._id)
  const duties = leaderIds.length ? await r.all<{ openid: string, item: string }>(db.collection(COLLECTIONS.leaderDuties).where({ openid: _.in(leaderIds) }).field({ openid: true, item: true })) : []
  const leaderPairs = leaderIds.length ? await r.all<{ volunteerId: string }>(db.collection(COLLECTIONS.pairings).where({ volunteerId: _.in(leaderIds), status: _.in(['active', 'review']) }).field({ volunteerId: true })) : []

  const legal = { open: open.length, onTime: clockStates.filter((s) => s === 'onTime').length, dueSoon: clockStates.filter((s) => s === 'dueSoon').length, late: clockStates.filter((s) => s === 'late').length }
  const medDays = median((decided[0]?.ds ?? []).filter((d) => typeof d === 'number').map((d) => d / DAY))
  const crisisAcks = (crises[0]?.ack ?? []).filter((d) => typeof d === 'number').map((d) => d / 60000)
  const reportAcks = reports.flatMap((g) => g.ack).filter((d) => typeof d === 'number').map((d) => d / 60000)
  const reportsOpen = reports.filter((g) => g._id !== 'closed').reduce((t, g) => t + g.n, 0)
  const noCallThisWeek = await r.count(db.collection(COLLECTIONS.children).where({ ...inArea, status: 'leftBehind', lastHeldCallAt: noHeldCallSince(weekStart, weekStart) } as any))
  const noCall4 = await r.count(db.collection(COLLECTIONS.children).where({ ...inArea, status: 'leftBehind', lastHeldCallAt: noHeldCallSince(new Date(weekStart.getTime() - 21 * DAY), weekStart) } as any))
  const counts: Record<OversightList, number> = {
    noCallThisWeek,
    noCall4Weeks: noCall4,
    unpaired: Math.max(0, leftBehind - active),
    pairingsDue: Math.max(0, active - (talks[0]?.n ?? 0)),
    legalAidLate: legal.late,
    legalAidDueSoon: legal.dueSoon,
    reportsOpen,
    vettingExpiring: states.filter((s) => s === 'expiringSoon').length,
    unreachableStaff: (await unreachableStaff(area)).length
  }
  const round = (n: number | undefined) => n === undefined ? undefined : Math.round(n * 10) / 10
  return {
    scopeName: area.name,
    agencyLabel: AGENCY_LABELS[area.agency],
    at: now,
    children: { registered, withConsent, leftBehind, heldThisWeek, heldLast4Weeks: recent[0]?.n ?? 0, heldThisWeekShare: share(heldThisWeek, leftBehind) },
    weekly: weeks.map((w) => ({ weekKey: w, weekStart: weekStartOf(w), held: held.get(w) ?? 0, share: share(held.get(w) ?? 0, leftBehind) })),
    pairing: { active, coverage: share(active, leftBehind), talksThisMonth: talks[0]?.n ?? 0, visitsThisQuarter: visits[0]?.n ?? 0 },
    legalAid: { ...legal, medianDaysToDecision: round(medDays) },
    crises: { last90Days: crises[0]?.n ?? 0, medianAckMinutes: round(median(crisisAcks)), unacknowledged: crises[0]?.un ?? 0 },
    reports: { open: reportsOpen, medianAckMinutes: round(median(reportAcks)), unacknowledged: reports.find((g) => g._id === 'delivered')?.n ?? 0 },
    volunteers: { vettingExpiringSoon: counts.vettingExpiring, vettingExpired: states.filter((s) => s === 'expired').length },
    leaders: leaderIds.map((id) => ({
      name: names.find((n) => n._id === id)?.name ?? '',
      items: FIVE_ONES.map((item) => ({ item, label: FIVE_ONE_LABELS[item], done: item === 'pairedChild' ? leaderPairs.some((p) => p.volunteerId === id) : duties.some((d) => d.openid === id && d.item === item) }))
    })),
    lists: OVERSIGHT_LISTS.filter((k) => mayList(area, k)).map((key) => ({ key, label: OVERSIGHT_LIST_LABELS[key], count: counts[key] })),
    reads: { queries: r.queries, maxDocsPerRead: r.maxDocsPerRead }
  }
}
