/**
 * The cards at the top of a home: for each of the caller's active roles, what is next and what waits for them, each
 * read within that role's own scope (its bindings, pairings, school, station, centre, jurisdiction or county). Only
 * counts and the names a card shows leave here; the pages behind the cards read (and log) the rest.
 */
import {
  accountContract, addDays, CLOCKED_STATES, deadlineAt, dueState, LEGAL_AID_STATE_LABELS, needsCallNudge, parentsBookedNothing,
  periodStart, periodsOf, rhythmOf, runningClocks, startOfShanghaiDay, tallyDeadlines, toDateKey, weekOf, type DueState,
  type HomeCard, type RoleGrant
} from '../../src/domain'
import { _, db, rows } from '../_server/cloud'
import { allPages } from '../_server/paging'
import { COLLECTIONS } from '../_server/collections'
import { action } from '../_server/router'
import { loadCalendar } from '../_server/calendar'
import { rosterOf } from '../_server/counseling/records'
import { contactsSince, pairingStart, type PairingDoc } from '../_server/pairing/records'
import type { LegalAidDoc } from '../_server/legalaid/records'
import type { Caller } from '../_server/caller'
import * as clock from '../_server/clock'

interface BindingDoc { childId: string, role?: 'parent' | 'guardian' | 'child' }
interface BookingDoc { _id: string, childId: string, roomId: string, start: Date, end: Date, status: string }
interface WaitDoc { _id: string, childId: string, state: string, offer?: { start: Date, expiresAt: Date } }

const HOUR_MS = 3600000
/** A deletion request or a report is "near" its deadline this long before it. */
const SOON_MS = 24 * HOUR_MS

const scopesOf = (caller: Caller, test: (g: RoleGrant) => boolean): string[] => caller.grants.filter((g) => test(g) && g.scope).map((g) => g.scope!.id)
const has = (caller: Caller, role: RoleGrant['role']): boolean => caller.grants.some((g) => g.role === role)
const count = async (query: { count(): unknown }): Promise<number> => ((await query.count()) as { total: number }).total

/** Parent, guardian, child: the next call of each bound child, offers from a waiting list, and a nudge to call. */
async function familyCards (caller: Caller, now: Date): Promise<HomeCard[]> {
  const bindings = await rows<BindingDoc>(db.collection(COLLECTIONS.bindings).where({ openid: caller.openid }).limit(100))
  if (bindings.length === 0) return []
  const childIds = [...new Set(bindings.map((b) => b.childId))]
  const children = await rows<{ _id: string, name: string }>(db.collection(COLLECTIONS.children).where({ _id: _.in(childIds) }).field({ name: true }).limit(100))
  const nameOf = new Map(children.map((c) => [c._id, c.name]))
  const cards: HomeCard[] = []

  const upcoming = await rows<BookingDoc>(db.collection(COLLECTIONS.bookings).where({ childId: _.in(childIds), status: 'booked', end: _.gt(now) }).orderBy('start', 'asc').limit(50))
  const roomIds = [...new Set(upcoming.map((b) => b.roomId))]
  const rooms = roomIds.length > 0 ? await rows<{ _id: string, name: string }>(db.collection(COLLECTIONS.careRooms).where({ _id: _.in(roomIds) }).field({ name: true }).limit(100)) : []
  const roomName = new Map(rooms.map((r) => [r._id, r.name]))
  for (const id of childIds) {
    const next = upcoming.find((b) => b.childId === id)
    if (next) cards.push({ kind: 'nextCall', childId: id, childName: nameOf.get(id) ?? '', start: new Date(next.start), placeName: roomName.get(next.roomId) ?? '' })
  }

  // Offers and the nudge are the caller's to act on as a parent: the one who books.
  const asParent = [...new Set(bindings.filter((b) => b.role === 'parent').map((b) => b.childId))]
  if (asParent.length > 0 && has(caller, 'parent')) {
    const offers = await rows<WaitDoc>(db.collection(COLLECTIONS.waitlist).where({ childId: _.in(asParent), state: 'offered' }).limit(20))
    for (const w of offers) {
      if (w.offer && new Date(w.offer.expiresAt) > now) cards.push({ kind: 'waitOffer', entryId: w._id, childName: nameOf.get(w.childId) ?? '', start: new Date(w.offer.start), expiresAt: new Date(w.offer.expiresAt) })
    }
    const week = weekOf(now)
    const weekEndsAt = startOfShanghaiDay(addDays(week.weekEnd, 1))
    const held = await rows<{ childId: string, held: boolean }>(db.collection(COLLECTIONS.weeklyContacts).where({ _id: _.in(asParent.map((id) => `${id}:${week.weekKey}`)) }).limit(100))
    for (const id of asParent) {
      const week = { held: held.some((h) => h.childId === id && h.held), bookedStarts: upcoming.filter((b) => b.childId === id).map((b) => new Date(b.start)) }
      if (needsCallNudge(week, weekEndsAt, now)) cards.push({ kind: 'noCallThisWeek', childId: id, childName: nameOf.get(id) ?? '' })
    }
  }

  if (has(caller, 'guardian')) {
    const asGuardian = [...new Set(bindings.filter((b) => b.role === 'guardian').map((b) => b.childId))]
    // The grandmother brings the child to the call: she is told when the parents have booked none this coming week.
    for (const id of asGuardian) {
      const booked = upcoming.filter((b) => b.childId === id).map((b) => ({ start: new Date(b.start), end: new Date(b.end) }))
      if (parentsBookedNothing(booked, now)) cards.push({ kind: 'parentsNotBooked', childId: id, childName: nameOf.get(id) ?? '' })
    }
    const waiting = asGuardian.length > 0 ? await count(db.collection(COLLECTIONS.directCalls).where({ childId: _.in(asGuardian), state: 'pending' })) : 0
    if (waiting > 0) cards.push({ kind: 'callsToConfirm', count: waiting })
  }
  return cards
}

/** An applicant (guardian, parent, child-welfare officer): their legal-aid requests still open. */
async function applicantCards (caller: Caller): Promise<HomeCard[]> {
  const list = await rows<LegalAidDoc>(db.collection(COLLECTIONS.legalAidRequests)
    .where({ applicant: caller.openid, state: _.in([...CLOCKED_STATES, 'inProgress']) }).orderBy('updatedAt', 'desc').limit(5))
  return list.map((r) => ({ kind: 'legalAid' as const, requestId: r._id, reference: r.reference ?? r._id, childName: r.childName, stateLabel: LEGAL_AID_STATE_LABELS[r.state] }))
}

/** A volunteer: offers waiting for an answer, and each paired child still owed this month's talk or quarter's visit. */
async function volunteerCards (caller: Caller, now: Date): Promise<HomeCard[]> {
  const cards: HomeCard[] = []
  const offers = await count(db.collection(COLLECTIONS.pairings).where({ volunteerId: caller.openid, status: 'offered', expiresAt: _.gt(now) }))
  if (offers > 0) cards.push({ kind: 'pairingOffers', count: offers })
  const pairings = await rows<PairingDoc & { childName?: string }>(db.collection(COLLECTIONS.pairings).where({ volunteerId: caller.openid, status: 'active' }).limit(20))
  const children = pairings.length > 0 ? await rows<{ _id: string, name: string }>(db.collection(COLLECTIONS.children).where({ _id: _.in(pairings.map((p) => p.childId)) }).field({ name: true }).limit(20)) : []
  for (const p of pairings) {
    const rhythm = rhythmOf(await contactsSince(p._id, periodStart(periodsOf(now).quarter)), now, pairingStart(p))
    if (rhythm.talkDone && rhythm.visitDone) continue
    const name = children.find((c) => c._id === p.childId)?.name ?? ''
    cards.push({ kind: 'contactDue', pairingId: p._id, childName: name, talk: !rhythm.talkDone, visit: !rhythm.visitDone, monthEndsAt: rhythm.monthEndsAt, quarterEndsAt: rhythm.quarterEndsAt })
  }
  return cards
}

/** A teacher: today's calls at the care rooms of their schools. */
async function teacherCards (caller: Caller, now: Date): Promise<HomeCard[]> {
  const schools = scopesOf(caller, (g) => g.role === 'teacher' && g.scope?.level === 'school')
  if (schools.length === 0) return []
  const rooms = await rows<{ _id: string }>(db.collection(COLLECTIONS.careRooms).where({ schoolId: _.in(schools) }).field({ _id: true }).limit(20))
  if (rooms.length === 0) return []
  const today = toDateKey(now)
  const calls = await count(db.collection(COLLECTIONS.bookings).where({
    roomId: _.in(rooms.map((r) => r._id)), status: _.neq('cancelled'),
    start: _.gte(startOfShanghaiDay(today)).and(_.lt(startOfShanghaiDay(addDays(today, 1))))
  }))
  return [{ kind: 'daySheet', calls, rooms: rooms.length }]
}

/** A counsellor: the open requests theirs to handle (their own; every one of a station they supervise). Crises have their own card. */
async function counselorCards (caller: Caller): Promise<HomeCard[]> {
  const stations = scopesOf(caller, (g) => g.role === 'counselor' && g.scope?.level === 'station')
  if (stations.length === 0) return []
  let open = 0
  for (const stationId of stations) {
    const supervised = (await rosterOf(stationId)).supervisor === caller.openid
    open += await count(db.collection(COLLECTIONS.helpRequests).where({
      stationId, state: _.neq('closed'), urgency: _.neq('crisis'), ...(supervised ? {} : { counselorId: caller.openid })
    }))
  }
  return [{ kind: 'counselQueue', open }]
}

/** The nearest running clock of each legal-aid request, as a card's tally. */
async function legalAidTally (requests: LegalAidDoc[], now: Date): Promise<ReturnType<typeof tallyDeadlines>> {
  if (requests.length === 0) return tallyDeadlines([])
  const cal = await loadCalendar()
  return tallyDeadlines(requests.map((r) => {
    const [first] = runningClocks(cal, { ...r, deadlineAt: deadlineAt(r.deadline) }, now)
    if (!first) return null
    return first.state === 'late' ? 'late' : first.state === 'dueSoon' ? 'soon' : 'onTime'
  }))
}

/** Officer, lawyer, police, admin: what waits for them, past or near its deadline. */
async function deadlineCards (caller: Caller, now: Date): Promise<HomeCard[]> {
  const cards: HomeCard[] = []
  const centres = scopesOf(caller, (g) => g.role === 'legalAidOfficer' && g.scope?.level === 'centre')
  if (centres.length > 0) {
    const list = await allPages<LegalAidDoc>(db.collection(COLLECTIONS.legalAidRequests).where({ centreId: _.in(centres), state: _.in([...CLOCKED_STATES]) }), { max: 1000 })
    cards.push({ kind: 'deadlines', area: 'legalAid', ...await legalAidTally(list, now) })
  }
  if (has(caller, 'lawyer')) {
    const list = await rows<LegalAidDoc>(db.collection(COLLECTIONS.legalAidRequests).where({ lawyerId: caller.openid, state: 'lawyerAssigned' }).limit(100))
    if (list.length > 0) cards.push({ kind: 'deadlines', area: 'lawyerCases', ...await legalAidTally(list, now) })
  }
  // Reports delivered and not yet taken up: the police liaison of the jurisdiction, the county admins of 民政/教育/公安.
  const jurisdictions = scopesOf(caller, (g) => g.role === 'police')
  const reportCounties = scopesOf(caller, (g) => g.role === 'admin' && ['civilAffairs', 'education', 'publicSecurity'].includes(g.agency ?? ''))
  if (jurisdictions.length + reportCounties.length > 0) {
    const mine = _.or([...jurisdictions.map((id) => ({ jurisdictionId: id })), ...reportCounties.map((id) => ({ countyId: id }))])
    const waiting = await count(db.collection(COLLECTIONS.mandatoryReports).where(_.and([mine, { state: 'delivered' }])))
    cards.push({ kind: 'deadlines', area: 'reports', waiting, late: 0, soon: 0 })
  }
  const justice = scopesOf(caller, (g) => g.role === 'admin' && g.agency === 'justice' && g.scope?.level === 'county')
  if (justice.length > 0) {
    const list = await allPages<LegalAidDoc>(db.collection(COLLECTIONS.legalAidRequests).where({ countyId: _.in(justice), state: _.in([...CLOCKED_STATES]) }), { max: 1000 })
    const tally = await legalAidTally(list, now)
    if (tally.late > 0) cards.push({ kind: 'deadlines', area: 'stuckLegalAid', waiting: tally.late, late: tally.late, soon: 0 })
  }
  const civil = scopesOf(caller, (g) => g.role === 'admin' && g.agency === 'civilAffairs' && g.scope?.level === 'county')
  if (civil.length > 0) {
    const open = await rows<{ dueAt: Date }>(db.collection(COLLECTIONS.deletionRequests).where({ countyId: _.in(civil), state: 'open' }).field({ dueAt: true }).limit(100))
    if (open.length > 0) cards.push({ kind: 'deadlines', area: 'deletions', ...tallyDeadlines(open.map((d): DueState => dueState(new Date(d.dueAt), now, SOON_MS))) })
  }
  return cards
}

export const home = action({
  contract: accountContract.home,
  allowed: 'registered',
  async handler (_input, caller) {
    const now = clock.now()
    const family = has(caller, 'parent') || has(caller, 'guardian') || has(caller, 'child')
    const applicant = has(caller, 'parent') || has(caller, 'guardian') || has(caller, 'childWelfareOfficer')
    const cards: HomeCard[] = [
      ...(family ? await familyCards(caller, now) : []),
      ...(applicant ? await applicantCards(caller) : []),
      ...(has(caller, 'volunteer') ? await volunteerCards(caller, now) : []),
      ...(has(caller, 'teacher') ? await teacherCards(caller, now) : []),
      ...(has(caller, 'counselor') ? await counselorCards(caller) : []),
      ...await deadlineCards(caller, now)
    ]
    return { cards }
  }
})
