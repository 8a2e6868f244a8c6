/**
 * The season's figures: what the store says the product did for the children, per week and for the season, held
 * against what the simulation knows happened.
 */
import { chinaCalendar } from '../../src/domain/calendar/library'
import { legalAidClocks } from '../../src/domain/calendar/legal-aid'
import { shiftWeek, weekOf } from '../../src/domain'
import type { LocalCloud } from '../../localcloud'
import type { SeasonTruth } from './live'

const MIN = 60000
const DAY = 86400000
const CRISIS_WINDOW_MIN = 10 // each rung of the crisis ladder (docs/ARCHITECTURE.md, "Timers")

export function percentile (xs: readonly number[], p: number): number | null {
  if (xs.length === 0) return null
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p / 100 * s.length) - 1))]
}
const round = (n: number | null, d = 1) => (n === null ? null : Math.round(n * 10 ** d) / 10 ** d)
const share = (a: number, b: number) => (b === 0 ? null : round(a / b, 3))

export interface WeekFigures {
  week: string
  weeklyCallRate: number | null
  childrenFlagged3Weeks: number
  falseFlags: number
  flagsAfterUnrecordedCalls: number
  nudgesSent: number
  crises: number
  crisisAckMinutesP50: number | null
  crisisAckMinutesP95: number | null
  crisisAckMinutesMax: number | null
  crisesUnacknowledged30Min: number
  policeAckMinutesP95: number | null
  legalAidRequests: number
  undeliverableAlerts: number
  alertsBySms: number
  functionCalls: number
}

export interface SeasonFigures extends Omit<WeekFigures, 'week'> {
  weeks: number
  children: number
  legalAidAckSameWorkingDay: number | null
  legalAidDecidedWithin3WorkingDays: number | null
  legalAidStatutoryLate: number
  pairings: number
  pairingTalkRate: Array<{ month: string, rate: number | null }>
  pairingVisitRate: number | null
  /** each crisis: acknowledged within the window, or the next rung alerted by then */
  crisesOutsideWindow: number
  /** slots holding more bookings than the room has devices */
  overbookedSlots: number
  functionCallsPerSec: number
  dbRoundTripsPerAction: Array<{ action: string, calls: number, p50: number | null, p95: number | null }>
  serverCpuMsPerAction?: number
  errors: Record<string, number>
  /** the longest run of finished weeks without a call for any child */
  childrenThreeWeeksWithoutCall: number
  slowestCrisisWaitMinutes: number | null
}

export function seasonFigures (cloud: LocalCloud, truth: SeasonTruth, extra: { wallMs: number, cpuMs?: number }): { weeks: WeekFigures[], season: SeasonFigures } {
  const store = cloud.store
  const sim = new Set(truth.county.children.map((c) => c.id))
  const weekKeys = truth.weeks.map((w) => w.weekKey)
  const weekOfMs = (t: number) => weekOf(new Date(t)).weekKey

  // Calls: a held care-room call or a confirmed direct call, as the product recorded it (weeklyContacts).
  const contacts = store.find('weeklyContacts', {}).filter((w: any) => sim.has(w.childId))
  const heldBy = new Map<string, Set<string>>()
  for (const w of contacts as any[]) {
    if (!heldBy.has(w.weekKey)) heldBy.set(w.weekKey, new Set())
    heldBy.get(w.weekKey)!.add(w.childId)
  }
  // Flags: the scheduler's mark `flag3:<child>:<week>` per child and finished week it was raised for.
  const flags = (store.find('notices', {}) as any[]).filter((m) => String(m._id).startsWith('flag3:'))
    .map((m) => { const [, childId, week] = String(m._id).split(':'); return { childId, week, at: new Date(m.at).getTime() } }).filter((f) => sim.has(f.childId))
  // False: flagged though someone had told the product of a call in one of those weeks (a check-in, a confirmation)
  // before the flag was raised. A call told only afterwards (a Monday confirmation) is counted with the unrecorded.
  const falseFlag = (f: { childId: string, week: string, at: number }) => [0, 1, 2].some((i) => (truth.reportedIn.get(shiftWeek(f.week, -i))?.get(f.childId) ?? Infinity) < f.at)
  // Not false, but worth knowing: flagged though a call took place that nobody recorded (a check-in forgotten, a
  // direct call never confirmed, a call told to nobody).
  const unrecorded = (f: { childId: string, week: string, at: number }) => !falseFlag(f) && [0, 1, 2].some((i) => truth.calledIn.get(shiftWeek(f.week, -i))?.has(f.childId))
  const inbox = store.find('inbox', {}) as any[]
  const urgent = inbox.filter((m) => m.urgent)
  const byWeek = <T>(xs: T[], at: (x: T) => number, wk: string) => xs.filter((x) => weekOfMs(at(x)) === wk)

  const crises = truth.crises.map((c) => {
    const doc = store.findById('helpRequests', c.requestId) as any
    const ack = doc?.crisis?.ackAt ? (new Date(doc.crisis.ackAt).getTime() - c.at) / MIN : null
    // Escalated in time: an alert of the next rung went out by the end of each window nobody acknowledged.
    const alerts = inbox.filter((m) => m.template === 'crisisAlert' && String(m._id).includes(c.requestId)).map((m) => new Date(m.createdAt).getTime())
    const firstRung = alerts.filter((t) => t > c.at + MIN / 2).sort((a, b) => a - b)[0]
    const escalatedInTime = firstRung !== undefined && firstRung <= c.at + (CRISIS_WINDOW_MIN + 1) * MIN
    return { at: c.at, ack, withinWindow: (ack !== null && ack <= CRISIS_WINDOW_MIN) || escalatedInTime }
  })
  const reports = truth.reports.map((r) => {
    const doc = store.findById('mandatoryReports', r.reportId) as any
    return { at: r.at, ack: doc?.acknowledgedAt ? (new Date(doc.acknowledgedAt).getTime() - r.at) / MIN : null }
  })
  const cal = chinaCalendar([])
  const legal = truth.legal.map((l) => {
    const doc = store.findById('legalAidRequests', l.requestId) as any
    const clocks = legalAidClocks(cal, { submittedAt: new Date(l.at), now: new Date(l.at) })
    const ackAt = doc?.acknowledgedAt ? new Date(doc.acknowledgedAt).getTime() : null
    const decidedAt = doc?.decidedAt ? new Date(doc.decidedAt).getTime() : null
    const lastNow = truth.weeks.length > 0 ? truth.weeks[truth.weeks.length - 1].start + 7 * DAY : l.at
    return {
      at: l.at,
      ackSameDay: ackAt !== null && ackAt <= clocks.acknowledgeBy.at.getTime(),
      decided3: decidedAt !== null && decidedAt <= clocks.decideBy.at.getTime(),
      statutoryLate: (decidedAt ?? lastNow) > clocks.statutoryReviewBy.at.getTime(),
      due: clocks.statutoryReviewBy.at.getTime() <= lastNow || decidedAt !== null
    }
  })

  const callsOf = (wk: string) => truth.weeks.find((w) => w.weekKey === wk)?.calls ?? 0
  const weekFigures = (wk: string | null): Omit<WeekFigures, 'week'> => {
    const inWeek = <T>(xs: T[], at: (x: T) => number) => (wk === null ? xs : byWeek(xs, at, wk))
    const cr = inWeek(crises, (c) => c.at)
    const acks = cr.map((c) => c.ack ?? Infinity)
    const finite = acks.filter((a) => Number.isFinite(a))
    const flagged = wk === null ? flags : flags.filter((f) => f.week === wk)
    const urgentIn = inWeek(urgent, (m) => new Date(m.createdAt).getTime())
    const rates = (wk === null ? weekKeys : [wk]).map((k) => (heldBy.get(k)?.size ?? 0) / sim.size)
    const reportAcks = inWeek(reports, (r) => r.at).map((r) => r.ack ?? Infinity)
    return {
      weeklyCallRate: round(rates.reduce((a, b) => a + b, 0) / Math.max(1, rates.length), 3),
      childrenFlagged3Weeks: wk === null ? new Set(flagged.map((f) => f.childId)).size : flagged.length,
      falseFlags: flagged.filter(falseFlag).length,
      flagsAfterUnrecordedCalls: flagged.filter(unrecorded).length,
      nudgesSent: inWeek(inbox.filter((m) => m.template === 'weeklyNudge'), (m) => new Date(m.createdAt).getTime()).length,
      crises: cr.length,
      crisisAckMinutesP50: round(percentile(finite, 50)),
      crisisAckMinutesP95: round(percentile(finite, 95)),
      crisisAckMinutesMax: cr.length === 0 ? null : round(Math.max(...acks)),
      crisesUnacknowledged30Min: acks.filter((a) => a > 30).length,
      policeAckMinutesP95: reportAcks.length === 0 ? null : round(percentile(reportAcks, 95)),
      legalAidRequests: inWeek(legal, (l) => l.at).length,
      undeliverableAlerts: urgentIn.filter((m) => m.delivery && !m.delivery.reached).length,
      alertsBySms: urgentIn.filter((m) => (m.delivery?.via ?? []).includes('sms')).length,
      functionCalls: wk === null ? truth.weeks.reduce((a, w) => a + w.calls, 0) : callsOf(wk)
    }
  }

  // Pairings: a talk in each month of the season it was active; a visit in the quarter (the season).
  const months = [...new Set(truth.weeks.map((w) => new Date(w.start + 8 * 3600000 + 3 * DAY).toISOString().slice(0, 7)))]
  const active = store.find('pairings', {}).filter((p: any) => p.status === 'active' && sim.has(p.childId)) as any[]
  const monthOf = (t: number) => new Date(t + 8 * 3600000).toISOString().slice(0, 7)
  const talkRate = months.map((month) => {
    const live = active.filter((p) => monthOf(new Date(p.acceptedAt ?? p.createdAt ?? 0).getTime()) <= month)
    const talked = live.filter((p) => (truth.pairings.get(p._id)?.talks ?? []).some((t) => monthOf(t) === month))
    return { month, rate: share(talked.length, live.length) }
  })
  const visited = active.filter((p) => (truth.pairings.get(p._id)?.visits ?? []).length > 0)

  // No overbooking: per room and start, never more bookings than devices.
  const devices = new Map((store.find('careRooms', {}) as any[]).map((r) => [r._id, r.settings?.devices ?? r.devices ?? 2]))
  const perSlot = new Map<string, number>()
  for (const b of store.find('bookings', { status: { $ne: 'cancelled' } }) as any[]) {
    const k = `${b.roomId}|${new Date(b.start).toISOString()}`
    perSlot.set(k, (perSlot.get(k) ?? 0) + 1)
  }
  const overbooked = [...perSlot.entries()].filter(([k, n]) => n > (devices.get(k.split('|')[0]) ?? 2)).length

  // Three finished weeks in a row without a held or confirmed call, for how many children at any point.
  let threeWeeks = 0
  for (const id of sim) {
    let run = 0
    let worst = 0
    for (const wk of weekKeys) { run = heldBy.get(wk)?.has(id) ? 0 : run + 1; worst = Math.max(worst, run) }
    if (worst >= 3) threeWeeks++
  }

  const totalCalls = truth.weeks.reduce((a, w) => a + w.calls, 0)
  const trips = [...truth.calls.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([action, calls]) => {
    const xs = truth.roundTrips.get(action) ?? []
    return { action, calls, p50: percentile(xs, 50), p95: percentile(xs, 95) }
  })
  const season = weekFigures(null)
  const acksAll = crises.map((c) => c.ack ?? Infinity)
  return {
    weeks: weekKeys.map((wk) => ({ week: wk, ...weekFigures(wk) })),
    season: {
      weeks: weekKeys.length,
      children: sim.size,
      ...season,
      legalAidAckSameWorkingDay: share(legal.filter((l) => l.ackSameDay).length, legal.length),
      legalAidDecidedWithin3WorkingDays: share(legal.filter((l) => l.decided3).length, legal.length),
      legalAidStatutoryLate: legal.filter((l) => l.due && l.statutoryLate).length,
      pairings: active.length,
      pairingTalkRate: talkRate,
      pairingVisitRate: share(visited.length, active.length),
      crisesOutsideWindow: crises.filter((c) => !c.withinWindow).length,
      overbookedSlots: overbooked,
      functionCallsPerSec: round(totalCalls / Math.max(1, truth.callWallMs / 1000)) ?? 0,
      dbRoundTripsPerAction: trips,
      ...(extra.cpuMs !== undefined ? { serverCpuMsPerAction: round(extra.cpuMs / Math.max(1, totalCalls)) ?? undefined } : {}),
      errors: Object.fromEntries(truth.errors),
      childrenThreeWeeksWithoutCall: threeWeeks,
      slowestCrisisWaitMinutes: acksAll.length === 0 ? null : round(Math.max(...acksAll))
    }
  }
}
