/**
 * Every timer of the product, run by the scheduler's one trigger (every minute, so a crisis escalates on
 * time). Jobs live here, under `_server/`, because each needs its area's code (the hotline's booking engine, the
 * crisis ladder, the reports' chain) and a function may not import another function's folder.
 */
import { contactFlags, callReminders, newCallsToRooms, standingCalls, waitlistOffers, weeklyNudges } from './hotline'
import { crisisEscalation, sessionReminders, soonFollowUp } from './counseling'
import { legalAidClocks } from './legalaid'
import { pairingOffers, pairingRhythm, vetting } from './pairing'
import { reportDelivery, reportEscalation } from './safeguard'
import { deletionDeadlines, retentionPurge } from './registry'
import { earliest, type Job } from './job'
import { forgetMarksRead, readMarksAhead } from '../marks'

const JOBS: Record<string, Job> = {
  // First: a child in crisis never waits behind anything else.
  crisisEscalation,
  reportDelivery,
  reportEscalation,
  reminders: callReminders,
  newCallsToRooms,
  sessionReminders,
  soonFollowUp,
  offers: waitlistOffers,
  standingCalls,
  weeklyNudges,
  contactFlags,
  legalAidClocks,
  pairingOffers,
  vetting,
  pairingRhythm,
  deletionDeadlines,
  retentionPurge
}

interface JobsRun {
  /** per job, how many things it did, or why it failed */
  results: Record<string, number | string>
  /** per job, when it next has work (null: none until something is written) */
  nextDue: Record<string, Date | null>
  /** the earliest of them (docs/LOCALCLOUD.md, the clock and fast-forward) */
  nextDueAt: Date | null
}

/**
 * Jobs that run one after another, in this order; the lines run side by side. A crisis never waits behind anything
 * else; the weekly call rules run in order (a standing call books the week before the nudge counts it, the nudge
 * before the flags); the rest touch different things and only their own marks, so they need no order. Side by side a
 * busy minute ends sooner (the timeout is a minute, docs/ARCHITECTURE.md "Timers").
 */
const FIRST: readonly string[] = ['crisisEscalation', 'reportDelivery', 'reportEscalation']
const LINES: ReadonlyArray<readonly string[]> = [
  ['standingCalls', 'weeklyNudges', 'contactFlags'],
  ...Object.keys(JOBS).filter((name) => !FIRST.includes(name) && !['standingCalls', 'weeklyNudges', 'contactFlags'].includes(name)).map((name) => [name])
]

/** Runs every job as the clock reads `now`, then asks each when it next has work. */
export async function runJobs (now: Date): Promise<JobsRun> {
  // The jobs' day and week marks are read while the first jobs run (they need none); should the read fail, each job
  // reads its own.
  const ahead = readMarksAhead(Object.values(JOBS).flatMap((job) => job.marks?.(now) ?? [])).catch((err: unknown) => {
    console.error('[scheduler] the marks could not be read ahead', err)
  })
  try {
    return await runAll(now, ahead)
  } finally {
    forgetMarksRead()
  }
}

async function runAll (now: Date, ahead: Promise<void>): Promise<JobsRun> {
  const results: Record<string, number | string> = {}
  const runOne = async (name: string): Promise<void> => {
    try {
      results[name] = await JOBS[name].run(now)
    } catch (err: any) {
      // One job failing must not stop the others; the next run, a minute later, tries again.
      console.error(`[scheduler] ${name} failed`, err)
      results[name] = `failed: ${err?.message ?? err}`
    }
  }
  for (const name of FIRST) await runOne(name)
  await ahead
  await Promise.all(LINES.map(async (line) => { for (const name of line) await runOne(name) }))
  const nextDue: Record<string, Date | null> = {}
  await Promise.all(Object.entries(JOBS).map(async ([name, job]) => {
    // A job that failed, or cannot tell, has work at the next minute.
    let next: Date | null = now
    if (typeof results[name] === 'number') {
      try {
        next = await job.nextDue(now)
      } catch (err) {
        console.error(`[scheduler] ${name} cannot tell when it next has work`, err)
      }
    }
    nextDue[name] = next
  }))
  let nextDueAt: Date | null = null
  for (const name of Object.keys(JOBS)) nextDueAt = earliest(nextDueAt, nextDue[name])
  return { results, nextDue, nextDueAt }
}
