/**
 * Min-cost maximum b-matching on a sparse bipartite graph, by successive shortest paths.
 *
 * The network: every left node i has a supply of leftCap[i] units; each edge i→j (capacity 1, integer cost) leads
 * to a right node j, which passes at most rightCap[j] units on to the sink T. So that every unit can always reach
 * T, each left node also has a "stay unmatched" edge i→T of cost M, with M larger than any total a real match can
 * add ((max edge cost + 1) × (most matches possible + 1)). The minimum-cost flow that ships every unit therefore
 * leaves the fewest units on those edges — the maximum matching — and among maximum matchings the cheapest.
 *
 * Successive shortest paths for a network with supplies (Ahuja, Magnanti & Orlin, *Network Flows*, §9.7): take a
 * node with supply left, send one unit along a shortest residual path to T, repeat. Each path is found by Dijkstra
 * on reduced costs c(u,v) + h(u) − h(v) ≥ 0 (Johnson's potentials) with a binary heap, stopping as soon as T is
 * settled; the potentials of the settled nodes then move by d(v) − d(T), which keeps every reduced cost
 * non-negative (the Jonker–Volgenant update). Starting from a single left node instead of a super-source keeps
 * each search local: it ends at the first right node with room, usually a few dozen nodes away.
 *
 * The final potentials are a dual certificate: any edge outside the graph whose reduced cost is non-negative
 * cannot improve the solution. matching.ts uses this to check the pairs left out of the candidate lists.
 *
 * Costs must be integers (as the matching's are) so that every sum here is exact in a double.
 */

export interface SparseBipartite {
  nLeft: number
  nRight: number
  /** Units each left node supplies (e.g. 1 per child, or a volunteer's capacity). */
  leftCap: ArrayLike<number>
  /** Units each right node accepts. */
  rightCap: ArrayLike<number>
  edgeLeft: Int32Array
  edgeRight: Int32Array
  /** Integer costs, any sign. */
  edgeCost: Float64Array
  /**
   * Least and greatest cost of any edge that may later be priced with `reducedCost` (the whole eligible graph,
   * not only these edges). Both the cost shift and M are taken from them. Default: these edges' own range.
   */
  costFloor?: number
  costCeil?: number
  /** Called now and then during the search (the bench samples memory here). */
  probe?: () => void
}

export interface BMatchingSolution {
  /** 1 where the edge carries a unit (the pair is matched). */
  edgeFlow: Uint8Array
  matched: number
  /** Sum of the original costs of matched edges. */
  cost: number
  /** Reduced cost of a possible edge (left i, right j, original cost c) at the final potentials. */
  reducedCost: (left: number, right: number, cost: number) => number
  /** Remaining room of each right node. */
  rightRoom: Int32Array
  stats: { searches: number, settled: number, bigM: number, shift: number }
}

const FORWARD = 0 // left → right along an edge with no unit yet
const REVERSE = 1 // right → left along an edge with a unit (the left node gives that pair up)
const SINK = 2 // right → T (the right node has room)
const UNMATCHED = 3 // left → T on the "stay unmatched" edge

export function solveBMatching (g: SparseBipartite): BMatchingSolution {
  const { nLeft, nRight, leftCap, rightCap, edgeLeft, edgeRight, edgeCost } = g
  const m = edgeLeft.length
  let floor = g.costFloor ?? Infinity
  let ceil = g.costCeil ?? -Infinity
  for (let e = 0; e < m; e++) {
    const c = edgeCost[e]
    if (c < floor) floor = c
    if (c > ceil) ceil = c
  }
  if (m === 0) { floor = 0; ceil = 0 }
  const shift = floor < 0 ? -floor : 0 // every shifted cost is ≥ 0, so zero potentials are feasible at the start
  let leftUnits = 0
  let rightUnits = 0
  for (let i = 0; i < nLeft; i++) leftUnits += leftCap[i]
  let maxRightCap = 1
  for (let j = 0; j < nRight; j++) {
    rightUnits += rightCap[j]
    if (rightCap[j] > maxRightCap) maxRightCap = rightCap[j]
  }
  const bigM = (ceil + shift + 1) * (Math.min(leftUnits, rightUnits) + 1)

  // Edges grouped by left node (CSR), in input order within a node.
  const start = new Int32Array(nLeft + 1)
  for (let e = 0; e < m; e++) start[edgeLeft[e] + 1]++
  for (let i = 0; i < nLeft; i++) start[i + 1] += start[i]
  const adj = new Int32Array(m)
  const fill = start.slice(0, nLeft)
  for (let e = 0; e < m; e++) adj[fill[edgeLeft[e]]++] = e

  const cost = new Float64Array(m)
  for (let e = 0; e < m; e++) cost[e] = edgeCost[e] + shift
  const flow = new Uint8Array(m)
  // The edges carrying a unit into each right node: at most rightCap[j] of them.
  const held = new Int32Array(nRight * maxRightCap)
  const used = new Int32Array(nRight)

  const T = nLeft + nRight
  const n = T + 1
  const h = new Float64Array(n)
  const dist = new Float64Array(n)
  const seen = new Int32Array(n)
  const done = new Int32Array(n)
  const parentKind = new Uint8Array(n)
  const parentRef = new Int32Array(n)
  const settledList = new Int32Array(n)
  const heap = new MinHeap(1024)
  let stamp = 0
  let searches = 0
  let settledTotal = 0

  for (let src = 0; src < nLeft; src++) {
    for (let unit = 0; unit < leftCap[src]; unit++) {
      searches++
      if ((searches & 255) === 0 && g.probe) g.probe()
      stamp++
      heap.clear()
      let nSettled = 0
      seen[src] = stamp
      dist[src] = 0
      heap.push(0, src)
      while (heap.size > 0) {
        const d = heap.peekKey()
        const u = heap.pop()
        if (done[u] === stamp || d > dist[u]) continue
        done[u] = stamp
        settledList[nSettled++] = u
        if (u === T) break
        const hu = h[u]
        if (u < nLeft) {
          for (let p = start[u], end = start[u + 1]; p < end; p++) {
            const e = adj[p]
            if (flow[e] !== 0) continue
            const v = nLeft + edgeRight[e]
            if (done[v] === stamp) continue
            const nd = d + cost[e] + hu - h[v]
            if (seen[v] !== stamp || nd < dist[v]) {
              seen[v] = stamp; dist[v] = nd; parentKind[v] = FORWARD; parentRef[v] = e
              heap.push(nd, v)
            }
          }
          const nd = d + bigM + hu - h[T]
          if (seen[T] !== stamp || nd < dist[T]) {
            seen[T] = stamp; dist[T] = nd; parentKind[T] = UNMATCHED; parentRef[T] = u
            heap.push(nd, T)
          }
        } else {
          const j = u - nLeft
          if (used[j] < rightCap[j]) {
            const nd = d + hu - h[T]
            if (seen[T] !== stamp || nd < dist[T]) {
              seen[T] = stamp; dist[T] = nd; parentKind[T] = SINK; parentRef[T] = j
              heap.push(nd, T)
            }
          }
          const base = j * maxRightCap
          for (let s = 0, cnt = used[j]; s < cnt; s++) {
            const e = held[base + s]
            const v = edgeLeft[e]
            if (done[v] === stamp) continue
            const nd = d - cost[e] + hu - h[v]
            if (seen[v] !== stamp || nd < dist[v]) {
              seen[v] = stamp; dist[v] = nd; parentKind[v] = REVERSE; parentRef[v] = e
              heap.push(nd, v)
            }
          }
        }
      }
      settledTotal += nSettled
      // T is always reached (the unmatched edge), so the path exists. Walk it back from T and apply it.
      let node = T
      while (node !== src) {
        const ref = parentRef[node]
        switch (parentKind[node]) {
          case UNMATCHED: node = ref; break
          case SINK: node = nLeft + ref; break
          case FORWARD: {
            const j = edgeRight[ref]
            flow[ref] = 1
            held[j * maxRightCap + used[j]++] = ref
            node = edgeLeft[ref]
            break
          }
          default: { // REVERSE
            const j = edgeRight[ref]
            flow[ref] = 0
            const base = j * maxRightCap
            const last = --used[j]
            for (let s = 0; s <= last; s++) {
              if (held[base + s] === ref) { held[base + s] = held[base + last]; break }
            }
            node = nLeft + j
          }
        }
      }
      const dT = dist[T]
      for (let s = 0; s < nSettled; s++) {
        const v = settledList[s]
        h[v] += dist[v] - dT
      }
    }
  }

  let matched = 0
  let total = 0
  for (let e = 0; e < m; e++) {
    if (flow[e] !== 0) { matched++; total += edgeCost[e] }
  }
  const rightRoom = new Int32Array(nRight)
  for (let j = 0; j < nRight; j++) rightRoom[j] = rightCap[j] - used[j]
  return {
    edgeFlow: flow,
    matched,
    cost: total,
    reducedCost: (left, right, c) => c + shift + h[left] - h[nLeft + right],
    rightRoom,
    stats: { searches, settled: settledTotal, bigM, shift }
  }
}

/** Binary min-heap of (key, node) pairs with lazy deletion; equal keys pop the smaller node first. */
class MinHeap {
  private keys: Float64Array
  private vals: Int32Array
  size = 0

  constructor (capacity: number) {
    this.keys = new Float64Array(capacity)
    this.vals = new Int32Array(capacity)
  }

  clear (): void { this.size = 0 }

  peekKey (): number { return this.keys[0] }

  push (key: number, val: number): void {
    if (this.size === this.keys.length) {
      const keys = new Float64Array(this.size * 2)
      keys.set(this.keys)
      const vals = new Int32Array(this.size * 2)
      vals.set(this.vals)
      this.keys = keys
      this.vals = vals
    }
    const keys = this.keys
    const vals = this.vals
    let i = this.size++
    while (i > 0) {
      const p = (i - 1) >> 1
      const pk = keys[p]
      if (pk < key || (pk === key && vals[p] < val)) break
      keys[i] = pk
      vals[i] = vals[p]
      i = p
    }
    keys[i] = key
    vals[i] = val
  }

  pop (): number {
    const keys = this.keys
    const vals = this.vals
    const top = vals[0]
    const n = --this.size
    if (n > 0) {
      const key = keys[n]
      const val = vals[n]
      let i = 0
      for (;;) {
        let c = 2 * i + 1
        if (c >= n) break
        const r = c + 1
        if (r < n && (keys[r] < keys[c] || (keys[r] === keys[c] && vals[r] < vals[c]))) c = r
        if (keys[c] > key || (keys[c] === key && vals[c] > val)) break
        keys[i] = keys[c]
        vals[i] = vals[c]
        i = c
      }
      keys[i] = key
      vals[i] = val
    }
    return top
  }
}
