/**
 * A short season (2 weeks, 100 children) lived through the real functions (dev/season): what must hold in any season,
 * whatever people do. The long season and its figures are `npm run simulate` (bench/season.ts).
 */
import path from 'node:path'
import { startAppCloud } from '../../dev/cloud'
import { generateCounty } from '../../dev/season/county'
import { seasonFigures, type SeasonFigures, type WeekFigures } from '../../dev/season/figures'
import { ALL_ON, liveSeason, switchEnv } from '../../dev/season/live'
import type { LocalCloud } from '../../localcloud'
import { DIST, requireBuilt } from '../support/paths'

const START = new Date('2026-12-28T00:00:00+08:00') // across New Year's Day
let cloud: LocalCloud
let figures: { weeks: WeekFigures[], season: SeasonFigures }

describe('a short season', () => {
  beforeAll(async () => {
    requireBuilt('cloudfunctions')
    cloud = (await startAppCloud({ port: 0, dataDir: ':memory:', functionsDir: path.join(DIST, 'cloudfunctions'), localMode: true, runTimers: false, seed: true, functionLogs: false, env: switchEnv(ALL_ON) })).cloud
    const truth = await liveSeason(cloud, { weeks: 2, children: 100, seed: 7, start: START, probesPerAction: 0 })
    figures = seasonFigures(cloud, truth, { wallMs: 0 })
  }, 600_000)
  afterAll(async () => { await cloud?.close() })

  it('was lived: parents called, children were flagged, crises were raised, requests were made', () => {
    const s = figures.season
    expect(s.weeklyCallRate).toBeGreaterThan(0.5)
    expect(s.childrenFlagged3Weeks).toBeGreaterThan(0) // the never-calling families, from the first Monday
    expect(s.nudgesSent).toBeGreaterThan(0)
    expect(s.crises).toBeGreaterThan(0)
    expect(s.legalAidRequests).toBeGreaterThan(0)
  })

  it('never put more calls in a slot than the room has devices', () => {
    expect(figures.season.overbookedSlots).toBe(0)
  })

  it('reached somebody with every urgent alert', () => {
    expect(figures.season.undeliverableAlerts).toBe(0)
  })

  it('flagged no child whose call someone had told the product of', () => {
    expect(figures.weeks.map((w) => w.falseFlags)).toEqual(figures.weeks.map(() => 0))
  })

  it('acknowledged or escalated every crisis within its ten minutes', () => {
    expect(figures.season.crisesOutsideWindow).toBe(0)
  })
})

describe('the generated county', () => {
  it('is the same for the same seed and different for another', () => {
    const a = generateCounty({ children: 50, seed: 3, start: START })
    const b = generateCounty({ children: 50, seed: 3, start: START })
    const c = generateCounty({ children: 50, seed: 4, start: START })
    expect(JSON.stringify(a)).toBe(JSON.stringify(b))
    expect(JSON.stringify(a.children)).not.toBe(JSON.stringify(c.children))
  })
})
