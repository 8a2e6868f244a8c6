import { solveBMatching, type SparseBipartite } from '../../src/domain'
import { prng } from '../support/prng'

/** A random sparse bipartite graph: up to 6 left nodes, 5 right, 14 edges, capacities 0–3, costs −50..150. */
function randomGraph (seed: number): SparseBipartite {
  const rnd = prng(seed)
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1))
  const nLeft = int(1, 6)
  const nRight = int(1, 5)
  const pairs = new Set<string>()
  const m = int(0, 14)
  const edgeLeft: number[] = []
  const edgeRight: number[] = []
  const edgeCost: number[] = []
  for (let i = 0; i < m; i++) {
    const l = int(0, nLeft - 1)
    const r = int(0, nRight - 1)
    if (pairs.has(`${l}-${r}`)) continue
    pairs.add(`${l}-${r}`)
    edgeLeft.push(l); edgeRight.push(r); edgeCost.push(int(-50, 150))
  }
  return {
    nLeft,
    nRight,
    leftCap: Array.from({ length: nLeft }, () => int(0, 3)),
    rightCap: Array.from({ length: nRight }, () => int(0, 3)),
    edgeLeft: Int32Array.from(edgeLeft),
    edgeRight: Int32Array.from(edgeRight),
    edgeCost: Float64Array.from(edgeCost)
  }
}

/** Every subset of edges: the most edges within both sides' capacities, then the least cost. */
function bruteForce (g: SparseBipartite): { matched: number, cost: number } {
  const m = g.edgeLeft.length
  let best = { matched: 0, cost: 0 }
  for (let mask = 0; mask < 1 << m; mask++) {
    const left = new Array(g.nLeft).fill(0)
    const right = new Array(g.nRight).fill(0)
    let ok = true
    let matched = 0
    let cost = 0
    for (let e = 0; e < m && ok; e++) {
      if (!(mask & (1 << e))) continue
      matched++
      cost += g.edgeCost[e]
      if (++left[g.edgeLeft[e]] > g.leftCap[g.edgeLeft[e]] || ++right[g.edgeRight[e]] > g.rightCap[g.edgeRight[e]]) ok = false
    }
    if (ok && (matched > best.matched || (matched === best.matched && cost < best.cost))) best = { matched, cost }
  }
  return best
}

describe('solveBMatching', () => {
  it('finds the maximum matching of least cost, negative costs included, from either side', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const g = randomGraph(seed)
      const exact = bruteForce(g)
      const sol = solveBMatching(g)
      expect({ seed, matched: sol.matched, cost: sol.cost }).toEqual({ seed, ...exact })
      // The same graph seen from the other side.
      const flipped = solveBMatching({ ...g, nLeft: g.nRight, nRight: g.nLeft, leftCap: g.rightCap, rightCap: g.leftCap, edgeLeft: g.edgeRight, edgeRight: g.edgeLeft })
      expect({ seed, matched: flipped.matched, cost: flipped.cost }).toEqual({ seed, ...exact })
    }
  })

  it('respects both sides\' capacities and reports the room left', () => {
    for (let seed = 1; seed <= 100; seed++) {
      const g = randomGraph(seed)
      const sol = solveBMatching(g)
      const left = new Array(g.nLeft).fill(0)
      const right = new Array(g.nRight).fill(0)
      sol.edgeFlow.forEach((f, e) => { if (f) { left[g.edgeLeft[e]]++; right[g.edgeRight[e]]++ } })
      left.forEach((n, i) => expect(n).toBeLessThanOrEqual(g.leftCap[i]))
      right.forEach((n, j) => expect(sol.rightRoom[j]).toBe(g.rightCap[j] - n))
    }
  })

  it('leaves dual potentials under which every edge, used or not, prices non-negative when unused', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const g = randomGraph(seed)
      const sol = solveBMatching(g)
      for (let e = 0; e < g.edgeLeft.length; e++) {
        const rc = sol.reducedCost(g.edgeLeft[e], g.edgeRight[e], g.edgeCost[e])
        if (sol.edgeFlow[e]) expect(rc).toBeLessThanOrEqual(0)
        else expect(rc).toBeGreaterThanOrEqual(0)
      }
    }
  })
})
