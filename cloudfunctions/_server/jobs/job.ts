/**
 * A timer job of the scheduler (docs/ARCHITECTURE.md, "Timers"). `run` does the work due at `now` and is idempotent:
 * a run fired twice, or overlapping the next, does nothing twice. `nextDue` tells, from the database as it stands after
 * the run, the earliest time the job has work again, so the local cloud can jump the clock over the minutes between
 * (docs/LOCALCLOUD.md). It must never be late: a time too late would skip real work. A job that cannot tell says
 * `now` (the next minute). A job whose run read all it needs to know may answer from what its run saw (`nextDue` is
 * asked only after a run of the same invocation succeeded, and an instance runs one invocation at a time).
 */
import { addDays, startOfShanghaiDay, toDateKey } from '../../../src/domain'
import { hasMark } from '../marks'

export interface Job {
  /** Does the work due at `now`; how many things it did (messages sent, offers expired, …). */
  run (now: Date): Promise<number>
  /** The earliest time from which the job has work again; null: none until something is written. */
  nextDue (now: Date): Promise<Date | null>
  /** The marks its run checks first (the day's or the week's), read for all jobs in one request before they run. */
  marks?: (now: Date) => string[]
}

/** The earlier of two times, either possibly absent. */
export function earliest (a: Date | null, b: Date | null): Date | null {
  if (!a) return b
  if (!b) return a
  return a.getTime() <= b.getTime() ? a : b
}

/** The mark a once-a-day job claims on its first run of a Shanghai day. */
export const dailyMark = (job: string, now: Date) => `job:${job}:${toDateKey(now)}`

/** A once-a-day job's next run: 00:00 tomorrow (Shanghai) once today's has happened, else now. */
export async function nextDaily (job: string, now: Date): Promise<Date> {
  return (await hasMark(dailyMark(job, now))) ? startOfShanghaiDay(addDays(toDateKey(now), 1)) : now
}
