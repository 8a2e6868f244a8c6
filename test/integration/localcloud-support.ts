// Helpers for the local cloud's own tests (localcloud-*.test.ts): a cloud running the fixture functions, the
// real wx-server-sdk pointed at it, and plain HTTP calls as the h5 build makes them.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startLocalCloud, type LocalCloud, type LocalCloudOptions } from '../../localcloud'

export const FIXTURE_FUNCTIONS = path.resolve(__dirname, '..', 'fixtures', 'functions')

/** A functions folder holding only the named fixtures (so a test's timers are only the ones it means); remove it after. */
export function someFixtures (names: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'localcloud-fns-'))
  for (const name of names) fs.cpSync(path.join(FIXTURE_FUNCTIONS, name), path.join(dir, name), { recursive: true })
  return dir
}

export async function startFixtureCloud (opts: Partial<LocalCloudOptions> = {}): Promise<LocalCloud> {
  return await startLocalCloud({
    port: 0,
    dataDir: ':memory:',
    functionsDir: FIXTURE_FUNCTIONS,
    localMode: true,
    runTimers: false,
    functionLogs: false,
    log: () => {}, // failures here are expected and asserted; set LOCALCLOUD_LOGS=1 to see them
    ...(process.env.LOCALCLOUD_LOGS ? { functionLogs: true, log: undefined } : {}),
    ...opts
  })
}

/** The real wx-server-sdk in this (test) process, pointed at the cloud; outside any function, so no OPENID. */
export function sdk (cloud: LocalCloud): any {
  process.env.TENCENTCLOUD = 'true' // no per-request metadata DNS probe

  const wx = require('wx-server-sdk')
  wx.init({ env: 'local', serviceUrl: cloud.adminUrl, secretId: 'local', secretKey: 'local' })
  return wx
}

export interface Reply { status: number, headers: Headers, body: any }

async function toReply (res: Response): Promise<Reply> {
  const text = await res.text()
  let body: unknown = text
  try { body = JSON.parse(text) } catch {}
  return { status: res.status, headers: res.headers, body }
}

/** POST /api/functions/<fn> as the h5 build does; `openid` goes in the local-mode header. */
export async function callFn (cloud: LocalCloud, fn: string, body: unknown, opts: { openid?: string, cookie?: string } = {}): Promise<Reply> {
  return await toReply(await fetch(`${cloud.url}/api/functions/${fn}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(opts.openid !== undefined ? { 'x-localcloud-openid': opts.openid } : {}),
      ...(opts.cookie !== undefined ? { cookie: opts.cookie } : {})
    },
    body: typeof body === 'string' ? body : JSON.stringify(body)
  }))
}

export async function request (cloud: LocalCloud, method: string, p: string, body?: string | Buffer, headers: Record<string, string> = {}): Promise<Reply> {
  return await toReply(await fetch(`${cloud.url}${p}`, { method, headers, body: body as any }))
}

/** How many documents a collection holds, read through the admin API (the store's own view). */
export async function count (cloud: LocalCloud, collection: string): Promise<number> {
  const res = await request(cloud, 'POST', '/admin', JSON.stringify({ action: 'database.calculateDocument', collectionName: collection, queryType: 'WHERE' }),
    { 'content-type': 'application/json' })
  if (res.body.code) throw new Error(`${res.body.code}: ${res.body.message}`)
  return res.body.data.total
}
