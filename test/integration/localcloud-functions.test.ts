/** The function host: identity per invocation, callFunction, the database, timeouts, errors and crashes. */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { InvocationError, type LocalCloud } from '../../localcloud'
import { FIXTURE_FUNCTIONS, callFn, count, sdk, someFixtures, startFixtureCloud } from './localcloud-support'

let cloud: LocalCloud
let wx: any
// Few instances, so 20 concurrent callers also exercise the queue.
const MAX_INSTANCES = 4

beforeAll(async () => {
  cloud = await startFixtureCloud({ maxInstances: MAX_INSTANCES })
  cloud.store.createCollection('notes')
  wx = sdk(cloud)
})
afterAll(async () => { await cloud?.close() })

const openids = Array.from({ length: 20 }, (_, i) => `o-user-${String(i).padStart(2, '0')}`)

describe('identity', () => {
  it('gives each of 20 concurrent callers over /api/functions their own OPENID, before and after an await', async () => {
    const replies = await Promise.all(openids.map(async (openid) => await callFn(cloud, 'whoami', { action: 'echo', data: { delayMs: 30 } }, { openid })))
    replies.forEach((r, i) => {
      expect(r.status).toBe(200)
      expect(r.body.data).toMatchObject({ openid: openids[i], openidAfterAwait: openids[i], source: 'wx_client', appid: 'wxlocal', env: 'local' })
      expect(r.body.data.event).toEqual({ action: 'echo', data: { delayMs: 30 } })
    })
    // One invocation per instance at a time, and never more instances than allowed.
    const pids = new Set(replies.map((r) => r.body.data.pid))
    expect(pids.size).toBeGreaterThan(1)
    expect(pids.size).toBeLessThanOrEqual(MAX_INSTANCES)
  })

  it('runs a function called with cloud.callFunction as the same user, for 20 concurrent callers', async () => {
    const replies = await Promise.all(openids.map(async (openid) => await callFn(cloud, 'caller', { action: 'go' }, { openid })))
    replies.forEach((r, i) => {
      expect(r.status).toBe(200)
      expect(r.body.data.mine).toBe(openids[i])
      expect(r.body.data.callee.data).toMatchObject({ openid: openids[i], openidAfterAwait: openids[i], source: 'wx_client,scf' })
      expect(r.body.data.callee.data.event).toEqual({ action: 'echo', data: { delayMs: 20, from: openids[i] } })
    })
  })

  it('passes only {action, data} from the client into the event', async () => {
    const r = await callFn(cloud, 'whoami', { action: 'echo', data: { x: 1 }, userInfo: { openId: 'o-forged' }, Type: 'Timer' }, { openid: 'o-real' })
    expect(r.body.data.event).toEqual({ action: 'echo', data: { x: 1 } })
    expect(r.body.data.openid).toBe('o-real')
  })

  it('runs a cloud.callFunction from outside any function with no OPENID', async () => {
    const res = await wx.callFunction({ name: 'whoami', data: { action: 'echo' } })
    expect(res.result.data.openid).toBeUndefined()
    expect(res.result.data.event).toEqual({ action: 'echo' })
  })
})

describe('database', () => {
  it('lets a function write as its caller, and the write is in the store', async () => {
    const before = await count(cloud, 'notes')
    const r = await callFn(cloud, 'writer', { action: 'add', data: { text: '你好' } }, { openid: 'o-writer' })
    expect(r.status).toBe(200)
    expect(r.body.data).toMatchObject({ text: '你好', by: 'o-writer', atIsDate: true })
    const doc = (await wx.database().collection('notes').doc(r.body.data.id).get()).data
    expect(doc).toMatchObject({ text: '你好', by: 'o-writer' })
    expect(doc.at).toBeInstanceOf(Date)
    expect(await count(cloud, 'notes')).toBe(before + 1)
  })
})

describe('failures', () => {
  it('fails an invocation past its config.json timeout, and replaces the instance', async () => {
    const started = Date.now()
    const r = await callFn(cloud, 'slow', { action: 'sleep', data: { ms: 5000 } }, { openid: 'o-1' })
    expect(r.status).toBe(500)
    expect(r.body).toEqual({ ok: false, error: { code: 'INTERNAL', message: '服务暂时出错，请稍后再试' } })
    expect(Date.now() - started).toBeLessThan(3000) // timeout is 1 s
    await expect(cloud.invoke('slow', { data: { ms: 3000 } }, 'o-1')).rejects.toMatchObject({ kind: 'timeout', message: 'slow: Invoking task timed out after 1 seconds' })
    const ok = await callFn(cloud, 'slow', { action: 'sleep', data: { ms: 10 } }, { openid: 'o-1' })
    expect(ok.body).toMatchObject({ ok: true, data: { slept: 10 } })
  })

  it('answers a function that throws with INTERNAL, and a callFunction with the error', async () => {
    const r = await callFn(cloud, 'thrower', { action: 'x' }, { openid: 'o-1' })
    expect(r.status).toBe(500)
    expect(r.body.error.code).toBe('INTERNAL')
    const err = await wx.callFunction({ name: 'thrower', data: {} }).catch((e: any) => e)
    expect(String(err.errMsg)).toMatch(/Error: boom/)
    const direct: any = await cloud.invoke('thrower', {}, 'o-1').catch((e: unknown) => e)
    expect(direct).toBeInstanceOf(InvocationError)
    expect(direct.kind).toBe('error')
  })

  it('survives a function that kills its process or throws outside its promise', async () => {
    for (const how of ['exit', 'escape']) {
      const r = await callFn(cloud, 'crasher', { action: 'x', data: { how } }, { openid: 'o-1' })
      expect(r.status).toBe(500)
      expect(r.body.error.code).toBe('INTERNAL')
    }
    const health = await fetch(`${cloud.url}/api/health`)
    expect(health.status).toBe(200)
    const r = await callFn(cloud, 'whoami', { action: 'echo' }, { openid: 'o-after-crash' })
    expect(r.body.data.openid).toBe('o-after-crash')
  })

  it('answers a bundle that fails to load, every time, without looping', async () => {
    const replies = await Promise.all([1, 2, 3].map(async () => await callFn(cloud, 'broken', { action: 'x' }, { openid: 'o-1' })))
    for (const r of replies) expect(r.status).toBe(500)
    await expect(cloud.invoke('broken', {})).rejects.toMatchObject({ kind: 'load', message: expect.stringContaining('cannot load') })
  })

  it('refuses an unknown function over /api (404) and over callFunction', async () => {
    const r = await callFn(cloud, 'nosuch', { action: 'x' }, { openid: 'o-1' })
    expect(r.status).toBe(404)
    expect(r.body).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    const err = await wx.callFunction({ name: 'nosuch', data: {} }).catch((e: any) => e)
    expect(String(err.errMsg)).toMatch(/nosuch/)
    const traversal = await callFn(cloud, '..%2Fwhoami', { action: 'x' }, { openid: 'o-1' })
    expect(traversal.status).toBe(404)
  })
})

describe('rebuilds', () => {
  it('runs the new bundle and config after the function is rebuilt while running', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chuyan-fns-'))
    fs.cpSync(path.join(FIXTURE_FUNCTIONS, 'slow'), path.join(dir, 'slow'), { recursive: true })
    const live = await startFixtureCloud({ functionsDir: dir })
    try {
      const first: any = await live.invoke('slow', { data: { ms: 1 } }, 'o-1')
      expect(first.data.slept).toBe(1)
      const bundle = path.join(dir, 'slow', 'index.js')
      fs.writeFileSync(bundle, "exports.main = async () => ({ ok: true, data: 'v2' })\n")
      fs.writeFileSync(path.join(dir, 'slow', 'config.json'), '{ "timeout": 5 }')
      const later = new Date(Date.now() + 5000)
      fs.utimesSync(bundle, later, later) // a rebuild within the same clock tick still counts
      expect(await live.invoke('slow', {}, 'o-1')).toEqual({ ok: true, data: 'v2' })
    } finally {
      await live.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('timer triggers', () => {
  it('fires a trigger as if the clock read a chosen time, with the WeChat timer event plus now', async () => {
    const result: any = await cloud.triggerTimer('ticker', new Date('2026-03-02T01:05:00.123Z'))
    expect(result.data.event).toEqual({
      Type: 'Timer', TriggerName: 'everyFiveMinutes', Time: '2026-03-02T01:05:00Z', Message: '', now: '2026-03-02T01:05:00.123Z'
    })
    expect(result.data.openid).toBeNull()
    expect(result.data.source).toBe('wx_trigger')
  })

  it('fires over /api/dev/trigger/<fn> in local mode', async () => {
    const r = await fetch(`${cloud.url}/api/dev/trigger/ticker`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ now: '2026-12-31T16:00:00.000Z' }) })
    const body = await r.json()
    expect(r.status).toBe(200)
    expect(body.data.event).toMatchObject({ Type: 'Timer', TriggerName: 'everyFiveMinutes', Time: '2026-12-31T16:00:00Z', now: '2026-12-31T16:00:00.000Z' })
    const bad = await fetch(`${cloud.url}/api/dev/trigger/ticker`, { method: 'POST', body: JSON.stringify({ now: 'tuesday' }) })
    expect(bad.status).toBe(400)
    const none = await fetch(`${cloud.url}/api/dev/trigger/whoami`, { method: 'POST', body: '{}' })
    expect(none.status).toBe(404)
    expect((await none.json()).error.message).toMatch(/no timer trigger/)
  })

  it('refuses to fire a function that has no timer trigger', async () => {
    await expect(cloud.triggerTimer('whoami', new Date())).rejects.toThrow(/no timer trigger/)
    await expect(cloud.triggerTimer('nosuch', new Date())).rejects.toThrow(/not found/)
  })

  it('reads WeChat 7-field cron in UTC+8, year field included', () => {
    const { parseWeChatCron } = require('../../localcloud/cron')
    const every5 = parseWeChatCron('0 */5 * * * * *')
    expect(every5.next(new Date('2026-01-01T00:05:00Z')).toISOString()).toBe('2026-01-01T00:10:00.000Z')
    // 09:00 in China is 01:00 UTC.
    expect(parseWeChatCron('0 0 9 * * * *').next(new Date('2026-01-01T02:00:00Z')).toISOString()).toBe('2026-01-02T01:00:00.000Z')
    expect(parseWeChatCron('0 0 9 * * MON *').next(new Date('2026-01-01T00:00:00Z')).toISOString()).toBe('2026-01-05T01:00:00.000Z')
    expect(parseWeChatCron('0 0 0 1 1 * 2028').next(new Date('2026-06-01T00:00:00Z')).toISOString()).toBe('2027-12-31T16:00:00.000Z')
    expect(parseWeChatCron('0 0 0 1 1 * 2020').next(new Date('2026-06-01T00:00:00Z'))).toBeUndefined()
    expect(() => parseWeChatCron('*/5 * * * *')).toThrow(/7 fields/)
    expect(() => parseWeChatCron('0 0 25 * * * *')).toThrow()
  })

  it('fires triggers on the real clock when timers run', async () => {
    const dir = someFixtures(['heartbeat'])
    const timed = await startFixtureCloud({ runTimers: true, functionsDir: dir })
    try {
      timed.store.createCollection('beats')
      // Every second; a loaded machine starts the function's process slowly, so wait for two beats (at most 60 s).
      const deadline = Date.now() + 60_000
      while (await count(timed, 'beats') < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200))
      expect(await count(timed, 'beats')).toBeGreaterThanOrEqual(2)
      const res = await fetch(timed.adminUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'database.getDocument', collectionName: 'beats', queryType: 'WHERE', limit: 10 })
      })
      const docs = (await res.json()).data.list.map((s: string) => JSON.parse(s))
      for (const d of docs) {
        expect(d.trigger).toBe('everySecond')
        expect(d.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
        expect(d.hasNow).toBe(false) // a real timer event carries no `now`
        // and its clock is real time: at or after the due time, by however long a busy machine took to start it
        expect(d.clock.$date).toBeGreaterThanOrEqual(Date.parse(d.time))
        expect(d.clock.$date - Date.parse(d.time)).toBeLessThan(60_000)
      }
    } finally {
      await timed.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }, 90_000)
})
