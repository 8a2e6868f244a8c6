/**
 * Every timer of the product, in one function with one timer trigger (every minute, so a crisis escalates on time). Each job is idempotent,
 * so a trigger fired twice, or a run that overlaps the next, sends nothing twice. The event of a timer carries no
 * OPENID; a call from the mini-program (which always has one) is refused.
 */
import { cloud } from '../_server/cloud'
import { expireOffers, flagMissedWeeks, runStandingCalls, sendReminders, weeklyNudges } from '../hotline/jobs'
import { escalateCrises } from '../counseling/crisis'
import { sessionReminders } from '../counseling/jobs'
import { legalAidTimers } from '../legalaid/jobs'
import { expirePairingOffers, rhythmTimers, vettingTimers } from '../pairing/jobs'
import { deliverWaiting, escalateReports } from '../safeguard/core'
import * as clock from '../_server/clock'

interface TimerEvent { Type?: string, Time?: string, now?: string }

const JOBS: Record<string, (now: Date) => Promise<number>> = {
  // First: a child in crisis never waits behind anything else.
  crisisEscalation: escalateCrises,
  reportDelivery: deliverWaiting,
  reportEscalation: escalateReports,
  reminders: sendReminders,
  sessionReminders,
  offers: expireOffers,
  standingCalls: runStandingCalls,
  weeklyNudges,
  contactFlags: flagMissedWeeks,
  legalAidClocks: legalAidTimers,
  pairingOffers: expirePairingOffers,
  vetting: vettingTimers,
  pairingRhythm: rhythmTimers
}

export async function main (event: TimerEvent) {
  const ctx = cloud.getWXContext() as { OPENID?: string }
  if (ctx.OPENID || event?.Type !== 'Timer') return { ok: false, error: { code: 'FORBIDDEN', message: '只能由定时器触发' } }
  // Tests and the local cloud's /api/dev/trigger fire it "as if the clock read" `now`.
  const now = event.now ? new Date(event.now) : clock.now()
  const results: Record<string, number | string> = {}
  for (const [name, job] of Object.entries(JOBS)) {
    try {
      results[name] = await job(now)
    } catch (err: any) {
      // One job failing must not stop the others; the next run tries again.
      console.error(`[scheduler] ${name} failed`, err)
      results[name] = `failed: ${err?.message ?? err}`
    }
  }
  return { ok: true, data: { now: now.toISOString(), ...results } }
}
