// Reads: the documents a query matches — the plan's candidates (planner.ts), re-checked by the JS matcher
// (query.ts), then sorted and paged — and aggregations, whose leading $match uses the same path.
import { runPipeline } from './aggregate'
import { cloneValue, decodeDoc, isPlainObject, resolveServerDates } from './ejson'
import { invalidParam } from './errors'
import { plan } from './planner'
import { compileQuery, isEmptyQuery } from './query'
import type { Coll, Doc, DocId, Row, Tables } from './schema'
import { sortBy } from './values'

export interface FindOptions {
  /** Request time for db.serverDate() in the query (default: the store's clock). */
  now?: number
  /** {field: 1 | -1, ...} in priority order; dotted paths allowed. */
  sort?: Record<string, any>
  skip?: number
  /** No limit when absent (the wire layer applies the SDK's 100/1000). */
  limit?: number
  projection?: Record<string, any>
}

/** A matching row, with its decoded document once something needed it. */
interface Hit { row: Row, doc?: Doc }

export function docOf (h: Hit): Doc {
  return h.doc ?? (h.doc = decodeDoc(h.row.doc))
}

/** A caller's query with db.serverDate() resolved, on a copy. */
export function resolveQuery (query: any, now: number): any {
  if (query === undefined || query === null) return {}
  return resolveServerDates(cloneValue(query), now)
}

/** Matching documents: index-narrowed candidates, re-checked by the matcher, then sorted and paged. */
export function select (tables: Tables, c: Coll, query: any, opts: FindOptions = {}): Hit[] {
  const match = compileQuery(query)
  const skip = opts.skip ?? 0
  const limit = opts.limit ?? Infinity
  const p = plan(c, query, opts.sort)
  // Rows that come in the sort's order need no sorting, and the reading stops at the limit.
  const sorted = opts.sort !== undefined && Object.keys(opts.sort).length > 0 && p.ordered !== true
  const hits: Hit[] = []
  if (limit <= 0) return hits
  const empty = p.exact || isEmptyQuery(query)
  const rows = tables.stmt(p.sql).iterate(...p.params) as IterableIterator<[number, DocId, string]>
  let skipped = 0
  for (const r of rows) {
    const row: Row = { rid: r[0], id: r[1], doc: r[2] }
    let doc: Doc | undefined
    if (!empty) {
      doc = decodeDoc(row.doc)
      if (!match(doc)) continue
    }
    if (!sorted) {
      if (skipped < skip) { skipped++; continue }
      hits.push({ row, doc })
      if (hits.length >= limit) break // ends the statement's iteration
    } else {
      hits.push({ row, doc: doc ?? decodeDoc(row.doc) })
    }
  }
  if (!sorted) return hits
  return sortBy(hits, opts.sort!, (h) => h.doc).slice(skip, skip + limit)
}

/** Runs an aggregation pipeline ([{$match: …}, {$group: …}] or [[key, value]] pairs); a leading $match uses
 * the collection's indexes. */
export function aggregate (tables: Tables, c: Coll, stages: Array<Record<string, any> | [string, any]>, now: number): Doc[] {
  const pairs = stages.map((s, i): [string, any] => {
    if (Array.isArray(s)) return [s[0], s[1]]
    const keys = isPlainObject(s) ? Object.keys(s) : []
    if (keys.length !== 1) throw invalidParam(`aggregation stage ${i} must have exactly one key`)
    return [keys[0], s[keys[0]]]
  })
  for (const p of pairs) if (p[0] === '$match') p[1] = resolveQuery(p[1], now)
  let docs: Doc[]
  let rest = pairs
  if (pairs.length && pairs[0][0] === '$match') {
    docs = select(tables, c, pairs[0][1]).map(docOf)
    rest = pairs.slice(1)
  } else {
    docs = select(tables, c, undefined).map(docOf)
  }
  const ctx: Parameters<typeof runPipeline>[2] = {
    lookup: (from, foreignField, values) => {
      const fc = tables.find(from)
      if (!fc) return []
      return select(tables, fc, { [foreignField]: { $in: values } }).map(docOf)
    },
    subPipeline: (from, sub) => {
      const fc = tables.find(from)
      if (!fc) return []
      for (const p of sub) if (p[0] === '$match') p[1] = resolveQuery(p[1], now)
      const [first, ...others] = sub
      // A leading $match uses the joined collection's indexes, as the outer one does.
      if (first?.[0] === '$match') return runPipeline(select(tables, fc, first[1]).map(docOf), others, ctx)
      return runPipeline(select(tables, fc, undefined).map(docOf), sub, ctx)
    }
  }
  return runPipeline(docs, rest, ctx)
}
