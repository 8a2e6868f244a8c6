// The local cloud's one HTTP port on 127.0.0.1:
//   POST /admin                 the CloudBase admin API the real wx-server-sdk talks to (admin.ts)
//   POST /api/functions/<fn>    the h5 build's callFunction, as the signed-in user
//   GET  /api/health
//   /api/dev/*                  local mode only: personas, sign-in, timer triggers, outbox
//   PUT  /storage/upload/<tok>  GET /storage/files/<path>   file bytes (storage.ts)
//   GET  /*                     the h5 build
import crypto from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { EJSON } from 'bson'
import { handleAdmin } from './admin'
import { parseWeChatCron, TimerScheduler, timerEvent, type ScheduledTrigger } from './cron'
import { DocumentStore, createDatabaseService } from './db'
import { FunctionHost, FunctionNotFoundError, type InvokeOutcome } from './functions/host'
import { MAX_BODY_BYTES, parseCookies, parseJsonObject, readBody, sendApiError, sendJson, sendRawJson } from './http'
import { OpenApi, OUTBOX, type DatabaseService, type OutboxMessage } from './openapi'
import { LocalStorage, checkCloudPath } from './storage'

export { MAX_BODY_BYTES }

export interface LocalCloudOptions {
  /** TCP port on 127.0.0.1; 0 picks a free one (tests). Default 8787. */
  port?: number
  /** Folder for the SQLite file and uploads, or ':memory:' for tests (uploads then go to a temp folder). */
  dataDir: string
  /** Folder of built functions (dist/cloudfunctions); absent = no functions. */
  functionsDir?: string
  /** Folder of the h5 build (dist/h5) served at /; absent = none. */
  h5Dir?: string
  /** Local mode turns on the persona picker and /api/dev/*; never on in a deployed setup. */
  localMode?: boolean
  /** Env id reported to functions (TCB_ENV); default 'local'. */
  envId?: string
  /** getWXContext().APPID; default 'wxlocal'. */
  appId?: string
  /** Fire timer triggers on the real clock; default true except under jest (NODE_ENV=test). */
  runTimers?: boolean
  /** Instances per function (default 8). */
  maxInstances?: number
  /** Forward functions' console output, prefixed with their name (default true). */
  functionLogs?: boolean
  /** Where the gateway reports failed invocations and other trouble (default console.error). */
  log?: (msg: string) => void
}

export interface LocalCloud {
  url: string // http://127.0.0.1:PORT
  adminUrl: string // http://127.0.0.1:PORT/admin — the SDK's serviceUrl
  port: number
  store: DocumentStore
  /** Fires fn's timer trigger (the first, or the one named) as if the clock read `now`; resolves with its result. */
  triggerTimer: (fn: string, now: Date, triggerName?: string) => Promise<unknown>
  /** Subscription messages sent, newest first; only those to `openid` when given. */
  outbox: (openid?: string) => OutboxMessage[]
  /** Runs fn as a mini-program call by `openid` (none: an anonymous admin call); resolves with its result. */
  invoke: (fn: string, event: unknown, openid?: string) => Promise<unknown>
  close: () => Promise<void>
}

/** A function invocation that did not return: `kind` says how (timeout, error, crash, load, closed). */
export class InvocationError extends Error {
  constructor (readonly fn: string, readonly kind: string, message: string, readonly requestId: string) {
    super(`${fn}: ${message}`)
  }
}

export const SESSION_COOKIE = 'chuyan_openid'
export const OPENID_HEADER = 'x-localcloud-openid'
const INTERNAL_MESSAGE = '服务暂时出错，请稍后再试'
const LOCAL_HOSTS = /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/i

export async function startLocalCloud (opts: LocalCloudOptions): Promise<LocalCloud> {
  const envId = opts.envId ?? 'local'
  const localMode = opts.localMode === true
  const log = opts.log ?? ((msg: string): void => { console.error(msg) })

  const memory = opts.dataDir === ':memory:'
  if (!memory) fs.mkdirSync(opts.dataDir, { recursive: true })
  const storageRoot = memory ? fs.mkdtempSync(path.join(os.tmpdir(), 'chuyan-storage-')) : path.join(opts.dataDir, 'storage')
  const secret = loadSecret(memory ? undefined : path.join(opts.dataDir, 'localcloud.key'))
  const sessionKey = crypto.createHmac('sha256', secret).update('session').digest()

  const store = new DocumentStore({ file: memory ? ':memory:' : path.join(opts.dataDir, 'chuyan.sqlite') })
  store.createCollection(OUTBOX) // no-op when it exists
  store.ensureIndex(OUTBOX, ['touser', 'sentAt'])
  const db: DatabaseService = createDatabaseService(store)

  let baseUrl = ''
  const functions = new FunctionHost({
    functionsDir: opts.functionsDir,
    adminUrl: '', // set once the port is known, before any function can start
    envId,
    appId: opts.appId ?? 'wxlocal',
    maxInstances: opts.maxInstances,
    logs: opts.functionLogs
  })
  const storage = new LocalStorage({ root: storageRoot, envId, baseUrl: () => baseUrl, secret: crypto.createHmac('sha256', secret).update('storage').digest() })
  const openapi = new OpenApi({
    db,
    caller: (token) => functions.caller(token),
    permissions: (fn) => { try { return functions.config(fn).openapi } catch { return [] } },
    log
  })

  // ---- identity -------------------------------------------------------------------------------------------
  const signSession = (openid: string): string => `${openid}.${crypto.createHmac('sha256', sessionKey).update(openid).digest('base64url')}`
  /** The caller's OPENID: the signed session cookie, or (local mode only) the x-localcloud-openid header. */
  const identify = (req: http.IncomingMessage): string | undefined => {
    const header = req.headers[OPENID_HEADER]
    if (localMode && typeof header === 'string' && header !== '') return header
    const cookie = parseCookies(req.headers.cookie)[SESSION_COOKIE]
    if (!cookie) return undefined
    const dot = cookie.lastIndexOf('.')
    const openid = cookie.slice(0, dot)
    return dot > 0 && safeEqual(cookie, signSession(openid)) ? openid : undefined
  }
  const sessionCookie = (value: string, maxAge?: number): string =>
    `${SESSION_COOKIE}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Lax${maxAge !== undefined ? `; Max-Age=${maxAge}` : ''}`

  // ---- store reads for local mode ---------------------------------------------------------------------------
  const getUser = (openid: string): Record<string, unknown> | undefined => {
    const r = db.handle('database.getDocument', {
      collectionName: 'users', queryType: 'DOC', query: EJSON.stringify({ _id: openid }, { relaxed: false }), multi: false
    }) as { code?: string, data?: { list?: string[] } }
    const s = r.code ? undefined : r.data?.list?.[0]
    return s ? EJSON.parse(s, { relaxed: true }) as Record<string, unknown> : undefined
  }
  const personas = (): Array<{ openid: string, name: unknown, roles: unknown }> => {
    const out: Array<{ openid: string, name: unknown, roles: unknown }> = []
    for (let offset = 0; ; offset += 100) {
      const r = db.handle('database.getDocument', {
        collectionName: 'users', queryType: 'WHERE', order: EJSON.stringify({ _id: 1 }, { relaxed: false }), ...(offset ? { offset } : {}), limit: 100
      }) as { code?: string, data?: { list?: string[] } }
      if (r.code) return out // no users collection yet: nobody to pick
      const list = r.data?.list ?? []
      for (const s of list) {
        const u = EJSON.parse(s, { relaxed: true }) as Record<string, unknown>
        out.push({ openid: String(u._id), name: u.name ?? null, roles: u.roles ?? [] })
      }
      if (list.length < 100) return out
    }
  }

  // ---- timer triggers ---------------------------------------------------------------------------------------
  const fireTimer = async (fn: string, now: Date, triggerName: string | undefined, onDemand: boolean): Promise<InvokeOutcome> => {
    const config = functions.config(fn)
    const trigger = triggerName === undefined ? config.triggers[0] : config.triggers.find((t) => t.name === triggerName)
    if (!trigger) throw new NoTriggerError(fn, triggerName)
    parseWeChatCron(trigger.config) // a trigger WeChat would refuse to deploy should not fire here either
    return await functions.invoke(fn, timerEvent(trigger, now, onDemand), { source: 'wx_trigger', timer: true })
  }
  const scheduler = new TimerScheduler((t: ScheduledTrigger, at: Date) => {
    fireTimer(t.fn, at, t.trigger.name, false).then((o) => {
      if (!o.ok) log(`[localcloud] timer ${t.fn}/${t.trigger.name} at ${at.toISOString()} failed: ${o.stack ?? o.message}`)
    }, (err: Error) => log(`[localcloud] timer ${t.fn}/${t.trigger.name}: ${err.message}`))
  }, log)

  // ---- routes -----------------------------------------------------------------------------------------------
  const handleFunctionCall = async (req: http.IncomingMessage, res: http.ServerResponse, fn: string): Promise<void> => {
    const openid = identify(req)
    if (!openid) return sendApiError(res, 401, 'UNAUTHENTICATED', '请先登录')
    if (!functions.has(fn)) return sendApiError(res, 404, 'NOT_FOUND', `没有这个云函数：${fn}`)
    const read = await readBody(req, res, MAX_BODY_BYTES)
    if (!read.ok) {
      return read.reason === 'too-large'
        ? sendApiError(res, 413, 'PAYLOAD_TOO_LARGE', '请求内容超过 1 MB')
        : sendApiError(res, 400, 'INVALID_INPUT', '请求内容不完整')
    }
    const body = parseJsonObject(read.body)
    if (!body || typeof body.action !== 'string' || body.action === '') {
      return sendApiError(res, 400, 'INVALID_INPUT', '请求格式不对：需要 JSON {action, data}')
    }
    // Only {action, data} reaches the function: a client cannot dress its call up as a timer or another user.
    const outcome = await functions.invoke(fn, { action: body.action, data: body.data }, {
      openid, source: 'wx_client', clientIp: clientIp(req)
    })
    if (outcome.ok) return sendRawJson(res, 200, outcome.json)
    log(`[localcloud] ${fn}.${body.action} (${outcome.requestId}) failed: ${outcome.stack ?? outcome.message}`)
    sendApiError(res, 500, 'INTERNAL', INTERNAL_MESSAGE)
  }

  const handleDev = async (req: http.IncomingMessage, res: http.ServerResponse, route: string, url: URL): Promise<void> => {
    if (route === 'personas' && req.method === 'GET') return sendJson(res, 200, personas())
    if (route === 'session' && req.method === 'GET') {
      const openid = identify(req)
      const user = openid ? getUser(openid) : undefined
      return sendJson(res, 200, { ok: true, data: openid ? { openid, name: user?.name ?? null, roles: user?.roles ?? [] } : null })
    }
    if (route === 'outbox' && req.method === 'GET') {
      const openid = url.searchParams.get('openid')
      return sendJson(res, 200, openapi.outbox(openid ?? undefined))
    }
    if (req.method !== 'POST') return sendApiError(res, 404, 'NOT_FOUND', `no such route: ${url.pathname}`)
    const read = await readBody(req, res, MAX_BODY_BYTES)
    if (!read.ok) return sendApiError(res, read.reason === 'too-large' ? 413 : 400, 'INVALID_INPUT', '请求内容超过 1 MB 或不完整')
    const body = read.body.length === 0 ? {} : parseJsonObject(read.body)
    if (!body) return sendApiError(res, 400, 'INVALID_INPUT', '请求内容必须是 JSON 对象')

    if (route === 'signin') {
      if (typeof body.openid !== 'string' || body.openid === '') return sendApiError(res, 400, 'INVALID_INPUT', '需要 openid')
      const user = getUser(body.openid)
      if (!user) return sendApiError(res, 404, 'NOT_FOUND', `没有这个用户：${body.openid}`)
      return sendJson(res, 200, { ok: true, data: { openid: body.openid, name: user.name ?? null, roles: user.roles ?? [] } },
        { 'set-cookie': sessionCookie(signSession(body.openid)) })
    }
    if (route === 'signout') return sendJson(res, 200, { ok: true, data: null }, { 'set-cookie': sessionCookie('', 0) })
    if (route.startsWith('trigger/')) {
      const fn = route.slice('trigger/'.length)
      const now = body.now === undefined ? new Date() : new Date(typeof body.now === 'string' ? body.now : NaN)
      if (Number.isNaN(now.getTime())) return sendApiError(res, 400, 'INVALID_INPUT', 'now 必须是 ISO 时间字符串')
      let outcome: InvokeOutcome
      try {
        outcome = await fireTimer(fn, now, typeof body.trigger === 'string' ? body.trigger : undefined, true)
      } catch (err) {
        if (err instanceof FunctionNotFoundError || err instanceof NoTriggerError) return sendApiError(res, 404, 'NOT_FOUND', err.message)
        return sendApiError(res, 500, 'INTERNAL', (err as Error).message)
      }
      if (outcome.ok) return sendRawJson(res, 200, outcome.json)
      log(`[localcloud] timer ${fn} (${outcome.requestId}) failed: ${outcome.stack ?? outcome.message}`)
      return sendApiError(res, 500, 'INTERNAL', outcome.message)
    }
    sendApiError(res, 404, 'NOT_FOUND', `no such route: ${url.pathname}`)
  }

  /**
   * The h5 build's counterpart of wx.cloud.uploadFile: a signed-in caller gets a one-time upload URL for a path in
   * their own folder of an area (`<area>/<their openid>/<file>`), then PUTs the bytes there (size and type checked
   * on the PUT). Functions accept only files under the caller's own folder.
   */
  const handleUploadUrl = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const openid = identify(req)
    if (!openid) return sendApiError(res, 401, 'UNAUTHENTICATED', '请先登录')
    const body = await readBody(req, res, 4096)
    if (!body.ok) return sendApiError(res, 413, 'INVALID_INPUT', '请求太大')
    const parsed = parseJsonObject(body.body)
    const cloudPath = typeof parsed?.cloudPath === 'string' ? parsed.cloudPath : ''
    const parts = cloudPath.split('/')
    if (parts.length !== 3 || !/^[a-z]+$/.test(parts[0]) || parts[1] !== openid || checkCloudPath(cloudPath)) {
      return sendApiError(res, 400, 'INVALID_INPUT', '文件路径不对')
    }
    const meta = storage.getUploadMetadata({ path: cloudPath }) as { data: { url: string, fileId: string } }
    sendJson(res, 200, { ok: true, data: { uploadUrl: meta.data.url, fileID: meta.data.fileId } })
  }

  const route = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    // /admin has no authentication and local mode trusts a header: refuse pages that reach this port through
    // another host name (DNS rebinding), as dev servers do.
    if (!LOCAL_HOSTS.test(req.headers.host ?? '')) return sendApiError(res, 403, 'FORBIDDEN', 'this server only answers to 127.0.0.1 or localhost')
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const p = url.pathname
    const method = req.method ?? 'GET'
    if (p === '/admin') {
      if (method !== 'POST') return sendJson(res, 405, { code: 'INVALID_PARAM', message: 'POST only' })
      return await handleAdmin(req, res, { db, functions, storage, openapi, log })
    }
    if (p === '/api/health') return sendJson(res, 200, { ok: true, env: envId, localMode, functions: functions.list() })
    if (p.startsWith('/api/functions/')) {
      if (method !== 'POST') return sendApiError(res, 405, 'METHOD_NOT_ALLOWED', 'POST only')
      const fn = safeDecode(p.slice('/api/functions/'.length))
      return await handleFunctionCall(req, res, fn ?? '')
    }
    if (p === '/api/storage/upload-url') {
      if (method !== 'POST') return sendApiError(res, 405, 'METHOD_NOT_ALLOWED', 'POST only')
      return await handleUploadUrl(req, res)
    }
    if (p.startsWith('/api/dev/') && localMode) return await handleDev(req, res, safeDecode(p.slice('/api/dev/'.length)) ?? '', url)
    if (p.startsWith('/api/') || p === '/api') return sendApiError(res, 404, 'NOT_FOUND', `no such route: ${p}`)
    if (p.startsWith('/storage/upload/') && method === 'PUT') return await storage.handleUpload(req, res, p.slice('/storage/upload/'.length))
    if (p.startsWith('/storage/files/') && (method === 'GET' || method === 'HEAD')) {
      return storage.handleDownload(req, res, p.slice('/storage/files/'.length), url.searchParams)
    }
    if (method === 'GET' || method === 'HEAD') return serveStatic(req, res, opts.h5Dir, p)
    sendJson(res, 404, { ok: false, error: { code: 'NOT_FOUND', message: `no such route: ${method} ${p}` } })
  }

  const server = http.createServer((req, res) => {
    route(req, res).catch((err: Error) => {
      log(`[localcloud] ${req.method ?? ''} ${req.url ?? ''}: ${err.stack ?? err.message}`)
      if (!res.headersSent) sendApiError(res, 500, 'INTERNAL', INTERNAL_MESSAGE)
      else res.destroy()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 8787, '127.0.0.1', () => { server.off('error', reject); resolve() })
  }).catch((err) => { store.close(); throw err })
  const port = (server.address() as AddressInfo).port
  baseUrl = `http://127.0.0.1:${port}`
  const adminUrl = `${baseUrl}/admin`
  functions.opts.adminUrl = adminUrl

  if (opts.runTimers ?? (process.env.NODE_ENV as string | undefined) !== 'test') {
    const triggers: ScheduledTrigger[] = []
    for (const fn of functions.list()) {
      try {
        for (const trigger of functions.config(fn).triggers) triggers.push({ fn, trigger })
      } catch (err) {
        log(`[localcloud] ${(err as Error).message}`)
      }
    }
    scheduler.start(triggers)
  }

  let closing: Promise<void> | undefined
  const close = async (): Promise<void> => {
    scheduler.stop()
    const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()))
    server.closeIdleConnections()
    await functions.close() // in-flight calls answer "shutting down"
    server.closeAllConnections()
    await serverClosed
    store.close()
    if (memory) fs.rmSync(storageRoot, { recursive: true, force: true })
  }

  const result = async (fn: string, outcome: InvokeOutcome): Promise<unknown> => {
    if (!outcome.ok) throw new InvocationError(fn, outcome.kind, outcome.message, outcome.requestId)
    return JSON.parse(outcome.json)
  }

  return {
    url: baseUrl,
    adminUrl,
    port,
    store,
    triggerTimer: async (fn, now, triggerName) => await result(fn, await fireTimer(fn, now, triggerName, true)),
    outbox: (openid) => openapi.outbox(openid),
    invoke: async (fn, event, openid) =>
      await result(fn, await functions.invoke(fn, event, openid !== undefined ? { openid, source: 'wx_client', clientIp: '127.0.0.1' } : { source: 'wx_unknown' })),
    close: async () => { closing ??= close(); await closing }
  }
}

class NoTriggerError extends Error {
  constructor (fn: string, name?: string) { super(name ? `${fn} has no timer trigger named ${name}` : `${fn} has no timer trigger`) }
}

/** A random key kept in the data folder (so sessions and temp URLs survive a restart), or a fresh one. */
function loadSecret (file: string | undefined): Buffer {
  if (file && fs.existsSync(file)) {
    const key = fs.readFileSync(file)
    if (key.length >= 32) return key
  }
  const key = crypto.randomBytes(32)
  if (file) fs.writeFileSync(file, key, { mode: 0o600 })
  return key
}

function safeEqual (a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && crypto.timingSafeEqual(x, y)
}

function safeDecode (s: string): string | undefined {
  try { return decodeURIComponent(s) } catch { return undefined }
}

function clientIp (req: http.IncomingMessage): string {
  return (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '')
}

const STATIC_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm'
}

/** The h5 build: real files by path; extension-less paths fall back to index.html for the h5 router. */
function serveStatic (req: http.IncomingMessage, res: http.ServerResponse, h5Dir: string | undefined, pathname: string): void {
  const notFound = (msg: string): void => {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
    res.end(msg)
  }
  if (!h5Dir || !fs.existsSync(path.join(h5Dir, 'index.html'))) return notFound('h5 build not found: run `npm run build:h5`\n')
  const decoded = safeDecode(pathname)
  if (decoded === undefined || decoded.includes('\0')) return notFound('not found\n')
  const root = path.resolve(h5Dir)
  let file = path.resolve(root, '.' + path.posix.normalize(decoded))
  if (file !== root && !file.startsWith(root + path.sep)) return notFound('not found\n')
  let stat = statFile(file)
  if (!stat) {
    if (path.extname(decoded) !== '') return notFound('not found\n')
    file = path.join(root, 'index.html')
    stat = statFile(file)
    if (!stat) return notFound('not found\n')
  }
  const isHtml = file.endsWith('.html')
  res.writeHead(200, {
    'content-type': STATIC_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
    'content-length': stat.size,
    // index.html must be re-read after a rebuild; hashed assets could be cached, but a dev server keeps it simple.
    'cache-control': isHtml ? 'no-cache' : 'public, max-age=0'
  })
  if (req.method === 'HEAD') { res.end(); return }
  fs.createReadStream(file).on('error', () => res.destroy()).pipe(res)
}

function statFile (file: string): fs.Stats | undefined {
  try {
    const s = fs.statSync(file)
    return s.isFile() ? s : undefined
  } catch {
    return undefined
  }
}
