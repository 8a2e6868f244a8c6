/**
 * Bodies that cannot break the local cloud: a function call nested thousands of levels deep is refused with a clear
 * 400 before any function runs (the host used to overflow its stack sending it to an instance, taking the whole
 * cloud down), the limit is the cloud's option, and the host refuses a deep event whichever route it came by.
 */
import type { LocalCloud } from '../../localcloud'
import { callFn, request, startFixtureCloud } from './localcloud-support'

const nestedText = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)
function nestedValue (depth: number): unknown {
  let v: unknown = 1
  for (let i = 0; i < depth; i++) v = { a: v }
  return v
}

describe('the default limit', () => {
  let cloud: LocalCloud
  beforeAll(async () => { cloud = await startFixtureCloud() })
  afterAll(async () => { await cloud?.close() })

  it('refuses 5,000 nested objects with 400 before any function runs, and keeps serving', async () => {
    // No instance of whoami is running yet: the case that used to kill the process.
    const r = await callFn(cloud, 'whoami', `{"action":"echo","data":${nestedText(5000)}}`, { openid: 'o-deep' })
    expect(r.status).toBe(400)
    expect(r.body).toEqual({ ok: false, error: { code: 'INVALID_INPUT', message: '请求内容嵌套太深（最多 64 层）', fields: { data: '嵌套超过 64 层' } } })
    expect((await request(cloud, 'GET', '/api/health')).status).toBe(200)
    const ok = await callFn(cloud, 'whoami', { action: 'echo', data: { x: 1 } }, { openid: 'o-after' })
    expect(ok.body.data.openid).toBe('o-after')
  })

  it('takes a body exactly at the limit and counts brackets inside strings as text', async () => {
    const atLimit = await callFn(cloud, 'whoami', `{"action":"echo","data":${nestedText(63)}}`, { openid: 'o-limit' })
    expect(atLimit.status).toBe(200)
    const inString = await callFn(cloud, 'whoami', { action: 'echo', data: { text: '{'.repeat(5000) + '\\"[['.repeat(100) } }, { openid: 'o-text' })
    expect(inString.status).toBe(200)
    expect(inString.body.data.event.data.text).toHaveLength(5000 + 400)
  })

  it('refuses a deep event handed to the host directly, and the function still answers after', async () => {
    await expect(cloud.invoke('whoami', { action: 'echo', data: nestedValue(5000) }, 'o-host')).rejects.toThrow(/nests deeper than 64 levels/)
    expect(((await cloud.invoke('whoami', { action: 'echo', data: {} }, 'o-host')) as any).data.openid).toBe('o-host')
  })
})

describe('a configured limit', () => {
  let cloud: LocalCloud
  beforeAll(async () => { cloud = await startFixtureCloud({ maxJsonDepth: 6 }) })
  afterAll(async () => { await cloud?.close() })

  it('refuses one level past it and names the limit', async () => {
    // {"action":…,"data":<n levels>} is n + 1 deep
    expect((await callFn(cloud, 'whoami', `{"action":"echo","data":${nestedText(5)}}`, { openid: 'o-6' })).status).toBe(200)
    const r = await callFn(cloud, 'whoami', `{"action":"echo","data":${nestedText(6)}}`, { openid: 'o-7' })
    expect(r.status).toBe(400)
    expect(r.body.error.message).toBe('请求内容嵌套太深（最多 6 层）')
  })
})
