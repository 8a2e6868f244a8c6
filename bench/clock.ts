/**
 * Clock benchmark: how long the local cloud takes to live through a simulated week of a timer that fires every
 * minute (10,080 due times), advancing its clock with `cloud.clock.advance('P7D')` (docs/LOCALCLOUD.md, "The clock
 * and fast-forward"). The timers are the test fixtures (test/fixtures/functions), run by the real function host
 * through the real wx-server-sdk; the store is in memory.
 *
 *   hinted.*   `hinted` (every minute: finishes due jobs, returns {nextDueAt}) with one job a day at 09:00: it fires
 *              once, then only when a job falls due.
 *   busy.*     `hinted` plus `jobmaker`, which writes a new job due ten minutes later every hour at :30: each write
 *              voids the hint, so the scheduler fires again at once and then at the job's time.
 *   unhinted.* `minutely` (every minute: records the firing, gives no hint): every due time fires. One simulated
 *              day is timed; the week figure is that day times seven.
 *
 * Each run checks what fired against what must have fired and throws if they differ.
 *
 *   npx tsx bench/clock.ts     prints the figures (npm run bench -- clock also writes them to bench/results/)
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startLocalCloud, type LocalCloud } from '../localcloud'
import { formatFigures, round, type Figures } from './common'

const FIXTURES = path.join(__dirname, '..', 'test', 'fixtures', 'functions')
const MONDAY = '2026-03-02T00:00:00+08:00'
const DAY = 86_400_000
const MINUTE = 60_000

async function withCloud<T> (fixtures: string[], run: (cloud: LocalCloud) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'localcloud-bench-clock-'))
  for (const name of fixtures) fs.cpSync(path.join(FIXTURES, name), path.join(dir, name), { recursive: true })
  const cloud = await startLocalCloud({ port: 0, dataDir: ':memory:', functionsDir: dir, runTimers: false, functionLogs: false })
  try {
    for (const c of ['firings', 'jobs']) cloud.store.createCollection(c)
    await cloud.clock.set(MONDAY, { frozen: true })
    return await run(cloud)
  } finally {
    await cloud.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

async function timedAdvance (cloud: LocalCloud, duration: string): Promise<{ seconds: number, fired: number }> {
  const started = process.hrtime.bigint()
  const result = await cloud.clock.advance(duration)
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  if (result.failed > 0) throw new Error(`${result.failed} timer invocations failed`)
  return { seconds, fired: result.fired }
}

function check (what: string, actual: unknown, expected: unknown): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`)
}

/** One job a day at 09:00 in Shanghai; the scheduler should fire at 00:01 (no hint yet) and at each job's time. */
async function hintedWeek (): Promise<Figures> {
  return await withCloud(['hinted'], async (cloud) => {
    const dues = Array.from({ length: 7 }, (_, d) => new Date(Date.parse(MONDAY) + d * DAY + 9 * 3_600_000))
    cloud.store.insert('jobs', dues.map((dueAt) => ({ done: false, dueAt })))
    const { seconds, fired } = await timedAdvance(cloud, 'P7D')
    check('hinted firings', cloud.store.find('firings').map((f) => f.at.getTime()), [Date.parse(MONDAY) + MINUTE, ...dues.map((d) => d.getTime())])
    check('jobs done at their time', cloud.store.find('jobs', {}, { sort: { dueAt: 1 } }).map((j) => j.doneAt?.getTime()), dues.map((d) => d.getTime()))
    return { 'hinted.weekSeconds': round(seconds, 2), 'hinted.fired': fired, 'hinted.dueTimes': 7 * 24 * 60 }
  })
}

/** New work every hour: the hint is voided by each write, and the scheduler still does each job on time. */
async function busyWeek (): Promise<Figures> {
  return await withCloud(['hinted', 'jobmaker'], async (cloud) => {
    const { seconds, fired } = await timedAdvance(cloud, 'P7D')
    const jobs = cloud.store.find('jobs')
    check('jobs made', jobs.length, 7 * 24)
    check('jobs done ten minutes after they were made', jobs.every((j) => j.done === true && j.doneAt.getTime() === j.dueAt.getTime()), true)
    return { 'busy.weekSeconds': round(seconds, 2), 'busy.fired': fired, 'busy.dueTimes': 7 * 24 * 60 + 7 * 24 }
  })
}

/** No hint: every one of a day's 1,440 due times fires, once, in order. */
async function unhintedDay (): Promise<Figures> {
  return await withCloud(['minutely'], async (cloud) => {
    const { seconds, fired } = await timedAdvance(cloud, 'P1D')
    const times = cloud.store.find('firings').map((f) => f.at.getTime())
    check('unhinted firings', times, Array.from({ length: 1440 }, (_, i) => Date.parse(MONDAY) + (i + 1) * MINUTE))
    return {
      'unhinted.daySeconds': round(seconds, 2),
      'unhinted.fired': fired,
      'unhinted.msPerFiring': round((seconds * 1000) / fired, 2),
      'unhinted.weekSecondsEstimated': round(seconds * 7, 1)
    }
  })
}

export async function runClockBench (): Promise<Figures> {
  return { ...await hintedWeek(), ...await busyWeek(), ...await unhintedDay() }
}

if (require.main === module) {
  runClockBench().then((figures) => { console.log(formatFigures(figures)); process.exit(0) }, (err) => { console.error(err); process.exit(1) })
}
