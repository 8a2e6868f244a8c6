import { parseInput } from '../validation'
import { MatchContext, type CostParts } from './engine'
import { solveBMatching } from './flow'
import { MatchOptions, MatchProblem, type MatchOptionsInput, type MatchProblemInput } from './schema'
import { resolveCostWeights } from './weights'

/**
 * Volunteer–child matching (爱心结对): min-cost maximum matching with capacities on a sparse candidate graph.
 *
 * 1. Eligibility (hard rules, never broken): the child is in the volunteer's reach (township, village or grid), the
 *    volunteer's criminal-record check is valid at `now` (Minors Protection Law Art. 62), the volunteer has room,
 *    has not declined the child, and every safeguarding rule of the run allows the pair.
 * 2. Candidates: each child keeps its k cheapest eligible volunteers (ties by volunteer id), and each volunteer its
 *    kPerVolunteer (default k) cheapest eligible children — without these, a volunteer who is in nobody's top k
 *    gets no edge at all and their places are lost (in the bench county: 204 children of 5,302 places).
 * 3. The network source → child (1) → volunteer (capacity) → sink on those candidates is solved for the most
 *    pairs, then the least total cost among them (flow.ts: successive shortest paths, Dijkstra with potentials).
 * 4. Keeping only candidates can lose optimality: a child's best pair overall may use a volunteer outside its k
 *    cheapest, when those are wanted more elsewhere. So every eligible pair left out is priced with the solution's
 *    dual potentials; a pair with negative reduced cost could improve it and is added (at most max(k, 8) per child
 *    and round, most negative first) for another solve, at most `repairRounds` (default 5) times. When no pair is
 *    left with a negative reduced cost the result is optimal on the full eligible graph (`certifiedOptimal`: the
 *    potentials are a dual certificate); otherwise it is optimal on the candidates only, and says so.
 *    Cost: one more pass over all eligible pairs per solve (the passes, not the solves, dominate the run time).
 *
 * Output is deterministic: inputs are sorted by id first, and every tie is broken by id.
 */

interface ProposedPair {
  childId: string
  volunteerId: string
  /** Points, lower is better (weights.ts); may be negative when a sibling bonus outweighs the distance. */
  cost: number
  costParts: CostParts
  /** Straight-line km, or null when the two have no comparable coordinates. */
  distanceKm: number | null
  /** One line in Chinese for the admin who reviews the proposal. */
  explanation: string
}

type UnmatchedReason =
  | 'noVolunteerInReach' // no volunteer lists the child's township, village or grid
  | 'noVettedVolunteer' // some do, but none has a valid criminal-record check
  | 'blockedByRules' // vetted volunteers in reach, but safeguarding rules (or their own declines) exclude them
  | 'allEligibleFull' // eligible volunteers exist, and all their places went to other children
  | 'outsideCandidates' // an eligible volunteer still has room but was not among the child's k candidates

interface UnmatchedChild {
  childId: string
  reason: UnmatchedReason
  explanation: string
  /** Eligible volunteers (with room before the run) for this child. */
  eligibleVolunteers: number
}

interface MatchTotals {
  children: number
  volunteers: number
  /** Places offered: the capacity of the vetted volunteers. */
  places: number
  paired: number
  unmatched: number
  totalCost: number
  /** Every eligible (child, volunteer) pair. */
  eligiblePairs: number
  /** Pairs the last solve worked on (k per child, plus any added by the repair). */
  candidatePairs: number
  k: number
  /** Solves run: 1 + repair rounds used. */
  solves: number
  /** True when the result is proved optimal on the full eligible graph, not only on the candidates. */
  certifiedOptimal: boolean
  /** Shortest-path searches of the last solve. */
  searches: number
}

export interface MatchResult {
  algorithm: 'minCostFlow' | 'greedy'
  pairs: ProposedPair[]
  unmatched: UnmatchedChild[]
  totals: MatchTotals
}

type MatchOptionsArg = MatchOptionsInput & {
  /** Called now and then while solving (for memory sampling in the bench). */
  probe?: () => void
}

export function matchVolunteers (input: MatchProblemInput, options: MatchOptionsArg = {}): MatchResult {
  const { probe, ...rest } = options
  const problem = parseInput(MatchProblem, input)
  const opts = parseInput(MatchOptions, rest)
  const ctx = new MatchContext(problem, resolveCostWeights(opts.weights))
  const { nC, nV } = ctx
  const k = opts.k

  // Pass 1: the k cheapest eligible volunteers of each child, the kPerVolunteer cheapest eligible children of each
  // volunteer, and the cost range of the whole eligible graph.
  const kv = opts.kPerVolunteer ?? k
  const candStart = new Int32Array(nC + 1)
  const candVol = new Int32Array(nC * Math.min(k, Math.max(nV, 1)))
  const candCost = new Float64Array(candVol.length)
  const reasons = new Int32Array(nC * 3) // per child: reason code, top rule, eligible volunteers
  const topV = new Int32Array(k)
  const topC = new Float64Array(k)
  const vTopChild = new Int32Array(nV * kv)
  const vTopCost = new Float64Array(nV * kv)
  const vTopN = new Int32Array(nV)
  let floor = Infinity
  let ceil = -Infinity
  let eligiblePairs = 0
  let filled = 0
  for (let ci = 0; ci < nC; ci++) {
    if ((ci & 1023) === 1023) probe?.()
    let n = 0
    ctx.enumerate(ci, (vi, c) => {
      if (c < floor) floor = c
      if (c > ceil) ceil = c
      if (kv > 0) {
        // Children come in id order, so on equal cost the child already kept stays (ties by child id).
        const base = vi * kv
        const nv = vTopN[vi]
        if (nv < kv || c < vTopCost[base + kv - 1]) {
          let p = nv < kv ? vTopN[vi]++ : kv - 1
          while (p > 0 && vTopCost[base + p - 1] > c) {
            vTopCost[base + p] = vTopCost[base + p - 1]; vTopChild[base + p] = vTopChild[base + p - 1]; p--
          }
          vTopCost[base + p] = c; vTopChild[base + p] = ci
        }
      }
      if (n === k && (c > topC[k - 1] || (c === topC[k - 1] && vi > topV[k - 1]))) return
      let p = n < k ? n++ : k - 1
      while (p > 0 && (topC[p - 1] > c || (topC[p - 1] === c && topV[p - 1] > vi))) {
        topC[p] = topC[p - 1]; topV[p] = topV[p - 1]; p--
      }
      topC[p] = c; topV[p] = vi
    })
    eligiblePairs += ctx.counts.eligible
    storeCounts(reasons, ci, ctx)
    candVol.set(topV.subarray(0, n), filled)
    candCost.set(topC.subarray(0, n), filled)
    filled += n
    candStart[ci + 1] = filled
  }
  probe?.()

  // Pairs beyond each child's own k: from the volunteers' lists, then from the repair rounds.
  const extraVol: number[][] = Array.from({ length: nC }, () => [])
  const extraCost: number[][] = Array.from({ length: nC }, () => [])
  for (let vi = 0; vi < nV; vi++) {
    for (let p = vi * kv, end = p + vTopN[vi]; p < end; p++) {
      const ci = vTopChild[p]
      let own = false
      for (let q = candStart[ci]; q < candStart[ci + 1]; q++) if (candVol[q] === vi) { own = true; break }
      if (!own) { extraVol[ci].push(vi); extraCost[ci].push(vTopCost[p]) }
    }
  }
  const inCand = new Int32Array(nV).fill(-1)
  let solves = 0
  let certified = false
  let childVol = new Int32Array(nC)
  let hasRoom = new Uint8Array(nC)
  let candidatePairs = 0
  let searches = 0
  for (;;) {
    solves++
    let m = filled
    for (let ci = 0; ci < nC; ci++) m += extraVol[ci].length
    const eChild = new Int32Array(m)
    const eVol = new Int32Array(m)
    const eCost = new Float64Array(m)
    let e = 0
    for (let ci = 0; ci < nC; ci++) {
      for (let p = candStart[ci]; p < candStart[ci + 1]; p++) { eChild[e] = ci; eVol[e] = candVol[p]; eCost[e++] = candCost[p] }
      const xv = extraVol[ci]
      for (let p = 0; p < xv.length; p++) { eChild[e] = ci; eVol[e] = xv[p]; eCost[e++] = extraCost[ci][p] }
    }
    candidatePairs = m
    // The side with fewer units to place is the one the searches start from: then most searches end quickly.
    const childrenWithEdges = new Uint8Array(nC)
    const volWithEdges = new Uint8Array(nV)
    for (let i = 0; i < m; i++) { childrenWithEdges[eChild[i]] = 1; volWithEdges[eVol[i]] = 1 }
    let childUnits = 0
    let volUnits = 0
    for (let ci = 0; ci < nC; ci++) childUnits += childrenWithEdges[ci]
    for (let vi = 0; vi < nV; vi++) if (volWithEdges[vi]) volUnits += ctx.capacity[vi]
    const childrenLeft = childUnits <= volUnits
    const ones = new Int32Array(nC).fill(1)
    const sol = solveBMatching(childrenLeft
      ? { nLeft: nC, nRight: nV, leftCap: ones, rightCap: ctx.capacity, edgeLeft: eChild, edgeRight: eVol, edgeCost: eCost, costFloor: floor, costCeil: ceil, probe }
      : { nLeft: nV, nRight: nC, leftCap: ctx.capacity, rightCap: ones, edgeLeft: eVol, edgeRight: eChild, edgeCost: eCost, costFloor: floor, costCeil: ceil, probe })
    searches = sol.stats.searches
    probe?.()

    childVol = new Int32Array(nC).fill(-1)
    const room = Int32Array.from(ctx.capacity)
    for (let i = 0; i < m; i++) {
      if (sol.edgeFlow[i] !== 0) { childVol[eChild[i]] = eVol[i]; room[eVol[i]]-- }
    }

    // Pricing: is any eligible pair outside the candidates worth adding?
    const reduced = childrenLeft
      ? (ci: number, vi: number, c: number) => sol.reducedCost(ci, vi, c)
      : (ci: number, vi: number, c: number) => sol.reducedCost(vi, ci, c)
    hasRoom = new Uint8Array(nC)
    let violations = 0
    const lastRound = solves > opts.repairRounds
    // At most this many pairs are added per child and round (the most negative first), so memory stays bounded.
    const cap = Math.max(k, 8)
    let found: { vi: number, c: number, rc: number }[] = []
    for (let ci = 0; ci < nC; ci++) {
      if ((ci & 1023) === 1023) probe?.()
      for (let p = candStart[ci]; p < candStart[ci + 1]; p++) inCand[candVol[p]] = ci
      for (const vi of extraVol[ci]) inCand[vi] = ci
      const unmatched = childVol[ci] < 0
      found = []
      ctx.enumerate(ci, (vi, c) => {
        if (unmatched && room[vi] > 0) hasRoom[ci] = 1
        if (inCand[vi] === ci) return
        const rc = reduced(ci, vi, c)
        if (rc < 0) found.push({ vi, c, rc })
      })
      violations += found.length
      if (lastRound || found.length === 0) continue
      if (found.length > cap) found = found.sort((a, b) => a.rc - b.rc || a.vi - b.vi).slice(0, cap)
      for (const f of found) { extraVol[ci].push(f.vi); extraCost[ci].push(f.c) }
    }
    probe?.()
    if (violations === 0) { certified = true; break }
    if (lastRound) break
  }

  const pairs: ProposedPair[] = []
  const unmatched: UnmatchedChild[] = []
  let totalCost = 0
  for (let ci = 0; ci < nC; ci++) {
    const vi = childVol[ci]
    if (vi >= 0) {
      const pair = describePair(ctx, ci, vi)
      totalCost += pair.cost
      pairs.push(pair)
    } else {
      unmatched.push(describeUnmatched(ctx, ci, reasons, hasRoom[ci] !== 0, k))
    }
  }
  return {
    algorithm: 'minCostFlow',
    pairs,
    unmatched,
    totals: {
      children: nC,
      volunteers: nV,
      places: places(ctx),
      paired: pairs.length,
      unmatched: unmatched.length,
      totalCost,
      eligiblePairs,
      candidatePairs,
      k,
      solves,
      certifiedOptimal: certified,
      searches
    }
  }
}

/**
 * The baseline: children in id order, each takes its cheapest (mostly: nearest) eligible volunteer who still has
 * room, ties by volunteer id. No candidate limit, no reconsidering.
 */
export function greedyMatch (input: MatchProblemInput, options: Pick<MatchOptionsArg, 'weights' | 'probe'> = {}): MatchResult {
  const problem = parseInput(MatchProblem, input)
  const opts = parseInput(MatchOptions, { weights: options.weights })
  const ctx = new MatchContext(problem, resolveCostWeights(opts.weights))
  const room = Int32Array.from(ctx.capacity)
  const reasons = new Int32Array(ctx.nC * 3)
  const pairs: ProposedPair[] = []
  const unmatched: UnmatchedChild[] = []
  let totalCost = 0
  let eligiblePairs = 0
  for (let ci = 0; ci < ctx.nC; ci++) {
    let best = -1
    let bestCost = Infinity
    ctx.enumerate(ci, (vi, c) => {
      if (room[vi] > 0 && (c < bestCost || (c === bestCost && vi < best))) { best = vi; bestCost = c }
    })
    eligiblePairs += ctx.counts.eligible
    storeCounts(reasons, ci, ctx)
    if (best >= 0) {
      room[best]--
      const pair = describePair(ctx, ci, best)
      totalCost += pair.cost
      pairs.push(pair)
    } else {
      unmatched.push(describeUnmatched(ctx, ci, reasons, false, 0))
    }
  }
  options.probe?.()
  return {
    algorithm: 'greedy',
    pairs,
    unmatched,
    totals: {
      children: ctx.nC,
      volunteers: ctx.nV,
      places: places(ctx),
      paired: pairs.length,
      unmatched: unmatched.length,
      totalCost,
      eligiblePairs,
      candidatePairs: eligiblePairs,
      k: 0,
      solves: 1,
      certifiedOptimal: false,
      searches: 0
    }
  }
}

export interface EligiblePair { childId: string, volunteerId: string, cost: number }

/** Every eligible pair with its cost, in (child id, volunteer id) order: for review screens and exact checks. */
export function listEligiblePairs (input: MatchProblemInput, options: Pick<MatchOptionsArg, 'weights'> = {}): EligiblePair[] {
  const problem = parseInput(MatchProblem, input)
  const opts = parseInput(MatchOptions, { weights: options.weights })
  const ctx = new MatchContext(problem, resolveCostWeights(opts.weights))
  const out: EligiblePair[] = []
  for (let ci = 0; ci < ctx.nC; ci++) {
    const found: [number, number][] = []
    ctx.enumerate(ci, (vi, c) => { found.push([vi, c]) })
    found.sort((a, b) => a[0] - b[0])
    for (const [vi, c] of found) out.push({ childId: ctx.children[ci].id, volunteerId: ctx.volunteers[vi].id, cost: c })
  }
  return out
}

const INELIGIBLE_TEXT = {
  notInReach: '孩子不在志愿者可服务的范围内',
  notVetted: '志愿者的无犯罪记录审核无效或已过期',
  conflict: '志愿者申报了与孩子家的利益冲突',
  declined: '志愿者曾谢绝该孩子',
  rule: '违反保护规则',
  full: '志愿者没有空余名额'
} as const

/**
 * Checks a proposed or edited assignment against every hard rule, independently of how it was made: unknown ids,
 * a child twice, reach, vetting at `now`, declines, safeguarding rules, capacity. Returns one Chinese line per
 * problem; empty when the assignment may be sent as offers.
 */
export function checkPairingAssignment (input: MatchProblemInput, pairs: readonly { childId: string, volunteerId: string }[]): string[] {
  const problem = parseInput(MatchProblem, input)
  const ctx = new MatchContext(problem, resolveCostWeights())
  const childIndex = new Map(ctx.children.map((c, i) => [c.id, i]))
  const volIndex = new Map(ctx.volunteers.map((v, i) => [v.id, i]))
  const load = new Int32Array(ctx.nV)
  const seen = new Set<string>()
  const problems: string[] = []
  for (const { childId, volunteerId } of pairs) {
    const ci = childIndex.get(childId)
    const vi = volIndex.get(volunteerId)
    if (ci === undefined) { problems.push(`孩子${childId}不在本次匹配名单中`); continue }
    if (vi === undefined) { problems.push(`志愿者${volunteerId}不在本次匹配名单中`); continue }
    if (seen.has(childId)) problems.push(`孩子${childId}被安排了不止一位志愿者`)
    seen.add(childId)
    const why = ctx.ineligible(ci, vi)
    if (why !== null && why !== 'full') problems.push(`${childId}—${volunteerId}：${INELIGIBLE_TEXT[why]}`)
    load[vi]++
  }
  for (let vi = 0; vi < ctx.nV; vi++) {
    if (load[vi] > ctx.capacity[vi]) problems.push(`志愿者${ctx.volunteers[vi].id}被安排${load[vi]}名孩子，超过空余名额${ctx.capacity[vi]}`)
  }
  return problems
}

/** Why a volunteer in reach of a child is not paired with it, for the admin (docs/DOMAIN.md, "Minors Protection Law"). */
export interface Exclusion {
  childId: string
  volunteerId: string
  reason: 'notVetted' | 'conflict' | 'declined' | 'rule'
  /** The safeguarding rule, in words, when `reason` is 'rule'. */
  rule?: string
  /** The child's age at the run (for the explanation). */
  childAge: number
  /** An admin may relax it for this pair with a reason (only the gender rules). */
  relaxable: boolean
}

/**
 * Every (child, volunteer in reach) pair the hard rules keep apart, and why: the volunteer's check, a declared
 * conflict, a decline, or the first safeguarding rule that turns the pair away. Pairs kept apart only by a lack of
 * places are not exclusions. In (child id, volunteer id) order.
 */
export function listExclusions (input: MatchProblemInput): Exclusion[] {
  const problem = parseInput(MatchProblem, input)
  const ctx = new MatchContext(problem, resolveCostWeights())
  const out: Exclusion[] = []
  for (let ci = 0; ci < ctx.nC; ci++) {
    for (const vi of ctx.inReach(ci)) {
      const why = ctx.ineligible(ci, vi)
      if (why === null || why === 'full' || why === 'notInReach') continue
      const base = { childId: ctx.children[ci].id, volunteerId: ctx.volunteers[vi].id, childAge: ctx.facts(ci).age }
      if (why === 'rule') {
        const r = ctx.ruleBlocking(ci, vi)
        out.push({ ...base, reason: why, rule: ctx.ruleLabels[r], relaxable: ctx.rules[r].relaxable })
      } else out.push({ ...base, reason: why, relaxable: false })
    }
  }
  return out
}

function describePair (ctx: MatchContext, ci: number, vi: number): ProposedPair {
  const costParts = ctx.costParts(ci, vi)
  const km = ctx.measuredKm(ci, vi)
  return {
    childId: ctx.children[ci].id,
    volunteerId: ctx.volunteers[vi].id,
    cost: costParts.distance + costParts.dialect + costParts.needs + costParts.sibling,
    costParts,
    distanceKm: km === null ? null : Math.round(km * 100) / 100,
    explanation: ctx.explainPair(ci, vi)
  }
}

const R_NO_REACH = 0
const R_NOT_VETTED = 1
const R_RULES = 2
const R_FULL = 3

function storeCounts (into: Int32Array, ci: number, ctx: MatchContext): void {
  const c = ctx.counts
  into[ci * 3] = c.inReach === 0 ? R_NO_REACH : c.vetted === 0 ? R_NOT_VETTED : c.allowed === 0 ? R_RULES : R_FULL
  into[ci * 3 + 1] = c.topRule
  into[ci * 3 + 2] = c.eligible
}

function describeUnmatched (ctx: MatchContext, ci: number, counts: Int32Array, eligibleHasRoom: boolean, k: number): UnmatchedChild {
  const child = ctx.children[ci]
  const code = counts[ci * 3]
  const topRule = counts[ci * 3 + 1]
  const eligible = counts[ci * 3 + 2]
  const place = ctx.placeName(child.villageId)
  let reason: UnmatchedReason
  let explanation: string
  if (code === R_NO_REACH) {
    reason = 'noVolunteerInReach'
    explanation = `没有志愿者能到${place}服务`
  } else if (code === R_NOT_VETTED) {
    reason = 'noVettedVolunteer'
    explanation = '能到达的志愿者都未通过无犯罪记录审核或审核已过期'
  } else if (code === R_RULES) {
    reason = 'blockedByRules'
    explanation = topRule >= 0
      ? `按“${ctx.ruleLabels[topRule]}”的规定，能到达的志愿者都不合适`
      : '能到达的合格志愿者都曾谢绝该孩子，或申报了与孩子家的利益冲突'
  } else if (eligibleHasRoom) {
    reason = 'outsideCandidates'
    explanation = `前${k}名候选志愿者已排满，另有符合条件的志愿者尚有名额，可调大候选数重新匹配`
  } else {
    reason = 'allEligibleFull'
    explanation = eligible === 0
      ? '符合条件的志愿者名额都已满'
      : `符合条件的${eligible}名志愿者名额都已排满`
  }
  return { childId: child.id, reason, explanation, eligibleVolunteers: eligible }
}

function places (ctx: MatchContext): number {
  let total = 0
  for (let vi = 0; vi < ctx.nV; vi++) if (ctx.vetted[vi]) total += ctx.capacity[vi]
  return total
}
