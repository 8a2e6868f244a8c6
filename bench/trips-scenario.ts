/**
 * The most used actions, each run as the page that calls it does, on a seeded local cloud, with the database round
 * trips each invocation made read back from the local cloud (`GET /api/dev/stats`, docs/LOCALCLOUD.md, "Round
 * trips"). Used by the round-trips benchmark (bench/trips.ts) and by the test that holds the budgets
 * (test/integration/round-trips.test.ts). Counts are deterministic for a given seed and clock: no timing is read.
 *
 * The ten actions are those the pages call most: a parent's booking page (overview, slots, book, myBookings), every
 * home (whoami, the unread badge), the teacher's day sheet and check-in, the counsellor's queue, a volunteer's
 * talk or visit, a guardian's legal-aid request.
 */

/** The actions measured, with the budget each must keep (database round trips per invocation). */
export const TRIP_BUDGETS: Record<string, number> = {
  'hotline.book': 6,
  'hotline.overview': 8,
  'hotline.slots': 8,
  'hotline.myBookings': 8,
  'account.whoami': 8,
  'account.unreadCount': 8,
  'hotline.daySheet': 8,
  'hotline.checkIn': 8,
  'counseling.queue': 8,
  'pairing.logContact': 8,
  'legalaid.submit': 8,
  'hotline.recordDirectCall': 8,
  'hotline.confirmDirectCall': 8
}

export interface ActionTrips {
  action: string
  /** database round trips of the invocation */
  dbRoundTrips: number
  /** other requests to the cloud (subscription messages, function calls, storage) */
  otherRequests: number
  /** all requests to the cloud one after another (those sent together count once) */
  sequentialRequests?: number
  /** the database requests by kind */
  dbByAction: Record<string, number>
  cpuMs?: number
  ok: boolean
}

interface Invocation { fn: string, action: string, ok: boolean, dbRoundTrips: number, sequentialRequests?: number, otherRequests: Record<string, number>, dbByAction: Record<string, number>, cpuMs?: number }

const PARENT = 'demo-parent-wang' // father of child-01 (石桥镇中心小学, room-sq)
const CHILD = 'child-01'
const TEACHER = 'demo-teacher-chen'
const COUNSELLOR = 'demo-counselor-liu'
const VOLUNTEER = 'demo-vol-qian'
const PAIRED_CHILD = 'child-03'
const GRANNY = 'demo-guardian-zhang' // guardian of child-01
/** A Monday morning in Shanghai; the scenario runs on a frozen clock, so its counts do not depend on the hour. */
const MONDAY = '2026-12-07T09:00:00+08:00'

async function post (url: string, path: string, body: unknown, openid?: string): Promise<any> {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(openid ? { 'x-localcloud-openid': openid } : {}) },
    body: JSON.stringify(body)
  })
  return await res.json()
}

/** The last invocation of fn.action the cloud recorded. */
async function lastInvocation (url: string, fn: string, action: string): Promise<Invocation> {
  const res = await fetch(`${url}/api/dev/stats?fn=${fn}&action=${action}&recent=1`)
  const body = await res.json() as { recent: Invocation[] }
  if (!body.recent[0]) throw new Error(`no invocation of ${fn}.${action} recorded`)
  return body.recent[0]
}

/** The part of a wx-server-sdk database the setup writes with. */
interface SetupDb { collection (name: string): { add (opts: { data: unknown }): Promise<unknown> } }

/**
 * Runs each measured action once, as its page would, and answers the round trips of each. `db` writes what the
 * scenario needs and no page makes (a pairing for the volunteer). Leaves the clock running on real time.
 */
export async function measureTrips (url: string, db: SetupDb): Promise<ActionTrips[]> {
  const out: ActionTrips[] = []
  const call = async (openid: string, fn: string, action: string, data: unknown = {}): Promise<any> => {
    const body = await post(url, `/api/functions/${fn}`, { action, data }, openid)
    const inv = await lastInvocation(url, fn, action)
    out.push({
      action: `${fn}.${action}`, ok: body.ok === true, dbRoundTrips: inv.dbRoundTrips, dbByAction: inv.dbByAction,
      otherRequests: Object.values(inv.otherRequests).reduce((a, b) => a + b, 0),
      ...(inv.sequentialRequests !== undefined ? { sequentialRequests: inv.sequentialRequests } : {}), ...(inv.cpuMs !== undefined ? { cpuMs: inv.cpuMs } : {})
    })
    if (body.ok !== true) throw new Error(`${fn}.${action} as ${openid} failed: ${JSON.stringify(body.error)}`)
    return body.data
  }
  await post(url, '/api/dev/clock', { set: MONDAY, frozen: true })
  try {
    // The room open all day, every day, with no notice: the first slot is 09:00 today.
    const settings = {
      devices: 2, openHours: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '06:00', end: '23:00' }], slotMinutes: 20, bufferMinutes: 0,
      closedDates: [], followsSchoolCalendar: false, noticeHours: 0, horizonDays: 14, maxFutureBookingsPerFamily: 2
    }
    const saved = await post(url, '/api/functions/hotline', { action: 'saveRoomSettings', data: { roomId: 'room-sq', settings } }, TEACHER)
    if (!saved.ok) throw new Error(`saveRoomSettings: ${JSON.stringify(saved.error)}`)
    await db.collection('pairings').add({
      data: { _id: `${PAIRED_CHILD}:${VOLUNTEER}`, childId: PAIRED_CHILD, countyId: 'county-qs', townshipId: 'tw-sq', volunteerId: VOLUNTEER, volunteerName: '钱德明', status: 'active', acceptedAt: new Date('2026-11-02T02:00:00Z'), offeredAt: new Date('2026-11-01T02:00:00Z') }
    })

    // Every home.
    await call(PARENT, 'account', 'whoami')
    await call(PARENT, 'account', 'unreadCount')
    // The parent's booking page: what it loads, the booking, and what it shows after.
    await call(PARENT, 'hotline', 'overview')
    const { slots } = await call(PARENT, 'hotline', 'slots', { childId: CHILD, days: 14 })
    const slot = slots.find((s: { start: string }) => new Date(s.start).getTime() >= new Date('2026-12-07T09:20:00+08:00').getTime())
    const booked = await call(PARENT, 'hotline', 'book', { childId: CHILD, start: slot.start, mode: 'video', idempotencyKey: 'trips-book-1' })
    if (booked.outcome !== 'booked') throw new Error(`the booking was not made: ${JSON.stringify(booked)}`)
    await call(PARENT, 'hotline', 'myBookings')
    // The teacher's day sheet, and the check-in once the call has begun.
    await call(TEACHER, 'hotline', 'daySheet', { roomId: 'room-sq', date: '2026-12-07' })
    await post(url, '/api/dev/clock', { set: new Date(new Date(slot.start).getTime() + 60000).toISOString(), frozen: true })
    await call(TEACHER, 'hotline', 'checkIn', { bookingId: booked.booking.id, outcome: 'held' })
    // A call the father made straight home, and the grandmother's word that it happened.
    const direct = await call(PARENT, 'hotline', 'recordDirectCall', { childId: CHILD, at: new Date(new Date(slot.start).getTime() - 3600000).toISOString(), minutes: 15, mode: 'video', idempotencyKey: 'trips-direct-1' })
    await call(GRANNY, 'hotline', 'confirmDirectCall', { callId: direct.call.id, decision: 'confirmed' })
    // The counsellor's queue, a volunteer's visit, a grandmother's legal-aid request.
    await call(COUNSELLOR, 'counseling', 'queue')
    await call(VOLUNTEER, 'pairing', 'logContact', { pairingId: `${PAIRED_CHILD}:${VOLUNTEER}`, kind: 'visit', mode: 'inPerson', date: '2026-12-07', note: '上门看望，奶奶在家', idempotencyKey: 'trips-visit-1' })
    await call(GRANNY, 'legalaid', 'submit', {
      draft: { childId: CHILD, matter: 'maintenance', people: '孩子的叔叔王建军', story: '孩子父母离婚后，抚养费一直没给。', files: [] },
      idempotencyKey: 'trips-legal-1'
    })
  } finally {
    await post(url, '/api/dev/clock', { real: true })
  }
  return out
}
