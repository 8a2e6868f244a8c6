/** The asking side: the children one may ask for, triage, the crisis answer, sessions, my requests. */
import {
  AppError, HURT_BY_LABELS, SESSION_MODE_LABELS, slotKey, SOON_WITHIN_HOURS, URGENCY_LABELS, activeGrants, counselingContract, duringSchoolHours, freeSlots,
  chooseCounselor, generateSlots, homeConcern, howWords, isDangerAnswer, reportKinds, triage, type ChildRecord
} from '../../src/domain'
import { _, db, findById, rows } from '../_server/cloud'
import { COLLECTIONS } from '../_server/collections'
import { allPages } from '../_server/paging'
import { audit } from '../_server/audit'
import { addOrFind, isDuplicate, once } from '../_server/idempotency'
import { loadCalendar } from '../_server/calendar'
import { action } from '../_server/router'
import type { Caller } from '../_server/caller'
import { claimSeat, releaseOtherSeats, releaseSeat, takenSeats } from '../_server/seats'
import { addToReport, fileFromOrigin } from '../_server/reports'
import { notify } from '../_server/notify'
import { raiseCrisis } from '../_server/counseling/crisis'
import type { HelpRequest, SessionDoc, StationDoc } from '../_server/counseling/records'
import { ASKERS, askableChild, crisisMessage, crisisNumbers } from './askers'
import { chosenOf, contactsOfRequest, requestInWords } from './facts'
import { counselorsOf, stationOf } from './stations'
import * as clock from '../_server/clock'

/** The asker's role for this request: the first of their active roles that may ask. */
function askerRole (caller: Caller): string {
  return activeGrants(caller.grants).map((g) => g.role).find((r) => (ASKERS as readonly string[]).includes(r)) ?? 'child'
}

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
    const byId = ids.size > 0 ? await rows<ChildRecord>(db.collection(COLLECTIONS.children).where({ _id: _.in([...ids]) }).field({ name: true, countyId: true }).limit(100)) : []
    // A teacher picks a pupil from the school's registered children, by name.
    const schools = grants.filter((g) => g.role === 'teacher' && g.scope?.level === 'school').map((g) => g.scope!.id)
    const pupils = schools.length > 0 ? await allPages<ChildRecord>(db.collection(COLLECTIONS.children).where({ schoolId: _.in(schools) }).field({ name: true, countyId: true }).orderBy('name', 'asc')) : []
    // Each county's station line, so a crisis screen shows it before anything else has loaded.
    const lines = new Map<string, string | undefined>()
    for (const countyId of new Set([...byId, ...pupils].map((c) => c.countyId))) {
      const [station] = await rows<StationDoc>(db.collection(COLLECTIONS.places).where({ kind: 'station', countyId }).orderBy('_id', 'asc').limit(1))
      lines.set(countyId, station?.dutyLine)
    }
    const all = new Map([...byId, ...pupils].map((c) => [c._id, { id: c._id, name: c.name, ...(lines.get(c.countyId) ? { dutyLine: lines.get(c.countyId) } : {}) }]))
    return { children: [...all.values()], asker: askerRole(caller) === 'child' ? 'child' as const : 'adult' as const }
  }
})

/**
 * Opens the mandatory report of a request when abuse is named (未成年人保护法 第十一条), or adds to it what was told
 * since. The reporter is the counselling station (never the child); danger now when she said she is not safe.
 */
async function reportOf (req: HelpRequest, station: StationDoc, now: Date, added?: string): Promise<string | undefined> {
  const told = req.told ?? {}
  const concern = homeConcern(req.answers, told)
  if (!req.reportId) {
    if (!triage(req.answers, told).abuseNamed) return undefined
    const reportId = await fileFromOrigin({
      _id: `report-help-${req._id}`, origin: { kind: 'counseling', id: req._id }, childId: req.childId, countyId: req.countyId,
      kinds: reportKinds(req.answers, told), content: requestInWords(req), dangerNow: isDangerAnswer('safeNow', req.answers.safeNow),
      raisedBy: station._id, raisedByName: station.name, chosen: chosenOf(req), concern
    }, now)
    await db.collection(COLLECTIONS.helpRequests).doc(req._id).update({ data: { reportId } })
    return reportId
  }
  if (added) {
    const { contacts } = await contactsOfRequest(req)
    await addToReport(req.reportId, 'added', station._id, { text: added }, { contacts }, now)
  }
  return req.reportId
}

export const ask = action({
  contract: counselingContract.ask,
  allowed: ASKERS,
  async handler (input, caller) {
    const child = await askableChild(caller, input.childId)
    const station = await stationOf(child.countyId)
    return await once(caller, 'counseling.ask', input.idempotencyKey, async ({ ref }) => {
      const now = clock.now()
      const result = triage(input.answers)
      const requesterRole = askerRole(caller)
      const forSelf = requesterRole === 'child'
      const req: HelpRequest = {
        _id: `help-${ref}`,
        childId: child._id, childName: child.name, countyId: child.countyId, townshipId: child.townshipId, stationId: station._id,
        requesterOpenid: caller.openid, requesterName: caller.user!.name, requesterRole,
        answers: input.answers, urgency: result.urgency, reasons: result.reasons, abuseNamed: result.abuseNamed,
        state: 'open', createdAt: now,
        ...(result.urgency === 'crisis' ? { crisis: { level: -1, alerts: [] } } : {})
      }
      // A retry after a crash finds the request the first run stored, and finishes what it may not have.
      const stored = await addOrFind(COLLECTIONS.helpRequests, req)
      // The report is opened here, linked to this request, so it cannot be lost; safeguarding delivers it at once.
      await reportOf({ ...req, ...(stored.reportId ? { reportId: stored.reportId } : {}) }, station, now)
      if (result.urgency === 'crisis' && (stored.crisis?.level ?? -1) < 0) await raiseCrisis(req, now)
      await audit(caller, { action: 'counseling.ask', what: `心理求助（${URGENCY_LABELS[result.urgency]}）` }, [child])
      return {
        requestId: req._id,
        urgency: result.urgency,
        urgencyLabel: URGENCY_LABELS[result.urgency],
        ...(result.urgency === 'crisis'
          ? { crisis: { numbers: crisisNumbers(station), message: crisisMessage(forSelf), acknowledged: false, toldMore: false, ...(forSelf && child.phone ? { callBack: { phone: child.phone, whose: 'mine' as const, fromFile: true } } : {}) } }
          : {})
      }
    })
  }
})

/** The asker leaves the number the counsellor should call: their own, a neighbour's, a teacher's. */
export const setCallBack = action({
  contract: counselingContract.setCallBack,
  allowed: ASKERS,
  async handler (input, caller) {
    const req = await ownRequest(caller, input.requestId)
    if (req.state === 'closed') throw new AppError('CONFLICT', '这次求助已经结束了')
    const same = req.callBack?.phone === input.phone && req.callBack.whose === input.whose
    if (!same) {
      const now = clock.now()
      const callBack = { phone: input.phone, whose: input.whose, at: now }
      await db.collection(COLLECTIONS.helpRequests).doc(req._id).update({ data: { callBack } })
      if (req.reportId) {
        // The police see the number she left, and the contacts as they now stand.
        const { contacts } = await contactsOfRequest({ ...req, callBack })
        await addToReport(req.reportId, 'contact', req.stationId, { label: contacts.find((c) => c.kind === 'chosen')?.label ?? '', phone: input.phone }, { contacts }, now)
      }
      await audit(caller, { action: 'counseling.setCallBack', what: '留下回电号码' }, [{ _id: req.childId, countyId: req.countyId, townshipId: req.townshipId }])
    }
    return { callBack: { phone: input.phone, whose: input.whose } }
  }
})

/**
 * After help is on its way the asker may tell more: who hurts the child, and a note. The request takes it in (a
 * request that now reads as a crisis becomes one), the counsellor sees it, and the report is opened or added to.
 */
export const tellMore = action({
  contract: counselingContract.tellMore,
  allowed: ASKERS,
  async handler (input, caller) {
    const req = await ownRequest(caller, input.requestId)
    if (req.state === 'closed') throw new AppError('CONFLICT', '这次求助已经结束了。想再找辅导员，可以重新求助。')
    return await once(caller, 'counseling.tellMore', input.idempotencyKey, async () => {
      const now = clock.now()
      const words = [req.told?.words, input.words].filter(Boolean).join('\n') || undefined
      const hurtBy = input.hurtBy ?? req.told?.hurtBy
      const told = { ...(hurtBy ? { hurtBy } : {}), ...(words ? { words } : {}), at: now }
      const result = triage(req.answers, told)
      const becomesCrisis = result.urgency === 'crisis' && req.urgency !== 'crisis'
      const reasons = [...new Set([...req.reasons, ...result.reasons])]
      await db.collection(COLLECTIONS.helpRequests).doc(req._id).update({
        data: { told, reasons, abuseNamed: req.abuseNamed || result.abuseNamed, ...(becomesCrisis ? { urgency: 'crisis', crisis: { level: -1, alerts: [] } } : {}) }
      })
      const updated: HelpRequest = { ...req, told, reasons, abuseNamed: req.abuseNamed || result.abuseNamed, ...(becomesCrisis ? { urgency: 'crisis' as const, crisis: { level: -1, alerts: [] } } : {}) }
      const station = (await findById<StationDoc>(COLLECTIONS.places, req.stationId))!
      const added = [input.hurtBy ? `是谁：${HURT_BY_LABELS[input.hurtBy]}` : '', input.words ? `“${input.words}”` : ''].filter(Boolean).join('；')
      await reportOf(updated, station, now, `${req.requesterRole === 'child' ? '孩子' : req.requesterName}补充：${added}`)
      if (becomesCrisis) await raiseCrisis(updated, now)
      await audit(caller, { action: 'counseling.tellMore', what: '求助后补充情况' }, [{ _id: req.childId, countyId: req.countyId, townshipId: req.townshipId }])
      return { saved: true as const }
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

/** The number the asker left last (for a crisis or a session), or the child's own when she asks for herself. */
async function suggestedPhone (req: HelpRequest): Promise<string | undefined> {
  if (req.callBack) return req.callBack.phone
  const [last] = await rows<SessionDoc>(db.collection(COLLECTIONS.counselingSessions).where({ requesterOpenid: req.requesterOpenid, phone: _.exists(true) }).orderBy('start', 'desc').limit(1))
  if (last?.phone) return last.phone
  if (req.requesterRole !== 'child') return undefined
  const child = await findById<ChildRecord>(COLLECTIONS.children, req.childId)
  return child?.phone
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
    const { slots, cal } = await stationSlots(station, now)
    const previous = await previousCounselor(req.childId, req._id)
    const soonLimit = now.getTime() + SOON_WITHIN_HOURS * 3600000
    const view = slots.map((s) => ({ start: s.start, end: s.end, within48h: s.start.getTime() <= soonLimit, sameCounselor: Boolean(previous && s.free.includes(previous)), duringSchool: duringSchoolHours(cal, s.start, s.end) }))
    // Soon-requests see the next 48 hours first; then times when the child is out of class (a session in class
    // means leaving it); the counsellor they know first within that.
    view.sort((a, b) => (req.urgency === 'soon' ? Number(b.within48h) - Number(a.within48h) : 0) || Number(a.duringSchool) - Number(b.duringSchool) || Number(b.sameCounselor) - Number(a.sameCounselor) || a.start.getTime() - b.start.getTime())
    const names = previous ? (await rows<{ name: string }>(db.collection(COLLECTIONS.users).where({ _id: previous }).limit(1))) : []
    const phone = await suggestedPhone(req)
    return { slots: view, previousCounselorName: names[0]?.name, place: placeOf(station), ...(phone ? { suggestedPhone: phone } : {}) }
  }
})

/** Where in-person sessions are held. */
const placeOf = (station: StationDoc) => station.address ? `${station.name}（${station.address}）` : station.name

/** A session as its reader sees it: how it happens, said to the asker or to the counsellor. */
export function sessionView (s: SessionDoc, forCounselor = false) {
  return {
    id: s._id, requestId: s.requestId, childName: s.childName, counselorName: s.counselorName, start: s.start, end: s.end, mode: s.mode, modeLabel: SESSION_MODE_LABELS[s.mode],
    how: howWords(s.mode, { phone: s.phone, place: s.place }, forCounselor), ...(s.phone ? { phone: s.phone } : {}), ...(s.place ? { place: s.place } : {}), status: s.status
  }
}

/** The counsellor hears of a session booked, moved or cancelled, with how it will happen. */
async function tellCounselor (s: SessionDoc, what: 'booked' | 'moved' | 'cancelled', to = s.counselorId): Promise<void> {
  const title = { booked: '新的辅导预约', moved: '辅导预约改了时间', cancelled: '辅导预约取消了' }[what]
  await notify({
    to, template: 'staffBooking', link: 'packages/counseling/pages/queue/index', title: `${title}：${s.childName}`, at: new Date(s.start),
    detail: what === 'cancelled' ? '这个时间空出来了' : `${SESSION_MODE_LABELS[s.mode]}：${howWords(s.mode, { phone: s.phone, place: s.place }, true)}`,
    key: `session:${s._id}:${what}:${new Date(s.start).getTime()}`
  })
}

export const bookSession = action({
  contract: counselingContract.bookSession,
  allowed: ASKERS,
  async handler (input, caller) {
    const req = await ownRequest(caller, input.requestId)
    if (req.urgency === 'crisis') throw new AppError('CONFLICT', '紧急求助不用预约，辅导员会直接联系你')
    return await once(caller, 'counseling.bookSession', input.idempotencyKey, async ({ resumed }) => {
      // A retry of a run that crashed after booking answers with that booking.
      const booked = resumed ? await findById<SessionDoc>(COLLECTIONS.counselingSessions, `ses-${req._id}`) : null
      if (booked && booked.status === 'booked') return { outcome: 'booked' as const, session: sessionView(booked) }
      if (req.state !== 'open') throw new AppError('CONFLICT', '这次求助已经约好了或已结束')
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
        const seatId = await claimSeat(counselor.id, { key, start: slot.start }, 1, { requestId: req._id }, resumed)
        if (!seatId) { candidates = candidates.map((c) => (c.id === pick.id ? { ...c, free: false } : c)); continue }
        const how = input.mode === 'inPerson' ? { place: placeOf(station) } : { phone: input.phone! }
        const session: SessionDoc = { _id: `ses-${req._id}`, requestId: req._id, childId: req.childId, childName: req.childName, counselorId: counselor.id, counselorName: counselor.name, seatId, start: slot.start, end: slot.end, mode: input.mode, ...how, status: 'booked', requesterOpenid: caller.openid, reminders: { day: false, halfHour: false } }
        try {
          await db.collection(COLLECTIONS.counselingSessions).add({ data: session })
        } catch (err) {
          await releaseSeat(seatId)
          if (isDuplicate(err)) throw new AppError('CONFLICT', '这次求助已经约好了')
          throw err
        }
        await db.collection(COLLECTIONS.helpRequests).doc(req._id).update({ data: { state: 'booked', counselorId: counselor.id, counselorName: counselor.name } })
        await tellCounselor(session, 'booked')
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
    return await once(caller, 'counseling.moveSession', input.idempotencyKey, async ({ resumed }) => {
      // A retry of a run that crashed after moving answers with the moved session.
      const current = resumed ? await findById<SessionDoc>(COLLECTIONS.counselingSessions, session._id) : null
      if (current && new Date(current.start).getTime() === input.start.getTime()) {
        await releaseOtherSeats({ requestId: req._id }, current.seatId)
        return { outcome: 'booked' as const, session: sessionView(current) }
      }
      const now = clock.now()
      const station = (await findById<StationDoc>(COLLECTIONS.places, req.stationId))!
      const { slots, counselors, offered } = await stationSlots(station, now)
      const slot = slots.find((s) => s.start.getTime() === input.start.getTime())
      if (!slot && offered.has(input.start.getTime())) return { outcome: 'taken' as const, message: '这个时间刚被约满了，原来的预约还保留着。' }
      if (!slot) throw new AppError('INVALID_INPUT', '这个时间辅导员不上班，请选列表里的时间', { start: '这个时间辅导员不上班' })
      const order = [session.counselorId, ...slot.free.filter((id) => id !== session.counselorId)].filter((id) => slot.free.includes(id))
      for (const id of order) {
        const counselor = counselors.find((c) => c.id === id)!
        const seatId = await claimSeat(counselor.id, { key: slotKey(counselor.id, slot.start), start: slot.start }, 1, { requestId: req._id }, resumed)
        if (!seatId) continue
        const moved = { counselorId: counselor.id, counselorName: counselor.name, seatId, start: slot.start, end: slot.end, reminders: { day: false, halfHour: false } }
        await db.collection(COLLECTIONS.counselingSessions).doc(session._id).update({ data: { ...moved, reminders: _.set(moved.reminders), movedFrom: session.start } })
        await releaseSeat(session.seatId)
        if (counselor.id !== session.counselorId) await db.collection(COLLECTIONS.helpRequests).doc(req._id).update({ data: { counselorId: counselor.id, counselorName: counselor.name } })
        // The counsellor now holding it hears the new time; one who no longer has it hears it is off their day.
        await tellCounselor({ ...session, ...moved }, counselor.id === session.counselorId ? 'moved' : 'booked')
        if (counselor.id !== session.counselorId) await tellCounselor(session, 'cancelled')
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
    await tellCounselor(session, 'cancelled')
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
    // A child's own number on her file is the call-back number of her crisis until she leaves another.
    const ownIds = [...new Set(mine.filter((r) => r.urgency === 'crisis' && r.requesterRole === 'child' && !r.callBack).map((r) => r.childId))]
    const own = ownIds.length > 0 ? await rows<ChildRecord>(db.collection(COLLECTIONS.children).where({ _id: _.in(ownIds) }).field({ phone: true }).limit(100)) : []
    return {
      requests: mine.map((r) => {
        const session = sessions.find((s) => s.requestId === r._id)
        const forSelf = r.requesterRole === 'child'
        const filePhone = own.find((c) => c._id === r.childId)?.phone
        const callBack = r.callBack ? { phone: r.callBack.phone, whose: r.callBack.whose, fromFile: false } : filePhone ? { phone: filePhone, whose: 'mine' as const, fromFile: true } : undefined
        return {
          id: r._id, childName: r.childName, forSelf, urgency: r.urgency, urgencyLabel: URGENCY_LABELS[r.urgency], state: r.state, createdAt: r.createdAt,
          ...(r.urgency === 'crisis'
            ? { crisis: { numbers: crisisNumbers(stations.get(r.stationId)!), message: crisisMessage(forSelf, r.crisis?.ackAt ? r.crisis.ackByName ?? '辅导员' : undefined), acknowledged: Boolean(r.crisis?.ackAt), acknowledgedAt: r.crisis?.ackAt, toldMore: Boolean(r.told), ...(callBack ? { callBack } : {}) } }
            : {}),
          ...(session ? { session: sessionView(session) } : {})
        }
      })
    }
  }
})
