/**
 * Database round trips per action (docs/LOCALCLOUD.md, "Round trips"): in WeChat cloud each request a function makes
 * to the database is a network round trip, so the most used actions are held to a budget — a booking at most 6, the
 * others at most 8. The local cloud counts every request an invocation makes; the counts are deterministic (the
 * same seed and clock give the same requests), so this asserts counts, never speed.
 */
import type { LocalCloud } from '../../localcloud'
import { measureTrips, TRIP_BUDGETS, type ActionTrips } from '../../bench/trips-scenario'
import { callAs, startTestCloud } from '../support/localcloud'

/*
 * Every action is within its budget. A booking takes 6: the caller, one read joining the child, its room, the family's
 * locks and the calendar, the idempotency key, the child's marker with a family lock, a seat, and the booking, which
 * keeps the key's result; the room hears of it from the scheduler. A legal-aid request takes 6 likewise: the caller,
 * one read joining the file, the calendar, the centres and their people and the year's reference counter, the key,
 * the counter moved on, the request (which keeps the key's result), and the log; the centre hears of it from the
 * legal-aid timer.
 */

let cloud: LocalCloud
let trips: ActionTrips[]
const db = () => require('wx-server-sdk').database()

beforeAll(async () => {
  cloud = await startTestCloud()
  trips = await measureTrips(cloud.url, db())
}, 120000)
afterAll(async () => { await cloud?.close() })

describe('round trips per action', () => {
  it('measures every action of the budget, each answering ok', () => {
    expect(trips.map((t) => t.action).sort()).toEqual(Object.keys(TRIP_BUDGETS).sort())
    expect(trips.filter((t) => !t.ok)).toEqual([])
  })

  it.each(Object.entries(TRIP_BUDGETS))('%s keeps within %i database round trips', (action, budget) => {
    expect(trips.find((x) => x.action === action)!.dbRoundTrips).toBeLessThanOrEqual(budget)
  })
})

describe('the scheduler, every minute', () => {
  // It runs 1440 times a day in WeChat cloud: a minute with nothing due must stay cheap, and its requests go side by
  // side (the jobs' lines, docs/ARCHITECTURE.md "Timers"), so a busy minute ends well inside its timeout.
  it('spends few round trips on a minute with nothing due, few of them one after another', async () => {
    const t = new Date('2026-12-08T10:03:00+08:00')
    await cloud.triggerTimer('scheduler', t) // the day's first run does the day's jobs
    cloud.stats.clear()
    await cloud.triggerTimer('scheduler', new Date(t.getTime() + 60000))
    const [run] = cloud.stats.invocations({ fn: 'scheduler' })
    expect(run.ok).toBe(true)
    expect(run.dbRoundTrips).toBeLessThanOrEqual(28)
    expect(run.sequentialRequests).toBeLessThanOrEqual(7)
  })
})

describe('the count itself', () => {
  it('ties each request to the invocation that made it, and keeps it out of the others', async () => {
    cloud.stats.clear()
    await Promise.all([
      callAs(cloud, 'demo-parent-wang', 'account', 'unreadCount'),
      callAs(cloud, 'demo-teacher-chen', 'account', 'unreadCount'),
      callAs(cloud, 'nobody-registered', 'account', 'unreadCount')
    ])
    const runs = cloud.stats.invocations({ fn: 'account', action: 'unreadCount' })
    expect(runs).toHaveLength(3)
    // A registered caller: who is calling, then the count; an unknown one is refused after the first.
    expect(runs.map((r) => r.dbRoundTrips).sort()).toEqual([1, 2, 2])
    expect(cloud.stats.summary({ fn: 'account' })).toEqual([expect.objectContaining({ fn: 'account', action: 'unreadCount', invocations: 3, dbRoundTrips: expect.objectContaining({ min: 1, max: 2 }) })])
  })

  it('is read on the dev route, per action and per invocation', async () => {
    const res = await fetch(`${cloud.url}/api/dev/stats?fn=account&recent=2`)
    const body = await res.json() as any
    expect(body.actions[0]).toMatchObject({ fn: 'account', action: 'unreadCount', invocations: 3 })
    expect(body.recent).toHaveLength(2)
    expect(body.recent[0]).toMatchObject({ fn: 'account', action: 'unreadCount', dbByAction: expect.any(Object) })
  })
})
