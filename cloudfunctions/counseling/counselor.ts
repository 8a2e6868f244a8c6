/** The counsellor's side: the queue, acknowledging a crisis, confidential notes, closing, roster, hours. */
import {
  AppError, CRISIS_REASON_LABELS, CareRoomSettings, DEFAULT_COUNSELOR_SETTINGS, RELATION_LABELS, ROLE_LABELS, URGENCY_LABELS, ageOn, counselingContract, roomSettings, type ChildRecord, type CrisisReason, type Role
} from '../../src/domain'
import { _, db, findById } from '../_server/cloud'
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

/** A case the caller may read (`read`) or write (`write`: notes, closing, handing over: its counsellor or the supervisor). */
async function stationRequest (caller: Caller, requestId: string, need: 'read' | 'write'): Promise<HelpRequest> {
  const req = await findById<HelpRequest>(COLLECTIONS.helpRequests, requestId)
  if (!req) throw new AppError('NOT_FOUND', '没有找到这次求助')
  requireStation(caller, req.stationId)
  const how = standing(caller, req, (await rosterOf(req.stationId)).supervisor)
  if (!how || (need === 'write' && how === 'alerted')) throw new AppError('FORBIDDEN', '这个个案由其他辅导员负责，只有负责的辅导员和站长可以查看')
  return req
}

export const queue = action({
  contract: counselingContract.queue,
  allowed: COUNSELOR,
  async handler (_input, caller) {
    const stations = stationsOf(caller)
    if (stations.length === 0) throw new AppError('FORBIDDEN', '您不在任何辅导站')
    const supervisors = new Map<string, string | undefined>()
    for (const id of stations) supervisors.set(id, (await rosterOf(id)).supervisor)
    const open = (await allPages<HelpRequest>(db.collection(COLLECTIONS.helpRequests).where({ stationId: _.in(stations), state: _.neq('closed') }).orderBy('createdAt', 'asc')))
      .filter((r) => standing(caller, r, supervisors.get(r.stationId)) !== null)
    const children = open.length > 0 ? await allPages<ChildRecord>(db.collection(COLLECTIONS.children).where({ _id: _.in([...new Set(open.map((r) => r.childId))]) }).field({ birthDate: true, schoolId: true, countyId: true, townshipId: true, guardian: true })) : []
    const schools = children.length > 0 ? await allPages<{ _id: string, name: string }>(db.collection(COLLECTIONS.places).where({ _id: _.in([...new Set(children.map((c) => c.schoolId))]) }).field({ name: true })) : []
    const childOf = new Map(children.map((c) => [c._id, c]))
    const now = clock.now()
    const item = (r: HelpRequest) => {
      const c = childOf.get(r.childId)
      return {
        id: r._id, childName: r.childName, childAge: c ? ageOn(c.birthDate, now) : 0, schoolName: schools.find((s) => s._id === c?.schoolId)?.name ?? '',
        requesterName: r.requesterName, requesterRoleLabel: ROLE_LABELS[r.requesterRole as Role] ?? '', urgency: r.urgency, urgencyLabel: URGENCY_LABELS[r.urgency],
        reasons: reasonLabels(r.reasons), words: r.answers?.words, state: r.state, createdAt: r.createdAt, counselorName: r.counselorName,
        ...(r.crisis ? { crisis: { level: r.crisis.level, alertedNames: r.crisis.alerts.map((a) => a.toName), acknowledgedBy: r.crisis.ackByName, acknowledgedAt: r.crisis.ackAt } } : {}),
        followUpDate: r.followUpDate, mine: r.counselorId === caller.openid,
        // A crisis is answered by a phone call: the counsellor gets the number at once (the read is logged below).
        ...(r.urgency === 'crisis' && c?.guardian?.phone ? { callBack: { name: c.guardian.name, relation: RELATION_LABELS[c.guardian.relation], phone: c.guardian.phone } } : {})
      }
    }
    const rank = { crisis: 0, soon: 1, routine: 2 } as const
    const sessions = await allPages<SessionDoc>(db.collection(COLLECTIONS.counselingSessions).where({ counselorId: caller.openid, status: 'booked', end: _.gt(now) }).orderBy('start', 'asc'))
    // What a counsellor reads here is a child's psych record: the read is logged.
    if (open.length > 0) await audit(caller, { action: 'counseling.queue', what: `查看心理求助队列（${open.length}件）` }, children)
    return {
      crises: open.filter((r) => r.urgency === 'crisis').map(item),
      open: open.filter((r) => r.urgency !== 'crisis').sort((a, b) => rank[a.urgency] - rank[b.urgency] || new Date(a.createdAt).getTime() - new Date(b.createdAt).getTime()).map(item),
      sessions: sessions.map(sessionView)
    }
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
    await audit(caller, { action: 'counseling.acknowledge', what: '接手紧急心理求助' }, [{ _id: req.childId, countyId: req.countyId }])
    return { acknowledgedAt: at, by: caller.user!.name }
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
