// The function host: runs the bundles of dist/cloudfunctions the way SCF does.
//
// Isolation: wx-server-sdk reads the caller's identity (WX_OPENID, WX_API_TOKEN, ...) from process.env at call
// time, so two invocations must never share a process at once. Each function gets a pool of child processes
// (instances); an instance serves one invocation at a time, the pool grows to `maxInstances` under load and
// queues beyond that. Before each invocation the instance's process.env is rewritten for that caller.
// A timed-out or crashed instance is killed and replaced; the gateway never runs function code itself.
import { fork, type ChildProcess } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import readline from 'node:readline'
import type { Clock } from '../clock'
import { bundlePath, listFunctions, readFunctionConfig, type FunctionConfig } from './config'
import { DEFAULT_MAX_JSON_DEPTH, valueTooDeep } from '../json-depth'
import { actionOf, countRequest, InvocationLog, type Tally } from './stats'

const WORKER = path.join(__dirname, 'worker.js')
/** The project's node_modules, so a bundle anywhere (dist/, test fixtures) finds wx-server-sdk. */
const NODE_MODULES = path.resolve(__dirname, '..', '..', 'node_modules')
/** -604001 in wx-server-sdk: "cloudfunction result size exceed limit (1MB)". */
const MAX_RESULT_BYTES = 1024 * 1024

interface InvokeContext {
  /** getWXContext().OPENID; absent for timer triggers and admin calls. */
  openid?: string
  /** getWXContext().SOURCE: 'wx_client', 'wx_trigger', 'wx_client,scf', ... */
  source: string
  clientIp?: string
  /** A timer invocation gets TRIGGER_SRC=timer and WX_TRIGGER_API_TOKEN_V0, as SCF sets them. */
  timer?: boolean
  /** The invocation's clock stands still at this time (ms): a timer fired at a chosen time, or a call it made. */
  at?: number
}

/** Who is behind a WX_API_TOKEN the host issued: lets /admin tie SDK calls back to a function and user. */
export interface Caller {
  fn: string
  requestId: string
  openid?: string
  source: string
  /** The caller's clock, when it stands still (InvokeContext.at): its calls and writes happen at that time. */
  at?: number
}

export type InvokeOutcome =
  | { ok: true, requestId: string, json: string, cpuMs?: number, sequential?: number }
  | { ok: false, requestId: string, kind: 'timeout' | 'error' | 'crash' | 'load' | 'closed', message: string, stack?: string, cpuMs?: number, sequential?: number }

export class FunctionNotFoundError extends Error {
  constructor (readonly fn: string) { super(`function ${fn} not found`) }
}

interface FunctionHostOptions {
  functionsDir?: string
  /** The SDK's serviceUrl (http://127.0.0.1:PORT/admin), given to functions as TCB_CONTEXT_CNFG. */
  adminUrl: string
  envId: string
  appId: string
  /** The cloud's clock, handed to each invocation through LOCALCLOUD_NOW / LOCALCLOUD_CLOCK_OFFSET_MS. */
  clock: Clock
  /** Instances per function; SCF scales far wider, 8 is plenty on one machine. */
  maxInstances?: number
  /** An idle instance is reclaimed after this long (ms). */
  idleMs?: number
  /** Forward the functions' stdout/stderr, prefixed with the function name (default true). */
  logs?: boolean
  /** Events nested deeper than this are refused before they reach an instance (default 64). */
  maxEventDepth?: number
  /** Variables every function gets, as the console's environment settings (read when an instance starts). */
  env?: () => Record<string, string>
  /** How many finished invocations `invocations` keeps (default 5000). */
  keepInvocations?: number
}

interface Job {
  requestId: string
  token: string
  event: unknown
  ctx: InvokeContext
  resolve: (outcome: InvokeOutcome) => void
}

interface Instance {
  child: ChildProcess
  state: 'starting' | 'idle' | 'busy' | 'dead'
  /** Loaded from an older build of the bundle: retire it once it is free. */
  stale: boolean
  job?: Job
  timer?: NodeJS.Timeout
  idleTimer?: NodeJS.Timeout
  exited: Promise<void>
}

export class FunctionHost {
  private readonly pools = new Map<string, Pool>()
  private readonly callers = new Map<string, Caller>()
  private readonly tallies = new Map<string, Tally>()
  private closed = false
  /** The last finished invocations with their round trips and CPU (docs/LOCALCLOUD.md, "Round trips"). */
  readonly invocations: InvocationLog

  constructor (readonly opts: FunctionHostOptions) {
    this.invocations = new InvocationLog(opts.keepInvocations)
  }

  /** Counts one /admin request (`action` of its body) against the invocation that made it, known by its token. */
  countRequest (token: unknown, action: string): void {
    const t = typeof token === 'string' && token ? this.tallies.get(token) : undefined
    if (t) countRequest(t, action)
  }

  list (): string[] {
    return listFunctions(this.opts.functionsDir)
  }

  has (fn: string): boolean {
    return this.opts.functionsDir !== undefined && bundlePath(this.opts.functionsDir, fn) !== undefined
  }

  /** The function's config.json; throws if the function does not exist or its config is broken. */
  config (fn: string): FunctionConfig {
    if (!this.has(fn)) throw new FunctionNotFoundError(fn)
    return readFunctionConfig(this.opts.functionsDir as string, fn)
  }

  /** The caller behind a token this host issued, while its invocation runs. */
  caller (token: unknown): Caller | undefined {
    return typeof token === 'string' && token ? this.callers.get(token) : undefined
  }

  /** Runs `fn` with `event`; resolves with the outcome (never rejects, except FunctionNotFoundError). */
  async invoke (fn: string, event: unknown, ctx: InvokeContext): Promise<InvokeOutcome> {
    const requestId = crypto.randomUUID()
    if (this.closed) return { ok: false, requestId, kind: 'closed', message: 'the local cloud is shutting down' }
    // The IPC send serialises the event recursively: a deep one would overflow the host's stack and take the whole
    // cloud down, so it is refused here, whichever route it came by.
    const maxDepth = this.opts.maxEventDepth ?? DEFAULT_MAX_JSON_DEPTH
    if (valueTooDeep(event, maxDepth)) return { ok: false, requestId, kind: 'error', message: `the event nests deeper than ${maxDepth} levels` }
    const file = this.opts.functionsDir === undefined ? undefined : bundlePath(this.opts.functionsDir, fn)
    if (!file) throw new FunctionNotFoundError(fn)
    let pool: Pool
    try {
      pool = this.pool(fn, file)
    } catch (err) {
      return { ok: false, requestId, kind: 'load', message: (err as Error).message }
    }
    const token = crypto.randomBytes(18).toString('base64url')
    this.callers.set(token, { fn, requestId, openid: ctx.openid, source: ctx.source, at: ctx.at })
    const tally: Tally = { fn, action: actionOf(event, ctx.timer === true), requestId, dbRoundTrips: 0, otherRequests: {}, dbByAction: {}, startedAt: Date.now() }
    this.tallies.set(token, tally)
    const outcome = await new Promise<InvokeOutcome>((resolve) => pool.run({ requestId, token, event, ctx, resolve }))
    this.callers.delete(token)
    this.tallies.delete(token)
    this.invocations.push({
      requestId, fn, action: tally.action, ok: outcome.ok, dbRoundTrips: tally.dbRoundTrips, otherRequests: tally.otherRequests,
      dbByAction: tally.dbByAction, ...(outcome.cpuMs !== undefined ? { cpuMs: outcome.cpuMs } : {}),
      ...(outcome.sequential !== undefined ? { sequentialRequests: outcome.sequential } : {}),
      ms: Date.now() - tally.startedAt, at: new Date(ctx.at ?? this.opts.clock.nowMs()).toISOString()
    })
    return outcome
  }

  async close (): Promise<void> {
    this.closed = true
    await Promise.all([...this.pools.values()].map(async (p) => await p.close()))
    this.pools.clear()
    this.callers.clear()
  }

  /** The pool for fn, rebuilt from config when the bundle on disk changed (a rebuild while running). */
  private pool (fn: string, file: string): Pool {
    const version = fs.statSync(file).mtimeMs
    let pool = this.pools.get(fn)
    if (pool && pool.version !== version) {
      pool.retire()
      pool.version = version
      pool.config = readFunctionConfig(this.opts.functionsDir as string, fn)
    }
    if (!pool) {
      pool = new Pool(this, fn, file, version, readFunctionConfig(this.opts.functionsDir as string, fn))
      this.pools.set(fn, pool)
    }
    return pool
  }
}

class Pool {
  private readonly instances = new Set<Instance>()
  private readonly queue: Job[] = []

  constructor (
    private readonly host: FunctionHost,
    private readonly fn: string,
    private readonly file: string,
    public version: number,
    public config: FunctionConfig
  ) {}

  private get max (): number { return this.host.opts.maxInstances ?? 8 }

  run (job: Job): void {
    this.queue.push(job)
    this.pump()
  }

  /** Hands queued jobs to idle instances, starting new ones while under the limit. */
  private pump (): void {
    while (this.queue.length > 0) {
      const idle = [...this.instances].find((i) => i.state === 'idle' && !i.stale)
      if (idle) {
        this.dispatch(idle, this.queue.shift() as Job)
        continue
      }
      const starting = [...this.instances].filter((i) => i.state === 'starting').length
      if (starting >= this.queue.length || this.instances.size >= this.max) return
      this.spawn()
    }
  }

  private spawn (): void {
    const { opts } = this.host
    const env: Record<string, string | undefined> = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LANG: process.env.LANG ?? 'C.UTF-8',
      ...(process.env.TZ ? { TZ: process.env.TZ } : {}),
      NODE_PATH: NODE_MODULES,
      ...opts.env?.(),
      ...this.config.envVariables,
      // What SCF and WeChat put in every function's environment (docs/LOCALCLOUD.md, "Invocations").
      WX_CONTEXT_KEYS: 'WX_OPENID,WX_APPID,WX_UNIONID,WX_CLIENTIP,WX_API_TOKEN',
      WX_APPID: opts.appId,
      TCB_ENV: opts.envId,
      SCF_NAMESPACE: opts.envId,
      SCF_FUNCTIONNAME: this.fn,
      SCF_FUNCTIONVERSION: '$LATEST',
      TCB_CONTEXT_CNFG: JSON.stringify({ URL: opts.adminUrl }),
      TENCENTCLOUD_SECRETID: 'localcloud',
      TENCENTCLOUD_SECRETKEY: 'localcloud',
      // Skips the SDK's per-request probe of metadata.tencentyun.com.
      TENCENTCLOUD: 'true'
    }
    const logs = opts.logs !== false
    const child = fork(WORKER, [this.file], {
      env: env as NodeJS.ProcessEnv,
      cwd: path.dirname(this.file),
      execArgv: [], // not the parent's (tsx's loader, jest's flags): a function runs on plain node
      stdio: ['ignore', logs ? 'pipe' : 'ignore', logs ? 'pipe' : 'ignore', 'ipc'],
      serialization: 'json'
    })
    if (logs) {
      forwardLines(child.stdout, process.stdout, `[${this.fn}] `)
      forwardLines(child.stderr, process.stderr, `[${this.fn}] `)
    }
    const inst: Instance = {
      child,
      state: 'starting',
      stale: false,
      exited: new Promise<void>((resolve) => child.once('exit', () => resolve()))
    }
    this.instances.add(inst)
    child.on('message', (msg: WorkerMessage) => this.onMessage(inst, msg))
    child.once('exit', (code, signal) => this.onExit(inst, code, signal))
    child.once('error', (err) => {
      this.failStart(inst, `could not start ${this.fn}: ${err.message}`)
      child.kill('SIGKILL')
    })
  }

  private onMessage (inst: Instance, msg: WorkerMessage): void {
    if (msg.type === 'ready' && inst.state === 'starting') {
      this.becomeIdle(inst)
      this.pump()
    } else if (msg.type === 'load-error') {
      this.failStart(inst, `${this.fn} failed to load: ${msg.error.message}`, msg.error.stack)
    } else if (msg.type === 'result' && inst.job?.requestId === msg.id) {
      const job = inst.job
      const cpu = { ...(typeof msg.cpuMs === 'number' ? { cpuMs: msg.cpuMs } : {}), ...(typeof msg.sequential === 'number' ? { sequential: msg.sequential } : {}) }
      this.settle(inst, msg.ok
        ? { ...resultOutcome(job.requestId, msg.json), ...cpu }
        : { ok: false, requestId: job.requestId, kind: 'error', message: `${msg.error.name}: ${msg.error.message}`, stack: msg.error.stack, ...cpu })
      if (inst.stale) this.kill(inst)
      else this.becomeIdle(inst)
      this.pump()
    } else if (msg.type === 'crash' && inst.job) {
      this.settle(inst, { ok: false, requestId: inst.job.requestId, kind: 'crash', message: `${msg.error.name}: ${msg.error.message}`, stack: msg.error.stack })
      this.kill(inst)
    }
  }

  private onExit (inst: Instance, code: number | null, signal: NodeJS.Signals | null): void {
    if (inst.state === 'starting') this.failStart(inst, `${this.fn} exited while loading (code ${code ?? signal})`)
    if (inst.job) {
      this.settle(inst, { ok: false, requestId: inst.job.requestId, kind: 'crash', message: `${this.fn} exited during the invocation (code ${code ?? signal})` })
    }
    inst.state = 'dead'
    clearTimeout(inst.idleTimer)
    this.instances.delete(inst)
    this.pump()
  }

  /** A start that failed consumes one queued job (the one it was started for), so a broken bundle cannot loop. */
  private failStart (inst: Instance, message: string, stack?: string): void {
    if (inst.state !== 'starting') return
    inst.state = 'dead'
    this.instances.delete(inst)
    const job = this.queue.shift()
    job?.resolve({ ok: false, requestId: job.requestId, kind: 'load', message, stack })
  }

  private dispatch (inst: Instance, job: Job): void {
    clearTimeout(inst.idleTimer)
    inst.state = 'busy'
    inst.job = job
    const timeoutS = this.config.timeout
    inst.timer = setTimeout(() => {
      this.settle(inst, { ok: false, requestId: job.requestId, kind: 'timeout', message: `Invoking task timed out after ${timeoutS} seconds` })
      this.kill(inst)
      this.pump()
    }, timeoutS * 1000)
    const failed = (err: Error): void => {
      if (inst.job !== job) return
      this.settle(inst, { ok: false, requestId: job.requestId, kind: 'crash', message: `could not reach ${this.fn}: ${err.message}` })
      this.kill(inst)
      this.pump()
    }
    try {
      this.send(inst, job, timeoutS, failed)
    } catch (err) {
      // Serialising the message threw (it cannot be sent): this invocation fails, the host goes on.
      failed(err as Error)
    }
  }

  private send (inst: Instance, job: Job, timeoutS: number, failed: (err: Error) => void): void {
    const { ctx } = job
    inst.child.send({
      type: 'invoke',
      id: job.requestId,
      // null deletes the variable, so nothing of the previous caller survives into this invocation.
      env: {
        WX_OPENID: ctx.openid ?? null,
        WX_UNIONID: null,
        WX_CLIENTIP: ctx.clientIp ?? null,
        WX_API_TOKEN: job.token,
        TCB_SOURCE: ctx.source,
        TRIGGER_SRC: ctx.timer === true ? 'timer' : null,
        WX_TRIGGER_API_TOKEN_V0: ctx.timer === true ? job.token : null,
        // The clock as of this moment, the way the caller's identity is passed (docs/LOCALCLOUD.md, "The clock and fast-forward").
        ...this.host.opts.clock.env(ctx.at)
      },
      event: job.event,
      context: {
        callbackWaitsForEmptyEventLoop: false,
        memory_limit_in_mb: 256,
        time_limit_in_ms: timeoutS * 1000,
        request_id: job.requestId,
        function_name: this.fn,
        function_version: '$LATEST',
        namespace: this.host.opts.envId
      }
    }, (err) => { if (err) failed(err) })
  }

  private settle (inst: Instance, outcome: InvokeOutcome): void {
    const job = inst.job
    if (!job) return
    clearTimeout(inst.timer)
    inst.job = undefined
    job.resolve(outcome)
  }

  private becomeIdle (inst: Instance): void {
    inst.state = 'idle'
    clearTimeout(inst.idleTimer)
    inst.idleTimer = setTimeout(() => { if (inst.state === 'idle') this.kill(inst) }, this.host.opts.idleMs ?? 5 * 60_000)
    inst.idleTimer.unref()
  }

  private kill (inst: Instance): void {
    if (inst.state === 'dead') return
    inst.state = 'dead'
    clearTimeout(inst.idleTimer)
    this.instances.delete(inst)
    inst.child.kill('SIGKILL')
  }

  /** The bundle was rebuilt: idle instances go now, busy ones when their invocation ends. */
  retire (): void {
    for (const inst of this.instances) {
      inst.stale = true
      if (inst.state === 'idle') this.kill(inst)
    }
  }

  async close (): Promise<void> {
    for (const job of this.queue.splice(0)) job.resolve({ ok: false, requestId: job.requestId, kind: 'closed', message: 'the local cloud is shutting down' })
    const all = [...this.instances]
    for (const inst of all) {
      this.settle(inst, { ok: false, requestId: inst.job?.requestId ?? '', kind: 'closed', message: 'the local cloud is shutting down' })
      this.kill(inst)
    }
    await Promise.race([
      Promise.all(all.map(async (i) => await i.exited)),
      new Promise((resolve) => setTimeout(resolve, 2000).unref())
    ])
  }
}

type WorkerError = { name: string, message: string, stack?: string }
type WorkerMessage =
  | { type: 'ready' }
  | { type: 'load-error', error: WorkerError }
  | { type: 'result', id: string, ok: true, json: string, cpuMs?: number, sequential?: number }
  | { type: 'result', id: string, ok: false, error: WorkerError, cpuMs?: number, sequential?: number }
  | { type: 'crash', id: string | null, error: WorkerError }

function resultOutcome (requestId: string, json: string): InvokeOutcome {
  if (Buffer.byteLength(json, 'utf8') > MAX_RESULT_BYTES) {
    return { ok: false, requestId, kind: 'error', message: 'cloudfunction result size exceed limit (1MB)' }
  }
  return { ok: true, requestId, json }
}

function forwardLines (from: NodeJS.ReadableStream | null, to: NodeJS.WritableStream, prefix: string): void {
  if (!from) return
  readline.createInterface({ input: from }).on('line', (line) => to.write(prefix + line + '\n'))
}
