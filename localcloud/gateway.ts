// The local cloud's one HTTP port on 127.0.0.1 (docs/LOCALCLOUD.md, "Its parts"):
//   POST /admin                  the CloudBase admin API the real wx-server-sdk talks to      routes/admin.ts
//   /api/health, POST /api/functions/<fn>, POST /api/storage/upload-url   for the h5 build  routes/api.ts
//   /api/subscriptions           a person's answers to requestSubscribeMessage (their allows) routes/api.ts
//   /api/dev/*                   local mode only: sign-in, timers, outbox, allows, clock      routes/dev.ts
//   POST /sms/                   the Tencent Cloud SMS stand-in (SendSms)                    sms.ts
//   PUT /storage/upload/<tok>, GET /storage/files/<path>   file bytes                        storage.ts
//   GET /*                       the h5 build                                                 routes/static.ts
// Every reply carries a Date header read from the cloud's clock, so a page can follow a moved clock.
import type http from 'node:http'
import type { DatabaseService, DocumentStore } from './db'
import type { FunctionHost } from './functions/host'
import { safeDecode, sendApiError, sendJson } from './http'
import type { OpenApi } from './openapi'
import { handleAdmin } from './routes/admin'
import { handleApi, INTERNAL_MESSAGE } from './routes/api'
import { handleDev } from './routes/dev'
import { serveStatic } from './routes/static'
import type { Personas, Sessions } from './sessions'
import type { SmsStandIn } from './sms'
import type { Subscriptions } from './subscriptions'
import type { LocalStorage } from './storage'
import type { CloudClock, Timers } from './timers'

/** The assembled parts of a local cloud, as the routes use them. */
export interface Parts {
  envId: string
  localMode: boolean
  /** How deeply a function call's body may nest (LocalCloudOptions.maxJsonDepth). */
  maxJsonDepth: number
  h5Dir?: string
  log: (msg: string) => void
  store: DocumentStore
  db: DatabaseService
  functions: FunctionHost
  storage: LocalStorage
  openapi: OpenApi
  subscriptions: Subscriptions
  sms: SmsStandIn
  sessions: Sessions
  personas: Personas
  timers: Timers
  clock: CloudClock
}

const LOCAL_HOSTS = /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/i

export function gateway (parts: Parts): http.RequestListener {
  return (req, res) => {
    route(req, res, parts).catch((err: Error) => {
      parts.log(`[localcloud] ${req.method ?? ''} ${req.url ?? ''}: ${err.stack ?? err.message}`)
      if (!res.headersSent) sendApiError(res, 500, 'INTERNAL', INTERNAL_MESSAGE)
      else res.destroy()
    })
  }
}

async function route (req: http.IncomingMessage, res: http.ServerResponse, parts: Parts): Promise<void> {
  res.setHeader('date', parts.clock.now().toUTCString())
  // /admin has no authentication and local mode trusts a header: refuse pages that reach this port through
  // another host name (DNS rebinding), as dev servers do.
  if (!LOCAL_HOSTS.test(req.headers.host ?? '')) return sendApiError(res, 403, 'FORBIDDEN', 'this server only answers to 127.0.0.1 or localhost')
  const url = new URL(req.url ?? '/', 'http://127.0.0.1')
  const p = url.pathname
  const method = req.method ?? 'GET'
  if (p === '/admin') {
    if (method !== 'POST') return sendJson(res, 405, { code: 'INVALID_PARAM', message: 'POST only' })
    return await handleAdmin(req, res, parts)
  }
  if (p === '/sms' || p === '/sms/') return await parts.sms.handle(req, res, p)
  if (p.startsWith('/api/dev/') && parts.localMode) return await handleDev(req, res, safeDecode(p.slice('/api/dev/'.length)) ?? '', url, parts)
  if (p.startsWith('/api/') || p === '/api') {
    if (!await handleApi(req, res, p, parts)) sendApiError(res, 404, 'NOT_FOUND', `no such route: ${p}`)
    return
  }
  if (p.startsWith('/storage/upload/') && method === 'PUT') return await parts.storage.handleUpload(req, res, p.slice('/storage/upload/'.length))
  if (p.startsWith('/storage/files/') && (method === 'GET' || method === 'HEAD')) {
    return parts.storage.handleDownload(req, res, p.slice('/storage/files/'.length), url.searchParams)
  }
  if (method === 'GET' || method === 'HEAD') return serveStatic(req, res, parts.h5Dir, p)
  sendJson(res, 404, { ok: false, error: { code: 'NOT_FOUND', message: `no such route: ${method} ${p}` } })
}
