/**
 * The one clock: its routes and their errors, the clock functions and the store see, timers while the clock
 * advances (a Shanghai week boundary, fast-forward hints) and as it runs.
 */
import fs from 'node:fs'
import type { LocalCloud } from '../../localcloud'
import { callFn, count, request, someFixtures, startFixtureCloud } from './localcloud-support'

const JSON_HEADERS = { 'content-type': 'application/json' }
const MINUTE = 60_000
/** How far a running clock may move while a request is on its way (a busy machine is slow, not wrong). */
const SLACK = 5000

/** A cloud running only the named fixture functions, closed (and its folder removed) after the file. */
function cloudWith (names: string[], opts: { runTimers?: boolean } = {}): () => LocalCloud {
  let cloud: LocalCloud | undefined
  let dir = ''
  beforeAll(async () => {
    dir = someFixtures(names)
    cloud = await startFixtureCloud({ functionsDir: dir, ...opts })
  })
  afterAll(async () => {
    await cloud?.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })
  return () => cloud as LocalCloud
}

const clockRoute = async (cloud: LocalCloud, body: unknown) => await request(cloud, 'POST', '/api/dev/clock', JSON.stringify(body), JSON_HEADERS)
const iso = (s: string): string => new Date(s).toISOString()

describe('GET and POST /api/dev/clock', () => {
  const cloud = cloudWith(['clockreader'])
  beforeAll(() => { cloud().store.createCollection('stamps') }) // for its daily timer, which advancing fires

  it('reads real time on a fresh cloud', async () => {
    const r = await request(cloud(), 'GET', '/api/dev/clock')
    expect(r.status).toBe(200)
    expect(r.body.mode).toBe('real')
    expect(Math.abs(r.body.offsetMs)).toBeLessThan(SLACK)
    expect(Math.abs(Date.parse(r.body.now) - Date.now())).toBeLessThan(SLACK)
  })

  it('sets the clock frozen, advances it by an ISO duration or by ms, and says so in every Date header', async () => {
    const set = await clockRoute(cloud(), { set: '2026-03-01T23:50:00+08:00', frozen: true })
    expect(set.status).toBe(200)
    expect(set.body).toMatchObject({ now: '2026-03-01T15:50:00.000Z', mode: 'frozen' })
    const read = await request(cloud(), 'GET', '/api/dev/clock')
    expect(read.body.now).toBe('2026-03-01T15:50:00.000Z')
    expect(read.headers.get('date')).toBe('Sun, 01 Mar 2026 15:50:00 GMT')
    expect((await request(cloud(), 'GET', '/api/health')).headers.get('date')).toBe('Sun, 01 Mar 2026 15:50:00 GMT')

    expect((await clockRoute(cloud(), { advance: 'PT30M' })).body).toMatchObject({ now: '2026-03-01T16:20:00.000Z', mode: 'frozen', fired: 0 })
    expect((await clockRoute(cloud(), { advance: 'P1DT2H' })).body.now).toBe('2026-03-02T18:20:00.000Z')
    expect((await clockRoute(cloud(), { advance: 90_000 })).body.now).toBe('2026-03-02T18:21:30.000Z')
    expect((await cloud().clock.advance('P1W')).now).toBe('2026-03-09T18:21:30.000Z')
    expect(cloud().clock.now().toISOString()).toBe('2026-03-09T18:21:30.000Z')
  })

  it('sets the clock running from a time, and goes back to real time', async () => {
    const set = await clockRoute(cloud(), { set: '2030-01-01T00:00:00+08:00' })
    expect(set.body.mode).toBe('running')
    expect(Math.abs(Date.parse(set.body.now) - Date.parse('2030-01-01T00:00:00+08:00'))).toBeLessThan(SLACK)
    expect(Math.abs(set.body.offsetMs - (Date.parse('2030-01-01T00:00:00+08:00') - Date.now()))).toBeLessThan(SLACK)
    const advanced = await clockRoute(cloud(), { advance: 'PT1H' })
    expect(advanced.body.mode).toBe('running')
    expect(Math.abs(Date.parse(advanced.body.now) - Date.parse('2030-01-01T01:00:00+08:00'))).toBeLessThan(SLACK)

    const real = await clockRoute(cloud(), { real: true })
    expect(real.body).toMatchObject({ mode: 'real' })
    expect(Math.abs(Date.parse(real.body.now) - Date.now())).toBeLessThan(SLACK)
  })

  it('refuses a bad body with 400 naming the field, and leaves the clock where it was', async () => {
    await cloud().clock.set(new Date('2026-05-04T10:00:00+08:00'), { frozen: true })
    const cases: Array<[unknown, string | undefined]> = [
      [{}, undefined],
      [{ set: 'tomorrow' }, 'set'],
      [{ set: '2026-05-04T10:00:00' }, 'set'], // no zone: it would depend on the machine's
      [{ set: 1777860000000 }, 'set'],
      [{ set: '2026-05-04T10:00:00+08:00', frozen: 'yes' }, 'frozen'],
      [{ frozen: true }, 'frozen'],
      [{ advance: 'P1M' }, 'advance'], // months have no fixed length
      [{ advance: 'P1Y' }, 'advance'],
      [{ advance: '-P1D' }, 'advance'],
      [{ advance: 'P' }, 'advance'],
      [{ advance: '7 days' }, 'advance'],
      [{ advance: -5 }, 'advance'],
      [{ advance: 1.5 }, 'advance'],
      [{ advance: 'PT1H', set: '2026-05-04T10:00:00+08:00' }, 'advance'],
      [{ real: false }, 'real'],
      [{ reel: true }, 'reel']
    ]
    for (const [body, field] of cases) {
      const r = await clockRoute(cloud(), body)
      expect([body, r.status]).toEqual([body, 400])
      expect(r.body.ok).toBe(false)
      expect(r.body.error.code).toBe('INVALID_INPUT')
      if (field !== undefined) {
        expect([body, Object.keys(r.body.error.fields)]).toEqual([body, expect.arrayContaining([field])])
        expect(r.body.error.message).toContain(field)
      }
    }
    const notJson = await request(cloud(), 'POST', '/api/dev/clock', 'advance=P1D', JSON_HEADERS)
    expect(notJson.status).toBe(400)
    expect((await request(cloud(), 'GET', '/api/dev/clock')).body).toMatchObject({ now: '2026-05-04T02:00:00.000Z', mode: 'frozen' })
    await expect(cloud().clock.advance('P2M')).rejects.toMatchObject({ field: 'advance' })
    await expect(cloud().clock.set('next week')).rejects.toMatchObject({ field: 'set' })
    expect(cloud().clock.now().toISOString()).toBe('2026-05-04T02:00:00.000Z')
  })
})

describe('what functions and the store see', () => {
  const cloud = cloudWith(['clockreader'])
  beforeAll(() => { cloud().store.createCollection('stamps') })

  it('gives every invocation a frozen clock, and serverDate and nested calls follow it', async () => {
    await cloud().clock.set('2026-09-01T08:00:00+08:00', { frozen: true })
    const r = await callFn(cloud(), 'clockreader', { action: 'read' }, { openid: 'o-1' })
    expect(r.body.data.clock).toEqual({ now: '2026-09-01T00:00:00.000Z', frozenAt: '2026-09-01T00:00:00.000Z', offsetMs: null })
    expect((await callFn(cloud(), 'clockreader', { action: 'stamp' }, { openid: 'o-1' })).body.data.stamped).toBe('2026-09-01T00:00:00.000Z')
    expect((await callFn(cloud(), 'clockreader', { action: 'ask' }, { openid: 'o-1' })).body.data.callee.now).toBe('2026-09-01T00:00:00.000Z')
    expect(cloud().store.find('stamps', {}, { sort: { at: -1 }, limit: 1 })[0].at.toISOString()).toBe('2026-09-01T00:00:00.000Z')
  })

  it('gives every invocation a running clock as an offset', async () => {
    const target = Date.parse('2031-02-03T04:05:06+08:00')
    await cloud().clock.set(new Date(target))
    const r = await callFn(cloud(), 'clockreader', { action: 'stamp' }, { openid: 'o-1' })
    expect(r.body.data.clock.frozenAt).toBeNull()
    expect(Math.abs(r.body.data.clock.offsetMs - (target - Date.now()))).toBeLessThan(SLACK)
    expect(Math.abs(Date.parse(r.body.data.clock.now) - target)).toBeLessThan(SLACK)
    expect(Math.abs(Date.parse(r.body.data.stamped) - target)).toBeLessThan(SLACK)
  })

  it('gives back real time after real()', async () => {
    await cloud().clock.real()
    const r = await callFn(cloud(), 'clockreader', { action: 'stamp' }, { openid: 'o-1' })
    expect(r.body.data.clock).toMatchObject({ frozenAt: null, offsetMs: null })
    expect(Math.abs(Date.parse(r.body.data.stamped) - Date.now())).toBeLessThan(SLACK)
  })

  it('fires a timer at a chosen time with the invocation, its writes and its calls at that time, the cloud clock unmoved', async () => {
    const result: any = await cloud().triggerTimer('clockreader', new Date('2026-04-01T09:00:00+08:00'))
    expect(result.data).toEqual({
      clock: { now: '2026-04-01T01:00:00.000Z', frozenAt: '2026-04-01T01:00:00.000Z', offsetMs: null },
      stamped: '2026-04-01T01:00:00.000Z',
      callee: { now: '2026-04-01T01:00:00.000Z', frozenAt: '2026-04-01T01:00:00.000Z', offsetMs: null }
    })
    const r = await request(cloud(), 'POST', '/api/dev/trigger/clockreader', JSON.stringify({ now: '2026-04-02T01:00:00.000Z' }), JSON_HEADERS)
    expect(r.body.data.stamped).toBe('2026-04-02T01:00:00.000Z')
    expect(cloud().clock.read().mode).toBe('real')
    expect(Math.abs(cloud().clock.now().getTime() - Date.now())).toBeLessThan(SLACK)
  })
})

describe('advancing across a Shanghai week boundary', () => {
  const cloud = cloudWith(['weekly', 'minutely'])
  beforeAll(() => { cloud().store.createCollection('firings') })

  it('fires the weekly trigger once at Monday 00:00 and the minutely one once a minute, in time order', async () => {
    await cloud().clock.set('2026-03-01T23:50:00+08:00', { frozen: true }) // a Sunday
    const result = await cloud().clock.advance('PT20M')
    expect(result).toMatchObject({ now: '2026-03-01T16:10:00.000Z', mode: 'frozen', fired: 21, failed: 0 })

    const firings = cloud().store.find('firings') // in the order they were written
    const weekly = firings.filter((f) => f.fn === 'weekly')
    expect(weekly.map((f) => f.time)).toEqual(['2026-03-01T16:00:00Z']) // Monday 00:00 in Shanghai
    const minutes = Array.from({ length: 20 }, (_, i) => new Date(Date.parse('2026-03-01T23:51:00+08:00') + i * MINUTE).toISOString().replace('.000Z', 'Z'))
    expect(firings.filter((f) => f.fn === 'minutely').map((f) => f.time)).toEqual(minutes)
    // Each firing read the clock at its due time, and so did the store's serverDate.
    for (const f of firings) {
      expect(f.at.toISOString().replace('.000Z', 'Z')).toBe(f.time)
      expect(f.stored.toISOString().replace('.000Z', 'Z')).toBe(f.time)
    }
    const times = firings.map((f) => Date.parse(f.time))
    expect(times).toEqual([...times].sort((a, b) => a - b))
  })

  it('fires nothing twice: the next advance starts after the last one ended', async () => {
    expect((await cloud().clock.advance(0)).fired).toBe(0)
    const result = await cloud().clock.advance('PT2M')
    expect(result.fired).toBe(2)
    const minutely = cloud().store.find('firings').filter((f) => f.fn === 'minutely').map((f) => f.time)
    expect(minutely.slice(-3)).toEqual(['2026-03-01T16:10:00Z', '2026-03-01T16:11:00Z', '2026-03-01T16:12:00Z'])
    expect(new Set(minutely).size).toBe(minutely.length)
    expect(await count(cloud(), 'firings')).toBe(23)
  })
})

describe('fast-forward hints', () => {
  const cloud = cloudWith(['hinted', 'jobmaker'])
  beforeAll(() => {
    cloud().store.createCollection('firings')
    cloud().store.createCollection('jobs')
  })
  const hintedTimes = (): string[] => cloud().store.find('firings').filter((f) => f.fn === 'hinted').map((f) => f.at.toISOString())
  const shanghai = (hhmm: string, day = '2026-03-02'): string => iso(`${day}T${hhmm}:00+08:00`)

  it('skips a trigger up to the time it says it next has work, until something is written', async () => {
    await cloud().clock.set(shanghai('00:00'), { frozen: true })
    const result = await cloud().clock.advance('PT2H')
    // 00:01 nothing waits (null); 00:30 the job maker writes a job due 00:40, so the hint no longer holds and the
    // scheduler runs at once (00:30), learns of 00:40, sleeps to it and does the job; the same again at 01:30.
    expect(hintedTimes()).toEqual(['00:01', '00:30', '00:40', '01:30', '01:40'].map((t) => shanghai(t)))
    expect(result.fired).toBe(7) // and the job maker twice
    const jobs = cloud().store.find('jobs', {}, { sort: { dueAt: 1 } })
    expect(jobs.map((j) => [j.done, j.doneAt.toISOString()])).toEqual([[true, shanghai('00:40')], [true, shanghai('01:40')]])
  })

  it('fires again at the next due time after any write, and skips again once told', async () => {
    cloud().store.insert('jobs', { done: false, dueAt: new Date(shanghai('02:05')) }) // a write after the last hint
    await cloud().clock.advance('PT10M')
    expect(hintedTimes().slice(5)).toEqual([shanghai('02:01'), shanghai('02:05')])
    expect(cloud().store.find('jobs', { doneAt: new Date(shanghai('02:05')) })).toHaveLength(1)
    await cloud().clock.advance('PT15M') // to 02:25, before the job maker: nothing written, the null hint holds
    expect(hintedTimes()).toHaveLength(7)
  })
})

describe('timers as time passes', () => {
  const cloud = cloudWith(['heartbeat'], { runTimers: true })
  beforeAll(() => { cloud().store.createCollection('beats') })
  const beatsFrom = (fromIso: string) => cloud().store.find('beats', { time: { $gte: fromIso.replace('.000Z', 'Z') } }, { sort: { time: 1 } })

  // These two tests are about the clock running on in real time, so they must wait for real seconds; on a busy
  // 2-core machine a function's first process can take many seconds to start, hence the wide bounds.
  const LOADED = 60_000
  async function until (check: () => boolean, ms = LOADED): Promise<void> {
    const deadline = Date.now() + ms
    while (!check()) {
      if (Date.now() > deadline) throw new Error('timed out')
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }

  it('fire at the simulated cron times when the clock runs from another time', async () => {
    const from = iso('2030-06-01T12:00:00+08:00')
    await cloud().clock.set(from)
    await until(() => beatsFrom(from).length >= 2)
    for (const beat of beatsFrom(from)) {
      const time = Date.parse(beat.time)
      expect(time).toBeGreaterThan(Date.parse(from))
      expect(time).toBeLessThan(Date.parse(from) + LOADED)
      // the function's clock runs on from there too: at or a little after its due time, never before it
      expect(beat.clock.getTime()).toBeGreaterThanOrEqual(time)
      expect(beat.clock.getTime() - time).toBeLessThan(LOADED)
    }
  }, 90_000)

  it('fire nothing while the clock is frozen, and each second once when it is advanced', async () => {
    const at = iso('2030-07-01T08:00:00+08:00')
    await cloud().clock.set(at, { frozen: true })
    // Beats already on their way (started before the clock froze) may still land: wait until none has for a second.
    let before = await count(cloud(), 'beats')
    for (let settled = 0; settled < 10;) {
      await new Promise((resolve) => setTimeout(resolve, 100))
      const now = await count(cloud(), 'beats')
      settled = now === before ? settled + 1 : 0
      before = now
    }
    await new Promise((resolve) => setTimeout(resolve, 1500))
    expect(await count(cloud(), 'beats')).toBe(before)
    const result = await cloud().clock.advance('PT3S')
    expect(result.fired).toBe(3)
    expect(beatsFrom(at).map((b) => b.time)).toEqual(['2030-07-01T00:00:01Z', '2030-07-01T00:00:02Z', '2030-07-01T00:00:03Z'])
  }, 90_000)
})
