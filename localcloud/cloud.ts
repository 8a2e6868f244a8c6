// startLocalCloud: assembles the parts (docs/LOCALCLOUD.md, "Its parts") — the clock, the document store, the
// function host, timers, storage, the openapi outbox and sign-in — behind one HTTP port (gateway.ts).
import crypto from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { Clock } from './clock'
import { createDatabaseService, DocumentStore } from './db'
import { FunctionHost, type InvokeOutcome } from './functions/host'
import type { ActionSummary, InvocationRecord } from './functions/stats'
import { gateway, type Parts } from './gateway'
import { DEFAULT_MAX_JSON_DEPTH } from './json-depth'
import { OpenApi, OUTBOX, type OutboxMessage } from './openapi'
import { anyone, Sessions, type Personas } from './sessions'
import { SmsStandIn, type SmsOptions } from './sms'
import { ALLOWS, Subscriptions, type Allow, type SubscriptionTemplate } from './subscriptions'
import { LocalStorage, type UploadRules } from './storage'
import { Timers, type CloudClock } from './timers'

export interface LocalCloudOptions {
  /** TCP port on 127.0.0.1; 0 picks a free one (tests). Default 8787. */
  port?: number
  /** Folder for the SQLite file and uploads, or ':memory:' for tests (uploads then go to a temp folder). */
  dataDir: string
  /** Name of the SQLite file in dataDir (default localcloud.sqlite). */
  storeFile?: string
  /** Folder of built functions (one folder per function with index.js and config.json); absent = no functions. */
  functionsDir?: string
  /** Folder of the h5 build served at /; absent = none. */
  h5Dir?: string
  /** Local mode turns on the persona picker and /api/dev/*; never on in a deployed setup. */
  localMode?: boolean
  /** Local mode's people to sign in as (default: none listed, any OPENID may sign in). */
  personas?: (store: DocumentStore) => Personas
  /** What uploads may be (default: any type up to 10 MB). */
  uploads?: UploadRules
  /** Env id reported to functions (TCB_ENV); default 'local'. */
  envId?: string
  /** getWXContext().APPID; default 'wxlocal'. */
  appId?: string
  /** Fire timer triggers as time passes; default true except under jest (NODE_ENV=test). Advancing the clock
   * fires them either way. */
  runTimers?: boolean
  /** Instances per function (default 8). */
  maxInstances?: number
  /** Forward functions' console output, prefixed with their name (default true). */
  functionLogs?: boolean
  /** Where the gateway reports failed invocations and other trouble (default console.error). */
  log?: (msg: string) => void
  /** How deeply a function call's JSON may nest objects and arrays (default 64): deeper is refused with 400. */
  maxJsonDepth?: number
  /**
   * The app's subscription-message templates as configured in the WeChat console (ids, keyword types, long-term).
   * A send on another template id is refused (40037) and data is checked by the declared types; without this,
   * any template id is taken and each keyword is checked by the type its name says.
   */
  subscriptionTemplates?: SubscriptionTemplate[]
  /** The SMS stand-in's configuration (the app's API key, SDK app id, signatures, templates); absent: no SMS. */
  sms?: SmsOptions
  /**
   * Environment variables every function gets, as set in the CloudBase console (secrets, endpoints); given the
   * cloud's base URL so a variable can point at a stand-in it serves (`${url}/sms/`).
   */
  functionEnv?: (cloud: { url: string }) => Record<string, string>
}

export interface LocalCloud {
  url: string // http://127.0.0.1:PORT
  adminUrl: string // http://127.0.0.1:PORT/admin — the SDK's serviceUrl
  port: number
  store: DocumentStore
  /** The one clock: real time until a test or /api/dev/clock moves it. */
  clock: CloudClock
  /** Fires fn's timer trigger (the first, or the one named) as if the clock read `now`; resolves with its result. */
  triggerTimer: (fn: string, now: Date, triggerName?: string) => Promise<unknown>
  /**
   * Every attempt to reach a person, newest first: subscription messages (delivered or refused, with WeChat's
   * errcode) and SMS; only those to `to` (an OPENID, or a phone number in E.164) when given.
   */
  outbox: (to?: string) => OutboxMessage[]
  /** The allows people gave (requestSubscribeMessage), and a way to record answers as a person would give them. */
  subscriptions: {
    record: (openid: string, answers: Record<string, 'accept' | 'reject'>) => Allow[]
    allows: (openid?: string) => Allow[]
  }
  /** Runs fn as a mini-program call by `openid` (none: an anonymous admin call); resolves with its result. */
  invoke: (fn: string, event: unknown, openid?: string) => Promise<unknown>
  /**
   * What invocations cost (docs/LOCALCLOUD.md, "Round trips"): the last finished ones with their database round
   * trips, other requests and CPU, oldest first; per action, the round trips' p50/p95/max; `clear` forgets them.
   */
  stats: {
    invocations: (filter?: { fn?: string, action?: string }) => InvocationRecord[]
    summary: (filter?: { fn?: string, action?: string }) => ActionSummary[]
    clear: () => void
  }
  close: () => Promise<void>
}

/** A function invocation that did not return: `kind` says how (timeout, error, crash, load, closed). */
export class InvocationError extends Error {
  constructor (readonly fn: string, readonly kind: string, message: string, readonly requestId: string) {
    super(`${fn}: ${message}`)
  }
}

export async function startLocalCloud (opts: LocalCloudOptions): Promise<LocalCloud> {
  const envId = opts.envId ?? 'local'
  const log = opts.log ?? ((msg: string): void => { console.error(msg) })

  const memory = opts.dataDir === ':memory:'
  if (!memory) fs.mkdirSync(opts.dataDir, { recursive: true })
  const storageRoot = memory ? fs.mkdtempSync(path.join(os.tmpdir(), 'localcloud-storage-')) : path.join(opts.dataDir, 'storage')
  const secret = loadSecret(memory ? undefined : path.join(opts.dataDir, 'localcloud.key'))

  const clock = new Clock()
  const store = new DocumentStore({ file: memory ? ':memory:' : path.join(opts.dataDir, opts.storeFile ?? 'localcloud.sqlite'), clock: () => clock.nowMs() })
  store.createCollection(OUTBOX) // no-op when it exists
  store.ensureIndex(OUTBOX, ['touser', 'sentAt'])
  store.ensureIndex(OUTBOX, ['phone', 'sentAt'])
  store.createCollection(ALLOWS)
  store.ensureIndex(ALLOWS, ['openid'])

  let baseUrl = ''
  const functions = new FunctionHost({
    functionsDir: opts.functionsDir,
    adminUrl: '', // set once the port is known, before any function can start
    envId,
    appId: opts.appId ?? 'wxlocal',
    clock,
    maxInstances: opts.maxInstances,
    logs: opts.functionLogs,
    maxEventDepth: opts.maxJsonDepth ?? DEFAULT_MAX_JSON_DEPTH,
    env: () => opts.functionEnv?.({ url: baseUrl }) ?? {}
  })
  // A request's time: the calling invocation's, when its clock stands still (a timer fired at a chosen time).
  const nowFor = (token: unknown): number => functions.caller(token)?.at ?? clock.nowMs()
  const db = createDatabaseService(store, { now: (body) => nowFor(body.wxCloudApiToken) })
  const timers = new Timers({ clock, functions, writeCount: () => store.writeCount, log })
  const subscriptions = new Subscriptions(store, opts.subscriptionTemplates, () => clock.nowMs())
  const openapi = new OpenApi({
    store,
    subscriptions,
    caller: (token) => functions.caller(token),
    permissions: (fn) => { try { return functions.config(fn).openapi } catch { return [] } },
    now: (caller) => caller?.at ?? clock.nowMs(),
    log
  })
  const parts: Parts = {
    envId,
    localMode: opts.localMode === true,
    maxJsonDepth: opts.maxJsonDepth ?? DEFAULT_MAX_JSON_DEPTH,
    h5Dir: opts.h5Dir,
    log,
    store,
    db,
    functions,
    subscriptions,
    sms: new SmsStandIn(opts.sms, openapi, () => clock.nowMs()),
    storage: new LocalStorage({ root: storageRoot, envId, baseUrl: () => baseUrl, secret: crypto.createHmac('sha256', secret).update('storage').digest(), now: () => clock.nowMs(), uploads: opts.uploads }),
    openapi,
    sessions: new Sessions(secret, opts.localMode === true),
    personas: (opts.personas ?? anyone)(store),
    timers,
    clock: timers.control()
  }

  const server = http.createServer(gateway(parts))
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 8787, '127.0.0.1', () => { server.off('error', reject); resolve() })
  }).catch((err) => { store.close(); throw err })
  const port = (server.address() as AddressInfo).port
  baseUrl = `http://127.0.0.1:${port}`
  const adminUrl = `${baseUrl}/admin`
  functions.opts.adminUrl = adminUrl

  if (opts.runTimers ?? (process.env.NODE_ENV as string | undefined) !== 'test') timers.runOnTime()

  let closing: Promise<void> | undefined
  const close = async (): Promise<void> => {
    timers.stop()
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
    clock: parts.clock,
    triggerTimer: async (fn, now, triggerName) => await result(fn, await timers.fire(fn, now, triggerName)),
    outbox: (to) => parts.openapi.outbox(to),
    subscriptions: {
      record: (openid, answers) => subscriptions.record(openid, answers),
      allows: (openid) => subscriptions.allows(openid)
    },
    invoke: async (fn, event, openid) =>
      await result(fn, await functions.invoke(fn, event, openid !== undefined ? { openid, source: 'wx_client', clientIp: '127.0.0.1' } : { source: 'wx_unknown' })),
    stats: {
      invocations: (filter) => functions.invocations.list(filter),
      summary: (filter) => functions.invocations.summary(filter),
      clear: () => functions.invocations.clear()
    },
    close: async () => { closing ??= close(); await closing }
  }
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
