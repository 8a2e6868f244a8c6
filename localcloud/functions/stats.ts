// What each invocation cost (docs/LOCALCLOUD.md, "Round trips"): every request the SDK made to /admin while it ran,
// tied to it by the invocation's WX_API_TOKEN, and the CPU its instance spent. In WeChat cloud each such request is a
// network round trip of milliseconds to tens of milliseconds, so their number, not their speed here, is what counts.

/** One finished invocation. */
export interface InvocationRecord {
  requestId: string
  fn: string
  /** the event's `action` (a router's action), `timer` for a timer trigger, '' when the event names none */
  action: string
  ok: boolean
  /** `database.*` requests: each get, add, update, count, aggregate and transaction step */
  dbRoundTrips: number
  /** other requests to /admin: `functions` (callFunction), `storage`, `openapi` (subscription messages) */
  otherRequests: Record<string, number>
  /**
   * all requests to /admin one after another, as the instance sent them: requests sent together (in flight at once)
   * count once; absent when the instance did not say
   */
  sequentialRequests?: number
  /** the database requests by action (`database.getDocument`: 3, ...), in the order first made */
  dbByAction: Record<string, number>
  /** CPU time of the instance during the invocation (user + system), ms; absent when the instance did not say */
  cpuMs?: number
  /** wall time from dispatch to result, ms */
  ms: number
  /** when it finished (the cloud's clock, ISO) */
  at: string
}

/** Round trips and CPU of one action over the invocations kept. */
export interface ActionSummary {
  fn: string
  action: string
  invocations: number
  dbRoundTrips: { min: number, p50: number, p95: number, max: number, mean: number }
  /** requests one after another (see InvocationRecord.sequentialRequests) */
  sequentialRequests: { p50: number, p95: number, max: number } | null
  cpuMs: { p50: number, p95: number, max: number } | null
}

/** A request in flight, counted against its invocation. */
export interface Tally {
  fn: string
  action: string
  requestId: string
  dbRoundTrips: number
  otherRequests: Record<string, number>
  dbByAction: Record<string, number>
  startedAt: number
}

export function actionOf (event: unknown, timer: boolean): string {
  if (timer) return 'timer'
  const a = (event as { action?: unknown } | null)?.action
  return typeof a === 'string' ? a.slice(0, 80) : ''
}

/** Counts one /admin request (its body's `action`) against a tally. */
export function countRequest (t: Tally, action: string): void {
  if (action.startsWith('database.')) {
    t.dbRoundTrips++
    t.dbByAction[action] = (t.dbByAction[action] ?? 0) + 1
    return
  }
  const kind = action === 'wx.openApi' ? 'openapi' : action.split('.')[0] || 'other'
  t.otherRequests[kind] = (t.otherRequests[kind] ?? 0) + 1
}

const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]

/** The last `capacity` finished invocations, oldest first. */
export class InvocationLog {
  private readonly items: InvocationRecord[] = []

  constructor (private readonly capacity = 5000) {}

  push (r: InvocationRecord): void {
    this.items.push(r)
    if (this.items.length > this.capacity) this.items.splice(0, this.items.length - this.capacity)
  }

  /** The kept records, oldest first; only those of `fn` (and `action`) when given. */
  list (filter: { fn?: string, action?: string } = {}): InvocationRecord[] {
    return this.items.filter((r) => (filter.fn === undefined || r.fn === filter.fn) && (filter.action === undefined || r.action === filter.action))
  }

  clear (): void {
    this.items.length = 0
  }

  /** Per function and action: how many invocations, their database round trips and CPU (p50, p95, max). */
  summary (filter: { fn?: string, action?: string } = {}): ActionSummary[] {
    const groups = new Map<string, InvocationRecord[]>()
    for (const r of this.list(filter)) {
      const k = `${r.fn}.${r.action}`
      if (!groups.has(k)) groups.set(k, [])
      groups.get(k)!.push(r)
    }
    return [...groups.values()].map((rs) => {
      const trips = rs.map((r) => r.dbRoundTrips).sort((a, b) => a - b)
      const seq = rs.flatMap((r) => (r.sequentialRequests === undefined ? [] : [r.sequentialRequests])).sort((a, b) => a - b)
      const cpu = rs.flatMap((r) => (r.cpuMs === undefined ? [] : [r.cpuMs])).sort((a, b) => a - b)
      return {
        fn: rs[0].fn,
        action: rs[0].action,
        invocations: rs.length,
        dbRoundTrips: { min: trips[0], p50: quantile(trips, 0.5), p95: quantile(trips, 0.95), max: trips[trips.length - 1], mean: Math.round(trips.reduce((a, b) => a + b, 0) / trips.length * 100) / 100 },
        sequentialRequests: seq.length === 0 ? null : { p50: quantile(seq, 0.5), p95: quantile(seq, 0.95), max: seq[seq.length - 1] },
        cpuMs: cpu.length === 0 ? null : { p50: quantile(cpu, 0.5), p95: quantile(cpu, 0.95), max: cpu[cpu.length - 1] }
      }
    }).sort((a, b) => `${a.fn}.${a.action}`.localeCompare(`${b.fn}.${b.action}`))
  }
}
