/**
 * Matching benchmark: a synthetic county of 10,000 children who need a pair and 3,000 volunteers with
 * 1 to 3 places each, matched by min-cost maximum flow on k = 8 candidates per child and by the greedy baseline.
 *
 * Each algorithm runs in its own fresh Node process (the same seeded county is rebuilt there), so its peak memory
 * is its own: process.memoryUsage() is sampled before the run and at the solver's probe points during it (every
 * 256 shortest-path searches and every 1,024 children of each pass). Reported: wall time of the whole call
 * (input validation included), peak RSS of the process and its rise over the baseline, peak heapUsed.
 * Every proposed pair is then checked against the hard rules (checkPairingAssignment, plus direct checks here).
 *
 * Targets: under 10 s and under 256 MB (a cloud function's default memory), no hard rule broken, at least as many
 * children paired as greedy at a lower total cost.
 *
 *   npx tsx bench/matching.ts           prints the table
 *   npx tsx bench/matching.ts --run mcmf|sparse|greedy   one measurement as JSON (used by the above)
 */
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import {
  checkPairingAssignment, greedyMatch, matchVolunteers,
  type MatchChild, type MatchProblemInput, type MatchResult, type MatchVolunteer
} from '../src/domain'
import { prng } from '../test/support/prng'

export { prng }

const CHILDREN = 10000
const VOLUNTEERS = 3000
const K = 8
const SEED = 20250301
const NOW = '2025-09-01T09:00:00+08:00'
const GIRL_RULE_AGE = 10

interface Village { id: string, township: number, x: number, y: number, grids: string[] }

/** The synthetic county: 24 townships on a 90 × 60 km plane, 8–14 villages each, 1–2 grids per village. */
export function syntheticCounty (children = CHILDREN, volunteers = VOLUNTEERS, seed = SEED): MatchProblemInput {
  const rnd = prng(seed)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]
  const chance = (p: number): boolean => rnd() < p
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1))
  const near = (x: number, y: number, r: number): { x: number, y: number } => {
    const a = rnd() * 2 * Math.PI
    const d = r * Math.sqrt(rnd())
    return { x: Math.round((x + d * Math.cos(a)) * 1000) / 1000, y: Math.round((y + d * Math.sin(a)) * 1000) / 1000 }
  }
  const placeNames: Record<string, string> = {}
  const townships: { id: string, x: number, y: number, villages: Village[] }[] = []
  const VILLAGE_WORDS = ['石桥', '柳塘', '枫林', '上坪', '下洋', '竹溪', '黄泥', '新田', '龙岗', '白沙', '松岭', '清水', '高岭', '塘背']
  for (let t = 0; t < 24; t++) {
    const id = `t${String(t).padStart(2, '0')}`
    const x = 7.5 + (t % 6) * 15 + (rnd() - 0.5) * 5
    const y = 7.5 + Math.floor(t / 6) * 15 + (rnd() - 0.5) * 5
    placeNames[id] = `${VILLAGE_WORDS[t % VILLAGE_WORDS.length]}镇`
    const villages: Village[] = []
    for (let v = 0, n = int(8, 14); v < n; v++) {
      const vid = `${id}-v${String(v).padStart(2, '0')}`
      const p = near(x, y, 7)
      placeNames[vid] = `${VILLAGE_WORDS[(v + t) % VILLAGE_WORDS.length]}村`
      const grids = Array.from({ length: int(1, 2) }, (_, g) => `${vid}-g${g}`)
      for (const g of grids) placeNames[g] = `${placeNames[vid]}${g.endsWith('0') ? '第一' : '第二'}网格`
      villages.push({ id: vid, township: t, x: p.x, y: p.y, grids })
    }
    townships.push({ id, x, y, villages })
  }
  const allVillages = townships.flatMap((t) => t.villages)
  const neighbours = (t: number): number[] => townships
    .map((o, i) => ({ i, d: Math.hypot(o.x - townships[t].x, o.y - townships[t].y) }))
    .filter((o) => o.i !== t).sort((a, b) => a.d - b.d).slice(0, 4).map((o) => o.i)
  // West of the county speaks Hakka, east Minnan; Mandarin everywhere.
  const homeDialect = (x: number): string => x < 45 ? '客家话' : '闽南话'

  const childList: MatchChild[] = []
  const olderSiblings: { id: string, village: Village }[] = []
  for (let i = 0; i < children; i++) {
    const village = pick(allVillages)
    const loc = near(village.x, village.y, 1.5)
    const age = int(6, 16)
    const birthDate = `${2025 - age}-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}`
    const dialects = chance(0.75) ? [homeDialect(loc.x)] : chance(0.4) ? ['普通话'] : []
    const needs = [
      ...(chance(0.4) ? ['tutoring'] : []), ...(chance(0.15) ? ['counselling'] : []),
      ...(chance(0.1) ? ['reading'] : []), ...(chance(0.03) ? ['disability'] : [])
    ]
    const child: MatchChild = {
      id: `c${String(i).padStart(5, '0')}`,
      gender: chance(0.5) ? 'female' : 'male',
      birthDate,
      townshipId: townships[village.township].id,
      villageId: village.id,
      gridId: pick(village.grids),
      location: loc,
      dialects,
      needs
    }
    // A quarter come in sibling groups; one in ten has an older sibling (not in this run) paired before.
    const prev = childList[childList.length - 1]
    if (prev && chance(0.25)) {
      Object.assign(child, { townshipId: prev.townshipId, villageId: prev.villageId, gridId: prev.gridId, location: near(prev.location && 'x' in prev.location ? prev.location.x : 0, prev.location && 'y' in prev.location ? prev.location.y : 0, 0.05) })
      child.siblingIds = [...(prev.siblingIds ?? []), prev.id]
      prev.siblingIds = [...(prev.siblingIds ?? []), child.id]
    }
    if (chance(0.1)) {
      const sid = `old-${child.id}`
      child.siblingIds = [...(child.siblingIds ?? []), sid]
      olderSiblings.push({ id: sid, village: allVillages.find((v) => v.id === child.villageId) as Village })
    }
    childList.push(child)
  }

  const volList: MatchVolunteer[] = []
  const nowMs = Date.parse(NOW)
  const day = 86400000
  for (let i = 0; i < volunteers; i++) {
    const r = rnd()
    const kind = r < 0.35 ? 'caringParent' : r < 0.6 ? 'elder' : r < 0.85 ? 'youth' : r < 0.9 ? 'counselor' : r < 0.95 ? 'entrepreneur' : 'leader'
    const village = pick(allVillages)
    const loc = near(village.x, village.y, 2)
    const t = village.township
    const skills = new Set<string>()
    if (kind === 'counselor' || chance(0.05)) skills.add('counselling')
    if (chance(kind === 'youth' ? 0.7 : kind === 'elder' ? 0.5 : 0.3)) skills.add('tutoring')
    if (chance(kind === 'elder' ? 0.4 : 0.15)) skills.add('reading')
    if (chance(0.06)) skills.add('disability')
    if (chance(0.2)) skills.add('arts')
    const dialects = [...(chance(0.6) ? [homeDialect(loc.x)] : []), ...(chance(0.8) ? ['普通话'] : [])]
    const v: MatchVolunteer = {
      id: `v${String(i).padStart(4, '0')}`,
      gender: chance(kind === 'youth' ? 0.6 : 0.55) ? 'female' : 'male',
      kind,
      capacity: int(1, 3),
      reachableTownshipIds: [],
      reachableVillageIds: [],
      reachableGridIds: [],
      townshipId: townships[t].id,
      villageId: village.id,
      gridId: pick(village.grids),
      location: loc,
      dialects,
      skills: [...skills]
    }
    if (kind === 'elder') {
      // 五老 serve their grid (网格化): their village's grids, sometimes a neighbouring village's too.
      v.reachableGridIds = [...village.grids]
      if (chance(0.5)) v.reachableGridIds.push(...pick(townships[t].villages).grids)
    } else {
      v.reachableTownshipIds = [townships[t].id]
      const extra = kind === 'counselor' ? 2 : chance(0.35) ? 1 : 0
      for (const n of neighbours(t).slice(0, extra)) v.reachableTownshipIds.push(townships[n].id)
    }
    const vet = rnd()
    if (vet < 0.88) v.vettingValidUntil = new Date(nowMs + int(1, 365) * day).toISOString().slice(0, 10)
    else if (vet < 0.96) v.vettingValidUntil = new Date(nowMs - int(1, 200) * day).toISOString().slice(0, 10)
    else v.vetted = false
    volList.push(v)
  }
  // Older siblings were paired by a volunteer of their township.
  const byTownship = new Map<string, MatchVolunteer[]>()
  for (const v of volList) for (const t of v.reachableTownshipIds) byTownship.set(t, [...(byTownship.get(t) ?? []), v])
  for (const s of olderSiblings) {
    const pool = byTownship.get(townships[s.village.township].id)
    if (pool?.length) {
      const v = pick(pool)
      v.previouslyPairedChildIds = [...(v.previouslyPairedChildIds ?? []), s.id]
    }
  }
  // A few children were declined once.
  for (const c of childList) {
    const pool = byTownship.get(c.townshipId)
    if (pool?.length && chance(0.02)) c.declinedVolunteerIds = [pick(pool).id]
  }
  return {
    children: childList,
    volunteers: volList,
    rules: [{ kind: 'womenOnlyForGirlsFrom', age: GIRL_RULE_AGE }, { kind: 'needRequiresSkill', need: 'disability' }],
    now: NOW,
    placeNames
  }
}

type Run = 'mcmf' | 'sparse' | 'greedy'

/** One measured run in this process. */
export function measure (run: Run): Record<string, number | string> {
  const problem = syntheticCounty()
  const mb = (b: number): number => Math.round(b / 2 ** 20 * 10) / 10
  const g = globalThis as { gc?: () => void }
  g.gc?.()
  const base = process.memoryUsage()
  let peakRss = base.rss
  let peakHeap = base.heapUsed
  const probe = (): void => {
    const m = process.memoryUsage()
    if (m.rss > peakRss) peakRss = m.rss
    if (m.heapUsed > peakHeap) peakHeap = m.heapUsed
  }
  const t0 = process.hrtime.bigint()
  const result: MatchResult = run === 'greedy'
    ? greedyMatch(problem, { probe })
    : matchVolunteers(problem, { k: K, repairRounds: run === 'sparse' ? 0 : 3, probe })
  const ms = Number(process.hrtime.bigint() - t0) / 1e6
  probe()
  const violations = checkPairingAssignment(problem, result.pairs).length + directViolations(problem, result)
  return {
    run,
    timeMs: Math.round(ms),
    peakRssMB: mb(peakRss),
    peakRssDeltaMB: mb(peakRss - base.rss),
    peakHeapUsedMB: mb(peakHeap),
    heapUsedDeltaMB: mb(peakHeap - base.heapUsed),
    children: result.totals.children,
    volunteers: result.totals.volunteers,
    places: result.totals.places,
    eligiblePairs: result.totals.eligiblePairs,
    candidatePairs: result.totals.candidatePairs,
    paired: result.totals.paired,
    totalCost: result.totals.totalCost,
    meanCost: Math.round(result.totals.totalCost / Math.max(1, result.totals.paired) * 10) / 10,
    solves: result.totals.solves,
    searches: result.totals.searches,
    certifiedOptimal: result.totals.certifiedOptimal ? 'yes' : 'no',
    hardRuleViolations: violations
  }
}

/** Checks written here, apart from the domain's: vetting at `now`, the girls' rule, capacity, reach. */
function directViolations (problem: MatchProblemInput, result: MatchResult): number {
  const children = new Map(problem.children.map((c) => [c.id, c]))
  const vols = new Map(problem.volunteers.map((v) => [v.id, v]))
  const load = new Map<string, number>()
  let bad = 0
  for (const p of result.pairs) {
    const c = children.get(p.childId) as MatchChild
    const v = vols.get(p.volunteerId) as MatchVolunteer
    load.set(v.id, (load.get(v.id) ?? 0) + 1)
    if (v.vetted === false || typeof v.vettingValidUntil !== 'string' || v.vettingValidUntil < NOW.slice(0, 10)) bad++
    const age = 2025 - Number((c.birthDate as string).slice(0, 4)) - ((c.birthDate as string).slice(5) > '09-01' ? 1 : 0)
    if (c.gender === 'female' && age >= GIRL_RULE_AGE && v.gender !== 'female') bad++
    if (c.needs?.includes('disability') && !v.skills?.includes('disability')) bad++
    const reach = (v.reachableTownshipIds ?? []).includes(c.townshipId) || (v.reachableGridIds ?? []).includes(c.gridId as string)
    if (!reach) bad++
  }
  for (const [id, n] of load) if (n > (vols.get(id) as MatchVolunteer).capacity) bad++
  return bad
}

function runInChild (run: Run): Record<string, number | string> {
  const out = spawnSync(process.execPath, [require.resolve('tsx/cli'), path.join(__dirname, 'matching.ts'), '--run', run], {
    encoding: 'utf8',
    maxBuffer: 1 << 20
  })
  if (out.status !== 0) throw new Error(`matching bench (${run}) failed:\n${out.stderr}`)
  const line = out.stdout.trim().split('\n').pop() as string
  return JSON.parse(line)
}

/** The figures for bench/run.ts: one fresh process per algorithm. */
export async function runMatchingBench (): Promise<Record<string, number | string>> {
  const mcmf = runInChild('mcmf')
  const sparse = runInChild('sparse')
  const greedy = runInChild('greedy')
  const figures: Record<string, number | string> = {
    children: mcmf.children,
    volunteers: mcmf.volunteers,
    places: mcmf.places,
    eligiblePairs: mcmf.eligiblePairs,
    k: K
  }
  const keys = ['timeMs', 'peakRssMB', 'peakRssDeltaMB', 'peakHeapUsedMB', 'heapUsedDeltaMB', 'paired', 'totalCost', 'meanCost', 'hardRuleViolations']
  for (const key of [...keys, 'candidatePairs', 'solves', 'searches', 'certifiedOptimal']) figures[`mcmf.${key}`] = mcmf[key]
  for (const key of [...keys, 'certifiedOptimal']) figures[`sparseOnly.${key}`] = sparse[key]
  for (const key of keys) figures[`greedy.${key}`] = greedy[key]
  const met = Number(mcmf.timeMs) < 10000 && Number(mcmf.peakRssMB) < 256 && mcmf.hardRuleViolations === 0 &&
    greedy.hardRuleViolations === 0 && Number(mcmf.paired) >= Number(greedy.paired) &&
    (Number(mcmf.paired) > Number(greedy.paired) || Number(mcmf.totalCost) < Number(greedy.totalCost))
  figures.extraPairedOverGreedy = Number(mcmf.paired) - Number(greedy.paired)
  figures.costSavedVsGreedy = Number(greedy.totalCost) - Number(mcmf.totalCost)
  figures.targetsMet = met ? 'yes' : 'no'
  return figures
}

if (require.main === module) {
  const i = process.argv.indexOf('--run')
  if (i >= 0) {
    console.log(JSON.stringify(measure(process.argv[i + 1] as Run)))
  } else {
    runMatchingBench().then((figures) => {
      const rows: Record<string, Record<string, number | string>> = {}
      for (const [key, value] of Object.entries(figures)) {
        const [group, name] = key.includes('.') ? key.split('.') : ['county', key]
        ;(rows[name] ??= {})[group] = value
      }
      console.table(rows)
    }, (err) => { console.error(err); process.exit(1) })
  }
}
