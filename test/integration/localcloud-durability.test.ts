/**
 * Durability: the real entry point (dev/start.ts) on a data folder, a stream of inserts through the SDK,
 * the process SIGKILLed mid-stream, a restart on the same folder: every insert the SDK saw acknowledged is there.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const ROOT = path.resolve(__dirname, '..', '..')

interface Running { child: ChildProcess, adminUrl: string, output: () => string }

/** Starts dev/start.ts in its own process (plain node with tsx's loader: one process, so a kill hits the server itself). */
async function startMain (dataDir: string): Promise<Running> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'dev', 'start.ts')], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', CHUYAN_DATA_DIR: dataDir, CHUYAN_SEED: 'off', NODE_ENV: 'development' },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let out = ''
  child.stdout?.on('data', (d: Buffer) => { out += d.toString() })
  child.stderr?.on('data', (d: Buffer) => { out += d.toString() })
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`dev/start.ts did not start in 30 s:\n${out}`)), 30000)
    const check = (): void => {
      const m = /雏燕 local cloud: (http:\/\/127\.0\.0\.1:\d+)\//.exec(out)
      if (m) { clearTimeout(timer); resolve(m[1]) }
    }
    child.stdout?.on('data', check)
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`dev/start.ts exited with ${code}:\n${out}`)) })
  })
  return { child, adminUrl: `${url}/admin`, output: () => out }
}

async function exited (child: ChildProcess): Promise<{ code: number | null, signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return { code: child.exitCode, signal: child.signalCode }
  return await new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
}

/** The wx-server-sdk admin API, spoken directly (the SDK keeps one global config per process; two servers here). */
async function admin (adminUrl: string, body: object): Promise<any> {
  const res = await fetch(`${adminUrl}?env=local`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return await res.json()
}

async function allIds (adminUrl: string): Promise<Set<string>> {
  const ids = new Set<string>()
  for (let offset = 0; ; offset += 1000) {
    const r = await admin(adminUrl, { action: 'database.getDocument', collectionName: 'durable', queryType: 'WHERE', offset, limit: 1000 })
    if (r.code) throw new Error(`${r.code}: ${r.message}`)
    for (const s of r.data.list) ids.add(JSON.parse(s)._id)
    if (r.data.list.length < 1000) return ids
  }
}

let dataDir: string
const children: ChildProcess[] = []

beforeEach(() => { dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chuyan-durable-')) })
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL')
  fs.rmSync(dataDir, { recursive: true, force: true })
})

it('keeps every acknowledged insert across a SIGKILL mid-stream', async () => {
  const first = await startMain(dataDir)
  children.push(first.child)
  process.env.TENCENTCLOUD = 'true'
  process.env.SILENCE = 'true' // the SDK's "slower than 3 s" warning fires for the requests the kill cut off
  const wx = require('wx-server-sdk')
  wx.init({ env: 'local', serviceUrl: first.adminUrl, secretId: 'local', secretKey: 'local', timeout: 5000 })
  const db = wx.database()
  await db.createCollection('durable')

  // Four writers, each inserting as fast as acknowledgements come back, until the server dies under them.
  const acked: string[] = []
  let failures = 0
  const writer = async (w: number): Promise<void> => {
    for (let i = 0; ; i++) {
      const _id = `w${w}-${i}`
      try {
        await db.collection('durable').add({ data: { _id, w, i, at: new Date(), text: '留守儿童关爱' } })
        acked.push(_id)
      } catch {
        failures++
        return
      }
    }
  }
  const writers = [0, 1, 2, 3].map(writer)
  while (acked.length < 400) await new Promise((resolve) => setTimeout(resolve, 10))
  first.child.kill('SIGKILL')
  await Promise.all(writers)
  expect((await exited(first.child)).signal).toBe('SIGKILL')
  expect(failures).toBe(4) // every writer saw the server go
  const ackedAtKill = [...acked]

  const second = await startMain(dataDir)
  children.push(second.child)
  const ids = await allIds(second.adminUrl)
  const missing = ackedAtKill.filter((id) => !ids.has(id))
  expect(missing).toEqual([])
  expect(ids.size).toBeGreaterThanOrEqual(ackedAtKill.length)
  // And the restarted store takes writes.
  const more = await admin(second.adminUrl, { action: 'database.insertDocument', collectionName: 'durable', data: [JSON.stringify({ _id: 'after-restart' })] })
  expect(more.code).toBeUndefined()
  second.child.kill('SIGTERM')
  expect(await exited(second.child)).toEqual({ code: 0, signal: null })
}, 90000)

it('stops cleanly on SIGTERM and keeps what was written', async () => {
  const first = await startMain(dataDir)
  children.push(first.child)
  expect((await admin(first.adminUrl, { action: 'database.addCollection', collectionName: 'durable' })).code).toBeUndefined()
  for (let i = 0; i < 20; i++) {
    const r = await admin(first.adminUrl, { action: 'database.insertDocument', collectionName: 'durable', data: [JSON.stringify({ _id: `t${i}` })] })
    expect(r.code).toBeUndefined()
  }
  first.child.kill('SIGTERM')
  expect(await exited(first.child)).toEqual({ code: 0, signal: null })
  expect(first.output()).toMatch(/SIGTERM: stopping the local cloud/)

  const second = await startMain(dataDir)
  children.push(second.child)
  expect((await allIds(second.adminUrl)).size).toBe(20)
  second.child.kill('SIGTERM')
  await exited(second.child)
}, 60000)
