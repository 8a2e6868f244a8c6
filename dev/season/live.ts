/**
 * A season lived through the real functions: the people of a generated county act as they would, through the same
 * function calls the pages make (as the person, by OPENID, through the local cloud's gateway) and the same
 * subscription allows the pages ask for, while the cloud's clock moves on and the scheduler's timers fire at the
 * simulated times they fall due (docs/LOCALCLOUD.md, "The clock and fast-forward"). One seed, one season.
 *
 * The simulation knows what really happened (a call that took place though nobody checked it in, a crisis
 * counsellor who never looked), so the figures compare what the product recorded with the truth.
 */
import http from 'node:http'
import { chinaCalendar } from '../../src/domain/calendar/library'
import { isWorkingDay } from '../../src/domain/calendar/calendar'
import { defaultTemplateId } from '../../src/domain/notices/templates'
import { shiftWeek, weekOf } from '../../src/domain'
import type { LocalCloud } from '../../localcloud'
import { generateCounty, prng, type SimChild, type SimCounty } from './county'

const MIN = 60000
const HOUR = 60 * MIN
const DAY = 24 * HOUR
const WEEK = 7 * DAY
const SH = 8 * HOUR // Asia/Shanghai offset: every time of day below is Shanghai's

export interface Switches { nudge: boolean, escalation: boolean, sms: boolean }
export const ALL_ON: Switches = { nudge: true, escalation: true, sms: true }

/** The functions' environment for a scenario: each switch is a setting the functions read (default on). */
export function switchEnv (s: Switches): Record<string, string> {
  return { NUDGE_ENABLED: s.nudge ? '1' : '0', ESCALATION_ENABLED: s.escalation ? '1' : '0', SMS_ENABLED: s.sms ? '1' : '0' }
}

export interface SeasonOptions {
  weeks: number
  children: number
  seed: number
  /** a Monday 00:00 in Shanghai */
  start: Date
  /** function calls in flight at once */
  inFlight?: number
  /** progress lines */
  log?: (line: string) => void
  /** measure database round trips of this many calls of each action, each run alone */
  probesPerAction?: number
  /** the demo county's own families and volunteers live the season too (the demo's past: dev/start.ts) */
  demoFamilies?: boolean
}

/** The demo's named families (dev/seed/demo-county.ts) with a habit each, their teachers and vetted volunteers. */
const DEMO_FAMILIES: SimChild[] = [
  { id: 'child-01', name: '王小雨', parent: 'demo-parent-wang', guardian: 'demo-guardian-zhang', self: 'demo-child-xiaoyu', habit: 'weekly', schoolId: 'sch-sq', roomId: 'room-sq', townshipId: 'tw-sq', villageId: 'vil-sq' },
  { id: 'child-02', name: '王小川', parent: 'demo-parent-li', guardian: 'demo-guardian-zhang', habit: 'direct', schoolId: 'sch-sq', roomId: 'room-sq', townshipId: 'tw-sq', villageId: 'vil-sq' },
  { id: 'child-12', name: '朱晨阳', parent: 'demo-parent-zhu', guardian: 'demo-guardian-zhu', habit: 'whenNudged', schoolId: 'sch-bs', roomId: 'room-bs', townshipId: 'tw-bs', villageId: 'vil-bs' }
]
const DEMO_TEACHERS = [
  { id: 'demo-teacher-chen', schoolId: 'sch-sq', roomId: 'room-sq', forgetful: false },
  { id: 'demo-teacher-lin', schoolId: 'sch-bs', roomId: 'room-bs', forgetful: true }
]
const DEMO_VOLUNTEERS = [{ id: 'demo-vol-sun', keepsRhythm: 0.95 }, { id: 'demo-teacher-lin', keepsRhythm: 0.7 }]

interface Crisis { requestId: string, at: number, childId: string }
interface Report { reportId: string, at: number, police: string }
interface Legal { requestId: string, at: number }

export interface SeasonTruth {
  county: SimCounty
  /** weekKey -> children whose parent really talked with them that week */
  calledIn: Map<string, Set<string>>
  /**
   * weekKey -> child -> when someone first told the product of a call that week (a check-in as held, a confirmed
   * direct call): a flag raised before then was right on what the product knew
   */
  reportedIn: Map<string, Map<string, number>>
  bookings: number
  bookAttempts: number
  crises: Crisis[]
  reports: Report[]
  legal: Legal[]
  pairings: Map<string, { volunteer: string, since: number, talks: number[], visits: number[] }>
  calls: Map<string, number>
  errors: Map<string, number>
  roundTrips: Map<string, number[]>
  weeks: Array<{ weekKey: string, start: number, calls: number, wallMs: number }>
  callWallMs: number
}

// ---------- round trips: admin requests counted while one probed call runs alone ----------
let adminRequests = 0
let counting = false
function countAdminRequests (): void {
  if (counting) return
  counting = true
  const emit = http.Server.prototype.emit
  http.Server.prototype.emit = function (this: http.Server, event: string, ...args: any[]) {
    if (event === 'request' && typeof args[0]?.url === 'string' && args[0].url.startsWith('/admin')) adminRequests++
    return (emit as (...a: unknown[]) => boolean).call(this, event, ...args)
  } as typeof emit
}

/** Runs `tasks` with at most `n` at once. */
async function pool (n: number, tasks: Array<() => Promise<void>>): Promise<void> {
  let next = 0
  await Promise.all(Array.from({ length: Math.min(n, tasks.length) }, async () => {
    while (next < tasks.length) await tasks[next++]()
  }))
}

export async function liveSeason (cloud: LocalCloud, opts: SeasonOptions): Promise<SeasonTruth> {
  const log = opts.log ?? (() => {})
  const rnd = prng(opts.seed * 7919 + 17)
  const chance = (p: number) => rnd() < p
  const between = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1))
  // People act at a few times of day (after work, at lunch, before the night shift), so many act in the same minute.
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]
  const start = opts.start.getTime()
  const end = start + opts.weeks * WEEK
  const cal = chinaCalendar([])
  const county = generateCounty({ children: opts.children, seed: opts.seed, start: opts.start })
  const actors = opts.demoFamilies
    ? { children: [...DEMO_FAMILIES, ...county.children], teachers: [...DEMO_TEACHERS, ...county.teachers], volunteers: [...DEMO_VOLUNTEERS, ...county.volunteers] }
    : county
  const inFlight = opts.inFlight ?? 8
  const probes = opts.probesPerAction ?? 20
  if (probes > 0) countAdminRequests()

  const truth: SeasonTruth = {
    county, calledIn: new Map(), reportedIn: new Map(), bookings: 0, bookAttempts: 0, crises: [], reports: [], legal: [], pairings: new Map(),
    calls: new Map(), errors: new Map(), roundTrips: new Map(), weeks: [], callWallMs: 0
  }
  const mark = (m: Map<string, Set<string>>, weekKey: string, childId: string) => {
    if (!m.has(weekKey)) m.set(weekKey, new Set())
    m.get(weekKey)!.add(childId)
  }
  const called = (weekKey: string, childId: string) => mark(truth.calledIn, weekKey, childId)
  const reported = (t: number, childId: string) => {
    const wk = weekOf(new Date(t)).weekKey
    if (!truth.reportedIn.has(wk)) truth.reportedIn.set(wk, new Map())
    const told = truth.reportedIn.get(wk)!
    if (!told.has(childId)) told.set(childId, cloud.clock.now().getTime())
  }

  // ---------- the county's registry, as it stands before the season ----------
  await cloud.clock.set(new Date(start - DAY), { frozen: true })
  const sdk = require('wx-server-sdk').createNewInstance({ env: 'local', serviceUrl: cloud.adminUrl, secretId: 'season', secretKey: 'season' }).database()
  for (const [collection, docs] of Object.entries(county.docs)) {
    for (let i = 0; i < docs.length; i += 500) await sdk.collection(collection).add({ data: docs.slice(i, i + 500) })
  }
  if (opts.demoFamilies) {
    // The demo's families were bound when their files were made, before the past began.
    const _ = sdk.command
    await sdk.collection('bindings').where({ childId: _.in(DEMO_FAMILIES.map((c) => c.id)) }).update({ data: { createdAt: new Date(start - 14 * DAY) } })
  }

  // ---------- calling as a person ----------
  let key = 0
  const idem = () => `season-${opts.seed}-${++key}`
  // A probe counts the admin requests of a call that ran with no other call in flight (started on an idle cloud and
  // no other call started before it ended); other samples are dropped, so nothing waits for a probe.
  let active = 0
  let started = 0
  const call = async (openid: string, fn: string, action: string, data: unknown = {}): Promise<any> => {
    active++
    started++
    try {
      return await send(openid, fn, action, data)
    } finally {
      active--
    }
  }
  const send = async (openid: string, fn: string, action: string, data: unknown): Promise<any> => {
    const name = `${fn}.${action}`
    truth.calls.set(name, (truth.calls.get(name) ?? 0) + 1)
    const res = await fetch(`${cloud.url}/api/functions/${fn}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-localcloud-openid': openid },
      body: JSON.stringify({ action, data })
    })
    const body = await res.json() as { ok: boolean, data?: any, error?: { code: string, message: string } }
    if (!body.ok) {
      const code = `${name}:${body.error?.code ?? res.status}`
      truth.errors.set(code, (truth.errors.get(code) ?? 0) + 1)
      return undefined
    }
    return body.data
  }
  /** A call run alone, its admin requests counted (the page's one action, as WeChat cloud would bill its round trips). */
  const probe = async (openid: string, fn: string, action: string, data: unknown = {}): Promise<any> => {
    const name = `${fn}.${action}`
    const seen = truth.roundTrips.get(name) ?? []
    if (probes === 0 || seen.length >= probes || active > 0) return await call(openid, fn, action, data)
    const before = adminRequests
    const startedBefore = started
    const out = await call(openid, fn, action, data)
    if (started === startedBefore + 1) {
      seen.push(adminRequests - before)
      truth.roundTrips.set(name, seen)
    }
    return out
  }
  const allow = async (openid: string, templates: string[]) => {
    const answers = Object.fromEntries(templates.map((t) => [defaultTemplateId(t as any), 'accept']))
    const res = await fetch(`${cloud.url}/api/subscriptions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-localcloud-openid': openid }, body: JSON.stringify({ answers }) })
    if (!res.ok) throw new Error(`allow: ${res.status} ${await res.text()}`)
  }

  // ---------- the event queue: what people do, at the simulated minute they do it ----------
  interface Event { at: number, alone?: boolean, run: () => Promise<void> }
  const queue: Event[] = []
  const at = (t: number, run: () => Promise<void>, alone = false) => {
    const e = { at: Math.max(t, cloud.clock.now().getTime()), run, alone }
    let lo = 0
    let hi = queue.length
    while (lo < hi) { const mid = (lo + hi) >> 1; if (queue[mid].at <= e.at) lo = mid + 1; else hi = mid }
    queue.splice(lo, 0, e)
  }
  const shanghai = (dayStart: number, hh: number, mm = 0) => dayStart + hh * HOUR + mm * MIN
  const dayOf = (t: number) => Math.floor((t + SH) / DAY) * DAY - SH
  const hourOf = (t: number) => Math.floor(((t + SH) % DAY) / HOUR)
  const inbox = (to: string, template: string, since: number) => cloud.store.find('inbox', { to, template })
    .filter((m: any) => new Date(m.createdAt).getTime() >= since)

  // ---------- the hotline: booking, the call, the check-in ----------
  const forgetful = new Map(actors.teachers.map((t) => [t.roomId, t]))
  const book = async (child: SimChild, notBefore: number, notAfter: number) => {
    await allow(child.parent, ['callReminder']) // the book page asks on the tap
    const got = await probe(child.parent, 'hotline', 'slots', { childId: child.id, days: 8 })
    let choices: Array<{ start: string }> = (got?.slots ?? []).filter((s: any) => {
      const t = new Date(s.start).getTime()
      return t >= notBefore && t < notAfter
    })
    for (let tries = 0; tries < 3 && choices.length > 0; tries++) {
      const slot = choices[Math.floor(rnd() * Math.min(choices.length, 12))]
      truth.bookAttempts++
      const res = await probe(child.parent, 'hotline', 'book', { childId: child.id, start: slot.start, mode: chance(0.7) ? 'video' : 'voice', idempotencyKey: idem() })
      if (res?.outcome === 'booked') {
        truth.bookings++
        callTime(child, res.booking.id, new Date(res.booking.start).getTime())
        return true
      }
      choices = (res?.next ?? []).filter((s: any) => new Date(s.start).getTime() < notAfter)
    }
    return false
  }
  const callTime = (child: SimChild, bookingId: string, t: number) => {
    const teacher = forgetful.get(child.roomId)!
    // The teacher marks the session's calls from her day sheet when the hour's calls are done.
    at(Math.ceil((t + 20 * MIN + SH) / HOUR) * HOUR - SH + 5 * MIN, async () => {
      const shows = chance(0.93)
      if (shows) called(weekOf(new Date(t)).weekKey, child.id)
      const outcome = shows ? 'held' : 'missedByParent'
      // A forgetful teacher checks the day's calls in at the end of the day from her day sheet; a few are lost.
      if (teacher.forgetful && chance(0.4)) {
        if (chance(0.9)) {
          at(dayOf(t) + 21 * HOUR + 30 * MIN, async () => {
            if (await probe(teacher.id, 'hotline', 'checkIn', { bookingId, outcome }) && shows) reported(t, child.id)
          })
        }
        return
      }
      if (await probe(teacher.id, 'hotline', 'checkIn', { bookingId, outcome }) && shows) reported(t, child.id)
    })
  }

  // The parent tells the app of a direct call; the guardian confirms it the next day (or the day after).
  const directCall = async (child: SimChild, t: number) => {
    called(weekOf(new Date(t)).weekKey, child.id)
    const callAt = t - between(10, 120) * MIN
    const res = await probe(child.parent, 'hotline', 'recordDirectCall', { childId: child.id, at: new Date(callAt).toISOString(), minutes: between(5, 40), mode: 'video', idempotencyKey: idem() })
    if (!res || !chance(0.93)) return
    at(dayOf(t) + DAY + pick([9, 19]) * HOUR, async () => {
      const waiting = await probe(child.guardian, 'hotline', 'callsToConfirm', {})
      for (const c of waiting?.calls ?? []) {
        if (await probe(child.guardian, 'hotline', 'confirmDirectCall', { callId: c.id, decision: 'confirmed' })) reported(new Date(c.at).getTime(), child.id)
      }
    })
  }

  const planWeek = (weekStart: number) => {
    const weekEnd = weekStart + WEEK
    for (const child of actors.children) {
      switch (child.habit) {
        case 'weekly':
          if (chance(0.9)) at(shanghai(weekStart + between(0, 2) * DAY, pick([8, 12, 20, 21])), async () => { await book(child, cloud.clock.now().getTime() + 3 * HOUR, weekEnd) })
          break
        case 'nightShift':
          if (chance(0.85)) at(shanghai(weekStart + between(0, 3) * DAY, pick([2, 4])), async () => { await book(child, cloud.clock.now().getTime() + 3 * HOUR, weekEnd) })
          break
        case 'whenNudged':
          // Now and then on their own; otherwise only once the weekly nudge has come (Thursday 10:00).
          if (chance(0.15)) at(shanghai(weekStart + between(0, 2) * DAY, pick([12, 20])), async () => { await book(child, cloud.clock.now().getTime() + 3 * HOUR, weekEnd) })
          else {
            at(shanghai(weekStart + 3 * DAY + between(0, 1) * DAY, pick([12, 20])), async () => {
              const nudges = inbox(child.parent, 'weeklyNudge', weekStart)
              if (nudges.length === 0) return
              const reached = nudges.some((m: any) => m.delivery?.reached)
              if (!chance(reached ? 0.85 : 0.3)) return
              if (chance(0.6)) await allow(child.parent, ['weeklyNudge']) // 接收提醒, after a nudge helped
              await book(child, cloud.clock.now().getTime() + 3 * HOUR, weekEnd)
            })
          }
          break
        case 'direct':
          if (chance(0.88)) {
            const t = shanghai(weekStart + between(0, 5) * DAY, 21, 30)
            at(t, async () => { await directCall(child, t) })
          }
          break
        case 'never':
          break
      }
    }
    // The few who never book: once in a while a call straight to the grandmother, told to nobody.
    for (const child of county.children.filter((c) => c.habit === 'never' && chance(0.1))) called(weekOf(new Date(weekStart + 3 * DAY)).weekKey, child.id)
  }
  // whenNudged parents allowed the weekly nudge once on the 接收提醒 page at the start.
  const nudgeAllows = actors.children.filter((c) => c.habit === 'whenNudged' && chance(0.7)).map((c) => () => allow(c.parent, ['weeklyNudge']))

  // ---------- crises: a child in danger asks; counsellors answer when an alert reaches them ----------
  // Every counsellor of the county's two stations (the township station has one, who is her own supervisor).
  const COUNSELORS = ['demo-counselor-liu', 'demo-counselor-huang', 'demo-counselor-zhang', 'demo-counselor-luo']
  const crisisCount = Math.max(4, Math.round(opts.children * opts.weeks / 800))
  const holidays = ['2027-01-01T23:10:00+08:00', '2027-02-06T22:40:00+08:00', '2026-12-25T02:30:00+08:00'].map((s) => new Date(s).getTime()).filter((t) => t > start && t < end)
  const crisisTime = () => {
    const day = dayOf(start + between(0, opts.weeks * 7 - 1) * DAY)
    // Nearly half at night (22:00 to 04:00), when nobody is at the station.
    if (chance(0.45)) return shanghai(day, between(0, 5), between(0, 59)) + (chance(0.5) ? 22 * HOUR : 0)
    return shanghai(day, between(7, 21), between(0, 59))
  }
  for (let i = 0; i < crisisCount; i++) {
    const t = i < holidays.length ? holidays[i] : crisisTime()
    const child = county.children[between(0, county.children.length - 1)]
    at(t, async () => {
      const asker = child.self ?? child.guardian
      const res = await probe(asker, 'counseling', 'ask', { childId: child.id, answers: { safeNow: 'no' }, idempotencyKey: idem() })
      if (!res?.requestId) return
      const crisis = { requestId: res.requestId, at: cloud.clock.now().getTime(), childId: child.id }
      truth.crises.push(crisis)
      // Each counsellor looks when an alert reached them outside the app, or (at the station, 8:00-18:00) at the app.
      const delay = new Map(COUNSELORS.map((c) => [c, chance(0.12) ? Infinity : chance(0.75) ? between(1, 8) : between(8, 30)]))
      const watch = async (): Promise<void> => {
        const now = cloud.clock.now().getTime()
        const doc = cloud.store.findById('helpRequests', crisis.requestId) as any
        if (!doc || doc.crisis?.ackAt) return
        if (now > crisis.at + 6 * HOUR) {
          // Nobody who never looks holds out for ever: six hours on, the last one alerted picks it up when she looks.
          const last = (doc.crisis?.alerts ?? []).map((a: any) => a.to as string).filter((to: string) => COUNSELORS.includes(to)).pop()
          if (last) await probe(last, 'counseling', 'acknowledge', { requestId: crisis.requestId })
          return
        }
        for (const c of COUNSELORS) {
          const alerts = inbox(c, 'crisisAlert', crisis.at).filter((m: any) => String(m._id).includes(crisis.requestId))
          const seenAt = alerts.filter((m: any) => m.delivery?.reached).map((m: any) => new Date(m.createdAt).getTime())
          const atDesk = hourOf(now) >= 8 && hourOf(now) < 18 && isWorkingDay(cal, new Date(now)) && alerts.length > 0 ? [now] : []
          const first = Math.min(...seenAt, ...atDesk)
          if (first + delay.get(c)! * MIN <= now) {
            const ack = await probe(c, 'counseling', 'acknowledge', { requestId: crisis.requestId })
            if (ack) { await allow(c, ['crisisAlert']); return } // the ack tap asks to be told of the next one
          }
        }
        at(now + MIN, watch)
      }
      at(cloud.clock.now().getTime() + MIN, watch)
    })
  }

  // ---------- mandatory reports: a teacher reports; the police acknowledge, often late ----------
  const reportCount = Math.max(1, Math.round(opts.children * opts.weeks / 1500))
  for (let i = 0; i < reportCount; i++) {
    const child = county.children[between(0, county.children.length - 1)]
    const teacher = county.teachers.find((x) => x.schoolId === child.schoolId)!
    const police = county.police.find((p) => p.townshipId === child.townshipId)!
    const t = shanghai(dayOf(start + between(0, opts.weeks * 7 - 1) * DAY), between(8, 17), between(0, 59))
    at(t, async () => {
      const when = new Date(t + SH).toISOString().slice(0, 10)
      const res = await probe(teacher.id, 'safeguard', 'report', { report: { childId: child.id, kinds: ['neglect'], seen: '孩子这几天都没吃早饭，身上有伤，说家里没人管', when, where: '学校教室', dangerNow: chance(0.2) }, idempotencyKey: idem() })
      if (!res?.id) return
      const report = { reportId: res.id, at: cloud.clock.now().getTime(), police: police.id }
      truth.reports.push(report)
      const lag = chance(0.6) ? between(5, 30) : chance(0.7) ? between(30, 120) : between(120, 600)
      at(report.at + lag * MIN, async () => {
        await probe(police.id, 'safeguard', 'queue', {})
        if (await probe(police.id, 'safeguard', 'acknowledge', { reportId: report.reportId })) await allow(police.id, ['reportAlert'])
      })
    })
  }

  // ---------- legal aid: grandparents ask, more of them around New Year and the Spring Festival ----------
  const legalCount = Math.max(2, Math.round(opts.children * opts.weeks / 600))
  const busy = ['2026-12-29', '2027-01-04', '2027-02-01', '2027-02-09'].map((d) => new Date(`${d}T00:00:00+08:00`).getTime()).filter((t) => t >= start && t < end)
  for (let i = 0; i < legalCount; i++) {
    const child = county.children[between(0, county.children.length - 1)]
    const base = busy.length > 0 && chance(0.5) ? busy[between(0, busy.length - 1)] + between(0, 4) * DAY : start + between(0, opts.weeks * 7 - 1) * DAY
    const t = shanghai(dayOf(base), between(7, 22), between(0, 59))
    at(t, async () => {
      const res = await probe(child.guardian, 'legalaid', 'submit', { draft: { childId: child.id, matter: 'maintenance', people: '孩子的父亲', story: '孩子父亲外出务工后一直没有给抚养费，家里生活困难。', files: [] }, idempotencyKey: idem() })
      if (res?.requestId) truth.legal.push({ requestId: res.requestId, at: cloud.clock.now().getTime() })
    })
  }
  // The centre's officer works the queue at 9:30 and 15:00 on working days; decisions take one to five working days.
  const decideAfter = new Map<string, number>()
  const officerRound = async () => {
    const now = cloud.clock.now()
    if (!isWorkingDay(cal, now)) return
    const q = await probe('demo-officer-wu', 'legalaid', 'queue', {})
    for (const r of q?.requests ?? []) {
      if (r.state === 'submitted') await probe('demo-officer-wu', 'legalaid', 'acknowledge', { requestId: r.id })
      else if (r.state === 'acknowledged') {
        if (!decideAfter.has(r.id)) decideAfter.set(r.id, now.getTime() + (chance(0.75) ? between(0, 2) : between(3, 7)) * DAY)
        if (decideAfter.get(r.id)! <= now.getTime()) await probe('demo-officer-wu', 'legalaid', 'decide', { requestId: r.id, decision: 'approved' })
      }
    }
  }

  // ---------- pairing: the admin runs matching; volunteers accept and keep (or miss) their rhythm ----------
  const ADMIN = 'demo-admin-guan'
  const matchRound = async () => {
    const run = await probe(ADMIN, 'pairing', 'runMatching', {})
    const ids: string[] = (run?.pairs ?? []).map((p: any) => p.childId)
    for (let i = 0; i < ids.length; i += 50) await probe(ADMIN, 'pairing', 'sendOffers', { runId: run.runId, childIds: ids.slice(i, i + 50) })
    for (const v of actors.volunteers) {
      at(cloud.clock.now().getTime() + between(2, 48) * HOUR, async () => {
        const offers = await probe(v.id, 'pairing', 'offers', {})
        for (const o of offers?.offers ?? []) {
          const res = await probe(v.id, 'pairing', 'respond', chance(0.85) ? { offerId: o.id, accept: true } : { offerId: o.id, accept: false, reason: '时间排不开' })
          if (res?.status === 'active') rhythm(v, cloud.clock.now().getTime())
        }
      })
    }
  }
  const rhythm = (v: { id: string, keepsRhythm: number }, since: number) => {
    // Once a month a talk (and once a quarter a visit), for those who keep the rhythm.
    for (let m = 0; since + m * 30 * DAY < end; m++) {
      const t = shanghai(dayOf(since + m * 30 * DAY + between(3, 25) * DAY), between(10, 20))
      if (t >= end || !chance(v.keepsRhythm)) continue
      const visit = m % 3 === 0 && chance(0.8)
      at(t, async () => {
        const mine = await probe(v.id, 'pairing', 'myPairings', {})
        for (const p of (mine?.pairings ?? []).filter((x: any) => x.status === 'active')) {
          const date = new Date(cloud.clock.now().getTime() + SH).toISOString().slice(0, 10)
          const ok = await probe(v.id, 'pairing', 'logContact', { pairingId: p.id, kind: visit ? 'visit' : 'talk', mode: visit ? 'inPerson' : 'call', date, note: visit ? '上门看望，孩子挺好' : '电话聊了学习和生活', idempotencyKey: idem() })
          if (!ok) continue
          const rec = truth.pairings.get(p.id) ?? { volunteer: v.id, since, talks: [], visits: [] }
          ;(visit ? rec.visits : rec.talks).push(cloud.clock.now().getTime())
          if (visit) rec.talks.push(cloud.clock.now().getTime()) // a visit is a talk too
          truth.pairings.set(p.id, rec)
        }
      })
    }
  }

  // ---------- the season ----------
  await cloud.clock.set(new Date(start), { frozen: true })
  await pool(inFlight, nudgeAllows.map((f) => async () => { await f() }))
  await pool(inFlight, COUNSELORS.map((c) => async () => { await allow(c, ['crisisAlert']) }))
  at(shanghai(start, 10), matchRound)
  for (let d = 0; d < opts.weeks * 7; d++) {
    at(shanghai(start + d * DAY, 9, 30), officerRound)
    at(shanghai(start + d * DAY, 15), officerRound)
  }
  let weekIndex = 0
  const advance = { ms: 0, steps: 0, fired: 0 }
  const t0 = Date.now()
  let weekT0 = Date.now()
  let weekCalls = 0
  const totalCalls = () => [...truth.calls.values()].reduce((a, b) => a + b, 0)
  const closeWeek = async () => {
    const wk = weekOf(new Date(start + weekIndex * WEEK)).weekKey
    truth.weeks.push({ weekKey: wk, start: start + weekIndex * WEEK, calls: totalCalls() - weekCalls, wallMs: Date.now() - weekT0 })
    log(`week ${weekIndex + 1}/${opts.weeks} (${wk}): ${totalCalls() - weekCalls} calls in ${((Date.now() - weekT0) / 1000).toFixed(0)} s; clock moved ${advance.steps} times, ${advance.fired} timer runs, ${(advance.ms / 1000).toFixed(0)} s`)
    Object.assign(advance, { ms: 0, steps: 0, fired: 0 })
    weekCalls = totalCalls()
    weekT0 = Date.now()
    weekIndex++
  }
  planWeek(start)
  for (let w = 1; w < opts.weeks; w++) at(start + w * WEEK, async () => { await closeWeek(); planWeek(start + w * WEEK) })

  while (queue.length > 0 && queue[0].at < end) {
    const t = queue[0].at
    const batch: Event[] = []
    while (queue.length > 0 && queue[0].at === t) batch.push(queue.shift()!)
    const now = cloud.clock.now().getTime()
    if (t > now) {
      const a0 = Date.now()
      const moved = await cloud.clock.advance(t - now)
      advance.ms += Date.now() - a0
      advance.steps++
      advance.fired += moved.fired
    }
    const c0 = Date.now()
    await pool(inFlight, batch.map((e) => e.run))
    truth.callWallMs += Date.now() - c0
  }
  // Past the last week's end, so its timers (the week's last flags are raised on the next Monday) have fired.
  await cloud.clock.advance(end + MIN - cloud.clock.now().getTime())
  await closeWeek()
  log(`season lived in ${((Date.now() - t0) / 1000).toFixed(0)} s`)
  return truth
}

export { shiftWeek }
