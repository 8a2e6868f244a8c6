/**
 * Every timer of the product, run in order by the scheduler's one trigger (every minute, so a crisis escalates on
 * time). Jobs live here, under `_server/`, because each needs its area's code (the hotline's booking engine, the
 * crisis ladder, the reports' chain) and a function may not import another function's folder.
 */
import { contactFlags, callReminders, standingCalls, waitlistOffers, weeklyNudges } from './hotline'
import { crisisEscalation, sessionReminders, soonFollowUp } from './counseling'
import { legalAidClocks } from './legalaid'
import { pairingOffers, pairingRhythm, vetting } from './pairing'
import { reportDelivery, reportEscalation } from './safeguard'
import { deletionDeadlines, retentionPurge } from './registry'
import { earliest, type Job } from './job'

const JOBS: Record<string, Job> = {
  // First: a child in crisis never waits behind anything else.
  crisisEscalation,
  reportDelivery,
  reportEscalation,
  reminders: callReminders,
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

/** Runs every job as the clock reads `now`, then asks each when it next has work. */
export async function runJobs (now: Date): Promise<JobsRun> {
  const results: Record<string, number | string> = {}
  for (const [name, job] of Object.entries(JOBS)) {
    try {
      results[name] = await job.run(now)
    } catch (err: any) {
      // One job failing must not stop the others; the next run, a minute later, tries again.
      console.error(`[scheduler] ${name} failed`, err)
      results[name] = `failed: ${err?.message ?? err}`
    }
  }
  const nextDue: Record<string, Date | null> = {}
  let nextDueAt: Date | null = null
  for (const [name, job] of Object.entries(JOBS)) {
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
    nextDueAt = earliest(nextDueAt, next)
  }
  return { results, nextDue, nextDueAt }
}
