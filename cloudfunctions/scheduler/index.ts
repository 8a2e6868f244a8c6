/**
 * The scheduler: one timer trigger (every minute) that runs every job of `_server/jobs` (docs/ARCHITECTURE.md,
 * "Timers"). Each job is idempotent, so a trigger fired twice, or a run that overlaps the next, sends nothing twice.
 * The event of a timer carries no OPENID; a call from the mini-program (which always has one) is refused.
 */
import { cloud } from '../_server/cloud'
import * as clock from '../_server/clock'
import { runJobs } from '../_server/jobs'

interface TimerEvent { Type?: string, Time?: string, now?: string }

export async function main (event: TimerEvent) {
  const ctx = cloud.getWXContext() as { OPENID?: string }
  if (ctx.OPENID || event?.Type !== 'Timer') return { ok: false, error: { code: 'FORBIDDEN', message: '只能由定时器触发' } }
  // A test (or /api/dev/trigger) may fire it "as if the clock read" `now`; otherwise the cloud's clock.
  const now = event.now ? new Date(event.now) : clock.now()
  const { results, nextDue, nextDueAt } = await runJobs(now)
  const iso = (d: Date | null) => (d ? d.toISOString() : null)
  // WeChat ignores what a timer returns; the local cloud reads `nextDueAt` to jump over idle minutes (docs/LOCALCLOUD.md).
  return {
    ok: true,
    data: { now: now.toISOString(), ...results, nextDue: Object.fromEntries(Object.entries(nextDue).map(([name, at]) => [name, iso(at)])) },
    nextDueAt: iso(nextDueAt)
  }
}
