import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export const ROOT = path.resolve(__dirname, '..')
export type Figures = Record<string, number | string | boolean>

export function tempDir (prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `chuyan-bench-${prefix}-`))
}

const START_TIMEOUT_MS = 60_000
const STOP_TIMEOUT_MS = 10_000

/**
 * Starts the local cloud as `npm start` runs it (dev/start.ts under tsx, its own process, a file store), so
 * the benchmark's clients and the server do not share one event loop. It is `node --import tsx` rather than the
 * tsx CLI only so that the child's pid is the server itself (whose CPU time the benchmark reads), not a relay.
 * Resolves once it prints its address.
 */
export async function spawnLocalCloud (opts: { dataDir: string, seed?: boolean, env?: Record<string, string> }): Promise<{ url: string, adminUrl: string, child: ChildProcess, stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'dev', 'start.ts')], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', CHUYAN_DATA_DIR: opts.dataDir, CHUYAN_SEED: opts.seed ? 'empty' : 'off', CHUYAN_TIMERS: 'off', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const stop = () => new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS)
    child.once('exit', () => { clearTimeout(timer); resolve() })
    child.kill('SIGTERM')
  })
  let out = ''
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`local cloud did not start within ${START_TIMEOUT_MS / 1000} s:\n${out}`)), START_TIMEOUT_MS)
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString()
        const m = out.match(/local cloud: (http:\/\/127\.0\.0\.1:\d+)/)
        if (m) { clearTimeout(timer); resolve(m[1]) }
      })
      child.stderr!.on('data', (c: Buffer) => { out += c.toString() })
      child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`local cloud exited (${code}) before starting:\n${out}`)) })
    })
    return { url, adminUrl: `${url}/admin`, child, stop }
  } catch (err) {
    await stop()
    throw err
  }
}

/**
 * Runs `total` operations over `callers` concurrent loops; returns operations per second. Bounded in count
 * (`total`) and in time (`timeoutMs`: past it, the loops stop and this rejects).
 */
export async function concurrently (callers: number, total: number, op: (i: number) => Promise<unknown>, timeoutMs = 120_000): Promise<number> {
  let next = 0
  const started = process.hrtime.bigint()
  const deadline = started + BigInt(timeoutMs) * BigInt(1_000_000)
  await Promise.all(Array.from({ length: callers }, async () => {
    while (next < total) {
      if (process.hrtime.bigint() > deadline) throw new Error(`${total} operations did not finish within ${timeoutMs / 1000} s`)
      const i = next++
      await op(i)
    }
  }))
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  return total / seconds
}

export function median (xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2
}

export function round (n: number, digits = 1): number {
  const f = 10 ** digits
  return Math.round(n * f) / f
}

/** CPU time (user + system, ms) a process has used so far, from /proc; undefined where there is no /proc. */
export function processCpuMs (pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Fields after "(comm)": state is field 3, utime and stime are fields 14 and 15, in clock ticks (100 Hz on Linux).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) * 10
  } catch {
    return undefined
  }
}

/** Busy and total CPU time of the whole machine so far, from /proc/stat; undefined where there is none. */
export function machineCpuTicks (): { busy: number, total: number } | undefined {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] // "cpu user nice system idle iowait irq softirq steal ..."
    const t = line.trim().split(/\s+/).slice(1, 9).map(Number)
    const total = t.reduce((a, b) => a + b, 0)
    return { busy: total - t[3] - t[4], total }
  } catch {
    return undefined
  }
}

/**
 * Waits (at most `maxMs`) for a second in which the machine's CPUs are less than `quietShare` busy, so that a
 * baseline is not measured while other work runs; returns the busy share of the last second sampled (0..1), or
 * undefined where /proc/stat is missing. Other users of the machine are not ours to stop, so it only waits.
 */
export async function waitForQuiet (quietShare = 0.15, maxMs = 30_000): Promise<number | undefined> {
  const until = Date.now() + maxMs
  let share: number | undefined
  do {
    const a = machineCpuTicks()
    await new Promise((resolve) => setTimeout(resolve, 1000))
    const b = machineCpuTicks()
    if (!a || !b || b.total === a.total) return undefined
    share = (b.busy - a.busy) / (b.total - a.total)
  } while (share >= quietShare && Date.now() < until)
  return share
}

export function machine (): Figures {
  return { node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '', memoryGiB: round(os.totalmem() / 2 ** 30) }
}

/**
 * Figures as text: plain keys one a line, then dotted keys (`group.metric`) as a table with a row per metric and
 * a column per group, so layers or algorithms can be read side by side.
 */
export function formatFigures (figures: Figures): string {
  const show = (v: number | string | boolean | undefined): string =>
    v === undefined ? '' : typeof v === 'number' && Math.abs(v) >= 10000 ? v.toLocaleString('en-US') : String(v)
  const lines: string[] = []
  const groups: string[] = []
  const rows = new Map<string, Map<string, number | string | boolean>>()
  for (const [key, value] of Object.entries(figures)) {
    const dot = key.indexOf('.')
    if (dot < 0) { lines.push(`${key.padEnd(34)} ${show(value)}`); continue }
    const group = key.slice(0, dot)
    const metric = key.slice(dot + 1)
    if (!groups.includes(group)) groups.push(group)
    if (!rows.has(metric)) rows.set(metric, new Map())
    rows.get(metric)!.set(group, value)
  }
  if (rows.size > 0) {
    const first = Math.max(...[...rows.keys()].map((k) => k.length))
    const widths = groups.map((g) => Math.max(g.length, ...[...rows.values()].map((r) => show(r.get(g)).length)))
    lines.push('')
    lines.push(['', ...groups].map((g, i) => i === 0 ? g.padEnd(first) : g.padStart(widths[i - 1])).join('  '))
    for (const [metric, r] of rows) {
      lines.push([metric.padEnd(first), ...groups.map((g, i) => show(r.get(g)).padStart(widths[i]))].join('  '))
    }
  }
  return lines.join('\n')
}

/** The p-th percentile (0..100) by nearest rank; undefined for no values. */
export function percentile (xs: readonly number[], p: number): number | undefined {
  if (xs.length === 0) return undefined
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p / 100 * s.length) - 1))]
}

/**
 * CPU time (ms) of a process and all its descendants, from /proc: the local cloud runs each function instance in a
 * child process of its own, whose time the server's own /proc/<pid>/stat does not include. A process that ends between
 * two readings takes its time with it (an underestimate; instances live on while calls come). Undefined without /proc.
 */
export function treeCpuMs (rootPid: number): number | undefined {
  let pids: string[]
  try {
    pids = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))
  } catch {
    return undefined
  }
  const children = new Map<number, number[]>()
  for (const pid of pids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) // field 4, after state
      children.set(ppid, [...(children.get(ppid) ?? []), Number(pid)])
    } catch {
      // the process ended while we looked
    }
  }
  let total = 0
  const todo = [rootPid]
  for (let guard = 0; todo.length > 0 && guard < 10000; guard++) {
    const pid = todo.pop() as number
    total += processCpuMs(pid) ?? 0
    todo.push(...(children.get(pid) ?? []))
  }
  return total
}

/** What a timed phase cost and what else the machine did meanwhile; shares are of all cores' capacity (0..1). */
export interface LoadReading {
  wallMs: number
  /** CPU of this process and of the local cloud with its function instances. */
  ownCpuMs?: number
  machineBusy?: number
  /** The share other work on the machine took: the figures are low by about that much. */
  others?: number
  /** 1-minute load average at the end, beside the core count. */
  loadAvg1m: number
}

/** Starts a reading of machine load; call the result when the phase ends. `serverPid`: the local cloud, if any. */
export function loadMeter (serverPid?: number): () => LoadReading {
  const machine0 = machineCpuTicks()
  const self0 = process.cpuUsage()
  const server0 = serverPid === undefined ? 0 : treeCpuMs(serverPid)
  const t0 = process.hrtime.bigint()
  return () => {
    const wallMs = Number(process.hrtime.bigint() - t0) / 1e6
    const machine1 = machineCpuTicks()
    const self = process.cpuUsage(self0)
    const server1 = serverPid === undefined ? 0 : treeCpuMs(serverPid)
    const ownCpuMs = server0 === undefined || server1 === undefined ? undefined : (self.user + self.system) / 1000 + server1 - server0
    const capacityMs = wallMs * os.cpus().length
    // /proc/stat counts 10 ms ticks summed over all CPUs.
    const busyMs = machine0 && machine1 ? (machine1.busy - machine0.busy) * 10 : undefined
    return {
      wallMs,
      ownCpuMs,
      machineBusy: busyMs === undefined ? undefined : Math.min(1, busyMs / capacityMs),
      others: busyMs === undefined || ownCpuMs === undefined ? undefined : Math.min(1, Math.max(0, (busyMs - ownCpuMs) / capacityMs)),
      loadAvg1m: round(os.loadavg()[0], 2)
    }
  }
}

/** A share (0..1) as a percentage for the table; 'n/a' where it could not be measured. */
export function pct (x: number | undefined): string {
  return x === undefined ? 'n/a' : `${Math.round(x * 100)}%`
}

/** The part of a wx-server-sdk database the benchmarks write with. */
export interface SdkDb {
  collection (name: string): { add (opts: { data: unknown }): Promise<unknown> }
}

/**
 * Writes documents through the SDK in batches (one `add` of an array per batch, `inFlight` batches at a time), as
 * a setup step: fast, and through the same wire as the functions. Bounded by `timeoutMs`.
 */
export async function insertMany (db: SdkDb, collection: string, docs: readonly object[], opts: { batch?: number, inFlight?: number, timeoutMs?: number } = {}): Promise<void> {
  const batch = opts.batch ?? 500
  const batches = Math.ceil(docs.length / batch)
  await concurrently(Math.min(opts.inFlight ?? 2, Math.max(1, batches)), batches, async (i) => {
    await db.collection(collection).add({ data: docs.slice(i * batch, (i + 1) * batch) })
  }, opts.timeoutMs ?? 300_000)
}

/** A function call through the local cloud's gateway, as the h5 app makes it; local mode trusts the OPENID header. */
export async function callFunction<T = any> (url: string, openid: string, fn: string, action: string, data: unknown, timeoutMs = 60_000): Promise<{ ok: boolean, data?: T, error?: { code: string, message: string } }> {
  if (new URL(url).hostname !== '127.0.0.1') throw new Error(`the benchmark only talks to 127.0.0.1, not ${url}`)
  const res = await fetch(`${url}/api/functions/${fn}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-localcloud-openid': openid },
    body: JSON.stringify({ action, data }),
    signal: AbortSignal.timeout(timeoutMs)
  })
  return await res.json() as { ok: boolean, data?: T, error?: { code: string, message: string } }
}

/**
 * A wx-server-sdk database pointed at one local cloud. `cloud.init` only takes effect once per process, so each
 * benchmark (run one after another by run.ts, each with its own local cloud) makes an instance of its own.
 */
export function sdkDatabase (adminUrl: string): any {
  if (new URL(adminUrl).hostname !== '127.0.0.1') throw new Error(`the benchmark only talks to 127.0.0.1, not ${adminUrl}`)
  process.env.TENCENTCLOUD = 'true' // no metadata DNS probe per request

  const cloud = require('wx-server-sdk')
  return cloud.createNewInstance({ env: 'local', serviceUrl: adminUrl, secretId: 'bench', secretKey: 'bench' }).database()
}
