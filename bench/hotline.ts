/**
 * Hotline benchmark: 1,000 distinct parents try to book a call in one care room of 50 slots with 2
 * devices, all at once, through the local cloud and the real `hotline` function (POST /api/functions/hotline, the
 * h5 app's path; the local cloud runs in local mode and takes the caller's OPENID from a header).
 *
 * Setup: a fresh store with the demo county, plus 1,000 parents each bound to a child of 石桥镇中心小学 (written
 * through the SDK). The teacher (demo-teacher-chen) opens room-sq on one day only, two days ahead: 06:00–22:40 in
 * 20-minute calls with no notice and a 6-day horizon, so exactly 50 slots are bookable whatever the hour the
 * benchmark runs; `hotline.slots` must show 50 slots with 2 seats each before anything is timed.
 *
 * Timed: the 1,000 parents, 50 at a time, each pick a slot (seeded PRNG) and book; on "just taken" they try the
 * first of the next free times the answer offers, and when it offers none they reload the slot list as the page
 * does (a lookup, counted apart), up to MAX_TRIES attempts, until booked or the list is empty.
 *
 * Checked afterwards through the SDK, and the benchmark throws if it fails: exactly 100 bookings (50 × 2), no slot
 * with more than 2 booked calls or seats, every booking on its own seat, and as many bookings in the store as
 * parents were told "booked".
 */
import fs from 'node:fs'
import os from 'node:os'
import { addDays, toDateKey, WEEKDAY_LABELS, weekdayOf } from '../src/domain'
import { callFunction, concurrently, insertMany, loadMeter, pct, percentile, round, sdkDatabase, spawnLocalCloud, tempDir, type Figures } from './common'
import { prng } from './matching'

const PARENTS = 1000
const SLOTS = 50
const DEVICES = 2
const IN_FLIGHT = 50
/** Book calls per parent at most; with 50 slots and the "next free" hints a parent needs far fewer. */
const MAX_TRIES = 12
const SEED = 20261201
const ROOM = 'room-sq'
const SCHOOL = 'sch-sq'
const TEACHER = 'demo-teacher-chen'
const FIRE_TIMEOUT_MS = 600_000
const PAGE = 100
const MAX_PAGES = 100 // reading back: at most 10,000 documents, far above the 100 expected

const parentId = (i: number): string => `bench-parent-${String(i).padStart(4, '0')}`
const childId = (i: number): string => `bench-child-${String(i).padStart(4, '0')}`

/** Users, children and bindings of the benchmark's parents, shaped like the demo seed's. */
function families (): { users: object[], children: object[], bindings: object[] } {
  const at = new Date('2026-09-01T02:00:00Z')
  const users: object[] = []
  const children: object[] = []
  const bindings: object[] = []
  for (let i = 0; i < PARENTS; i++) {
    users.push({ _id: parentId(i), name: `家长${i}`, roles: [{ role: 'parent', status: 'active' }], createdAt: at })
    children.push({
      _id: childId(i), name: `孩子${i}`, gender: i % 2 ? 'male' : 'female', birthDate: `201${5 + (i % 4)}-0${1 + (i % 9)}-1${i % 10}`,
      cityId: 'city-qx', countyId: 'county-qs', townshipId: 'tw-sq', villageId: i % 2 ? 'vil-sq' : 'vil-lx', grid: `vil-sq-grid-${(i % 3) + 1}`,
      schoolId: SCHOOL, className: `${1 + (i % 6)}年级（${1 + (i % 3)}）班`,
      guardian: { name: `祖母${i}`, relation: 'grandmother', phone: `1380000${String(i).padStart(4, '0')}` },
      parents: [{ name: `家长${i}`, relation: 'father', workCity: '厦门', phone: `1380001${String(i).padStart(4, '0')}` }],
      categories: [], needs: [], status: 'leftBehind', consent: { state: 'granted', version: 'paper-2026', at }, createdAt: at
    })
    bindings.push({ _id: `${childId(i)}:${parentId(i)}`, childId: childId(i), openid: parentId(i), relation: 'father', role: 'parent', createdAt: at })
  }
  return { users, children, bindings }
}

/** Every document of a query, page by page (bounded). */
async function readAll<T> (query: () => any): Promise<T[]> {
  const out: T[] = []
  for (let page = 0; page < MAX_PAGES; page++) {
    const res = await query().skip(page * PAGE).limit(PAGE).get() as { data: T[] }
    out.push(...res.data)
    if (res.data.length < PAGE) return out
  }
  throw new Error(`more than ${MAX_PAGES * PAGE} documents`)
}

interface SlotView { start: string, key: string, remaining: number }

export async function runHotlineBench (): Promise<Figures> {
  const dataDir = tempDir('hotline')
  const server = await spawnLocalCloud({ dataDir, seed: true })
  try {
    const setup = loadMeter(server.child.pid)
    const db = sdkDatabase(server.adminUrl)
    const f = families()
    await insertMany(db, 'users', f.users)
    await insertMany(db, 'children', f.children)
    await insertMany(db, 'bindings', f.bindings)

    // One open day, two days ahead (Shanghai): inside a 6-day horizon whatever the hour, and its weekday recurs
    // only beyond the horizon, so the room has exactly these 50 slots.
    const day = addDays(toDateKey(new Date()), 2)
    const settings = {
      devices: DEVICES,
      openHours: [{ days: [weekdayOf(day)], start: '06:00', end: '22:40' }],
      slotMinutes: 20, bufferMinutes: 0, closedDates: [], followsSchoolCalendar: false, noticeHours: 0, horizonDays: 6, maxFutureBookingsPerFamily: 2
    }
    const saved = await callFunction(server.url, TEACHER, 'hotline', 'saveRoomSettings', { roomId: ROOM, settings })
    if (!saved.ok) throw new Error(`saveRoomSettings: ${JSON.stringify(saved.error)}`)
    const listed = await callFunction<{ slots: SlotView[] }>(server.url, parentId(0), 'hotline', 'slots', { childId: childId(0), days: 14 })
    if (!listed.ok) throw new Error(`slots: ${JSON.stringify(listed.error)}`)
    const slots = listed.data!.slots
    if (slots.length !== SLOTS || slots.some((s) => s.remaining !== DEVICES || toDateKey(new Date(s.start)) !== day)) {
      throw new Error(`the room should offer exactly ${SLOTS} slots of ${DEVICES} seats on ${day}; it offers ${slots.length}: ${JSON.stringify(slots.slice(0, 3))}…`)
    }
    const setupReading = setup()

    // Each parent's first choice is drawn up front, so the draw does not depend on the order calls finish in.
    const rnd = prng(SEED)
    const firstChoice = Array.from({ length: PARENTS }, () => slots[Math.floor(rnd() * SLOTS)].start)
    const latencies: number[] = []
    const outcomes = { booked: 0, taken: 0, lookups: 0, toldFull: 0, outOfTries: 0 }
    const errors = new Map<string, number>()
    const noteError = (what: string, e: { code: string, message: string } | undefined): void => {
      const key = `${what} ${e?.code ?? '?'}: ${e?.message ?? ''}`
      errors.set(key, (errors.get(key) ?? 0) + 1)
    }

    const parent = async (i: number): Promise<void> => {
      let start = firstChoice[i]
      for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
        const t0 = process.hrtime.bigint()
        const r = await callFunction<{ outcome: 'booked' | 'taken', next?: SlotView[] }>(server.url, parentId(i), 'hotline', 'book', {
          childId: childId(i), start, mode: i % 3 ? 'video' : 'voice', idempotencyKey: `bench-${i}-${attempt}`
        })
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6)
        if (!r.ok) { noteError('book', r.error); return }
        if (r.data!.outcome === 'booked') { outcomes.booked++; return }
        outcomes.taken++
        const next = r.data!.next ?? []
        if (next.length > 0) { start = next[0].start; continue }
        // No free time after this one: the page reloads the whole list.
        const again = await callFunction<{ slots: SlotView[] }>(server.url, parentId(i), 'hotline', 'slots', { childId: childId(i), days: 14 })
        outcomes.lookups++
        if (!again.ok) { noteError('slots', again.error); return }
        if (again.data!.slots.length === 0) { outcomes.toldFull++; return }
        start = again.data!.slots[0].start
      }
      outcomes.outOfTries++
    }
    const fire = loadMeter(server.child.pid)
    await concurrently(IN_FLIGHT, PARENTS, parent, FIRE_TIMEOUT_MS)
    const firing = fire()

    // The store's own account, whatever the clients were told.
    const booked = await readAll<{ _id: string, slotKey: string, seatId: string, childId: string }>(() => db.collection('bookings').where({ roomId: ROOM, status: 'booked' }).orderBy('_id', 'asc'))
    const counted = (await db.collection('bookings').where({ roomId: ROOM, status: 'booked' }).count()).total as number
    const seats = await readAll<{ _id: string, slotKey: string, bookingId?: string }>(() => db.collection('seats').where({ roomId: ROOM }).orderBy('_id', 'asc'))
    const perSlot = (xs: Array<{ slotKey: string }>): Map<string, number> => {
      const m = new Map<string, number>()
      for (const x of xs) m.set(x.slotKey, (m.get(x.slotKey) ?? 0) + 1)
      return m
    }
    const bookingsPerSlot = perSlot(booked)
    const seatsPerSlot = perSlot(seats)
    const overbooked = new Set([...bookingsPerSlot, ...seatsPerSlot].filter(([, n]) => n > DEVICES).map(([k]) => k))
    const seatOf = new Map(seats.map((s) => [s._id, s.bookingId]))
    const seatMismatches = booked.filter((b) => seatOf.get(b.seatId) !== b._id).length + (new Set(booked.map((b) => b.seatId)).size !== booked.length ? 1 : 0)
    const childrenBooked = new Set(booked.map((b) => b.childId)).size

    const attempts = latencies.length
    const figures: Figures = {
      parents: PARENTS,
      slots: SLOTS,
      devices: DEVICES,
      inFlight: IN_FLIGHT,
      bookingDay: `${day} ${WEEKDAY_LABELS[weekdayOf(day)]}`,
      bookingsMade: counted,
      bookingsExpected: SLOTS * DEVICES,
      overbookedSlots: overbooked.size,
      maxBookingsPerSlot: Math.max(0, ...bookingsPerSlot.values()),
      maxSeatsPerSlot: Math.max(0, ...seatsPerSlot.values()),
      slotsFull: [...bookingsPerSlot.values()].filter((n) => n === DEVICES).length,
      seatBookingMismatches: seatMismatches,
      parentsToldBooked: outcomes.booked,
      parentsToldFull: outcomes.toldFull,
      parentsOutOfTries: outcomes.outOfTries,
      bookAttempts: attempts,
      takenAnswers: outcomes.taken,
      slotListReloads: outcomes.lookups,
      errors: [...errors.values()].reduce((a, b) => a + b, 0),
      attemptsPerSec: round(attempts / (firing.wallMs / 1000)),
      callsPerSec: round((attempts + outcomes.lookups) / (firing.wallMs / 1000)),
      firingWallSec: round(firing.wallMs / 1000, 2),
      latencyP50Ms: round(percentile(latencies, 50) ?? 0),
      latencyP95Ms: round(percentile(latencies, 95) ?? 0),
      latencyMaxMs: round(percentile(latencies, 100) ?? 0),
      ownCpuMsPerCall: firing.ownCpuMs === undefined ? 'n/a' : round(firing.ownCpuMs / (attempts + outcomes.lookups), 1),
      // What the calls would allow if the local cloud and this client had every core to themselves.
      cpuCeilingCallsPerSec: firing.ownCpuMs === undefined ? 'n/a' : Math.round(os.cpus().length * 1000 / (firing.ownCpuMs / (attempts + outcomes.lookups))),
      machineBusyWhileFiring: pct(firing.machineBusy),
      otherLoadWhileFiring: pct(firing.others),
      loadAvg1mAfterFiring: firing.loadAvg1m,
      setupSec: round(setupReading.wallMs / 1000, 2),
      otherLoadDuringSetup: pct(setupReading.others)
    }
    if (errors.size > 0) figures.errorKinds = [...errors].map(([k, n]) => `${n}× ${k}`).join('; ')
    const problems: string[] = []
    if (counted !== SLOTS * DEVICES || booked.length !== counted) problems.push(`${counted} bookings (${booked.length} read back), expected exactly ${SLOTS * DEVICES}`)
    if (overbooked.size > 0) problems.push(`${overbooked.size} overbooked slots: ${[...overbooked].slice(0, 5).join(', ')}`)
    if (seats.length !== counted || seatMismatches > 0) problems.push(`${seats.length} seats for ${counted} bookings, ${seatMismatches} bookings not on their own seat`)
    if (outcomes.booked !== counted || childrenBooked !== counted) problems.push(`${outcomes.booked} parents told "booked", ${childrenBooked} children booked, ${counted} bookings stored`)
    if (problems.length > 0) throw new Error(`hotline benchmark FAILED: ${problems.join('; ')}\n${JSON.stringify(figures, null, 2)}`)
    return figures
  } finally {
    await server.stop()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}
