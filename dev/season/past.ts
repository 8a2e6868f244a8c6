/**
 * The demo county's past: on an empty store `npm start` lives a few weeks of a generated county (and of the demo's
 * own families) through the real functions, up to this week, so the oversight page, the lists, a parent's history
 * and a volunteer's rhythm show real-looking data. Then the clock reads real time again.
 */
import type { LocalCloud } from '../../localcloud'
import { startOfShanghaiWeek } from '../../src/domain'
import { liveSeason } from './live'

const WEEK = 7 * 86400000

export async function livePast (cloud: LocalCloud, opts: { weeks: number, children: number, log: (line: string) => void }): Promise<void> {
  if (!Number.isInteger(opts.weeks) || opts.weeks < 1 || opts.weeks > 26) throw new Error(`CHUYAN_PAST_WEEKS must be a whole number from 1 to 26, got ${opts.weeks}`)
  if (!Number.isInteger(opts.children) || opts.children < 1 || opts.children > 5000) throw new Error(`CHUYAN_PAST_CHILDREN must be a whole number from 1 to 5000, got ${opts.children}`)
  // The weeks before this one, so the past ends where real time goes on.
  const start = new Date(startOfShanghaiWeek(cloud.clock.now()).getTime() - opts.weeks * WEEK)
  opts.log(`living the demo county's past: ${opts.weeks} weeks from ${new Date(start.getTime() + 8 * 3600000).toISOString().slice(0, 10)}, ${opts.children} more children (CHUYAN_SEED=empty starts without it)`)
  try {
    await liveSeason(cloud, { weeks: opts.weeks, children: opts.children, seed: 1, start, probesPerAction: 0, demoFamilies: true, log: opts.log })
  } finally {
    await cloud.clock.real()
  }
}
