/** The asking side: the children one may ask for, triage, the crisis answer, sessions, my requests. */
import {
  AppError, SESSION_MODE_LABELS, slotKey, SOON_WITHIN_HOURS, URGENCY_LABELS, activeGrants, counselingContract, freeSlots,
  chooseCounselor, generateSlots, triage, type ChildRecord
} from '../../src/domain'
import { _, db, findById, rows } from '../_server/cloud'
import { COLLECTIONS } from '../_server/collections'
import { allPages } from '../_server/paging'
import { audit } from '../_server/audit'
import { isDuplicate, once } from '../_server/idempotency'
import { notify } from '../_server/notify'
import { loadCalendar } from '../_server/calendar'
import { action } from '../_server/router'
import type { Caller } from '../_server/caller'
import { claimSeat, releaseSeat, takenSeats } from '../_server/seats'
import { fileFromOrigin } from '../_server/reports'
import { raiseCrisis } from '../_server/counseling/crisis'
import type { HelpRequest, SessionDoc, StationDoc } from '../_server/counseling/records'
import { ASKERS, CRISIS_MESSAGE, askableChild, crisisNumbers } from './askers'
import { counselorsOf, stationOf } from './stations'
import * as clock from '../_server/clock'

export const children = action({
  contract: counselingContract.children,
  allowed: ASKERS,
  async handler (_input, caller) {
    const grants = activeGrants(caller.grants)
    const ids = new Set<string>()
    const bound = await rows<{ childId: string }>(db.collection(COLLECTIONS.bindings).where({ openid: caller.openid }).limit(100))
    bound.forEach((b) => ids.add(b.childId))
    const paired = await rows<{ childId: string }>(db.collection(COLLECTIONS.pairings).where({ volunteerId: caller.openid, status: 'active' }).limit(100))
    paired.forEach((p) => ids.add(p.childId))
    const byId = ids.size > 0 ? await rows<ChildRecord>(db.collection(COLLECTIONS.children).where({ _id: _.in([...ids]) }).field({ name: true }).limit(100)) : []
    // A teacher picks a pupil from the school's registered children, by name.
    const schools = grants.filter((g) => g.role === 'teacher' && g.scope?.level === 'school').map((g) => g.scope!.id)
    const pupils = schools.length > 0 ? await allPages<ChildRecord>(db.collection(COLLECTIONS.children).where({ schoolId: _.in(schools) }).field({ name: true }).orderBy('name', 'asc')) : []
    const all = new Map([...byId, ...pupils].map((c) => [c._id, { id: c._id, name: c.name }]))
    return { children: [...all.values()] }
  }
})

export const ask = action({
  contract: counselingContract.ask,
  allowed: ASKERS,
  async handler (input, caller) {
    const child = await askableChild(caller, input.childId)
    const station = await stationOf(child.countyId)
    return await once(caller, 'counseling.ask', input.idempotencyKey, async () => {
      const now = clock.now()
      const result = triage(input.answers)
      const requesterRole = activeGrants(caller.grants).map((g) => g.role).find((r) => (ASKERS as readonly string[]).includes(r)) ?? 'child'
      const req: HelpRequest = {
        _id: `help-${now.getTime().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
        childId: child._id, childName: child.name, countyId: child.countyId, townshipId: child.townshipId, stationId: station._id,
        requesterOpenid: caller.openid, requesterName: caller.user!.name, requesterRole,
        answers: input.answers, urgency: result.urgency, reasons: result.reasons, abuseNamed: result.abuseNamed,
        state: 'open', createdAt: now,
        ...(result.urgency === 'crisis' ? { crisis: { level: -1, alerts: [] } } : {})
      }
      await db.collection(COLLECTIONS.helpRequests).add({ data: req })
      if (result.abuseNamed) {
        // 未成年人保护法 第十一条: suspected abuse is reported. The report is opened here, linked to this request,
        // so it cannot be lost; the safeguarding capability delivers it to the police.
        const reportId = await fileFromOrigin({ _id: `report-help-${req._id}`, origin: { kind: 'counseling', id: req._id }, childId: child._id, countyId: child.countyId, kinds: ['abuse'], text: input.answers.words ?? '', raisedBy: caller.openid, raisedByName: caller.user!.name }, now)
        await db.collection(COLLECTIONS.helpRequests).doc(req._id).update({ data: { reportId } })
      }
      if (result.urgency === 'crisis') await raiseCrisis(req, now)
      await audit(caller, { action: 'counseling.ask', what: `心理求助（${URGENCY_LABELS[result.urgency]}）` }, [child])
      return {
        requestId: req._id,
        urgency: result.urgency,
        urgencyLabel: URGENCY_LABELS[result.urgency],
        ...(result.urgency === 'crisis' ? { crisis: { numbers: crisisNumbers(station), message: CRISIS_MESSAGE, acknowledged: false } } : {})
      }
    })
  }
})

/** A request of the caller's own (nobody sees another's requests through these actions). */
async function ownRequest (caller: Caller, requestId: string): Promise<HelpRequest> {
  const req = await findById<HelpRequest>(COLLECTIONS.helpRequests, requestId)
  if (!req || req.requesterOpenid !== caller.openid) throw new AppError('NOT_FOUND', '没有找到这次求助')
  return req
}

async function previousCounselor (childId: string, exceptId: string): Promise<string | undefined> {
  const prior = await rows<HelpRequest>(db.collection(COLLECTIONS.helpRequests).where({ childId, counselorId: _.exists(true), _id: _.neq(exceptId) }).orderBy('createdAt', 'desc').limit(1))
  return prior[0]?.counselorId
}

/** Free times across the station's counsellors, a start once however many are free then. */
async function stationSlots (station: StationDoc, now: Date) {
  const cal = await loadCalendar()
  const counselors = await counselorsOf(station._id)
  const byStart = new Map<number, { start: Date, end: Date, free: string[] }>()
  const offered = new Set<number>()
  for (const c of counselors) {
    const to = new Date(now.getTime() + c.resource.horizonDays * 86400000)
    const slots = generateSlots(c.resource, cal, { from: now, to, now })
    for (const s of slots) offered.add(s.start.getTime())
    const free = freeSlots(slots, await takenSeats(c.id, now, to), 1).filter((s) => s.remaining > 0)
    for (const s of free) {
      const entry = byStart.get(s.start.getTime()) ?? { start: s.start, end: s.end, free: [] }
      entry.free.push(c.id)
      byStart.set(s.start.getTime(), entry)
    }
  }
  return { cal, counselors, offered, slots: [...byStart.values()].sort((a, b) => a.start.getTime() - b.start.getTime()) }
}

export const sessionSlots = action({
  contract: counselingContract.sessionSlots,
  allowed: ASKERS,
  async handler (input, caller) {
    const req = await ownRequest(caller, input.requestId)
    if (req.urgency === 'crisis') throw new AppError('CONFLICT', '紧急求助不用预约，辅导员会直接联系你')
    const now = clock.now()
    const station = (await findById<StationDoc>(COLLECTIONS.places, req.stationId))!
    const { slots } = await stationSlots(station, now)
    const previous = await previousCounselor(req.childId, req._id)
    const soonLimit = now.getTime() + SOON_WITHIN_HOURS * 3600000
    const view = slots.map((s) => ({ start: s.start, end: s.end, within48h: s.start.getTime() <= soonLimit, sameCounselor: Boolean(previous && s.free.includes(previous)) }))
    // Soon-requests see the next 48 hours first; everyone sees the counsellor they know first within that.
    view.sort((a, b) => (req.urgency === 'soon' ? Number(b.within48h) - Number(a.within48h) : 0) || Number(b.sameCounselor) - Number(a.sameCounselor) || a.start.getTime() - b.start.getTime())
    const names = previous ? (await rows<{ name: string }>(db.collection(COLLECTIONS.users).where({ _id: previous }).limit(1))) : []
    return { slots: view, previousCounselorName: names[0]?.name }
  }
})


export function sessionView (s: SessionDoc) {
  return { id: s._id, requestId: s.requestId, childName: s.childName, counselorName: s.counselorName, start: s.start, end: s.end, mode: s.mode, modeLabel: SESSION_MODE_LABELS[s.mode], status: s.status }
}

export const bookSession = action({
  contract: counselingContract.bookSession,
  allowed: ASKERS,
  async handler (input, caller) {
    const req = await ownRequest(caller, input.requestId)
    if (req.urgency === 'crisis') throw new AppError('CONFLICT', '紧急求助不用预约，辅导员会直接联系你')
    if (req.state !== 'open') throw new AppError('CONFLICT', '这次求助已经约好了或已结束')
    return await once(caller, 'counseling.bookSession', input.idempotencyKey, async () => {
      const now = clock.now()
      const station = (await findById<StationDoc>(COLLECTIONS.places, req.stationId))!
      const { slots, counselors, offered } = await stationSlots(station, now)
      const slot = slots.find((s) => s.start.getTime() === input.start.getTime())
      // A time the station offers but that filled up since the list was shown is "taken", not a bad input.
      if (!slot && offered.has(input.start.getTime())) return { outcome: 'taken' as const, message: '这个时间刚被约满了，请换一个时间。' }
      if (!slot) throw new AppError('INVALID_INPUT', '这个时间辅导员不上班，请选列表里的时间', { start: '这个时间辅导员不上班' })
      const previous = await previousCounselor(req.childId, req._id)
      const open = await allPages<{ counselorId: string, createdAt: Date }>(db.collection(COLLECTIONS.helpRequests).where({ stationId: station._id, state: _.neq('closed'), counselorId: _.exists(true) }).field({ counselorId: true, createdAt: true }))
      let candidates = counselors.map((c) => ({
        id: c.id,
        openCases: open.filter((o) => o.counselorId === c.id).length,
        lastAssignedAt: open.filter((o) => o.counselorId === c.id).map((o) => new Date(o.createdAt)).sort((a, b) => b.getTime() - a.getTime())[0],
        free: slot.free.includes(c.id)
      }))
      // Another family may take the chosen counsellor's seat at the same moment: try the next best, never two at once.
      while (true) {
        const pick = chooseCounselor(candidates, previous)
        if (!pick) return { outcome: 'taken' as const, message: '这个时间刚被约满了，请换一个时间。' }
        const counselor = counselors.find((c) => c.id === pick.id)!
        const key = slotKey(counselor.id, slot.start)
        const seatId = await claimSeat(counselor.id, { key, start: slot.start }, 1, { requestId: req._id })
        if (!seatId) { candidates = candidates.map((c) => (c.id === pick.id ? { ...c, free: false } : c)); continue }
        const session: SessionDoc = { _id: `ses-${req._id}`, requestId: req._id, childId: req.childId, childName: req.childName, counselorId: counselor.id, counselorName: counselor.name, seatId, start: slot.start, end: slot.end, mode: input.mode, status: 'booked', requesterOpenid: caller.openid, reminders: { day: false, halfHour: false } }
        try {
          await db.collection(COLLECTIONS.counselingSessions).add({ data: session })
        } catch (err) {
          await releaseSeat(seatId)
          if (isDuplicate(err)) throw new AppError('CONFLICT', '这次求助已经约好了')
          throw err
        }
        await db.collection(COLLECTIONS.helpRequests).doc(req._id).update({ data: { state: 'booked', counselorId: counselor.id, counselorName: counselor.name } })
        await notify({ to: counselor.id, template: 'staffBooking', link: 'packages/counseling/pages/queue/index', title: `新的心理辅导预约：${req.childName}`, at: slot.start, detail: SESSION_MODE_LABELS[input.mode], key: `session:${session._id}:booked` })
        return { outcome: 'booked' as const, session: sessionView(session) }
      }
    })
  }
})

/**
 * Moves a booked session to another free time: the same counsellor when they are free then, otherwise the one
 * routing picks; the new seat is taken before the old one is given back, so a failed move changes nothing.
 */
export const moveSession = action({
  contract: counselingContract.moveSession,
  allowed: ASKERS,
  async handler (input, caller) {
    const session = await findById<SessionDoc>(COLLECTIONS.counselingSessions, input.sessionId)
    if (!session || session.requesterOpenid !== caller.openid) throw new AppError('NOT_FOUND', '没有找到这次预约')
    if (session.status !== 'booked') throw new AppError('CONFLICT', '这次预约已经取消或结束了')
    const req = await ownRequest(caller, session.requestId)
    return await once(caller, 'counseling.moveSession', input.idempotencyKey, async () => {
      const now = clock.now()
      const station = (await findById<StationDoc>(COLLECTIONS.places, req.stationId))!
      const { slots, counselors, offered } = await stationSlots(station, now)
      const slot = slots.find((s) => s.start.getTime() === input.start.getTime())
      if (!slot && offered.has(input.start.getTime())) return { outcome: 'taken' as const, message: '这个时间刚被约满了，原来的预约还保留着。' }
      if (!slot) throw new AppError('INVALID_INPUT', '这个时间辅导员不上班，请选列表里的时间', { start: '这个时间辅导员不上班' })
      const order = [session.counselorId, ...slot.free.filter((id) => id !== session.counselorId)].filter((id) => slot.free.includes(id))
      for (const id of order) {
        const counselor = counselors.find((c) => c.id === id)!
        const seatId = await claimSeat(counselor.id, { key: slotKey(counselor.id, slot.start), start: slot.start }, 1, { requestId: req._id })
        if (!seatId) continue
        const moved = { counselorId: counselor.id, counselorName: counselor.name, seatId, start: slot.start, end: slot.end, reminders: { day: false, halfHour: false } }
        await db.collection(COLLECTIONS.counselingSessions).doc(session._id).update({ data: { ...moved, reminders: _.set(moved.reminders), movedFrom: session.start } })
        await releaseSeat(session.seatId)
        if (counselor.id !== session.counselorId) await db.collection(COLLECTIONS.helpRequests).doc(req._id).update({ data: { counselorId: counselor.id, counselorName: counselor.name } })
        await notify({ to: counselor.id, template: 'staffBooking', link: 'packages/counseling/pages/queue/index', title: `心理辅导改了时间：${session.childName}`, at: slot.start, detail: counselor.id === session.counselorId ? '原来的时间已空出' : `原来约的是${session.counselorName}`, key: `session:${session._id}:moved:${slot.start.getTime()}` })
        return { outcome: 'booked' as const, session: sessionView({ ...session, ...moved }) }
      }
      return { outcome: 'taken' as const, message: '这个时间刚被约满了，原来的预约还保留着。' }
    })
  }
})

export const cancelSession = action({
  contract: counselingContract.cancelSession,
  allowed: ASKERS,
  async handler (input, caller) {
    const session = await findById<SessionDoc>(COLLECTIONS.counselingSessions, input.sessionId)
    if (!session || session.requesterOpenid !== caller.openid) throw new AppError('NOT_FOUND', '没有找到这次预约')
    if (session.status !== 'booked') throw new AppError('CONFLICT', '这次预约已经取消或结束了')
    // The session record is kept (cancelled) under another id, so the request can be booked again.
    await db.collection(COLLECTIONS.counselingSessions).add({ data: { ...session, _id: `${session._id}-x${clock.now().getTime().toString(36)}`, status: 'cancelled', cancelReason: input.reason, cancelledAt: clock.now() } })
    await db.collection(COLLECTIONS.counselingSessions).doc(session._id).remove()
    await releaseSeat(session.seatId)
    await db.collection(COLLECTIONS.helpRequests).doc(session.requestId).update({ data: { state: 'open' } })
    return { status: 'cancelled' as const }
  }
})

export const myRequests = action({
  contract: counselingContract.myRequests,
  allowed: ASKERS,
  async handler (_input, caller) {
    const mine = await rows<HelpRequest>(db.collection(COLLECTIONS.helpRequests).where({ requesterOpenid: caller.openid }).orderBy('createdAt', 'desc').limit(50))
    const sessions = mine.length > 0 ? await rows<SessionDoc>(db.collection(COLLECTIONS.counselingSessions).where({ requestId: _.in(mine.map((r) => r._id)), status: 'booked' }).limit(100)) : []
    const stations = new Map<string, StationDoc>()
    for (const id of new Set(mine.map((r) => r.stationId))) { const s = await findById<StationDoc>(COLLECTIONS.places, id); if (s) stations.set(id, s) }
    return {
      requests: mine.map((r) => {
        const session = sessions.find((s) => s.requestId === r._id)
        return {
          id: r._id, childName: r.childName, urgency: r.urgency, urgencyLabel: URGENCY_LABELS[r.urgency], state: r.state, createdAt: r.createdAt,
          ...(r.urgency === 'crisis' ? { crisis: { numbers: crisisNumbers(stations.get(r.stationId)!), message: r.crisis?.ackAt ? `${r.crisis.ackByName ?? '辅导员'}已经在处理，会给你打电话。` : CRISIS_MESSAGE, acknowledged: Boolean(r.crisis?.ackAt), acknowledgedAt: r.crisis?.ackAt } } : {}),
          ...(session ? { session: sessionView(session) } : {})
        }
      })
    }
  }
})

