import {
  AppError, ageOn, checkPairingAssignment, greedyMatch, listEligiblePairs, listExclusions, matchVolunteers,
  type EligiblePair, type MatchChild, type MatchProblemInput, type MatchResult, type MatchVolunteer, type SafeguardingRule
} from '../../src/domain'
import { prng } from '../support/prng'

const NOW = '2025-09-01T10:00:00+08:00'
const TODAY = '2025-09-01'
const GIRL_AGE = 10

/** A small random county: 6–9 children, 3–5 volunteers with 0–3 places, two townships, every kind of input. */
function randomInstance (seed: number): MatchProblemInput {
  const rnd = prng(seed)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]
  const chance = (p: number): boolean => rnd() < p
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1))
  const geo = chance(0.3)
  const where = (): MatchChild['location'] => {
    if (chance(0.15)) return undefined
    const x = rnd() * 12
    const y = rnd() * 12
    return geo ? { lat: 25 + y / 111, lng: 116 + x / 100 } : { x: Math.round(x * 100) / 100, y: Math.round(y * 100) / 100 }
  }
  const villages = [['t1', 't1-a'], ['t1', 't1-b'], ['t2', 't2-a'], ['t2', 't2-b']] as const
  const dialects = ['客家话', '闽南话', '普通话']
  const needs = ['tutoring', 'counselling', 'disability', 'reading']
  const nC = int(6, 9)
  const nV = int(3, 5)
  const children: MatchChild[] = []
  for (let i = 0; i < nC; i++) {
    const [t, v] = pick(villages)
    const age = int(5, 15)
    const child: MatchChild = {
      id: `c${i}`,
      gender: chance(0.5) ? 'female' : 'male',
      townshipId: t,
      villageId: v,
      gridId: chance(0.7) ? `${v}-g${int(0, 1)}` : undefined,
      location: where(),
      dialects: chance(0.7) ? [pick(dialects)] : undefined,
      needs: needs.filter(() => chance(0.25)),
      ...(chance(0.7) ? { birthDate: `${2025 - age}-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}` } : { age })
    }
    if (i > 0 && chance(0.2)) child.siblingIds = [`c${i - 1}`]
    if (chance(0.3)) child.siblingIds = [...(child.siblingIds ?? []), `old-${i}`]
    children.push(child)
  }
  const volunteers: MatchVolunteer[] = []
  for (let i = 0; i < nV; i++) {
    const [t, v] = pick(villages)
    const vol: MatchVolunteer = {
      id: `v${i}`,
      gender: chance(0.5) ? 'female' : 'male',
      kind: pick(['caringParent', 'elder', 'youth', 'counselor'] as const),
      capacity: chance(0.1) ? 0 : int(1, 3),
      reachableTownshipIds: chance(0.6) ? [t] : [],
      reachableVillageIds: chance(0.3) ? [pick(villages)[1]] : [],
      reachableGridIds: chance(0.4) ? [`${v}-g0`, `${v}-g1`] : [],
      townshipId: chance(0.8) ? t : undefined,
      villageId: chance(0.8) ? v : undefined,
      gridId: chance(0.5) ? `${v}-g0` : undefined,
      location: where(),
      dialects: dialects.filter(() => chance(0.4)),
      skills: needs.filter(() => chance(0.35)),
      previouslyPairedChildIds: chance(0.3) ? [`old-${int(0, nC - 1)}`] : undefined
    }
    if (chance(0.2)) vol.reachableTownshipIds = ['t1', 't2']
    const vet = rnd()
    if (vet < 0.55) vol.vettingValidUntil = `2026-0${int(1, 8)}-15`
    else if (vet < 0.65) vol.vettingValidUntil = `2025-0${int(1, 8)}-15` // expired
    else if (vet < 0.72) vol.vettingValidUntil = TODAY // valid through today
    else if (vet < 0.8) vol.vettingValidUntil = new Date(Date.parse(NOW) + (chance(0.5) ? 1 : -1) * 3600_000)
    else if (vet < 0.88) vol.vetted = true
    else if (vet < 0.94) { vol.vetted = false; vol.vettingValidUntil = '2026-06-01' } else { /* never vetted */ }
    volunteers.push(vol)
  }
  for (const c of children) if (chance(0.1)) c.declinedVolunteerIds = [pick(volunteers).id]
  const rules: SafeguardingRule[] = [{ kind: 'womenOnlyForGirlsFrom', age: GIRL_AGE }]
  if (chance(0.3)) rules.push({ kind: 'sameGenderFrom', age: 13 })
  if (chance(0.3)) rules.push({ kind: 'needRequiresSkill', need: 'disability' })
  if (chance(0.3)) rules.push({ kind: 'maxDistanceKm', km: 8 })
  return { children, volunteers, rules, now: NOW, placeNames: { 't1-a': '石桥村', 't1-b': '柳塘村', t1: '石桥镇', t2: '枫林镇' } }
}

/** Exact optimum by dynamic programming over children and the volunteers' remaining places. */
function exactOptimum (problem: MatchProblemInput, eligible: EligiblePair[]): { paired: number, cost: number } {
  const vIndex = new Map(problem.volunteers.map((v, i) => [v.id, i]))
  const childIds = [...new Set(problem.children.map((c) => c.id))]
  const edges = childIds.map((id) => eligible.filter((e) => e.childId === id).map((e) => [vIndex.get(e.volunteerId) as number, e.cost] as const))
  const caps = problem.volunteers.map((v) => v.capacity)
  const memo = new Map<string, [number, number]>()
  const best = (i: number): [number, number] => {
    if (i === childIds.length) return [0, 0]
    const key = `${i}|${caps.join(',')}`
    const hit = memo.get(key)
    if (hit) return hit
    let out = best(i + 1)
    for (const [v, c] of edges[i]) {
      if (caps[v] === 0) continue
      caps[v]--
      const [m, s] = best(i + 1)
      caps[v]++
      if (m + 1 > out[0] || (m + 1 === out[0] && s + c < out[1])) out = [m + 1, s + c]
    }
    memo.set(key, out)
    return out
  }
  const [paired, cost] = best(0)
  return { paired, cost }
}

/** Hard rules checked here from the raw input, without the domain's eligibility code. */
function hardRuleProblems (problem: MatchProblemInput, result: MatchResult): string[] {
  const now = new Date(NOW)
  const children = new Map(problem.children.map((c) => [c.id, c]))
  const vols = new Map(problem.volunteers.map((v) => [v.id, v]))
  const load = new Map<string, number>()
  const seen = new Set<string>()
  const out: string[] = []
  for (const p of result.pairs) {
    const c = children.get(p.childId)
    const v = vols.get(p.volunteerId)
    if (!c || !v) { out.push(`unknown ${p.childId}/${p.volunteerId}`); continue }
    if (seen.has(c.id)) out.push(`${c.id} twice`)
    seen.add(c.id)
    load.set(v.id, (load.get(v.id) ?? 0) + 1)
    const until = v.vettingValidUntil
    const vetted = v.vetted !== false && (until === undefined
      ? v.vetted === true
      : until instanceof Date ? until.getTime() >= now.getTime() : until >= TODAY)
    if (!vetted) out.push(`${v.id} not vetted`)
    const reach = (v.reachableTownshipIds ?? []).includes(c.townshipId) || (v.reachableVillageIds ?? []).includes(c.villageId) ||
      (c.gridId !== undefined && (v.reachableGridIds ?? []).includes(c.gridId))
    if (!reach) out.push(`${c.id} out of ${v.id}'s reach`)
    const age = c.birthDate ? ageOn(c.birthDate, now) : c.age as number
    if (c.gender === 'female' && age >= GIRL_AGE && v.gender !== 'female') out.push(`girl ${c.id} (${age}) with man ${v.id}`)
    for (const rule of problem.rules ?? []) {
      if (rule.kind === 'sameGenderFrom' && age >= rule.age && c.gender !== v.gender) out.push(`${c.id} same gender`)
      if (rule.kind === 'needRequiresSkill' && c.needs?.includes(rule.need) && !v.skills?.includes(rule.skill ?? rule.need)) out.push(`${c.id} needs ${rule.need}`)
      if (rule.kind === 'maxDistanceKm' && p.distanceKm !== null && p.distanceKm > rule.km + 0.01) out.push(`${c.id} too far`)
    }
    if (c.declinedVolunteerIds?.includes(v.id)) out.push(`${v.id} declined ${c.id}`)
  }
  for (const [id, n] of load) if (n > (vols.get(id) as MatchVolunteer).capacity) out.push(`${id} over capacity`)
  return out
}

const CHINESE = /[\u4e00-\u9fff]/
const SEEDS = Array.from({ length: 300 }, (_, i) => 1000 + i)

describe('matchVolunteers on small random counties', () => {
  it('pairs as many children as the exact optimum, at the same total cost', () => {
    for (const seed of SEEDS) {
      const problem = randomInstance(seed)
      const exact = exactOptimum(problem, listEligiblePairs(problem))
      const result = matchVolunteers(problem, { k: 50, repairRounds: 0 })
      expect({ seed, paired: result.totals.paired, cost: result.totals.totalCost }).toEqual({ seed, paired: exact.paired, cost: exact.cost })
      expect(result.totals.certifiedOptimal).toBe(true) // k covers every eligible volunteer
    }
  })

  it('reaches the optimum from a single candidate per child through the repair rounds, and says so', () => {
    let repaired = 0
    for (const seed of SEEDS) {
      const problem = randomInstance(seed)
      const exact = exactOptimum(problem, listEligiblePairs(problem))
      const result = matchVolunteers(problem, { k: 1, kPerVolunteer: 0, repairRounds: 10 })
      expect(result.totals.certifiedOptimal).toBe(true)
      expect({ seed, paired: result.totals.paired, cost: result.totals.totalCost }).toEqual({ seed, paired: exact.paired, cost: exact.cost })
      if (result.totals.solves > 1) repaired++
    }
    expect(repaired).toBeGreaterThan(10) // the instances do exercise the repair
  })

  it('never claims optimality it does not have when the candidates are cut short', () => {
    let suboptimal = 0
    for (const seed of SEEDS) {
      const problem = randomInstance(seed)
      const exact = exactOptimum(problem, listEligiblePairs(problem))
      const result = matchVolunteers(problem, { k: 1, kPerVolunteer: 0, repairRounds: 0 })
      const optimal = result.totals.paired === exact.paired && result.totals.totalCost === exact.cost
      if (!optimal) suboptimal++
      if (result.totals.certifiedOptimal) expect({ seed, optimal }).toEqual({ seed, optimal: true })
      expect(result.totals.paired).toBeLessThanOrEqual(exact.paired)
    }
    expect(suboptimal).toBeGreaterThan(0) // k = 1 alone does lose optimality on some of them
  })

  it('never breaks a hard rule, whatever k', () => {
    for (const seed of SEEDS) {
      const problem = randomInstance(seed)
      for (const options of [{}, { k: 1, repairRounds: 0 }, { k: 50 }]) {
        const result = matchVolunteers(problem, options)
        expect({ seed, problems: hardRuleProblems(problem, result) }).toEqual({ seed, problems: [] })
        expect(checkPairingAssignment(problem, result.pairs)).toEqual([])
      }
      expect({ seed, problems: hardRuleProblems(problem, greedyMatch(problem)) }).toEqual({ seed, problems: [] })
    }
  })

  it('pairs at least as many children as greedy, and costs no more when they pair as many', () => {
    let cheaper = 0
    let more = 0
    for (const seed of SEEDS) {
      const problem = randomInstance(seed)
      const flow = matchVolunteers(problem).totals
      const greedy = greedyMatch(problem).totals
      expect(flow.paired).toBeGreaterThanOrEqual(greedy.paired)
      if (flow.paired === greedy.paired) expect(flow.totalCost).toBeLessThanOrEqual(greedy.totalCost)
      if (flow.paired > greedy.paired) more++
      else if (flow.totalCost < greedy.totalCost) cheaper++
    }
    expect(more + cheaper).toBeGreaterThan(0)
  })

  it('explains every pair and every unmatched child in Chinese', () => {
    for (const seed of SEEDS.slice(0, 60)) {
      const result = matchVolunteers(randomInstance(seed))
      for (const p of result.pairs) expect(p.explanation).toMatch(CHINESE)
      for (const u of result.unmatched) expect(u.explanation).toMatch(CHINESE)
      expect(result.pairs.length + result.unmatched.length).toBe(result.totals.children)
    }
  })

  it('gives the same answer whatever the order of the input', () => {
    for (const seed of SEEDS.slice(0, 40)) {
      const problem = randomInstance(seed)
      const rnd = prng(seed)
      const shuffle = <T>(list: T[]): T[] => list.map((x) => [rnd(), x] as const).sort((a, b) => a[0] - b[0]).map((p) => p[1])
      const again = { ...problem, children: shuffle([...problem.children]), volunteers: shuffle([...problem.volunteers]) }
      expect(matchVolunteers(again)).toEqual(matchVolunteers(problem))
    }
  })
})

// A hand-made village for the cases that name their figures.
const child = (id: string, extra: Partial<MatchChild> = {}): MatchChild => ({
  id, gender: 'male', age: 8, townshipId: 'sq', villageId: 'sq-1', location: { x: 0, y: 0 }, ...extra
})
const volunteer = (id: string, extra: Partial<MatchVolunteer> = {}): MatchVolunteer => ({
  id, gender: 'female', kind: 'caringParent', capacity: 1, reachableTownshipIds: ['sq'], reachableVillageIds: [], reachableGridIds: [],
  townshipId: 'sq', villageId: 'sq-2', location: { x: 3, y: 4 }, vettingValidUntil: '2026-03-01', ...extra
})
const village = (children: MatchChild[], volunteers: MatchVolunteer[], rules: SafeguardingRule[] = [{ kind: 'womenOnlyForGirlsFrom', age: 10 }]): MatchProblemInput =>
  ({ children, volunteers, rules, now: NOW, placeNames: { sq: '石桥镇', 'sq-1': '石桥村', 'sq-2': '柳塘村' } })

describe('matchVolunteers, case by case', () => {
  it('explains a pair in one line', () => {
    const result = matchVolunteers(village(
      [child('c1', { dialects: ['客家话'], needs: ['tutoring'] })],
      [volunteer('v1', { villageId: 'sq-1', location: { x: 0.3, y: 0.4 }, dialects: ['普通话', '客家话'], skills: ['tutoring'] })]
    ))
    expect(result.pairs).toEqual([{
      childId: 'c1',
      volunteerId: 'v1',
      cost: 5,
      costParts: { distance: 5, dialect: 0, needs: 0, sibling: 0 },
      distanceKm: 0.5,
      explanation: '同在石桥村，会讲客家话，擅长辅导功课'
    }])
  })

  it('adds the documented weights: 10 a km, 60 for the dialect, 100 for counselling, −100 for a sibling paired before', () => {
    const result = matchVolunteers(village(
      [child('c1', { dialects: ['客家话'], needs: ['counselling', 'tutoring'], siblingIds: ['old-1'] })],
      [volunteer('v1', { dialects: ['普通话'], skills: ['tutoring'], previouslyPairedChildIds: ['old-1'] })]
    ))
    const [pair] = result.pairs
    expect(pair.costParts).toEqual({ distance: 50, dialect: 60, needs: 100, sibling: -100 })
    expect(pair.cost).toBe(110)
    expect(pair.explanation).toBe('相距约5.0公里，不会讲客家话，擅长辅导功课，无心理疏导专长，曾与其兄弟姐妹结对')
  })

  it('estimates the distance from the areas when there are no coordinates', () => {
    const result = matchVolunteers(village(
      [child('c1', { location: undefined }), child('c2', { location: undefined, villageId: 'sq-3' })],
      [volunteer('v1', { location: undefined, villageId: 'sq-1', capacity: 2 })]
    ))
    expect(result.pairs.map((p) => [p.childId, p.costParts.distance, p.distanceKm, p.explanation])).toEqual([
      ['c1', 10, null, '同在石桥村'],
      ['c2', 50, null, '同在石桥镇']
    ])
  })

  it('never pairs a girl from the rule\'s age with a man, and says why she is left', () => {
    const girl11 = child('g11', { gender: 'female', age: 11 })
    const girl9 = child('g9', { gender: 'female', age: 9 })
    const man = volunteer('m1', { gender: 'male', capacity: 3 })
    const result = matchVolunteers(village([girl11, girl9], [man]))
    expect(result.pairs.map((p) => p.childId)).toEqual(['g9'])
    expect(result.unmatched).toEqual([{
      childId: 'g11',
      reason: 'blockedByRules',
      explanation: '按“10岁及以上的女孩只由女性志愿者结对”的规定，能到达的志愿者都不合适',
      eligibleVolunteers: 0
    }])
    // Her birthday decides, counted in Asia/Shanghai: ten on 1 September 2025, nine the day before.
    const tenToday = child('g', { gender: 'female', age: undefined, birthDate: '2015-09-01' })
    expect(matchVolunteers(village([tenToday], [man])).totals.paired).toBe(0)
    expect(matchVolunteers({ ...village([tenToday], [man]), now: '2025-08-31T23:00:00+08:00' }).totals.paired).toBe(1)
  })

  it('relaxes the gender rule only for the pair an admin named, and never across a declared conflict', () => {
    const girl11 = child('g11', { gender: 'female', age: 11 })
    const girl12 = child('g12', { gender: 'female', age: 12 })
    const man = volunteer('m1', { gender: 'male', capacity: 3 })
    const relaxed = matchVolunteers(village([{ ...girl11, relaxedVolunteerIds: ['m1'] }, girl12], [man]))
    expect(relaxed.pairs.map((p) => p.childId)).toEqual(['g11'])
    expect(listExclusions(village([{ ...girl11, relaxedVolunteerIds: ['m1'] }, girl12], [man]))).toEqual([
      { childId: 'g12', volunteerId: 'm1', reason: 'rule', rule: '10岁及以上的女孩只由女性志愿者结对', childAge: 12, relaxable: true }
    ])
    const both = { ...girl11, relaxedVolunteerIds: ['m1'], conflictVolunteerIds: ['m1'] }
    expect(matchVolunteers(village([both], [man])).totals.paired).toBe(0)
    expect(listExclusions(village([both], [man]))).toEqual([{ childId: 'g11', volunteerId: 'm1', reason: 'conflict', childAge: 11, relaxable: false }])
  })

  it('never offers a volunteer whose check has expired or failed, and says so when nobody else is vetted', () => {
    const vols = [
      volunteer('expired', { vettingValidUntil: '2025-08-31', location: { x: 0, y: 0.1 } }),
      volunteer('failed', { vetted: false, vettingValidUntil: '2026-08-31' }),
      volunteer('never', { vettingValidUntil: undefined })
    ]
    const result = matchVolunteers(village([child('c1')], vols))
    expect(result.pairs).toEqual([])
    expect(result.unmatched[0]).toMatchObject({ reason: 'noVettedVolunteer', explanation: '能到达的志愿者都未通过无犯罪记录审核或审核已过期' })
    expect(greedyMatch(village([child('c1')], vols)).pairs).toEqual([])
  })

  it('reads a date-only validity as through that day in Asia/Shanghai', () => {
    const v = volunteer('v1', { vettingValidUntil: '2025-09-01' })
    expect(matchVolunteers({ ...village([child('c1')], [v]), now: '2025-09-01T23:30:00+08:00' }).totals.paired).toBe(1)
    // 16:10 UTC is already 2 September in Shanghai.
    expect(matchVolunteers({ ...village([child('c1')], [v]), now: '2025-09-01T16:10:00Z' }).totals.paired).toBe(0)
    expect(matchVolunteers({ ...village([child('c1')], [volunteer('v2', { vettingValidUntil: undefined, vetted: true })]) }).totals.paired).toBe(1)
  })

  it('names each reason a child is left unmatched', () => {
    const far = child('far', { townshipId: 'other', villageId: 'sq-1' })
    const far2 = child('far2', { townshipId: 'other', villageId: 'x-9' })
    const result = matchVolunteers(village([child('a'), child('b'), far, far2], [volunteer('v1', { reachableVillageIds: ['sq-1'] })]))
    expect(result.pairs.map((p) => p.childId)).toEqual(['a'])
    expect(result.unmatched.map((u) => [u.childId, u.reason, u.explanation])).toEqual([
      ['b', 'allEligibleFull', '符合条件的1名志愿者名额都已排满'],
      ['far', 'allEligibleFull', '符合条件的1名志愿者名额都已排满'],
      ['far2', 'noVolunteerInReach', '没有志愿者能到x-9服务']
    ])
    const full = matchVolunteers(village([child('a')], [volunteer('v1', { capacity: 0 })]))
    expect(full.unmatched[0]).toMatchObject({ reason: 'allEligibleFull', explanation: '符合条件的志愿者名额都已满' })
    const declined = matchVolunteers(village([child('a', { declinedVolunteerIds: ['v1'] })], [volunteer('v1')]))
    expect(declined.unmatched[0]).toMatchObject({ reason: 'blockedByRules', explanation: '能到达的合格志愿者都曾谢绝该孩子，或申报了与孩子家的利益冲突' })
  })

  it('respects capacity and pairs where greedy strands a child', () => {
    // Both children are nearest to v1 (one place); only c1 can also reach v2. Greedy gives v1 to c1 and strands c2.
    const problem = village(
      [child('c1', { location: { x: 0, y: 0 } }), child('c2', { location: { x: 0.5, y: 0 }, townshipId: 'sq', villageId: 'sq-1' })],
      [volunteer('v1', { location: { x: 0.2, y: 0 } }), volunteer('v2', { location: { x: 5, y: 0 }, reachableTownshipIds: [], reachableGridIds: ['g-c1'] })]
    )
    ;(problem.children[0] as MatchChild).gridId = 'g-c1'
    const greedy = greedyMatch(problem)
    const flow = matchVolunteers(problem)
    expect(greedy.totals.paired).toBe(1)
    expect(flow.pairs.map((p) => [p.childId, p.volunteerId])).toEqual([['c1', 'v2'], ['c2', 'v1']])
    expect(flow.totals).toMatchObject({ paired: 2, totalCost: 50 + 3, certifiedOptimal: true })
  })

  it('prefers the volunteer who already knows the family, and says so', () => {
    const result = matchVolunteers(village(
      [child('c1', { siblingIds: ['c0'] })],
      [volunteer('near', { location: { x: 1, y: 0 } }), volunteer('knows', { location: { x: 5, y: 0 }, previouslyPairedChildIds: ['c0'] })]
    ))
    expect(result.pairs[0]).toMatchObject({ volunteerId: 'knows', cost: -50, explanation: '相距约5.0公里，曾与其兄弟姐妹结对' })
  })

  it('breaks ties by id', () => {
    const twins = [volunteer('b'), volunteer('a'), volunteer('c')]
    expect(matchVolunteers(village([child('c1')], twins)).pairs[0].volunteerId).toBe('a')
    expect(greedyMatch(village([child('c1')], twins)).pairs[0].volunteerId).toBe('a')
    const result = matchVolunteers(village([child('y'), child('x')], [volunteer('v1')]))
    expect(result.pairs.map((p) => p.childId)).toEqual(['x'])
  })

  it('says when a child is left out only because of the candidate limit, and the repair pairs them', () => {
    // c1 and c2 both rank v1 first; v2 (farther) could take either. One candidate each and no repair strands one.
    const problem = village(
      [child('c1'), child('c2', { location: { x: 0.1, y: 0 } })],
      [volunteer('v1', { location: { x: 0, y: 1 } }), volunteer('v2', { location: { x: 0, y: 6 } })]
    )
    const cut = matchVolunteers(problem, { k: 1, kPerVolunteer: 0, repairRounds: 0 })
    expect(cut.totals).toMatchObject({ paired: 1, certifiedOptimal: false })
    expect(cut.unmatched[0]).toMatchObject({ reason: 'outsideCandidates', explanation: '前1名候选志愿者已排满，另有符合条件的志愿者尚有名额，可调大候选数重新匹配' })
    const repaired = matchVolunteers(problem, { k: 1, kPerVolunteer: 0 })
    expect(repaired.totals).toMatchObject({ paired: 2, certifiedOptimal: true, solves: 2 })
    // v2 is nobody's first choice; keeping each volunteer's own cheapest child gives it an edge from the start.
    const both = matchVolunteers(problem, { k: 1, repairRounds: 0 })
    expect(both.totals).toMatchObject({ paired: 2, certifiedOptimal: true, solves: 1 })
  })

  it('applies the other safeguarding rules', () => {
    const boy13 = child('b13', { age: 13 })
    const needy = child('d', { needs: ['disability'] })
    const rules: SafeguardingRule[] = [
      { kind: 'sameGenderFrom', age: 12 },
      { kind: 'needRequiresSkill', need: 'disability', skill: 'specialEducation' },
      { kind: 'maxDistanceKm', km: 4 }
    ]
    const vols = [volunteer('w', { capacity: 3, skills: ['disability'] }), volunteer('m', { gender: 'male', capacity: 3, location: { x: 1, y: 1 } })]
    const result = matchVolunteers(village([boy13, needy, child('k')], vols, rules))
    expect(result.pairs.map((p) => [p.childId, p.volunteerId])).toEqual([['b13', 'm'], ['k', 'm']])
    expect(result.unmatched[0]).toMatchObject({ childId: 'd', reason: 'blockedByRules' })
    expect(result.unmatched[0].explanation).toContain('残疾儿童照护')
    // 'w' is 5 km away: the distance rule alone keeps her out.
    expect(matchVolunteers(village([child('k')], [vols[0]], [{ kind: 'maxDistanceKm', km: 4 }])).unmatched[0].explanation)
      .toBe('按“结对双方相距不超过4公里”的规定，能到达的志愿者都不合适')
  })

  it('lets the weights be changed', () => {
    const problem = village(
      [child('c1', { dialects: ['客家话'] })],
      [volunteer('near', { location: { x: 1, y: 0 } }), volunteer('speaks', { location: { x: 4, y: 0 }, dialects: ['客家话'] })]
    )
    expect(matchVolunteers(problem).pairs[0].volunteerId).toBe('speaks')
    expect(matchVolunteers(problem, { weights: { dialectMismatch: 10 } }).pairs[0].volunteerId).toBe('near')
  })
})

describe('checkPairingAssignment', () => {
  it('names every broken rule of an edited assignment', () => {
    const problem = village(
      [child('g', { gender: 'female', age: 12 }), child('b')],
      [volunteer('m', { gender: 'male' }), volunteer('old', { vettingValidUntil: '2024-01-01' })]
    )
    expect(checkPairingAssignment(problem, [
      { childId: 'g', volunteerId: 'm' },
      { childId: 'b', volunteerId: 'm' },
      { childId: 'b', volunteerId: 'old' },
      { childId: 'z', volunteerId: 'm' }
    ])).toEqual([
      'g—m：违反保护规则',
      '孩子b被安排了不止一位志愿者',
      'b—old：志愿者的无犯罪记录审核无效或已过期',
      '孩子z不在本次匹配名单中',
      '志愿者m被安排2名孩子，超过空余名额1'
    ])
  })
})

describe('input', () => {
  it('refuses bad input with the fields named', () => {
    const bad = { ...village([child('c1', { age: undefined })], [volunteer('v1', { capacity: 4 }), volunteer('v1')]) }
    let thrown: unknown
    try { matchVolunteers(bad) } catch (e) { thrown = e }
    expect(thrown).toBeInstanceOf(AppError)
    expect((thrown as AppError).fields).toMatchObject({
      'children.0.birthDate': '请填写出生日期或年龄',
      'volunteers.0.capacity': '太长或太大'
    })
    expect(() => matchVolunteers(village([child('c1')], [volunteer('v1'), volunteer('v1')]))).toThrow(AppError)
    try { matchVolunteers(village([child('c1')], [volunteer('v1'), volunteer('v1')])) } catch (e) {
      expect((e as AppError).fields).toEqual({ 'volunteers.1.id': '志愿者编号重复' })
    }
  })

  it('handles an empty run', () => {
    expect(matchVolunteers(village([], [])).totals).toMatchObject({ paired: 0, unmatched: 0, totalCost: 0, certifiedOptimal: true })
    expect(matchVolunteers(village([child('c1')], [])).unmatched[0].reason).toBe('noVolunteerInReach')
  })
})
