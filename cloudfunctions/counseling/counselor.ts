/** The counsellor's side: the queue and a case with its call-back numbers, acknowledging a crisis, the report, confidential notes, closing, roster, hours. */
import {
  AppError, CRISIS_REASON_LABELS, CareRoomSettings, DEFAULT_COUNSELOR_SETTINGS, REPORT_STATE_LABELS, ROLE_LABELS, URGENCY_LABELS, ageOn, counselingContract, givenName, homeConcern, roomSettings,
  type ChildRecord, type Contact, type CrisisReason, type Role
} from '../../src/domain'
import { _, db, findById, rows } from '../_server/cloud'
import { addToReport, fileFromOrigin, type ReportDoc } from '../_server/reports'
import { isOverdue } from '../_server/counseling/followUp'
import { chosenOf, contactsOfRequest, requestInWords } from './facts'
import { COLLECTIONS } from '../_server/collections'
import { allPages } from '../_server/paging'
import { audit } from '../_server/audit'
import { addOrFind, once } from '../_server/idempotency'
import { action } from '../_server/router'
import type { Caller } from '../_server/caller'
import { namesOf, rosterOf, type HelpRequest, type SessionDoc, type StationDoc } from '../_server/counseling/records'
import { counselorsOf, requireStation, stationsOf } from './stations'
import { sessionView } from './requests'
import * as clock from '../_server/clock'

const COUNSELOR = ['counselor'] as const

const reasonLabels = (reasons: readonly CrisisReason[]): string[] => reasons.map((r) => CRISIS_REASON_LABELS[r])

/**
 * How a counsellor stands to a case (docs/DOMAIN.md, "Roles and scopes"): it belongs to its counsellor; another
 * counsellor of the station has it only once it is handed over to them (they become its counsellor) or while it is a
 * crisis they were alerted to; the station's supervisor has every case of the station. Null: not theirs to see.
 */
function standing (caller: Caller, req: HelpRequest, supervisor: string | undefined): 'owner' | 'supervisor' | 'alerted' | null {
  if (!stationsOf(caller).includes(req.stationId)) return null
  if (req.counselorId === caller.openid) return 'owner'
  if (supervisor === caller.openid) return 'supervisor'
  if (req.urgency === 'crisis' && (req.crisis?.alerts ?? []).some((a) => a.to === caller.openid)) return 'alerted'
  return null
}

/** The requests of the caller's stations that are theirs to see. */
async function visibleOf (caller: Caller, requests: HelpRequest[]): Promise<HelpRequest[]> {
  const supervisors = new Map<string, string | undefined>()
  for (const id of new Set(requests.map((r) => r.stationId))) supervisors.set(id, (await rosterOf(id)).supervisor)
  return requests.filter((r) => standing(caller, r, supervisors.get(r.stationId)) !== null)
}

/** A case the caller may read (`read`) or write (`write`: notes, closing, handing over: its counsellor or the supervisor). */
async function stationRequest (caller: Caller, requestId: string, need: 'read' | 'write'): Promise<HelpRequest> {
  const req = await findById<HelpRequest>(COLLECTIONS.helpRequests, requestId)
  if (!req) throw new AppError('NOT_FOUND', '没有找到这次求助')
  requireStation(caller, req.stationId)
  const how = standing(caller, req, (await rosterOf(req.stationId)).supervisor)
  if (!how || (need === 'write' && how === 'alerted')) throw new AppError('FORBIDDEN', '这个个案由其他辅导员负责，只有负责的辅导员和站长可以查看')
  return req
}

/** The children of some requests, with what the queue and the call-back numbers need of their files. */
async function childrenOf (requests: readonly HelpRequest[]): Promise<Map<string, ChildRecord>> {
  const ids = [...new Set(requests.map((r) => r.childId))]
  if (ids.length === 0) return new Map()
  const found = await allPages<ChildRecord>(db.collection(COLLECTIONS.children).where({ _id: _.in(ids) })
    .field({ name: true, birthDate: true, schoolId: true, className: true, countyId: true, townshipId: true, villageId: true, guardian: true, parents: true, phone: true }))
  return new Map(found.map((c) => [c._id, c]))
}

/** A request as a counsellor reads it in the queue and on its case page. */
function itemOf (r: HelpRequest, c: ChildRecord | undefined, schoolName: string, caller: Caller, now: Date) {
  const words = [r.answers?.words, r.told?.words].filter(Boolean).join('\n')
  return {
    id: r._id, childName: r.childName, childAge: c ? ageOn(c.birthDate, now) : 0, schoolName,
    requesterName: r.requesterName, requesterRoleLabel: ROLE_LABELS[r.requesterRole as Role] ?? '', urgency: r.urgency, urgencyLabel: URGENCY_LABELS[r.urgency],
    reasons: reasonLabels(r.reasons), answers: requestInWords(r), ...(words ? { words } : {}), state: r.state, createdAt: r.createdAt, counselorName: r.counselorName,
    ...(r.crisis ? { crisis: { level: r.crisis.level, alertedNames: r.crisis.alerts.map((a) => a.toName), acknowledgedBy: r.crisis.ackByName, acknowledgedAt: r.crisis.ackAt } } : {}),
    followUpDate: r.followUpDate, mine: r.counselorId === caller.openid, overdue: isOverdue(r, now)
  }
}

export const queue = action({
  contract: counselingContract.queue,
  allowed: COUNSELOR,
  async handler (_input, caller) {
    const stations = stationsOf(caller)
    if (stations.length === 0) throw new AppError('FORBIDDEN', '您不在任何辅导站')
    const open = await visibleOf(caller, await allPages<HelpRequest>(db.collection(COLLECTIONS.helpRequests).where({ stationId: _.in(stations), state: _.neq('closed') }).orderBy('createdAt', 'asc')))
    const childOf = await childrenOf(open)
    const children = [...childOf.values()]
    const schools = children.length > 0 ? await allPages<{ _id: string, name: string }>(db.collection(COLLECTIONS.places).where({ _id: _.in([...new Set(children.map((c) => c.schoolId))]) }).field({ name: true })) : []
    const now = clock.now()
    const crises = open.filter((r) => r.urgency === 'crisis')
    // A crisis is answered by a phone call: its card carries every number that may reach the child (read logged below).
    const crisisItems: Array<ReturnType<typeof itemOf> & { contacts: Contact[] }> = []
    for (const r of crises) {
      const c = childOf.get(r.childId)
      const contacts = c ? (await contactsOfRequest(r, c)).contacts : []
      crisisItems.push({ ...itemOf(r, c, schools.find((s) => s._id === c?.schoolId)?.name ?? '', caller, now), contacts })
    }
    const rank = { crisis: 0, soon: 1, routine: 2 } as const
    const rest = open.filter((r) => r.urgency !== 'crisis').map((r) => itemOf(r, childOf.get(r.childId), schools.find((s) => s._id === childOf.get(r.childId)?.schoolId)?.name ?? '', caller, now))
    const sessions = await allPages<SessionDoc>(db.collection(COLLECTIONS.counselingSessions).where({ counselorId: caller.openid, status: 'booked', end: _.gt(now) }).orderBy('start', 'asc'))
    // What a counsellor reads here is a child's psych record: the read is logged, and the phone numbers of a crisis too.
    if (open.length > 0) await audit(caller, { action: 'counseling.queue', what: `查看心理求助队列（${open.length}件）` }, children)
    if (crises.length > 0) await audit(caller, { action: 'counseling.callBackNumbers', what: `查看紧急求助的回电号码（${crises.map((r) => r.childName).join('、')}）` }, crises.map((r) => childOf.get(r.childId)).filter((c): c is ChildRecord => Boolean(c)))
    return {
      crises: crisisItems,
      // Overdue soon-requests first: they waited past their follow-up time.
      open: rest.sort((a, b) => Number(b.overdue) - Number(a.overdue) || rank[a.urgency] - rank[b.urgency] || new Date(a.createdAt).getTime() - new Date(b.createdAt).getTime()),
      sessions: sessions.map((x) => sessionView(x, true))
    }
  }
})

/** One case: the request, every number that may help (logged as a read of the child's file), the session, the report. */
export const caseView = action({
  contract: counselingContract.caseView,
  allowed: COUNSELOR,
  async handler (input, caller) {
    const req = await stationRequest(caller, input.requestId, 'read')
    const now = clock.now()
    const { child, contacts } = await contactsOfRequest(req)
    const school = await findById<{ name: string }>(COLLECTIONS.places, child.schoolId)
    const [session] = await rows<SessionDoc>(db.collection(COLLECTIONS.counselingSessions).where({ requestId: req._id, status: 'booked' }).limit(1))
    const report = req.reportId ? await findById<ReportDoc>(COLLECTIONS.mandatoryReports, req.reportId) : undefined
    await audit(caller, { action: 'counseling.caseView', what: '查看心理求助和回电号码' }, [child])
    return {
      item: { ...itemOf(req, child, school?.name ?? '', caller, now), contacts },
      ...(session ? { session: sessionView(session, true) } : {}),
      ...(report ? { report: { id: report._id, reference: report.reference ?? '', stateLabel: REPORT_STATE_LABELS[report.state], dangerNow: Boolean(report.dangerNow) } } : {})
    }
  }
})

/** Crises nobody has taken yet, for the top of a counsellor's home: the child's given name and how long she has waited. */
export const crisesWaiting = action({
  contract: counselingContract.crisesWaiting,
  allowed: COUNSELOR,
  async handler (_input, caller) {
    const stations = stationsOf(caller)
    if (stations.length === 0) return { crises: [] }
    const waiting = await visibleOf(caller, await allPages<HelpRequest>(db.collection(COLLECTIONS.helpRequests)
      .where({ stationId: _.in(stations), urgency: 'crisis', state: _.neq('closed'), 'crisis.ackAt': _.exists(false) }).orderBy('createdAt', 'asc')))
    const now = clock.now()
    if (waiting.length > 0) await audit(caller, { action: 'counseling.crisesWaiting', what: `首页看到等待接手的紧急求助（${waiting.length}件）` }, waiting.map((r) => ({ _id: r.childId, countyId: r.countyId, townshipId: r.townshipId })))
    return { crises: waiting.map((r) => ({ id: r._id, firstName: givenName(r.childName), createdAt: r.createdAt, minutes: Math.max(0, Math.floor((now.getTime() - new Date(r.createdAt).getTime()) / 60000)) })) }
  }
})

export const acknowledge = action({
  contract: counselingContract.acknowledge,
  allowed: COUNSELOR,
  async handler (input, caller) {
    const req = await stationRequest(caller, input.requestId, 'read')
    if (req.urgency !== 'crisis') throw new AppError('INVALID_INPUT', '这不是紧急求助', { requestId: '这不是紧急求助' })
    const at = clock.now()
    // The first to acknowledge owns it; a later press learns who already has it.
    const res = await db.collection(COLLECTIONS.helpRequests).where({ _id: req._id, 'crisis.ackAt': _.exists(false) })
      .update({ data: { 'crisis.ackAt': at, 'crisis.ackBy': caller.openid, 'crisis.ackByName': caller.user!.name, counselorId: caller.openid, counselorName: caller.user!.name } }) as { stats: { updated: number } }
    if (res.stats.updated !== 1) {
      const now = (await findById<HelpRequest>(COLLECTIONS.helpRequests, req._id))!
      return { acknowledgedAt: now.crisis!.ackAt!, by: now.crisis!.ackByName ?? '' }
    }
    // The report opened from this crisis now names the counsellor beside the station, for the police to call.
    const fresh = (await findById<HelpRequest>(COLLECTIONS.helpRequests, req._id))!
    if (fresh.reportId) {
      const station = (await findById<StationDoc>(COLLECTIONS.places, req.stationId))!
      await addToReport(fresh.reportId, 'reporter', caller.openid, { name: `${station.name} 辅导员 ${caller.user!.name}（已接手）` }, { raisedByName: `${station.name}（辅导员 ${caller.user!.name}）` }, at)
    }
    await audit(caller, { action: 'counseling.acknowledge', what: '接手紧急心理求助' }, [{ _id: req.childId, countyId: req.countyId }])
    return { acknowledgedAt: at, by: caller.user!.name }
  }
})

/**
 * From a case the counsellor files the mandatory report (未成年人保护法 第十一条), or adds to the one opened before.
 * The report carries the request's answers and what the counsellor writes, passes the same validation as one typed
 * by hand, and names the station and the counsellor as reporter.
 */
export const reportFromCase = action({
  contract: counselingContract.reportFromCase,
  allowed: COUNSELOR,
  async handler (input, caller) {
    const req = await stationRequest(caller, input.requestId, 'read')
    return await once(caller, 'counseling.reportFromCase', input.idempotencyKey, async () => {
      const now = clock.now()
      const station = (await findById<StationDoc>(COLLECTIONS.places, req.stationId))!
      const reporter = `${station.name}（辅导员 ${caller.user!.name}）`
      const existing = req.reportId ? await findById<ReportDoc>(COLLECTIONS.mandatoryReports, req.reportId) : undefined
      if (existing) {
        const kinds = [...new Set([...existing.kinds, ...input.kinds])]
        await addToReport(existing._id, 'added', caller.openid, { text: `辅导员${caller.user!.name}：${input.seen}`, kinds: input.kinds, dangerNow: input.dangerNow }, { kinds, ...(input.dangerNow ? { dangerNow: true } : {}) }, now)
        await audit(caller, { action: 'counseling.reportFromCase', what: '补充强制报告' }, [{ _id: req.childId, countyId: req.countyId, townshipId: req.townshipId }])
        return { reportId: existing._id, reference: existing.reference ?? '', added: true }
      }
      const reportId = await fileFromOrigin({
        _id: `report-help-${req._id}`, origin: { kind: 'counseling', id: req._id }, childId: req.childId, countyId: req.countyId, kinds: input.kinds,
        content: [...requestInWords(req), `辅导员${caller.user!.name}：${input.seen}`], dangerNow: input.dangerNow,
        raisedBy: caller.openid, raisedByName: reporter, chosen: chosenOf(req), concern: homeConcern(req.answers, req.told ?? {})
      }, now)
      await db.collection(COLLECTIONS.helpRequests).doc(req._id).update({ data: { reportId } })
      const filed = (await findById<ReportDoc>(COLLECTIONS.mandatoryReports, reportId))!
      await audit(caller, { action: 'counseling.reportFromCase', what: '从心理求助提交强制报告' }, [{ _id: req.childId, countyId: req.countyId, townshipId: req.townshipId }])
      return { reportId, reference: filed.reference ?? '', added: false }
    })
  }
})

export const writeNote = action({
  contract: counselingContract.writeNote,
  allowed: COUNSELOR,
  async handler (input, caller) {
    const req = await stationRequest(caller, input.requestId, 'write')
    return await once(caller, 'counseling.writeNote', input.idempotencyKey, async ({ ref }) => {
      const noteId = `note-${req._id}-${ref.slice(0, 12)}`
      await addOrFind(COLLECTIONS.sessionNotes, { _id: noteId, requestId: req._id, stationId: req.stationId, childId: req.childId, authorId: caller.openid, authorName: caller.user!.name, at: clock.now(), text: input.text, followUpDate: input.followUpDate })
      if (input.followUpDate) await db.collection(COLLECTIONS.helpRequests).doc(req._id).update({ data: { followUpDate: input.followUpDate } })
      await audit(caller, { action: 'counseling.writeNote', what: '写心理辅导记录' }, [{ _id: req.childId, countyId: req.countyId }])
      return { noteId }
    })
  }
})

export const readNotes = action({
  contract: counselingContract.readNotes,
  allowed: COUNSELOR,
  async handler (input, caller) {
    const req = await stationRequest(caller, input.requestId, 'read')
    const notes = await allPages<{ _id: string, authorName: string, at: Date, text: string, followUpDate?: string }>(db.collection(COLLECTIONS.sessionNotes).where({ requestId: req._id }).orderBy('at', 'asc'))
    await audit(caller, { action: 'counseling.readNotes', what: '查看心理辅导记录（保密）' }, [{ _id: req.childId, countyId: req.countyId }])
    return { notes: notes.map((n) => ({ id: n._id, authorName: n.authorName, at: n.at, text: n.text, followUpDate: n.followUpDate })) }
  }
})

export const closeCase = action({
  contract: counselingContract.closeCase,
  allowed: COUNSELOR,
  async handler (input, caller) {
    const req = await stationRequest(caller, input.requestId, 'write')
    if (req.urgency === 'crisis' && !req.crisis?.ackAt) throw new AppError('CONFLICT', '紧急求助要先有人接手，才能结案')
    await db.collection(COLLECTIONS.helpRequests).doc(req._id).update({ data: { state: 'closed', summary: input.summary, closedBy: caller.openid, closedAt: clock.now() } })
    await audit(caller, { action: 'counseling.closeCase', what: '心理求助结案' }, [{ _id: req.childId, countyId: req.countyId }])
    return { state: 'closed' as const }
  }
})

/**
 * Hands a case to another counsellor of the station, who becomes its counsellor (and the only one besides the
 * supervisor to see it): the case's counsellor or the supervisor does it, while no session is booked (a booked
 * session moves with the asker's change of time).
 */
export const handOver = action({
  contract: counselingContract.handOver,
  allowed: COUNSELOR,
  async handler (input, caller) {
    const req = await stationRequest(caller, input.requestId, 'write')
    if (req.state !== 'open') throw new AppError('CONFLICT', req.state === 'closed' ? '这个个案已经结案了' : '这个个案已约好辅导，请让求助人改约时间')
    const members = (await counselorsOf(req.stationId)).map((c) => c.id)
    if (!members.includes(input.to)) throw new AppError('INVALID_INPUT', '只能交给本站的辅导员', { to: '只能交给本站的辅导员' })
    if (input.to === req.counselorId) return { counselorName: req.counselorName ?? '' }
    const names = await namesOf([input.to])
    const entry = { from: req.counselorId ?? null, to: input.to, by: caller.openid, at: clock.now() }
    const res = await db.collection(COLLECTIONS.helpRequests).where({ _id: req._id, state: 'open', counselorId: req.counselorId ?? _.exists(false) })
      .update({ data: { counselorId: input.to, counselorName: names.get(input.to) ?? '', handovers: _.push([entry]) } }) as { stats: { updated: number } }
    if (res.stats.updated !== 1) throw new AppError('CONFLICT', '这个个案刚刚有了变化，请刷新后再试')
    await audit(caller, { action: 'counseling.handOver', what: '心理求助个案转交', targetId: input.to }, [{ _id: req.childId, countyId: req.countyId }])
    return { counselorName: names.get(input.to) ?? '' }
  }
})

function myStation (caller: Caller): string {
  const [station] = stationsOf(caller)
  if (!station) throw new AppError('FORBIDDEN', '您不在任何辅导站')
  return station
}

export const roster = action({
  contract: counselingContract.roster,
  allowed: COUNSELOR,
  async handler (_input, caller) {
    const stationId = myStation(caller)
    const station = (await findById<StationDoc>(COLLECTIONS.places, stationId))!
    const r = await rosterOf(stationId)
    const profiles = await allPages<{ _id: string }>(db.collection(COLLECTIONS.counselorProfiles).where({ stationId }).field({ _id: true }))
    const names = await namesOf([...profiles.map((p) => p._id), ...r.order, r.supervisor ?? ''])
    const person = (id: string) => ({ id, name: names.get(id) ?? id })
    return { stationName: station.name, dutyLine: station.dutyLine ?? '', order: r.order.map(person), supervisor: r.supervisor ? person(r.supervisor) : undefined, counselors: profiles.map((p) => person(p._id)) }
  }
})

export const saveRoster = action({
  contract: counselingContract.saveRoster,
  allowed: COUNSELOR,
  async handler (input, caller) {
    const stationId = myStation(caller)
    // The supervisor sees every case of the station, so only the supervisor (or anyone, while the station has none)
    // sets who it is (docs/DOMAIN.md, "Roles and scopes").
    const current = await rosterOf(stationId)
    if (current.supervisor && current.supervisor !== caller.openid) throw new AppError('FORBIDDEN', '值班表由站长修改')
    const members = new Set((await allPages<{ _id: string }>(db.collection(COLLECTIONS.counselorProfiles).where({ stationId }).field({ _id: true }))).map((p) => p._id))
    const strangers = [...input.order, input.supervisor].filter((id) => !members.has(id))
    if (strangers.length > 0) throw new AppError('INVALID_INPUT', '值班表里有不是本站的辅导员', { order: '只能安排本站的辅导员' })
    await db.collection(COLLECTIONS.dutyRosters).doc(stationId).set({ data: { order: input.order, supervisor: input.supervisor, updatedBy: caller.openid, updatedAt: clock.now() } })
    await audit(caller, { action: 'counseling.saveRoster', what: '修改值班表', targetId: stationId })
    return { saved: true as const }
  }
})

export const availability = action({
  contract: counselingContract.availability,
  allowed: COUNSELOR,
  async handler (_input, caller) {
    const profile = await findById<{ settings?: unknown }>(COLLECTIONS.counselorProfiles, caller.openid)
    return { settings: { ...roomSettings(profile?.settings ?? DEFAULT_COUNSELOR_SETTINGS, 1), devices: 1 } }
  }
})

export const saveAvailability = action({
  contract: counselingContract.saveAvailability,
  allowed: COUNSELOR,
  async handler (input, caller) {
    const stationId = myStation(caller)
    const settings = CareRoomSettings.parse({ ...input.settings, devices: 1 })
    await db.collection(COLLECTIONS.counselorProfiles).doc(caller.openid).set({ data: { stationId, settings } })
    return { settings }
  }
})
