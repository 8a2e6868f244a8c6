import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export const ROOT = path.resolve(__dirname, '..')
export type Figures = Record<string, number | string | boolean>

export function tempDir (prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `chuyan-bench-${prefix}-`))
}

/**
 * Starts the local cloud exactly as `npm start` runs it (its own process, a file store), so the benchmark's
 * SDK clients and the server do not share one event loop. Resolves once it prints its address.
 */
export async function spawnLocalCloud (opts: { dataDir: string, seed?: boolean, env?: Record<string, string> }): Promise<{ url: string, adminUrl: string, child: ChildProcess, stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [require.resolve('tsx/cli'), path.join(ROOT, 'localcloud', 'main.ts')], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', CHUYAN_DATA_DIR: opts.dataDir, CHUYAN_SEED: opts.seed ? 'on' : 'off', CHUYAN_TIMERS: 'off', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    const onData = (chunk: Buffer) => {
      out += chunk.toString()
      const m = out.match(/local cloud: (http:\/\/127\.0\.0\.1:\d+)/)
      if (m) resolve(m[1])
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', (c: Buffer) => { out += c.toString() })
    child.on('exit', (code) => reject(new Error(`local cloud exited (${code}) before starting:\n${out}`)))
  })
  const stop = () => new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
  return { url, adminUrl: `${url}/admin`, child, stop }
}

/** Runs `total` operations over `callers` concurrent loops; returns operations per second. */
export async function concurrently (callers: number, total: number, op: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0
  const started = process.hrtime.bigint()
  await Promise.all(Array.from({ length: callers }, async () => {
    while (next < total) {
      const i = next++
      await op(i)
    }
  }))
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  return total / seconds
}

export function round (n: number, digits = 1): number {
  const f = 10 ** digits
  return Math.round(n * f) / f
}

export function machine (): Figures {
  return { node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '', memoryGiB: round(os.totalmem() / 2 ** 30) }
}
