/**
 * Oversight benchmark: the oversight view (`oversight.overview`, the real function through the local
 * cloud's gateway) of the county admin demo-admin-xu for a county of 20,000 children with a year of data.
 *
 * Loaded first, directly into the store through the SDK in batches of 500 documents per `add` (timed apart):
 * the demo county plus 10 more townships; children up to 20,000 in the county; 52 weeks of weekly contacts (a held
 * call in about 60% of child-weeks, each child with its own habit); pairings for 45% of the left-behind children
 * with a year of talks (monthly) and visits (quarterly), some missed; 300 legal-aid requests in every state; 150
 * crises with acknowledgement times (a few never acknowledged) among 750 help requests; 200 mandatory reports in
 * every state; 2,000 volunteers with their accounts and check dates (some expiring, some expired), 40 of them
 * leaders with their 五个一. The fields are those the functions write (cloudfunctions/*), the ones oversight reads.
 *
 * Timed: one untimed call (a cold function instance), then 3 calls; the median is reported with the reads the
 * function counts (`reads.queries`, `reads.maxDocsPerRead`, which must stay ≤ 100 per read: the cloud's limit).
 * Each answer is checked against what was loaded, recomputed here at the answer's own `at` time; a mismatch or a
 * read over 100 documents throws.
 */
import fs from 'node:fs'
import {
  atShanghai, periodsOf, shiftWeek, toDateKey, vettingState, weekOf, weekStartOf, type Vetting
} from '../src/domain'
import { childDocs, VOLUNTEER_PROFILES } from '../dev/seed/demo-county'
import { callFunction, insertMany, loadMeter, median, pct, round, sdkDatabase, spawnLocalCloud, tempDir, type Figures, type SdkDb } from './common'
import { prng } from './matching'

const CHILDREN = 20000
const WEEKS = 52
const PAIRED_SHARE = 0.45
const LEGAL_AID = 300
const CRISES = 150
const OTHER_HELP = 600
const REPORTS = 200
const VOLUNTEERS = 2000
const LEADERS = 40
const EXTRA_TOWNSHIPS = 10
const CHUNK = 1000 // children generated and loaded at a time, with their contacts, to bound memory
const TIMED_CALLS = 3
const READ_LIMIT = 100
const COUNTY = 'county-qs'
const ADMIN = 'demo-admin-xu'
const SEED = 20261129
const DAY = 86400000
const MINUTE = 60000

/** What was loaded, kept compactly so the expected figures can be recomputed at any `now`. */
interface Truth {
  children: Array<{ consent?: string, status: string }>
  /** weekKey -> indexes of children with a held call that week */
  heldByWeek: Map<string, number[]>
  activePairings: number
  /** contact logs: pairing index, time, visit or talk */
  logs: Array<{ pairing: number, at: number, visit: boolean }>
  legalOpen: number
  crises: Array<{ at: number, acked: boolean }>
  reportsOpen: number
  reportsUnacknowledged: number
  vetting: Vetting[]
  leaders: number
}

class Loader {
  readonly docs = new Map<string, number>()
  readonly ms = new Map<string, number>()
  constructor (private readonly db: SdkDb) {}
  async add (collection: string, docs: object[]): Promise<void> {
    const t = process.hrtime.bigint()
    await insertMany(this.db, collection, docs, { batch: 500, inFlight: 3 })
    this.ms.set(collection, (this.ms.get(collection) ?? 0) + Number(process.hrtime.bigint() - t) / 1e6)
    this.docs.set(collection, (this.docs.get(collection) ?? 0) + docs.length)
  }
}

async function loadCounty (load: Loader, now: Date): Promise<Truth> {
  const rnd = prng(SEED)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1))
  const nowMs = now.getTime()
  const yearAgo = nowMs - 365 * DAY
  const inLastYear = (): number => yearAgo + Math.floor(rnd() * (nowMs - yearAgo))

  // Places: 10 more townships, each with 4 villages and a school.
  const townships = ['tw-sq', 'tw-bs']
  const villages: Record<string, string[]> = { 'tw-sq': ['vil-sq', 'vil-lx'], 'tw-bs': ['vil-bs', 'vil-zk'] }
  const schools: Record<string, string> = { 'tw-sq': 'sch-sq', 'tw-bs': 'sch-bs' }
  const places: object[] = []
  for (let t = 1; t <= EXTRA_TOWNSHIPS; t++) {
    const id = `tw-b${String(t).padStart(2, '0')}`
    townships.push(id)
    places.push({ _id: id, kind: 'township', name: `第${t}镇`, parentId: COUNTY, countyId: COUNTY })
    villages[id] = [1, 2, 3, 4].map((v) => `${id}-vil${v}`)
    for (const v of villages[id]) places.push({ _id: v, kind: 'village', name: `${v}村`, parentId: id, countyId: COUNTY, townshipId: id })
    schools[id] = `${id}-sch`
    places.push({ _id: schools[id], kind: 'school', name: `第${t}镇中心小学`, parentId: id, countyId: COUNTY, townshipId: id })
  }
  await load.add('places', places)

  // Volunteers with their accounts; leaders first, so their ids are known.
  const KINDS: Array<[string, string, number]> = [['caringParent', 'womensFederation', 35], ['elder', 'elderCare', 25], ['youth', 'youthLeague', 25], ['counselor', 'youthLeague', 5], ['entrepreneur', 'youthLeague', 8]]
  const profiles: object[] = []
  const users: object[] = []
  const duties: object[] = []
  const vetting: Vetting[] = VOLUNTEER_PROFILES.flatMap((p) => ('vetting' in p && p.vetting ? [p.vetting as Vetting] : []))
  for (let i = 0; i < VOLUNTEERS; i++) {
    const id = `ov-${String(i).padStart(4, '0')}`
    let kind = 'leader'
    let agency = 'civilAffairs'
    if (i >= LEADERS) {
      let x = rnd() * 98
      for (const [k, a, w] of KINDS) { if ((x -= w) < 0) { kind = k; agency = a; break } }
      if (kind === 'leader') [kind, agency] = ['caringParent', 'womensFederation']
    }
    const reach = [pick(townships), ...(rnd() < 0.3 ? [pick(townships)] : [])].filter((t, j, all) => all.indexOf(t) === j)
    const profile: Record<string, unknown> = {
      _id: id, kind, agency, gender: rnd() < 0.6 ? 'female' : 'male', townshipIds: reach, capacity: int(1, 3), freeDays: [6, 7], skills: [], dialects: [], codeAgreedAt: new Date(inLastYear())
    }
    // 88% checked: the check dates spread over the last 420 days, so some expire within a month and some have.
    if (rnd() < 0.88) {
      const v: Vetting = { checkDate: toDateKey(new Date(nowMs - int(0, 420) * DAY)), result: rnd() < 0.98 ? 'clear' : 'record', checkedBy: '青山县公安局' }
      profile.vetting = v
      if (v.result === 'clear') vetting.push(v)
    }
    profiles.push(profile)
    users.push({ _id: id, name: `志愿者${i}`, roles: [{ role: 'volunteer', volunteerKind: kind, agency, status: 'active' }], createdAt: new Date(yearAgo) })
    if (kind === 'leader') {
      for (const item of ['meeting', 'fieldVisit', 'forum', 'linkedSchool']) {
        if (rnd() < 0.6) duties.push({ _id: `${id}:${item}`, openid: id, item, date: toDateKey(new Date(inLastYear())), note: '已完成', at: new Date(inLastYear()) })
      }
    }
  }
  await load.add('users', users)
  await load.add('volunteerProfiles', profiles)
  await load.add('leaderDuties', duties)

  // Children (up to 20,000 in the county with the demo's) and a year of weekly contacts, a chunk at a time.
  const seedChildren = childDocs().filter((c) => c.countyId === COUNTY)
  const truth: Truth = {
    children: seedChildren.map((c) => ({ consent: c.consent.state, status: c.status })),
    heldByWeek: new Map(), activePairings: 0, logs: [], legalOpen: 0, crises: [], reportsOpen: 0, reportsUnacknowledged: 0, vetting,
    leaders: LEADERS + VOLUNTEER_PROFILES.filter((p) => p.kind === 'leader').length
  }
  const thisWeek = weekOf(now).weekKey
  const weeks = Array.from({ length: WEEKS }, (_, i) => shiftWeek(thisWeek, i - WEEKS + 1))
  for (const w of weeks) truth.heldByWeek.set(w, [])
  const STATUSES: Array<[string, number]> = [['leftBehind', 88], ['parentReturned', 5], ['movedToParentCity', 3], ['agedOut', 3], ['other', 1]]
  const leftBehind: Array<{ id: string, name: string, townshipId: string }> = []
  const toMake = CHILDREN - seedChildren.length
  for (let from = 0; from < toMake; from += CHUNK) {
    const kids: object[] = []
    const contacts: object[] = []
    for (let i = from; i < Math.min(toMake, from + CHUNK); i++) {
      const id = `oc-${String(i).padStart(5, '0')}`
      const townshipId = pick(townships)
      let x = rnd() * 100
      let status = 'other'
      for (const [s, w] of STATUSES) { if ((x -= w) < 0) { status = s; break } }
      const c = rnd()
      const consent = c < 0.85 ? { state: 'granted', version: 'paper-2026', at: new Date(yearAgo) } : c < 0.95 ? { state: 'pending' } : { state: 'refused', at: new Date(yearAgo) }
      // Each family's habit: most call most weeks, some rarely; 0.2–1.0, 60% on average.
      const habit = 0.2 + 0.8 * rnd()
      let lastHeld = 0
      for (const w of weeks) {
        if (rnd() >= habit) continue
        const weekStart = atShanghai(weekStartOf(w)).getTime()
        const at = Math.min(nowMs - MINUTE, weekStart + Math.floor(rnd() * 7 * DAY))
        if (at < weekStart) continue // this week has not reached that day yet
        contacts.push({ _id: `${id}:${w}`, childId: id, weekKey: w, held: true, lastAt: new Date(at), countyId: COUNTY, townshipId })
        truth.heldByWeek.get(w)!.push(truth.children.length)
        lastHeld = Math.max(lastHeld, at)
      }
      const name = `儿童${i}`
      kids.push({
        _id: id, name, gender: rnd() < 0.5 ? 'female' : 'male', birthDate: `${int(2010, 2020)}-0${int(1, 9)}-1${int(0, 9)}`,
        cityId: 'city-qx', countyId: COUNTY, townshipId, villageId: pick(villages[townshipId]), grid: `${townshipId}-grid-${int(1, 3)}`,
        schoolId: schools[townshipId], className: `${int(1, 6)}年级（${int(1, 3)}）班`,
        guardian: { name: `监护人${i}`, relation: 'grandmother', phone: `138${String(i).padStart(8, '0')}` },
        parents: [{ name: `家长${i}`, relation: 'father', workCity: '厦门', phone: `139${String(i).padStart(8, '0')}` }],
        categories: rnd() < 0.15 ? ['lowIncome'] : [], needs: [], status, consent,
        ...(lastHeld ? { lastHeldCallAt: new Date(lastHeld) } : {}), createdAt: new Date(yearAgo)
      })
      truth.children.push({ consent: consent.state, status })
      if (status === 'leftBehind') leftBehind.push({ id, name, townshipId })
    }
    await load.add('children', kids)
    await load.add('weeklyContacts', contacts)
  }

  // Pairings of 45% of the left-behind children (leaders pair one each), with a year of talks and visits.
  const pairings: object[] = []
  let logs: object[] = []
  const paired = leftBehind.filter(() => rnd() < PAIRED_SHARE)
  for (let i = 0; i < paired.length; i++) {
    const k = paired[i]
    const volunteer = i < LEADERS * 0.7 ? i : LEADERS + Math.floor(rnd() * (VOLUNTEERS - LEADERS))
    const s = rnd()
    const status = s < 0.93 ? 'active' : s < 0.97 ? 'review' : 'ended'
    const started = inLastYear()
    const pid = `opair-${String(i).padStart(5, '0')}`
    pairings.push({ _id: pid, childId: k.id, countyId: COUNTY, townshipId: k.townshipId, volunteerId: `ov-${String(volunteer).padStart(4, '0')}`, volunteerName: `志愿者${volunteer}`, status, startedAt: new Date(started), offeredAt: new Date(started) })
    if (status !== 'ended') truth.activePairings++
    // A talk most months and a visit most quarters since the pairing began.
    for (let t = started + int(1, 20) * DAY, n = 0; t < nowMs && n < 13; t += 30 * DAY, n++) {
      if (rnd() < 0.85) {
        const visit = n % 3 === 2 && rnd() < 0.8
        logs.push({ pairingId: pid, childId: k.id, countyId: COUNTY, townshipId: k.townshipId, volunteerId: `ov-${String(volunteer).padStart(4, '0')}`, kind: visit ? 'visit' : 'talk', mode: visit ? 'home' : 'phone', at: new Date(t), note: '聊了学习和身体', createdAt: new Date(t) })
        truth.logs.push({ pairing: i, at: t, visit })
      }
    }
    if (logs.length >= 20000) { await load.add('contactLogs', logs); logs = [] }
  }
  await load.add('pairings', pairings)
  await load.add('contactLogs', logs)

  // Legal aid: every state; open ones filed in the last 12 days so their clocks are on time, due soon and late.
  const LEGAL_STATES: Array<[string, number]> = [['submitted', 30], ['acknowledged', 45], ['approved', 30], ['lawyerAssigned', 30], ['inProgress', 60], ['refused', 25], ['closed', 80]]
  const legal: object[] = []
  for (const [state, n] of LEGAL_STATES) {
    for (let j = 0; j < n; j++) {
      const open = ['submitted', 'acknowledged', 'approved', 'lawyerAssigned'].includes(state)
      const submitted = open ? nowMs - Math.floor(rnd() * 12 * DAY) : inLastYear() - 20 * DAY
      const decided = state === 'submitted' || state === 'acknowledged' ? undefined : Math.min(nowMs - MINUTE, submitted + Math.floor(rnd() * 8 * DAY))
      const assigned = decided && ['lawyerAssigned', 'inProgress', 'closed'].includes(state) ? Math.min(nowMs - MINUTE, decided + Math.floor(rnd() * 3 * DAY)) : undefined
      const k = pick(leftBehind)
      legal.push({
        _id: `ola-${state}-${j}`, childId: k.id, childName: k.name, countyId: COUNTY, townshipId: k.townshipId, applicant: 'demo-guardian-zhang', applicantName: '张桂兰',
        matter: pick(['maintenance', 'guardianship', 'injury', 'parentWages', 'bullying']), people: '', story: '合成数据', evidenceUrgent: rnd() < 0.05, files: [],
        centreId: 'centre-qs', centreName: '青山县法律援助中心', exemptions: [], priority: 2, state, submittedAt: new Date(submitted), updatedAt: new Date(submitted),
        ...(rnd() < 0.25 ? { deadline: toDateKey(new Date(submitted + int(3, 40) * DAY)) } : {}),
        ...(rnd() < 0.1 ? { complex: true, complexReason: '需调取外地证据' } : {}),
        ...(decided ? { decidedAt: new Date(decided) } : {}), ...(assigned ? { assignedAt: new Date(assigned), lawyerId: 'demo-lawyer-zheng' } : {}),
        timeline: []
      })
      if (open) truth.legalOpen++
    }
  }
  if (legal.length !== LEGAL_AID) throw new Error(`made ${legal.length} legal-aid requests, meant ${LEGAL_AID}`)
  await load.add('legalAidRequests', legal)

  // Help requests: crises acknowledged within 1–45 minutes (one in twelve never), and routine ones.
  const help: object[] = []
  for (let j = 0; j < CRISES + OTHER_HELP; j++) {
    const crisis = j < CRISES
    const at = inLastYear()
    const acked = crisis && rnd() > 1 / 12
    const k = pick(leftBehind)
    help.push({
      _id: `ohelp-${j}`, childId: k.id, childName: k.name, countyId: COUNTY, townshipId: k.townshipId, stationId: 'station-qs', requesterOpenid: 'demo-child-xiaoyu', requesterName: k.name, requesterRole: 'child',
      answers: {}, urgency: crisis ? 'crisis' : rnd() < 0.3 ? 'soon' : 'routine', reasons: [], abuseNamed: false, state: 'open', createdAt: new Date(at),
      ...(crisis ? { crisis: { level: acked ? 0 : 2, alerts: [], ...(acked ? { ackAt: new Date(at + int(1, 45) * MINUTE), ackByName: '刘心怡' } : {}) } } : {})
    })
    if (crisis) truth.crises.push({ at, acked })
  }
  await load.add('helpRequests', help)

  // Mandatory reports in every state; acknowledged ones within 2–90 minutes of filing.
  const REPORT_STATES: Array<[string, number]> = [['awaitingDelivery', 4], ['delivered', 16], ['acknowledged', 40], ['handled', 50], ['closed', 90]]
  const reports: object[] = []
  for (const [state, n] of REPORT_STATES) {
    for (let j = 0; j < n; j++) {
      const filed = state === 'delivered' ? nowMs - int(5, 600) * MINUTE : inLastYear()
      const k = pick(leftBehind)
      reports.push({
        _id: `orep-${state}-${j}`, reference: `QS-${state.slice(0, 3)}-${j}`, childId: k.id, childName: k.name, countyId: COUNTY, townshipId: k.townshipId, jurisdictionId: 'jur-sq',
        kinds: [pick(['neglect', 'physicalAbuse', 'abandonment', 'seriousInjury'])], text: '合成数据', raisedBy: 'demo-teacher-chen', raisedByName: '陈丽', state,
        createdAt: new Date(filed), ...(state === 'awaitingDelivery' ? {} : { filedAt: new Date(filed), escalation: { level: 0, alerts: [] } }),
        ...(['acknowledged', 'handled', 'closed'].includes(state) ? { acknowledgedAt: new Date(filed + int(2, 90) * MINUTE) } : {})
      })
      if (state === 'delivered' || state === 'acknowledged' || state === 'handled') truth.reportsOpen++
      if (state === 'delivered') truth.reportsUnacknowledged++
    }
  }
  if (reports.length !== REPORTS) throw new Error(`made ${reports.length} reports, meant ${REPORTS}`)
  await load.add('mandatoryReports', reports)
  return truth
}

/** The figures the view should show at `now`, from what was loaded (the demo county's own records included). */
function expected (t: Truth, now: Date): Record<string, number> {
  const week = weekOf(now).weekKey
  const last12 = Array.from({ length: 12 }, (_, i) => shiftWeek(week, i - 11))
  const recent = new Set(last12.slice(-4).flatMap((w) => t.heldByWeek.get(w) ?? []))
  const { month, quarter } = periodsOf(now)
  const monthStart = atShanghai(`${month}-01`).getTime()
  const quarterStart = atShanghai(`${quarter.slice(0, 4)}-${String((Number(quarter.slice(-1)) - 1) * 3 + 1).padStart(2, '0')}-01`).getTime()
  const since90 = now.getTime() - 90 * DAY
  const crises = t.crises.filter((c) => c.at >= since90)
  const states = t.vetting.map((v) => vettingState(v, now))
  const out: Record<string, number> = {
    'children.registered': t.children.length,
    'children.withConsent': t.children.filter((c) => c.consent === 'granted').length,
    'children.leftBehind': t.children.filter((c) => c.status === 'leftBehind').length,
    'children.heldThisWeek': t.heldByWeek.get(week)?.length ?? 0,
    'children.heldLast4Weeks': recent.size,
    'pairing.active': t.activePairings,
    'pairing.talksThisMonth': new Set(t.logs.filter((l) => l.at >= monthStart).map((l) => l.pairing)).size,
    'pairing.visitsThisQuarter': new Set(t.logs.filter((l) => l.visit && l.at >= quarterStart).map((l) => l.pairing)).size,
    'legalAid.open': t.legalOpen,
    'crises.last90Days': crises.length,
    'crises.unacknowledged': crises.filter((c) => !c.acked).length,
    'reports.open': t.reportsOpen,
    'reports.unacknowledged': t.reportsUnacknowledged,
    'volunteers.vettingExpiringSoon': states.filter((s) => s === 'expiringSoon').length,
    'volunteers.vettingExpired': states.filter((s) => s === 'expired').length,
    leaders: t.leaders
  }
  last12.forEach((w, i) => { out[`weekly.${i}.held`] = t.heldByWeek.get(w)?.length ?? 0 })
  return out
}

/** Differences between the view's answer and the expected figures, as text. */
function mismatches (answer: any, want: Record<string, number>): string[] {
  const got = (key: string): unknown => key === 'leaders' ? answer.leaders?.length : key.split('.').reduce((o: any, k) => o?.[k], answer)
  return Object.entries(want).filter(([k, v]) => got(k) !== v).map(([k, v]) => `${k}: ${String(got(k))}, expected ${v}`)
}

export async function runOversightBench (): Promise<Figures> {
  const dataDir = tempDir('oversight')
  const server = await spawnLocalCloud({ dataDir, seed: true })
  try {
    const db = sdkDatabase(server.adminUrl) as SdkDb
    const load = new Loader(db)
    const loading = loadMeter(server.child.pid)
    const truth = await loadCounty(load, new Date())
    const loaded = loading()

    const call = async (): Promise<{ ms: number, data: any }> => {
      const t = process.hrtime.bigint()
      const r = await callFunction(server.url, ADMIN, 'oversight', 'overview', {}, 120_000)
      const ms = Number(process.hrtime.bigint() - t) / 1e6
      if (!r.ok) throw new Error(`oversight.overview: ${JSON.stringify(r.error)}`)
      return { ms, data: r.data }
    }
    const cold = await call()
    const timed: Array<{ ms: number, data: any }> = []
    const calling = loadMeter(server.child.pid)
    for (let i = 0; i < TIMED_CALLS; i++) timed.push(await call())
    const calls = calling()

    const problems: string[] = []
    for (const r of [cold, ...timed]) {
      const wrong = mismatches(r.data, expected(truth, new Date(r.data.at)))
      if (wrong.length > 0) problems.push(`answer at ${r.data.at}: ${wrong.join('; ')}`)
      if (r.data.reads.maxDocsPerRead > READ_LIMIT) problems.push(`a read returned ${r.data.reads.maxDocsPerRead} documents (limit ${READ_LIMIT})`)
    }
    const last = timed[timed.length - 1].data
    const totalDocs = [...load.docs.values()].reduce((a, b) => a + b, 0)
    const figures: Figures = {
      children: last.children.registered,
      leftBehind: last.children.leftBehind,
      docsLoaded: totalDocs,
      loadSec: round(loaded.wallMs / 1000, 1),
      loadDocsPerSec: Math.round(totalDocs / (loaded.wallMs / 1000)),
      otherLoadWhileLoading: pct(loaded.others),
      overviewColdMs: Math.round(cold.ms),
      overviewMedianMs: Math.round(median(timed.map((r) => r.ms))),
      overviewTimedMs: timed.map((r) => Math.round(r.ms)).join(' / '),
      readsCounted: last.reads.queries,
      maxDocsPerRead: last.reads.maxDocsPerRead,
      readLimit: READ_LIMIT,
      withinReadLimit: last.reads.maxDocsPerRead <= READ_LIMIT,
      answerKB: round(Buffer.byteLength(JSON.stringify(last)) / 1024),
      ownCpuMsPerCall: calls.ownCpuMs === undefined ? 'n/a' : Math.round(calls.ownCpuMs / TIMED_CALLS),
      machineBusyWhileCalling: pct(calls.machineBusy),
      otherLoadWhileCalling: pct(calls.others),
      loadAvg1m: calls.loadAvg1m,
      figuresMatchData: problems.length === 0,
      viewHeldThisWeek: last.children.heldThisWeek,
      viewHeldLast4Weeks: last.children.heldLast4Weeks,
      viewActivePairings: last.pairing.active,
      viewTalksThisMonth: last.pairing.talksThisMonth,
      viewLegalAidOpen: last.legalAid.open,
      viewLegalAidLate: last.legalAid.late,
      viewCrises90Days: last.crises.last90Days,
      viewReportsOpen: last.reports.open,
      viewVettingExpiringSoon: last.volunteers.vettingExpiringSoon
    }
    // A table of the load: a column per collection.
    for (const [collection, ms] of load.ms) {
      const docs = load.docs.get(collection) ?? 0
      figures[`${collection}.docs`] = docs
      figures[`${collection}.loadSec`] = round(ms / 1000, 2)
      figures[`${collection}.docsPerSec`] = Math.round(docs / (ms / 1000))
    }
    if (problems.length > 0) throw new Error(`oversight benchmark FAILED: ${problems.join('\n')}\n${JSON.stringify(figures, null, 2)}`)
    return figures
  } finally {
    await server.stop()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}
