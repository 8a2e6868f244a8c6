import { inShanghai } from '../time'
import { compileRules, safeguardingRuleLabel, type ChildFacts, type CompiledRule, type VolunteerFacts } from './rules'
import { matchNeedLabel, type MatchChild, type MatchProblem, type MatchVolunteer } from './schema'
import type { CostWeights } from './weights'

/** The parts of a pair's cost, in points (see weights.ts). */
export interface CostParts {
  distance: number
  dialect: number
  needs: number
  sibling: number
}

/** Why a pair is not allowed, or null when it is. */
type IneligibleReason = 'notInReach' | 'notVetted' | 'conflict' | 'declined' | 'rule' | 'full'

/** Counts kept for one child while its volunteers are enumerated: they explain a child left unmatched. */
interface ReachCounts {
  inReach: number
  vetted: number
  allowed: number
  eligible: number
  declined: number
  /** Index of the rule that turned away most of the vetted volunteers in reach, or -1. */
  topRule: number
}

const EARTH_KM = 6371.0088
const RAD = Math.PI / 180

/**
 * Everything the matching needs about one problem, turned into arrays indexed by position in id order
 * (children and volunteers are sorted by id, so every tie broken by index is broken by id).
 */
export class MatchContext {
  readonly children: MatchChild[]
  readonly volunteers: MatchVolunteer[]
  readonly nC: number
  readonly nV: number
  readonly capacity: Int32Array
  readonly vetted: Uint8Array
  readonly rules: CompiledRule[]
  readonly ruleLabels: string[]
  readonly weights: CostWeights
  readonly placeNames: Record<string, string>

  private readonly childFacts: ChildFacts[]
  private readonly volFacts: VolunteerFacts[]
  private readonly cKind: Uint8Array
  private readonly cx: Float64Array
  private readonly cy: Float64Array
  private readonly vKind: Uint8Array
  private readonly vx: Float64Array
  private readonly vy: Float64Array
  private readonly byTownship = new Map<string, number[]>()
  private readonly byVillage = new Map<string, number[]>()
  private readonly byGrid = new Map<string, number[]>()
  private readonly dialectWords: number
  private readonly cDialect: Uint32Array
  private readonly vDialect: Uint32Array
  private readonly cHasDialect: Uint8Array
  private readonly needWords: number
  private readonly cNeed: Uint32Array
  private readonly vSkill: Uint32Array
  private readonly needWeight: number[]
  private readonly siblingVolunteers: (Int32Array | null)[]
  private readonly declined: (Set<number> | null)[]
  private readonly conflicts: (Set<number> | null)[]
  private readonly relaxed: (Set<number> | null)[]
  private readonly mark: Int32Array
  private stamp = 0
  private readonly ruleHits: Int32Array
  /** Filled by each call of enumerate(). */
  readonly counts: ReachCounts = { inReach: 0, vetted: 0, allowed: 0, eligible: 0, declined: 0, topRule: -1 }

  constructor (problem: MatchProblem, weights: CostWeights) {
    this.weights = weights
    this.placeNames = problem.placeNames ?? {}
    this.children = [...problem.children].sort((a, b) => cmp(a.id, b.id))
    this.volunteers = [...problem.volunteers].sort((a, b) => cmp(a.id, b.id))
    this.nC = this.children.length
    const nV = this.nV = this.volunteers.length
    const now = problem.now
    const today = inShanghai(now)
    const todayDate = today.format('YYYY-MM-DD')
    const ty = today.year()
    const tmd = (today.month() + 1) * 100 + today.date()

    // Ages: whole years in Asia/Shanghai at `now`.
    this.childFacts = this.children.map((c) => ({
      age: c.birthDate ? ageFrom(c.birthDate, ty, tmd) : c.age as number,
      gender: c.gender,
      needs: c.needs ?? []
    }))
    this.volFacts = this.volunteers.map((v) => ({ gender: v.gender, skills: new Set(v.skills ?? []) }))

    this.capacity = Int32Array.from(this.volunteers, (v) => v.capacity)
    this.vetted = Uint8Array.from(this.volunteers, (v) => vettingValid(v, now, todayDate) ? 1 : 0)

    // Locations on one plane in km: degrees by an equirectangular projection around the mean latitude
    // (under 0.1 % error across a county), local-grid points as they are.
    let latSum = 0
    let latN = 0
    for (const p of [...this.children, ...this.volunteers]) {
      if (p.location && 'lat' in p.location) { latSum += p.location.lat; latN++ }
    }
    const cosLat = Math.cos((latN ? latSum / latN : 0) * RAD)
    const project = (list: (MatchChild | MatchVolunteer)[]): [Uint8Array, Float64Array, Float64Array] => {
      const kind = new Uint8Array(list.length)
      const x = new Float64Array(list.length)
      const y = new Float64Array(list.length)
      list.forEach((p, i) => {
        const l = p.location
        if (!l) return
        if ('lat' in l) { kind[i] = 1; x[i] = EARTH_KM * l.lng * RAD * cosLat; y[i] = EARTH_KM * l.lat * RAD } else { kind[i] = 2; x[i] = l.x; y[i] = l.y }
      })
      return [kind, x, y]
    }
    ;[this.cKind, this.cx, this.cy] = project(this.children)
    ;[this.vKind, this.vx, this.vy] = project(this.volunteers)

    this.volunteers.forEach((v, i) => {
      for (const id of v.reachableTownshipIds) push(this.byTownship, id, i)
      for (const id of v.reachableVillageIds) push(this.byVillage, id, i)
      for (const id of v.reachableGridIds) push(this.byGrid, id, i)
    })

    // Dialects and needs as bit masks over the words the children use (a volunteer's other words cannot matter).
    const dialects = vocabulary(this.children.map((c) => c.dialects))
    this.dialectWords = Math.max(1, Math.ceil(dialects.size / 32))
    this.cDialect = masks(this.children.map((c) => c.dialects), dialects, this.dialectWords)
    this.vDialect = masks(this.volunteers.map((v) => v.dialects), dialects, this.dialectWords)
    this.cHasDialect = Uint8Array.from(this.children, (c) => (c.dialects?.length ?? 0) > 0 ? 1 : 0)
    const needs = vocabulary(this.children.map((c) => c.needs))
    this.needWords = Math.max(1, Math.ceil(needs.size / 32))
    this.cNeed = masks(this.children.map((c) => c.needs), needs, this.needWords)
    this.vSkill = masks(this.volunteers.map((v) => v.skills), needs, this.needWords)
    this.needWeight = []
    for (const [word, bit] of needs) this.needWeight[bit] = weights.needWeights[word] ?? weights.uncoveredNeed

    // Volunteers who paired a sibling of each child.
    const volIndex = new Map(this.volunteers.map((v, i) => [v.id, i]))
    const pairedBy = new Map<string, number[]>()
    this.volunteers.forEach((v, i) => { for (const cid of v.previouslyPairedChildIds ?? []) push(pairedBy, cid, i) })
    this.siblingVolunteers = this.children.map((c) => {
      const found = new Set<number>()
      for (const sid of c.siblingIds ?? []) for (const vi of pairedBy.get(sid) ?? []) found.add(vi)
      return found.size ? Int32Array.from([...found].sort((a, b) => a - b)) : null
    })
    const indexSet = (ids: readonly string[] | undefined): Set<number> | null => {
      const found = (ids ?? []).map((id) => volIndex.get(id)).filter((i): i is number => i !== undefined)
      return found.length ? new Set(found) : null
    }
    this.declined = this.children.map((c) => indexSet(c.declinedVolunteerIds))
    this.conflicts = this.children.map((c) => indexSet(c.conflictVolunteerIds))
    this.relaxed = this.children.map((c) => indexSet(c.relaxedVolunteerIds))

    this.rules = compileRules(problem.rules)
    this.ruleLabels = problem.rules.map(safeguardingRuleLabel)
    this.ruleHits = new Int32Array(this.rules.length)
    this.mark = new Int32Array(nV)
  }

  placeName (id: string | undefined): string {
    return id === undefined ? '' : this.placeNames[id] ?? id
  }

  /** Straight-line km between child ci and volunteer vi, or null when they have no comparable coordinates. */
  measuredKm (ci: number, vi: number): number | null {
    const k = this.cKind[ci]
    if (k === 0 || k !== this.vKind[vi]) return null
    const dx = this.cx[ci] - this.vx[vi]
    const dy = this.cy[ci] - this.vy[vi]
    return Math.sqrt(dx * dx + dy * dy)
  }

  /** The km the cost counts: measured, or the area estimate. */
  costKm (ci: number, vi: number, measured: number | null): number {
    if (measured !== null) return measured
    const c = this.children[ci]
    const v = this.volunteers[vi]
    const f = this.weights.fallbackKm
    if (v.villageId !== undefined && v.villageId === c.villageId) return f.sameVillage
    if (v.gridId !== undefined && v.gridId === c.gridId) return f.sameGrid
    if (v.townshipId !== undefined && v.townshipId === c.townshipId) return f.sameTownship
    return f.elsewhere
  }

  cost (ci: number, vi: number, measured: number | null): number {
    const w = this.weights
    let total = Math.round(this.costKm(ci, vi, measured) * w.perKm)
    if (this.cHasDialect[ci] !== 0 && !this.sharesDialect(ci, vi)) total += w.dialectMismatch
    const nw = this.needWords
    for (let k = 0; k < nw; k++) {
      let open = this.cNeed[ci * nw + k] & ~this.vSkill[vi * nw + k]
      while (open !== 0) {
        const low = open & -open
        total += this.needWeight[k * 32 + 31 - Math.clz32(low)]
        open ^= low
      }
    }
    if (this.pairedSibling(ci, vi)) total -= w.siblingBonus
    return total
  }

  costParts (ci: number, vi: number): CostParts {
    const w = this.weights
    const measured = this.measuredKm(ci, vi)
    let needs = 0
    const skills = this.volFacts[vi].skills
    for (const need of new Set(this.childFacts[ci].needs)) {
      if (!skills.has(need)) needs += w.needWeights[need] ?? w.uncoveredNeed
    }
    return {
      distance: Math.round(this.costKm(ci, vi, measured) * w.perKm),
      dialect: this.cHasDialect[ci] !== 0 && !this.sharesDialect(ci, vi) ? w.dialectMismatch : 0,
      needs,
      sibling: this.pairedSibling(ci, vi) ? -w.siblingBonus : 0
    }
  }

  private sharesDialect (ci: number, vi: number): boolean {
    const dw = this.dialectWords
    for (let k = 0; k < dw; k++) if ((this.cDialect[ci * dw + k] & this.vDialect[vi * dw + k]) !== 0) return true
    return false
  }

  private pairedSibling (ci: number, vi: number): boolean {
    const sib = this.siblingVolunteers[ci]
    if (sib === null) return false
    for (let s = 0; s < sib.length; s++) if (sib[s] === vi) return true
    return false
  }

  /**
   * Calls visit(vi, cost) for every volunteer eligible for child ci — in reach, vetted at `now`, not declined,
   * allowed by every safeguarding rule, with room — and leaves the counts in `this.counts`.
   */
  enumerate (ci: number, visit: (vi: number, cost: number) => void): void {
    const c = this.children[ci]
    const stamp = ++this.stamp
    const mark = this.mark
    const counts = this.counts
    counts.inReach = 0; counts.vetted = 0; counts.allowed = 0; counts.eligible = 0; counts.declined = 0; counts.topRule = -1
    const rules = this.rules
    const nRules = rules.length
    const hits = this.ruleHits
    hits.fill(0)
    const declined = this.declined[ci]
    const conflicts = this.conflicts[ci]
    const relaxed = this.relaxed[ci]
    const facts = this.childFacts[ci]
    const lists = [this.byTownship.get(c.townshipId), this.byVillage.get(c.villageId), c.gridId === undefined ? undefined : this.byGrid.get(c.gridId)]
    for (const list of lists) {
      if (list === undefined) continue
      for (let p = 0; p < list.length; p++) {
        const vi = list[p]
        if (mark[vi] === stamp) continue
        mark[vi] = stamp
        counts.inReach++
        if (this.vetted[vi] === 0) continue
        counts.vetted++
        if (conflicts !== null && conflicts.has(vi)) { counts.declined++; continue }
        if (declined !== null && declined.has(vi)) { counts.declined++; continue }
        const km = this.measuredKm(ci, vi)
        const lifted = relaxed !== null && relaxed.has(vi)
        let blocked = -1
        for (let r = 0; r < nRules; r++) {
          if (lifted && rules[r].relaxable) continue
          if (!rules[r](facts, this.volFacts[vi], km)) { blocked = r; break }
        }
        if (blocked >= 0) { hits[blocked]++; continue }
        counts.allowed++
        if (this.capacity[vi] === 0) continue
        counts.eligible++
        visit(vi, this.cost(ci, vi, km))
      }
    }
    let best = 0
    for (let r = 0; r < nRules; r++) if (hits[r] > best) { best = hits[r]; counts.topRule = r }
  }

  /** Why volunteer vi may not be paired with child ci (checked from the volunteer's own lists), or null. */
  ineligible (ci: number, vi: number): IneligibleReason | null {
    const c = this.children[ci]
    const v = this.volunteers[vi]
    const inReach = v.reachableTownshipIds.includes(c.townshipId) || v.reachableVillageIds.includes(c.villageId) ||
      (c.gridId !== undefined && v.reachableGridIds.includes(c.gridId))
    if (!inReach) return 'notInReach'
    if (this.vetted[vi] === 0) return 'notVetted'
    if (c.conflictVolunteerIds?.includes(v.id)) return 'conflict'
    if (c.declinedVolunteerIds?.includes(v.id)) return 'declined'
    return this.ruleBlocking(ci, vi) >= 0 ? 'rule' : this.capacity[vi] === 0 ? 'full' : null
  }

  /** The first safeguarding rule that turns the pair away (relaxable rules skipped when relaxed for it), or -1. */
  ruleBlocking (ci: number, vi: number): number {
    const lifted = this.relaxed[ci]?.has(vi) === true
    const km = this.measuredKm(ci, vi)
    for (let r = 0; r < this.rules.length; r++) {
      if (lifted && this.rules[r].relaxable) continue
      if (!this.rules[r](this.childFacts[ci], this.volFacts[vi], km)) return r
    }
    return -1
  }

  /** Every volunteer in reach of child ci (by township, village or grid), each once, in index order. */
  inReach (ci: number): number[] {
    const c = this.children[ci]
    const found = new Set<number>()
    for (const list of [this.byTownship.get(c.townshipId), this.byVillage.get(c.villageId), c.gridId === undefined ? undefined : this.byGrid.get(c.gridId)]) {
      for (const vi of list ?? []) found.add(vi)
    }
    return [...found].sort((a, b) => a - b)
  }

  /** The child's age and gender as the rules read them. */
  facts (ci: number): ChildFacts { return this.childFacts[ci] }

  /** The one line an admin reads about a proposed pair, e.g. "同在石桥村，会讲客家话，擅长辅导功课". */
  explainPair (ci: number, vi: number): string {
    const c = this.children[ci]
    const v = this.volunteers[vi]
    const parts: string[] = []
    const km = this.measuredKm(ci, vi)
    if (v.villageId !== undefined && v.villageId === c.villageId) parts.push(`同在${this.placeName(c.villageId)}`)
    else if (km !== null) parts.push(`相距约${km < 0.1 ? '0.1' : km.toFixed(1)}公里`)
    else if (v.gridId !== undefined && v.gridId === c.gridId) parts.push(`同在${this.placeName(c.gridId)}`)
    else if (v.townshipId !== undefined && v.townshipId === c.townshipId) parts.push(`同在${this.placeName(c.townshipId)}`)
    else parts.push(`可到${this.placeName(c.villageId)}服务`)
    if (c.dialects?.length) {
      const spoken = new Set(v.dialects ?? [])
      const shared = c.dialects.find((d) => spoken.has(d))
      parts.push(shared !== undefined ? `会讲${shared}` : `不会讲${c.dialects[0]}`)
    }
    const needs = [...new Set(c.needs ?? [])]
    const skills = this.volFacts[vi].skills
    const covered = needs.filter((n) => skills.has(n)).map(matchNeedLabel)
    const open = needs.filter((n) => !skills.has(n)).map(matchNeedLabel)
    if (covered.length) parts.push(`擅长${covered.join('、')}`)
    if (open.length) parts.push(`无${open.join('、')}专长`)
    if (this.pairedSibling(ci, vi)) parts.push('曾与其兄弟姐妹结对')
    return parts.join('，')
  }
}

function cmp (a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function push<K> (map: Map<K, number[]>, key: K, value: number): void {
  const list = map.get(key)
  if (list) list.push(value); else map.set(key, [value])
}

function vocabulary (lists: (string[] | undefined)[]): Map<string, number> {
  const vocab = new Map<string, number>()
  for (const list of lists) for (const w of list ?? []) if (!vocab.has(w)) vocab.set(w, vocab.size)
  return vocab
}

function masks (lists: (string[] | undefined)[], vocab: Map<string, number>, words: number): Uint32Array {
  const out = new Uint32Array(lists.length * words)
  lists.forEach((list, i) => {
    for (const w of list ?? []) {
      const bit = vocab.get(w)
      if (bit !== undefined) out[i * words + (bit >> 5)] |= 1 << (bit & 31)
    }
  })
  return out
}

/**
 * Whole years from a YYYY-MM-DD birth date to a Shanghai date given as year and month*100+day — the same count as
 * ageOn (dayjs), including its rule that a 29 February birthday falls on 28 February in other years — without a
 * time-zone lookup per child (ageOn takes about 0.4 ms, 4 s for a county).
 */
function ageFrom (birthDate: string, year: number, monthDay: number): number {
  const by = Number(birthDate.slice(0, 4))
  let bmd = Number(birthDate.slice(5, 7)) * 100 + Number(birthDate.slice(8, 10))
  if (bmd === 229 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))) bmd = 228
  return year - by - (monthDay < bmd ? 1 : 0)
}

/**
 * Vetting is valid at `now` when the check's validity has not ended (Minors Protection Law Art. 62: checked before
 * starting and every year after). `vetted: false` always excludes; no date and no `vetted: true` excludes too.
 */
function vettingValid (v: MatchVolunteer, now: Date, todayInShanghai: string): boolean {
  if (v.vetted === false) return false
  const until = v.vettingValidUntil
  if (until === undefined) return v.vetted === true
  if (until instanceof Date) return now.getTime() <= until.getTime()
  if (until.length === 10) return todayInShanghai <= until
  return now.getTime() <= Date.parse(until)
}
