/**
 * Legal-aid benchmark: routing and clock computation for 10,000 requests, pure domain, no I/O.
 *
 * Per request, what `legalaid.submit` and the views compute: routeCentre (the child's county centre, or the centre
 * of the city where the parent works for a wage or work-injury claim), exemptionsFor, legalAidClocks (same working
 * day, 3 working days, 7 or 10 working days, provide-first), priorityOf, and runningClocks at an evaluation time.
 * The requests are synthetic (seeded PRNG): every matter, submissions over 2025–2026 with extra weight in and
 * just before holiday weeks and on Friday evenings, deadlines (some under 7 days, some passed), evidence to save,
 * complex cases with and without a recorded reason, every state, parents working in cities with and without a
 * registered centre.
 *
 * It runs in a fresh Node process of its own (like the matching benchmark), so the memory figures are its own: peak
 * RSS of the process (getrusage, the whole life of the process: Node and tsx included) and the rise of heapUsed
 * over the inputs, probed every 500 requests. The first pass is cold (as in a fresh function instance); then the
 * median of 3 warm passes, and each step timed alone over all requests (warm). Every result is then checked
 * against the rules, independently of the code under test where possible; any failure throws.
 *
 *   npx tsx bench/legalaid.ts          prints the figures
 *   npx tsx bench/legalaid.ts --run    one measurement as JSON (used by the above)
 */
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import {
  PARENT_MATTERS, addDays, atShanghai, clockState, exemptionsFor, isWorkingDay, legalAidClocks, minuteOfDay, priorityOf,
  routeCentre, runningClocks, toDateKey, workingDaysBetween, type Category, type Centre, type ClockedRequest, type LegalAidClocks,
  type LegalAidState, type Matter, type RunningClock, type WorkCalendar
} from '../src/domain'
import { chinaCalendar } from '../src/domain/calendar/library'
import { loadMeter, median, pct, round, type Figures } from './common'
import { prng } from './matching'

const REQUESTS = 10000
const SEED = 20250606
const WARM_PASSES = 3
const PROBE_EVERY = 500
const DAY = 86400000
const HOUR = 3600000
const CLOSE_MINUTES = 17 * 60 + 30
const WARN_BEFORE_MS = 2 * HOUR

const WORK_CITIES_WITH_CENTRE = ['厦门', '深圳', '广州', '东莞', '上海', '杭州', '宁波', '苏州', '福州', '泉州', '温州', '北京']
const WORK_CITIES_WITHOUT = ['佛山', '无锡', '长沙', '成都', '武汉', '合肥']
const COUNTIES = 40
const MATTER_WEIGHTS: Array<[Matter, number]> = [
  ['maintenance', 20], ['guardianship', 10], ['injury', 10], ['bullying', 10], ['abuseOrViolence', 8], ['abandonment', 4],
  ['parentWages', 15], ['parentWorkInjury', 8], ['hukou', 8], ['other', 7]
]
const STATE_WEIGHTS: Array<[LegalAidState, number]> = [
  ['submitted', 35], ['acknowledged', 25], ['approved', 15], ['lawyerAssigned', 10], ['inProgress', 10], ['closed', 5]
]

export interface SyntheticRequest extends ClockedRequest {
  matter: Matter
  child: { countyId: string }
  categories: Category[]
  parentWorkCity?: string
  /** when the views evaluate it */
  now: Date
}

/** 40 county centres, and the centres of 12 cities where parents work (no county of their own here). */
export function syntheticCentres (): Centre[] {
  return [
    ...Array.from({ length: COUNTIES }, (_, i) => ({ id: `centre-c${String(i).padStart(2, '0')}`, name: `县${i}法律援助中心`, countyId: `county-${String(i).padStart(2, '0')}`, city: `县城${i}`, activeOfficers: 2 })),
    ...WORK_CITIES_WITH_CENTRE.map((city, i) => ({ id: `centre-w${String(i).padStart(2, '0')}`, name: `${city}法律援助中心`, countyId: null, city, activeOfficers: 1 }))
  ]
}

export function syntheticRequests (cal: WorkCalendar, n = REQUESTS, seed = SEED): SyntheticRequest[] {
  const rnd = prng(seed)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]
  const weighted = <T>(list: ReadonlyArray<[T, number]>): T => {
    let x = rnd() * list.reduce((t, [, w]) => t + w, 0)
    for (const [v, w] of list) { if ((x -= w) < 0) return v }
    return list[list.length - 1][0]
  }
  const holidays = [...cal.holidays.keys()].filter((d) => d >= '2025-01-01' && d <= '2026-12-31')
  const from = atShanghai('2025-01-01').getTime()
  const to = atShanghai('2027-01-01').getTime()
  const out: SyntheticRequest[] = []
  for (let i = 0; i < n; i++) {
    // When it was filed: a fifth in or up to 3 days before a holiday, a tenth on a Friday evening, the rest anywhere.
    const r = rnd()
    let submittedAt: Date
    if (r < 0.2) {
      submittedAt = atShanghai(addDays(pick(holidays), -Math.floor(rnd() * 4)), Math.floor(rnd() * 1440))
    } else if (r < 0.3) {
      const day = toDateKey(new Date(from + Math.floor(rnd() * (to - from))))
      const friday = addDays(day, (5 - new Date(`${day}T00:00:00Z`).getUTCDay() + 7) % 7)
      submittedAt = atShanghai(friday > '2026-12-31' ? addDays(friday, -7) : friday, 17 * 60 + Math.floor(rnd() * 420))
    } else {
      submittedAt = new Date(from + Math.floor(rnd() * (to - from)))
    }
    const matter = weighted(MATTER_WEIGHTS)
    const categories: Category[] = [
      ...(rnd() < 0.15 ? ['lowIncome' as const] : []), ...(rnd() < 0.1 ? ['registeredPoor' as const] : []), ...(rnd() < 0.02 ? ['martyrOrEntitled' as const] : [])
    ]
    const parentWorkCity = rnd() < 0.7 ? (rnd() < 0.7 ? `${pick(WORK_CITIES_WITH_CENTRE)}市` : `${pick(WORK_CITIES_WITHOUT)}市`) : undefined
    const state = weighted(STATE_WEIGHTS)
    const req: SyntheticRequest = {
      matter, child: { countyId: `county-${String(Math.floor(rnd() * COUNTIES)).padStart(2, '0')}` }, categories, state, submittedAt, now: submittedAt
    }
    if (parentWorkCity) req.parentWorkCity = parentWorkCity
    // A known deadline in three of ten: from 2 days passed to 30 days ahead, the last second of that day (as stored).
    if (rnd() < 0.3) req.deadlineAt = new Date(atShanghai(addDays(toDateKey(submittedAt), Math.floor(rnd() * 33) - 2), 1440).getTime() - 1000)
    if (rnd() < 0.05) req.evidenceUrgent = true
    const c = rnd()
    if (c < 0.1) { req.complex = true; if (c < 0.08) req.complexReason = '涉及多名当事人，需调取外地证据' }
    let latest = submittedAt.getTime()
    if (state === 'approved' || state === 'lawyerAssigned' || state === 'inProgress' || state === 'closed') {
      req.decidedAt = new Date(latest + Math.floor(rnd() * 5 * DAY))
      latest = req.decidedAt.getTime()
    }
    if (state === 'lawyerAssigned' || state === 'inProgress' || state === 'closed') {
      req.assignedAt = new Date(latest + Math.floor(rnd() * 4 * DAY))
      latest = req.assignedAt.getTime()
    }
    // Evaluated from the moment it is filed to 12 days on: clocks on time, due soon and late.
    req.now = new Date(latest + Math.floor(rnd() * 12 * DAY))
    out.push(req)
  }
  return out
}

interface Outcome { centre: Centre | undefined, exemptions: ReturnType<typeof exemptionsFor>, clocks: LegalAidClocks, priority: 0 | 1 | 2, running: RunningClock[] }

/** What the function does for one request. */
function compute (cal: WorkCalendar, centres: readonly Centre[], q: SyntheticRequest): Outcome {
  const centre = routeCentre(q.matter, q.child, q.parentWorkCity, centres)?.centre
  const exemptions = exemptionsFor(q.matter, q.categories)
  const clocks = legalAidClocks(cal, { submittedAt: q.submittedAt, complex: q.complex, complexReason: q.complexReason, deadlineAt: q.deadlineAt, evidenceUrgent: q.evidenceUrgent, now: q.now })
  const priority = priorityOf(q.matter, clocks.provideFirst)
  const running = runningClocks(cal, q, q.now)
  return { centre, exemptions, clocks, priority, running }
}

const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6

/** The problems of one result, judged by the rules (docs/DOMAIN.md, "Legal Aid Law") rather than by the code under test. */
function problemsOf (cal: WorkCalendar, centres: readonly Centre[], q: SyntheticRequest, o: Outcome): string[] {
  const p: string[] = []
  const workCentre = PARENT_MATTERS.includes(q.matter) && q.parentWorkCity ? centres.find((c) => c.countyId === null && q.parentWorkCity!.startsWith(c.city!)) : undefined
  const expected = workCentre ?? centres.find((c) => c.countyId === q.child.countyId)
  if (!o.centre) p.push('not routed')
  else if (o.centre.id !== expected?.id) p.push(`routed to ${o.centre.id}, expected ${expected?.id}`)
  const codes = o.exemptions.map((e) => e.code)
  const harm = q.matter === 'abuseOrViolence' || q.matter === 'abandonment'
  if (harm !== codes.includes('art32_4')) p.push('Art. 32(4) exemption wrong')
  if (!codes.includes(PARENT_MATTERS.includes(q.matter) ? 'art42_3' : 'art42_1')) p.push('Art. 42 exemption missing')
  if (o.exemptions.some((e) => !e.article.startsWith('法律援助法'))) p.push('exemption without its article')
  const daysLeft = q.deadlineAt ? Math.round((atShanghai(toDateKey(q.deadlineAt)).getTime() - atShanghai(toDateKey(q.now)).getTime()) / DAY) : undefined
  const provideFirst = (daysLeft !== undefined && daysLeft < 7) || q.evidenceUrgent === true
  if (o.clocks.provideFirst !== provideFirst) p.push(`provideFirst ${o.clocks.provideFirst}, expected ${provideFirst}`)
  if (o.priority !== (harm ? 0 : provideFirst ? 1 : 2)) p.push(`priority ${o.priority}`)
  // Clocks ordered, on working days at the close of business, with the right number of working days.
  const { acknowledgeBy: ack, decideBy: decide, statutoryReviewBy: review } = o.clocks
  if (!(q.submittedAt < ack.at && ack.at < decide.at && decide.at < review.at)) p.push('clocks out of order')
  for (const d of [ack, decide, review]) {
    if (!isWorkingDay(cal, d.date) || minuteOfDay(d.at) !== CLOSE_MINUTES || toDateKey(d.at) !== d.date) p.push(`due ${d.date} not at the close of a working day`)
  }
  if (workingDaysBetween(cal, q.submittedAt, ack.at) > 1) p.push('acknowledge later than the next working day')
  if (workingDaysBetween(cal, q.submittedAt, decide.at) !== 3) p.push('decide not 3 working days')
  const extended = q.complex === true && (q.complexReason ?? '') !== ''
  if (workingDaysBetween(cal, q.submittedAt, review.at) !== (extended ? 10 : 7)) p.push('statutory review not 7/10 working days')
  // Running clocks: which ones the state leaves running, sorted, their states consistent with the time left.
  const expectedRunning = { submitted: 3, acknowledged: 2, approved: 1, lawyerAssigned: 1, inProgress: 0, refused: 0, closed: 0 }[q.state]
  if (o.running.length !== expectedRunning) p.push(`${o.running.length} running clocks for ${q.state}`)
  for (let i = 1; i < o.running.length; i++) if (o.running[i - 1].due > o.running[i].due) p.push('running clocks not sorted')
  for (const c of o.running) {
    const left = c.due.getTime() - q.now.getTime()
    if (c.state !== (left < 0 ? 'late' : left <= WARN_BEFORE_MS ? 'dueSoon' : 'onTime') || c.state !== clockState(c.due, q.now, WARN_BEFORE_MS)) p.push(`clock ${c.name} state ${c.state}`)
  }
  return p
}

/** One measurement in this process. */
export function measure (): Record<string, number | string> {
  const t0 = process.hrtime.bigint()
  const cal = chinaCalendar()
  const calendarMs = ms(t0)
  const centres = syntheticCentres()
  const requests = syntheticRequests(cal)
  const mb = (b: number): number => round(b / 2 ** 20)
  const g = globalThis as { gc?: () => void }
  g.gc?.()
  const base = process.memoryUsage()
  let peakHeap = base.heapUsed
  let peakRss = base.rss
  const probe = (): void => {
    const m = process.memoryUsage()
    if (m.heapUsed > peakHeap) peakHeap = m.heapUsed
    if (m.rss > peakRss) peakRss = m.rss
  }

  // Cold: the first pass in a fresh process, results kept (as a queue page would hold them).
  const meter = loadMeter()
  let outcomes: Outcome[] = []
  const tCold = process.hrtime.bigint()
  for (let i = 0; i < requests.length; i++) {
    outcomes.push(compute(cal, centres, requests[i]))
    if (i % PROBE_EVERY === 0) probe()
  }
  const coldMs = ms(tCold)
  probe()
  const warm: number[] = []
  for (let pass = 0; pass < WARM_PASSES; pass++) {
    const t = process.hrtime.bigint()
    const again: Outcome[] = []
    for (const q of requests) again.push(compute(cal, centres, q))
    warm.push(ms(t))
    outcomes = again
    probe()
  }
  // Each step alone over all requests, warm: where the time goes.
  const step = (f: (q: SyntheticRequest) => unknown): number => {
    const t = process.hrtime.bigint()
    let sink = 0
    for (const q of requests) if (f(q) !== undefined) sink++
    const took = ms(t)
    if (sink < 0) console.log(sink) // keeps the loop's results alive
    return took
  }
  const steps = {
    routeCentre: step((q) => routeCentre(q.matter, q.child, q.parentWorkCity, centres)),
    exemptionsFor: step((q) => exemptionsFor(q.matter, q.categories)),
    legalAidClocks: step((q) => legalAidClocks(cal, { submittedAt: q.submittedAt, complex: q.complex, complexReason: q.complexReason, deadlineAt: q.deadlineAt, evidenceUrgent: q.evidenceUrgent, now: q.now })),
    priorityOf: step((q) => priorityOf(q.matter, q.deadlineAt !== undefined)), // any boolean will do: the rule is a lookup
    runningClocks: step((q) => runningClocks(cal, q, q.now))
  }
  probe()
  const load = meter()
  const maxRssKB = process.resourceUsage().maxRSS

  // Checks, untimed.
  const problems = new Map<string, number>()
  outcomes.forEach((o, i) => {
    for (const p of problemsOf(cal, centres, requests[i], o)) problems.set(p.replace(/\d{4}-\d{2}-\d{2}|centre-\w+/g, '…'), (problems.get(p) ?? 0) + 1)
  })
  if (problems.size > 0) throw new Error(`legal-aid results not sane: ${[...problems].slice(0, 10).map(([p, n]) => `${n}× ${p}`).join('; ')}`)
  const states = { onTime: 0, dueSoon: 0, late: 0 }
  for (const o of outcomes) for (const c of o.running) states[c.state]++
  const spansHoliday = requests.filter((q, i) => {
    for (let d = toDateKey(q.submittedAt); d <= outcomes[i].clocks.statutoryReviewBy.date; d = addDays(d, 1)) if (cal.holidays.has(d)) return true
    return false
  }).length
  const perUs = (x: number): number => round(x * 1000 / requests.length, 2)
  const warmMs = median(warm)
  return {
    requests: requests.length,
    centres: centres.length,
    routedToWorkCity: outcomes.filter((o) => o.centre?.countyId === null).length,
    withDeadline: requests.filter((q) => q.deadlineAt).length,
    provideFirst: outcomes.filter((o) => o.clocks.provideFirst).length,
    priority0: outcomes.filter((o) => o.priority === 0).length,
    reviewExtended: outcomes.filter((o) => o.clocks.reviewExtended).length,
    spanningHolidays: spansHoliday,
    estimatedClocks: outcomes.filter((o) => o.clocks.estimated).length,
    runningClocks: states.onTime + states.dueSoon + states.late,
    clocksOnTime: states.onTime,
    clocksDueSoon: states.dueSoon,
    clocksLate: states.late,
    insaneResults: 0,
    calendarBuildMs: round(calendarMs, 2),
    coldTotalMs: round(coldMs),
    coldUsPerRequest: perUs(coldMs),
    warmTotalMs: round(warmMs),
    warmUsPerRequest: perUs(warmMs),
    ...Object.fromEntries(Object.entries(steps).map(([k, v]) => [`usPerRequest.${k}`, perUs(v)])),
    peakRssMB: mb(Math.max(peakRss, maxRssKB * 1024)),
    rssBeforeMB: mb(base.rss),
    peakHeapUsedMB: mb(peakHeap),
    heapRiseMB: mb(peakHeap - base.heapUsed),
    machineBusyWhileTimed: pct(load.machineBusy),
    otherLoadWhileTimed: pct(load.others),
    loadAvg1m: load.loadAvg1m
  }
}

/** The figures for bench/run.ts, measured in a fresh process. */
export async function runLegalAidBench (): Promise<Figures> {
  const out = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(__dirname, 'legalaid.ts'), '--run'], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
    timeout: 300_000
  })
  if (out.status !== 0) throw new Error(`legal-aid bench failed (${out.status ?? out.signal}):\n${out.stderr}`)
  return JSON.parse(out.stdout.trim().split('\n').pop() as string)
}

if (require.main === module) {
  if (process.argv.includes('--run')) {
    console.log(JSON.stringify(measure()))
  } else {
    runLegalAidBench().then((f) => console.log(f), (err) => { console.error(err); process.exit(1) })
  }
}
