/**
 * `npm run simulate`: a season in 青山县 lived through the real functions (dev/season), its care figures per week and
 * for the season, written to bench/results/season.json.
 *
 *   --weeks 12  --children 2000  --seed 1
 *   --no-nudge  --no-escalation  --no-sms   the same season without that rule (the functions' NUDGE_ENABLED,
 *               ESCALATION_ENABLED, SMS_ENABLED set to 0); the report prints what the rule was worth against the
 *               season with every rule on (read from bench/results/season.json when it is the same season, else
 *               lived first, in its own run). Written to bench/results/season-no-<rule>.json.
 */
import fs from 'node:fs'
import path from 'node:path'
import { startAppCloud } from '../dev/cloud'
import { ALL_ON, liveSeason, switchEnv, type Switches } from '../dev/season/live'
import { seasonFigures, type SeasonFigures, type WeekFigures } from '../dev/season/figures'
import { machine, treeCpuMs } from './common'

const ROOT = path.resolve(__dirname, '..')
const RESULTS = path.join(__dirname, 'results')
/** The season starts on a Monday in December, so it lives through New Year and the Spring Festival. */
const SEASON_START = new Date('2026-12-07T00:00:00+08:00')

function args () {
  const argv = process.argv.slice(2)
  const num = (name: string, dflt: number) => {
    const i = argv.indexOf(`--${name}`)
    if (i < 0) return dflt
    const n = Number(argv[i + 1])
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number ≥ 1, got ${argv[i + 1]}`)
    return n
  }
  const known = ['--weeks', '--children', '--seed', '--no-nudge', '--no-escalation', '--no-sms']
  for (const a of argv) if (a.startsWith('--') && !known.includes(a)) throw new Error(`unknown option ${a}; options: ${known.join(' ')}`)
  const switches: Switches = { nudge: !argv.includes('--no-nudge'), escalation: !argv.includes('--no-escalation'), sms: !argv.includes('--no-sms') }
  return { weeks: num('weeks', 12), children: num('children', 2000), seed: num('seed', 1), switches }
}

interface Record_ { name: string, at: string, machine: object, options: object, switches: Switches, wallSec: number, weeks: WeekFigures[], season: SeasonFigures }

async function live (opts: { weeks: number, children: number, seed: number, switches: Switches }): Promise<Record_> {
  // In memory: a season needs no file to outlive it, and the store's writes are its busiest work.
  const { cloud } = await startAppCloud({
    port: 0, dataDir: ':memory:', functionsDir: path.join(ROOT, 'dist', 'cloudfunctions'), localMode: true, runTimers: false, seed: true,
    functionLogs: false, env: switchEnv(opts.switches)
  })
  try {
    const t0 = Date.now()
    const cpu0 = treeCpuMs(process.pid)
    const truth = await liveSeason(cloud, { ...opts, start: SEASON_START, log: (l) => console.log(`  ${l}`) })
    const cpu1 = treeCpuMs(process.pid)
    const wallMs = Date.now() - t0
    const figures = seasonFigures(cloud, truth, { wallMs, cpuMs: cpu0 !== undefined && cpu1 !== undefined ? cpu1 - cpu0 : undefined })
    const off = Object.entries(opts.switches).filter(([, on]) => !on).map(([k]) => k)
    return { name: off.length === 0 ? 'season' : `season-no-${off.join('-no-')}`, at: new Date().toISOString(), machine: machine(), options: { weeks: opts.weeks, children: opts.children, seed: opts.seed, start: SEASON_START.toISOString() }, switches: opts.switches, wallSec: Math.round(wallMs / 1000), ...figures }
  } finally {
    await cloud.close()
  }
}

const show = (v: unknown): string => v === null || v === undefined ? '–' : typeof v === 'number' && !Number.isFinite(v) ? 'never' : String(v)

export function table (r: Record_): string {
  const cols: Array<[string, (w: WeekFigures) => unknown]> = [
    ['week', (w) => w.week], ['callRate', (w) => w.weeklyCallRate], ['flagged3w', (w) => w.childrenFlagged3Weeks], ['falseFlags', (w) => w.falseFlags], ['unrecorded', (w) => w.flagsAfterUnrecordedCalls],
    ['nudges', (w) => w.nudgesSent], ['crises', (w) => w.crises], ['ackP50', (w) => w.crisisAckMinutesP50], ['ackP95', (w) => w.crisisAckMinutesP95],
    ['ackMax', (w) => w.crisisAckMinutesMax], ['unack30', (w) => w.crisesUnacknowledged30Min], ['policeP95', (w) => w.policeAckMinutesP95],
    ['legalAid', (w) => w.legalAidRequests], ['undeliv', (w) => w.undeliverableAlerts], ['bySms', (w) => w.alertsBySms], ['calls', (w) => w.functionCalls]
  ]
  const rows = [...r.weeks, { week: 'season', ...r.season } as WeekFigures].map((w) => cols.map(([, f]) => show(f(w))))
  const widths = cols.map(([h], i) => Math.max(h.length, ...rows.map((row) => row[i].length)))
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')
  const s = r.season
  return [
    line(cols.map(([h]) => h)), ...rows.map(line), '',
    `children ${s.children}, weeks ${s.weeks}; children three weeks without a call at some point: ${s.childrenThreeWeeksWithoutCall}`,
    `legal aid: acknowledged the same working day ${show(s.legalAidAckSameWorkingDay)}, decided within 3 working days ${show(s.legalAidDecidedWithin3WorkingDays)}, statutory late ${s.legalAidStatutoryLate}`,
    `pairings ${s.pairings}: talk rate by month ${s.pairingTalkRate.map((m) => `${m.month} ${show(m.rate)}`).join(', ')}; visit rate this quarter ${show(s.pairingVisitRate)}`,
    `crises outside their window (neither acknowledged nor escalated within 10 min): ${s.crisesOutsideWindow}; overbooked slots: ${s.overbookedSlots}`,
    `function calls/s ${s.functionCallsPerSec}; server CPU ms per action ${show(s.serverCpuMsPerAction)} (the whole process tree: gateway, store, function instances and the simulation's own driver)`,
    'db round trips per action (each call measured alone), the ten most used:',
    ...s.dbRoundTripsPerAction.map((t) => `  ${t.action.padEnd(28)} ${String(t.calls).padStart(7)} calls  p50 ${show(t.p50)}  p95 ${show(t.p95)}`),
    ...(Object.keys(s.errors).length > 0 ? [`refusals and errors: ${Object.entries(s.errors).map(([k, n]) => `${k} ×${n}`).join(', ')}`] : [])
  ].join('\n')
}

async function main (): Promise<void> {
  const opts = args()
  fs.mkdirSync(RESULTS, { recursive: true })
  const scenario = Object.values(opts.switches).some((on) => !on)
  // A scenario is compared with the same season with every rule on: season.json when it is that season (or a copy of
  // one kept beside it under the name below).
  const basePath = path.join(RESULTS, 'season.json')
  const otherBasePath = path.join(RESULTS, `season-all-on-${opts.weeks}w-${opts.children}c-seed${opts.seed}.json`)
  let base: Record_ | undefined
  for (const p of scenario ? [basePath, otherBasePath] : []) {
    if (base || !fs.existsSync(p)) continue
    const prior = JSON.parse(fs.readFileSync(p, 'utf8')) as Record_
    const o = prior.options as { weeks: number, children: number, seed: number }
    if (o.weeks === opts.weeks && o.children === opts.children && o.seed === opts.seed) base = prior
  }
  // The SDK that prepares a store binds to the first local cloud of a process, so one process lives one season.
  if (scenario && !base) throw new Error(`live the same season with every rule on first: npm run simulate -- --weeks ${opts.weeks} --children ${opts.children} --seed ${opts.seed}`)
  if (!scenario || !base) {
    console.log(`living a season: ${opts.weeks} weeks, ${opts.children} children, seed ${opts.seed}, every rule on`)
    base = await live({ ...opts, switches: ALL_ON })
    fs.writeFileSync(scenario ? otherBasePath : basePath, JSON.stringify(base, null, 2) + '\n')
    console.log(table(base))
  }
  if (scenario) {
    console.log(`\nthe same season without ${Object.entries(opts.switches).filter(([, on]) => !on).map(([k]) => k).join(', ')}`)
    const r = await live(opts)
    const diff = {
      childrenThreeWeeksWithoutCall: r.season.childrenThreeWeeksWithoutCall - base.season.childrenThreeWeeksWithoutCall,
      childrenFlagged3Weeks: r.season.childrenFlagged3Weeks - base.season.childrenFlagged3Weeks,
      weeklyCallRate: Math.round(((r.season.weeklyCallRate ?? 0) - (base.season.weeklyCallRate ?? 0)) * 1000) / 1000,
      slowestCrisisWaitMinutes: (r.season.slowestCrisisWaitMinutes ?? 0) - (base.season.slowestCrisisWaitMinutes ?? 0),
      crisesUnacknowledged30Min: r.season.crisesUnacknowledged30Min - base.season.crisesUnacknowledged30Min,
      policeAckMinutesP95: (r.season.policeAckMinutesP95 ?? 0) - (base.season.policeAckMinutesP95 ?? 0),
      alertsBySms: r.season.alertsBySms - base.season.alertsBySms,
      undeliverableAlerts: r.season.undeliverableAlerts - base.season.undeliverableAlerts
    }
    fs.writeFileSync(path.join(RESULTS, `${r.name}.json`), JSON.stringify({ ...r, differenceFromAllRulesOn: diff }, null, 2) + '\n')
    console.log(table(r))
    console.log('\nwithout the rule, against the same season with every rule on:')
    console.log(`  children three weeks without a call: ${r.season.childrenThreeWeeksWithoutCall} (${diff.childrenThreeWeeksWithoutCall >= 0 ? '+' : ''}${diff.childrenThreeWeeksWithoutCall})`)
    console.log(`  children flagged: ${r.season.childrenFlagged3Weeks} (${diff.childrenFlagged3Weeks >= 0 ? '+' : ''}${diff.childrenFlagged3Weeks}); weekly call rate ${r.season.weeklyCallRate} (${diff.weeklyCallRate >= 0 ? '+' : ''}${diff.weeklyCallRate})`)
    console.log(`  slowest crisis wait: ${show(r.season.slowestCrisisWaitMinutes)} min (${show(diff.slowestCrisisWaitMinutes)} min longer); crises unacknowledged 30 min: ${r.season.crisesUnacknowledged30Min} (${diff.crisesUnacknowledged30Min >= 0 ? '+' : ''}${diff.crisesUnacknowledged30Min})`)
    console.log(`  police ack p95: ${show(r.season.policeAckMinutesP95)} min; alerts by SMS ${r.season.alertsBySms}; undeliverable alerts ${r.season.undeliverableAlerts} (${diff.undeliverableAlerts >= 0 ? '+' : ''}${diff.undeliverableAlerts})`)
  }
  console.log(`\nwritten to ${path.relative(process.cwd(), RESULTS)}/`)
}

if (require.main === module) main().then(() => process.exit(0), (err) => { console.error(err); process.exit(1) })
