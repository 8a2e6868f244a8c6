/** The gateway: its errors (each clear, none a crash, none touching the store), sign-in, local mode, the h5 files. */
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import type { LocalCloud } from '../../localcloud'
import { callFn, count, request, sdk, startFixtureCloud } from './localcloud-support'

let cloud: LocalCloud
let wx: any
let h5Dir: string

const JSON_HEADERS = { 'content-type': 'application/json' }
/** The people an app would offer on its sign-in page (the app supplies them; the local cloud knows no users). */
const PEOPLE = [
  { openid: 'demo-parent', name: '王建国', roles: [{ role: 'parent', status: 'active' }] },
  { openid: 'demo-teacher', name: '陈老师', roles: [{ role: 'teacher', scope: { level: 'school', id: 's1' } }] }
]
const BIG_JS = Array.from({ length: 2000 }, (_, i) => `export const value${i} = '雏燕 ${i}';`).join('\n')
const admin = async (body: string | Buffer, headers: Record<string, string> = JSON_HEADERS) => await request(cloud, 'POST', '/admin', body, headers)

beforeAll(async () => {
  h5Dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chuyan-h5-'))
  fs.writeFileSync(path.join(h5Dir, 'index.html'), '<!doctype html><title>雏燕</title>')
  fs.mkdirSync(path.join(h5Dir, 'js'))
  fs.writeFileSync(path.join(h5Dir, 'js', 'app.3f2a.js'), 'console.log(1)')
  fs.writeFileSync(path.join(h5Dir, 'css.css'), 'body{}')
  fs.writeFileSync(path.join(h5Dir, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]))
  fs.writeFileSync(path.join(h5Dir, 'js', 'app.0123abcd.js'), BIG_JS)
  fs.writeFileSync(path.join(h5Dir, 'js', 'area.89abcdef.js'), BIG_JS)
  // a copy the build compressed ahead: served as it is (its content tells it from one compressed on the fly)
  fs.writeFileSync(path.join(h5Dir, 'js', 'area.89abcdef.js.br'), zlib.brotliCompressSync(Buffer.from('/* ahead */' + BIG_JS)))
  cloud = await startFixtureCloud({ h5Dir, personas: () => ({ list: () => PEOPLE, find: (openid) => PEOPLE.find((p) => p.openid === openid) }) })
  wx = sdk(cloud)
  await wx.database().createCollection('things')
  await wx.database().collection('things').add({ data: { _id: 't1', n: 1 } })
})
afterAll(async () => {
  await cloud?.close()
  fs.rmSync(h5Dir, { recursive: true, force: true })
})

it('reports health', async () => {
  const r = await request(cloud, 'GET', '/api/health')
  expect(r.status).toBe(200)
  expect(r.body).toMatchObject({ ok: true, env: 'local', localMode: true })
  expect(r.body.functions).toContain('whoami')
})

it('answers only to 127.0.0.1 and localhost (no DNS rebinding)', async () => {
  const status = async (host: string) => await new Promise<number>((resolve) => {
    http.get({ host: '127.0.0.1', port: cloud.port, path: '/api/health', headers: { host } }, (res) => { res.resume(); resolve(res.statusCode ?? 0) })
  })
  expect(await status('evil.example.com')).toBe(403)
  expect(await status(`evil.example.com:${cloud.port}`)).toBe(403)
  expect(await status(`localhost:${cloud.port}`)).toBe(200)
  expect(await status(`127.0.0.1:${cloud.port}`)).toBe(200)
})

describe('POST /admin refuses bad requests clearly, with HTTP 200 and the SDK error shape, touching nothing', () => {
  it('malformed JSON', async () => {
    const r = await admin('{"action":"database.insertDocument","collectionName":"things",')
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({ code: 'INVALID_PARAM', message: expect.stringMatching(/JSON/) })
  })

  it('JSON that is not an object, or has no action', async () => {
    expect((await admin('[1,2]')).body.code).toBe('INVALID_PARAM')
    expect((await admin('"database.getDocument"')).body.code).toBe('INVALID_PARAM')
    expect((await admin('{"collectionName":"things"}')).body).toMatchObject({ code: 'INVALID_PARAM', message: 'action is required' })
  })

  it('an unknown action', async () => {
    const r = await admin(JSON.stringify({ action: 'database.dropEverything', collectionName: 'things' }))
    expect(r.body.code).toBeTruthy()
    const r2 = await admin(JSON.stringify({ action: 'tcb.selfDestruct' }))
    expect(r2.body).toMatchObject({ code: 'INVALID_PARAM', message: 'unknown action tcb.selfDestruct' })
    expect(await count(cloud, 'things')).toBe(1)
  })

  it('a body over 1 MB: 413, and the SDK call that sent it rejects without writing', async () => {
    const big = JSON.stringify({ action: 'database.insertDocument', collectionName: 'things', data: [JSON.stringify({ s: 'x'.repeat(1024 * 1024) })] })
    const r = await admin(big)
    expect(r.status).toBe(413)
    expect(r.body).toMatchObject({ code: 'INVALID_PARAM', message: expect.stringMatching(/1 MB/) })
    const err = await wx.database().collection('things').add({ data: { s: 'y'.repeat(1100 * 1024) } }).catch((e: any) => e)
    expect(err).toBeInstanceOf(Error)
    expect(String(err.errMsg ?? err.message)).toMatch(/413/)
    expect(await count(cloud, 'things')).toBe(1)
  })

  it('a malformed multipart body, and wx.openApi sent as JSON', async () => {
    const r = await admin('--x\r\nnonsense', { 'content-type': 'multipart/form-data; boundary=x' })
    expect(r.status).toBe(200)
    expect(r.body.code).toBe('INVALID_PARAM')
    expect((await admin(JSON.stringify({ action: 'wx.openApi', apiName: 'subscribeMessage.send' }))).body.code).toBe('INVALID_PARAM')
  })

  it('methods other than POST', async () => {
    const r = await request(cloud, 'GET', '/admin')
    expect(r.status).toBe(405)
    expect(r.body.code).toBe('INVALID_PARAM')
  })

  it('keeps serving the SDK afterwards', async () => {
    const { data } = await wx.database().collection('things').doc('t1').get()
    expect(data).toEqual({ _id: 't1', n: 1 })
  })
})

describe('POST /api/functions/<fn> refuses bad requests clearly', () => {
  it('no identity: 401', async () => {
    const r = await callFn(cloud, 'whoami', { action: 'echo' })
    expect(r.status).toBe(401)
    expect(r.body).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED', message: '请先登录' } })
  })

  it('unknown function: 404', async () => {
    const r = await callFn(cloud, 'nosuch', { action: 'x' }, { openid: 'o-1' })
    expect(r.status).toBe(404)
    expect(r.body.error.code).toBe('NOT_FOUND')
  })

  it('malformed body: 400 INVALID_INPUT', async () => {
    for (const body of ['{"action":', '[]', '{"data":{}}', '{"action":42}', '']) {
      const r = await callFn(cloud, 'whoami', body, { openid: 'o-1' })
      expect(r.status).toBe(400)
      expect(r.body.ok).toBe(false)
      expect(r.body.error.code).toBe('INVALID_INPUT')
    }
  })

  it('a body over 1 MB: 413', async () => {
    const r = await callFn(cloud, 'writer', { action: 'add', data: { text: 'x'.repeat(1024 * 1024) } }, { openid: 'o-1' })
    expect(r.status).toBe(413)
    expect(r.body.ok).toBe(false)
  })

  it('a body far over the limit does not take the gateway down', async () => {
    const status = await new Promise<number | string>((resolve) => {
      const req = http.request(`${cloud.url}/api/functions/whoami`, { method: 'POST', headers: { 'x-localcloud-openid': 'o-1', 'content-type': 'application/json' } }, (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
      req.on('error', (e) => resolve(e.message))
      const chunk = Buffer.alloc(1024 * 1024, 'a')
      let sent = 0
      const pump = (): void => {
        while (sent < 80) {
          sent++
          if (!req.write(chunk)) { req.once('drain', pump); return }
        }
        req.end()
      }
      pump()
    })
    expect([413, 'socket hang up', 'write EPIPE', 'read ECONNRESET']).toContain(status)
    expect((await request(cloud, 'GET', '/api/health')).status).toBe(200)
  })
})

describe('local mode: personas and sign-in', () => {
  it('lists the people the app supplies', async () => {
    const r = await request(cloud, 'GET', '/api/dev/personas')
    expect(r.status).toBe(200)
    expect(r.body).toEqual(PEOPLE)
  })

  it('signs in with an HttpOnly, SameSite=Lax cookie that functions see as OPENID, and signs out', async () => {
    const r = await request(cloud, 'POST', '/api/dev/signin', JSON.stringify({ openid: 'demo-teacher' }), JSON_HEADERS)
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({ ok: true, data: { openid: 'demo-teacher', name: '陈老师' } })
    const setCookie = r.headers.get('set-cookie') ?? ''
    expect(setCookie).toMatch(/^localcloud_openid=/)
    expect(setCookie).toMatch(/HttpOnly/)
    expect(setCookie).toMatch(/SameSite=Lax/)
    const cookie = setCookie.split(';')[0]
    const call = await callFn(cloud, 'whoami', { action: 'echo' }, { cookie })
    expect(call.body.data.openid).toBe('demo-teacher')
    const session = await request(cloud, 'GET', '/api/dev/session', undefined, { cookie })
    expect(session.body).toEqual({ ok: true, data: { openid: 'demo-teacher', name: '陈老师', roles: [{ role: 'teacher', scope: { level: 'school', id: 's1' } }] } })

    const out = await request(cloud, 'POST', '/api/dev/signout')
    expect(out.headers.get('set-cookie')).toMatch(/Max-Age=0/)
  })

  it('refuses a forged cookie', async () => {
    const forged = 'localcloud_openid=' + encodeURIComponent('demo-parent.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')
    expect((await callFn(cloud, 'whoami', { action: 'echo' }, { cookie: forged })).status).toBe(401)
    expect((await callFn(cloud, 'whoami', { action: 'echo' }, { cookie: 'localcloud_openid=demo-parent' })).status).toBe(401)
  })

  it('refuses to sign in as someone the app does not know', async () => {
    const r = await request(cloud, 'POST', '/api/dev/signin', JSON.stringify({ openid: 'o-nobody' }), JSON_HEADERS)
    expect(r.status).toBe(404)
    expect(r.body).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(r.headers.get('set-cookie')).toBeNull()
    expect((await request(cloud, 'POST', '/api/dev/signin', '{}', JSON_HEADERS)).status).toBe(400)
  })

  it('lists nobody and lets any OPENID sign in when the app supplies no personas', async () => {
    const bare = await startFixtureCloud()
    try {
      expect((await request(bare, 'GET', '/api/dev/personas')).body).toEqual([])
      const r = await request(bare, 'POST', '/api/dev/signin', JSON.stringify({ openid: 'o-anyone' }), JSON_HEADERS)
      expect(r.body).toEqual({ ok: true, data: { openid: 'o-anyone' } })
      const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0]
      expect((await callFn(bare, 'whoami', { action: 'echo' }, { cookie })).body.data.openid).toBe('o-anyone')
    } finally {
      await bare.close()
    }
  })

  it('has no dev routes outside local mode, and ignores the openid header there', async () => {
    const prod = await startFixtureCloud({ localMode: false })
    try {
      for (const [method, p] of [['GET', '/api/dev/personas'], ['POST', '/api/dev/signin'], ['POST', '/api/dev/signout'],
        ['POST', '/api/dev/trigger/ticker'], ['GET', '/api/dev/outbox?openid=x'], ['GET', '/api/dev/session'],
        ['GET', '/api/dev/clock'], ['POST', '/api/dev/clock']]) {
        const r = await request(prod, method, p, method === 'POST' ? JSON.stringify({ openid: 'demo-parent' }) : undefined, JSON_HEADERS)
        expect(r.status).toBe(404)
      }
      expect((await callFn(prod, 'whoami', { action: 'echo' }, { openid: 'demo-parent' })).status).toBe(401)
    } finally {
      await prod.close()
    }
  })
})

describe('the h5 build', () => {
  it('serves files with their content types', async () => {
    const html = await fetch(`${cloud.url}/`)
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(await html.text()).toContain('雏燕')
    expect((await fetch(`${cloud.url}/js/app.3f2a.js`)).headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect((await fetch(`${cloud.url}/css.css`)).headers.get('content-type')).toBe('text/css; charset=utf-8')
    expect((await fetch(`${cloud.url}/logo.png`)).headers.get('content-type')).toBe('image/png')
  })

  it('falls back to index.html for router paths, not for missing files', async () => {
    const page = await fetch(`${cloud.url}/pages/home/index?x=1`)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('雏燕')
    expect((await fetch(`${cloud.url}/js/missing.js`)).status).toBe(404)
    expect((await request(cloud, 'GET', '/api/nothing')).status).toBe(404)
  })

  it('never serves files outside the build', async () => {
    for (const p of ['/%2e%2e/%2e%2e/package.json', '/..%2f..%2fpackage.json', '/%00']) {
      const status = await new Promise<number>((resolve) => {
        http.get({ host: '127.0.0.1', port: cloud.port, path: p }, (res) => { res.resume(); resolve(res.statusCode ?? 0) })
      })
      expect(status).toBe(404)
    }
  })
})

describe('the h5 build is served as a CDN would: compressed, hashed files cached for good', () => {
  /** A raw GET (no automatic decompression) with the given Accept-Encoding. */
  const raw = async (p: string, headers: Record<string, string> = {}) => await new Promise<{ status: number, headers: http.IncomingHttpHeaders, body: Buffer }>((resolve, reject) => {
    http.get({ host: '127.0.0.1', port: cloud.port, path: p, headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
    }).on('error', reject)
  })

  it('sends brotli to a browser that takes it, gzip to one that takes only gzip, and the file as it is otherwise', async () => {
    const br = await raw('/js/app.0123abcd.js', { 'accept-encoding': 'gzip, deflate, br' })
    expect(br.headers['content-encoding']).toBe('br')
    expect(br.headers.vary).toMatch(/accept-encoding/i)
    expect(zlib.brotliDecompressSync(br.body).toString()).toBe(BIG_JS)
    expect(br.body.length).toBeLessThan(Buffer.byteLength(BIG_JS) / 4)
    expect(Number(br.headers['content-length'])).toBe(br.body.length)

    const gz = await raw('/js/app.0123abcd.js', { 'accept-encoding': 'gzip' })
    expect(gz.headers['content-encoding']).toBe('gzip')
    expect(zlib.gunzipSync(gz.body).toString()).toBe(BIG_JS)

    const refused = await raw('/js/app.0123abcd.js', { 'accept-encoding': 'br;q=0, gzip;q=0' })
    expect(refused.headers['content-encoding']).toBeUndefined()
    expect(refused.body.toString()).toBe(BIG_JS)
    const none = await raw('/js/app.0123abcd.js')
    expect(none.headers['content-encoding']).toBeUndefined()
    expect(none.body.toString()).toBe(BIG_JS)
  })

  it('uses a copy the build compressed ahead', async () => {
    const br = await raw('/js/area.89abcdef.js', { 'accept-encoding': 'br' })
    expect(br.headers['content-encoding']).toBe('br')
    expect(zlib.brotliDecompressSync(br.body).toString()).toBe('/* ahead */' + BIG_JS)
  })

  it('leaves images and tiny files uncompressed', async () => {
    expect((await raw('/logo.png', { 'accept-encoding': 'br' })).headers['content-encoding']).toBeUndefined()
    expect((await raw('/css.css', { 'accept-encoding': 'br' })).headers['content-encoding']).toBeUndefined()
  })

  it('lets the browser keep hashed files for a year, and asks again for index.html and unhashed files', async () => {
    expect((await raw('/js/app.0123abcd.js')).headers['cache-control']).toBe('public, max-age=31536000, immutable')
    expect((await raw('/')).headers['cache-control']).toBe('no-cache')
    expect((await raw('/pages/home/index')).headers['cache-control']).toBe('no-cache')
    expect((await raw('/logo.png')).headers['cache-control']).toBe('no-cache')
  })

  it('answers 304 to a browser whose copy of index.html is current, and the new file after a rebuild', async () => {
    const first = await raw('/')
    const etag = String(first.headers.etag)
    expect(etag).toBeTruthy()
    const again = await raw('/', { 'if-none-match': etag })
    expect(again.status).toBe(304)
    expect(again.body.length).toBe(0)
    const later = new Date(Date.now() + 5000)
    fs.writeFileSync(path.join(h5Dir, 'index.html'), '<!doctype html><title>雏燕 新版</title>')
    fs.utimesSync(path.join(h5Dir, 'index.html'), later, later)
    const rebuilt = await raw('/', { 'if-none-match': etag })
    expect(rebuilt.status).toBe(200)
    expect(rebuilt.body.toString()).toContain('新版')
  })
})
