/**
 * Retries that survive a crash: the real entry point (dev/start.ts) on a data folder, a booking sent, the whole local
 * cloud SIGKILLed while that booking is under way (at three points: its key just claimed, its first lock taken, its
 * booking written), a restart on the same folder, and the same request retried with the same key. While the key's
 * lease runs the retry is told to wait (or, once the booking is written, gets it at once); once the clock is moved past the lease (the hotline's 10-second timeout) the
 * retry answers with the committed booking or books afresh, and there is never a second booking, seat or lock.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { requireBuilt } from '../support/paths'

const ROOT = path.resolve(__dirname, '..', '..')
const WANG = 'demo-parent-wang' // father of child-01 (石桥镇中心小学, room-sq)

interface Running { child: ChildProcess, url: string }

async function startMain (dataDir: string): Promise<Running> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'dev', 'start.ts')], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', CHUYAN_DATA_DIR: dataDir, CHUYAN_SEED: 'empty', CHUYAN_TIMERS: 'off', NODE_ENV: 'development' },
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
  return { child, url }
}

async function exited (child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  await new Promise((resolve) => child.once('exit', resolve))
}

async function call (url: string, openid: string, fn: string, action: string, data: unknown): Promise<any> {
  const res = await fetch(`${url}/api/functions/${fn}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-localcloud-openid': openid }, body: JSON.stringify({ action, data }) })
  return await res.json()
}

/** Every document of a collection, through the admin API the SDK speaks. */
async function docs (url: string, collection: string): Promise<any[]> {
  const res = await fetch(`${url}/admin?env=local`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action: 'database.getDocument', collectionName: collection, queryType: 'WHERE', limit: 1000 }) })
  const body = await res.json() as any
  if (body.code) throw new Error(`${body.code}: ${body.message}`)
  return body.data.list.map((s: string) => JSON.parse(s))
}

let dataDir: string
const children: ChildProcess[] = []
beforeAll(() => { requireBuilt('cloudfunctions'); dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chuyan-lease-')) })
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL')
  fs.rmSync(dataDir, { recursive: true, force: true })
})

type KillPoint = 'key claimed' | 'first lock taken' | 'booking written'

it('answers a retry after a crash with the committed booking or a fresh one, never "in progress" forever, never two', async () => {
  let cloud = await startMain(dataDir)
  children.push(cloud.child)
  const settings = { devices: 2, openHours: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '06:00', end: '23:00' }], slotMinutes: 20, bufferMinutes: 0, closedDates: [], followsSchoolCalendar: false, noticeHours: 0, horizonDays: 14, maxFutureBookingsPerFamily: 10 }
  expect((await call(cloud.url, 'demo-teacher-chen', 'hotline', 'saveRoomSettings', { roomId: 'room-sq', settings })).ok).toBe(true)
  const { slots } = (await call(cloud.url, WANG, 'hotline', 'slots', { childId: 'child-01', days: 7 })).data
  const points: KillPoint[] = ['key claimed', 'first lock taken', 'booking written']
  const stateAtRestart: string[] = []

  for (const [round, point] of points.entries()) {
    const start = slots[10 + round * 3].start
    const idempotencyKey = `lease-round-${round}-${Date.now()}`
    const keyId = `hotline.book:${WANG}:${idempotencyKey}`
    const request = { childId: 'child-01', start, mode: 'video', idempotencyKey }
    const reached = async (): Promise<boolean> => {
      if (point === 'key claimed') return (await docs(cloud.url, 'idempotency')).some((d) => d._id === keyId)
      if (point === 'first lock taken') return (await docs(cloud.url, 'quotaLocks')).some((d) => d.childSlot && d.bookingId && d._id.startsWith('room-sq') && d._id.endsWith('@child-01') && d.bookingId.endsWith(keyRef(keyId)))
      return (await docs(cloud.url, 'bookings')).some((d) => d._id.endsWith(keyRef(keyId)))
    }
    // Send it, and kill the cloud the moment the store shows the point reached.
    const pending = call(cloud.url, WANG, 'hotline', 'book', request).catch(() => 'cut off')
    const deadline = Date.now() + 20000
    while (!(await reached())) {
      if (Date.now() > deadline) throw new Error(`the booking never reached "${point}"`)
    }
    cloud.child.kill('SIGKILL')
    await exited(cloud.child)
    await pending

    cloud = await startMain(dataDir)
    children.push(cloud.child)
    const key = (await docs(cloud.url, 'idempotency')).find((d) => d._id === keyId)
    stateAtRestart.push(key?.state ?? 'none')
    if (key?.state === 'running') {
      const claimedAt = new Date(key.at.$date ?? key.at).getTime()
      const leaseUntil = new Date(key.leaseUntil.$date ?? key.leaseUntil).getTime()
      expect(leaseUntil - claimedAt).toBe(10_000) // the hotline's timeout (config.json)
      // A second after the claim, by the clock (not by how long the restart took): the retry is told to wait, unless
      // the booking was written, which it then answers with at once.
      await setClock(cloud.url, new Date(claimedAt + 1000))
      const early = await call(cloud.url, WANG, 'hotline', 'book', request)
      const written = (await docs(cloud.url, 'bookings')).some((d) => d._id.endsWith(keyRef(keyId)))
      if (written) expect(early.data).toMatchObject({ outcome: 'booked', booking: { childId: 'child-01', start } })
      else expect(early.error).toEqual({ code: 'CONFLICT', message: '上一次提交还在处理中，请稍等几秒再看' })
      // Past the lease.
      await setClock(cloud.url, new Date(leaseUntil + 1000))
    }
    const retry = await call(cloud.url, WANG, 'hotline', 'book', request)
    if (!retry.ok) throw new Error(`round ${round} (${point}, key ${stateAtRestart[round]}): ${JSON.stringify(retry)}`)
    expect(retry.data).toMatchObject({ outcome: 'booked', booking: { childId: 'child-01', start, status: 'booked' } })
    const again = await call(cloud.url, WANG, 'hotline', 'book', request)
    expect(again.data.booking.id).toBe(retry.data.booking.id)

    // One booking, one seat, one lock of the family's limit and one marker for the child at that time.
    const at = (d: any) => new Date(d.start?.$date ?? d.start).toISOString() === new Date(start).toISOString()
    expect((await docs(cloud.url, 'bookings')).filter((d) => d.childId === 'child-01' && at(d)).map((d) => d._id)).toEqual([retry.data.booking.id])
    const slotKey = (await docs(cloud.url, 'bookings')).find((d) => d._id === retry.data.booking.id).slotKey
    expect((await docs(cloud.url, 'seats')).filter((d) => d.slotKey === slotKey).map((d) => d.bookingId)).toEqual([retry.data.booking.id])
    const locks = await docs(cloud.url, 'quotaLocks')
    expect(locks.filter((d) => d.bookingId === retry.data.booking.id && !d.childSlot)).toHaveLength(1)
    expect(locks.filter((d) => d.childSlot && d._id === `${slotKey}@child-01`)).toHaveLength(1)
    // The booking keeps itself (its id comes from the key): the key holds no second copy, and retries read the booking.
    expect((await docs(cloud.url, 'idempotency')).find((d) => d._id === keyId).result).toBeUndefined()
  }
  // At least one kill left the key "in progress": the lease was what let the retry through.
  expect(stateAtRestart).toContain('running')
  cloud.child.kill('SIGTERM')
  await exited(cloud.child)
}, 180000)

async function setClock (url: string, at: Date): Promise<void> {
  const res = await fetch(`${url}/api/dev/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ set: at.toISOString(), frozen: true }) })
  expect(res.status).toBe(200)
}

/** The part of a booking's id that comes from its key (`_server/idempotency.ts` ref, first 12 characters). */
function keyRef (keyId: string): string {
  return require('node:crypto').createHash('sha256').update(keyId).digest('hex').slice(0, 12)
}
