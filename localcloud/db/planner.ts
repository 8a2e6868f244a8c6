// Index planning: which rows a query must look at. The plan is a SQL scan of candidates — by _id, through the
// best index, or the whole collection — that reads.ts then re-checks with the JS matcher (unless `exact`).
import { isPlainObject } from './ejson'
import { isOperatorObject } from './query'
import type { Coll, Index } from './schema'

interface Plan {
  sql: string
  params: any[]
  exact: boolean
  /** the rows come in the order of the query's one sort field: the reader may stop at the limit */
  ordered?: boolean
}

/** A query value an index can look up: its key, or undefined when the index cannot help. */
function plannableKey (v: any): { key: any, bracket: 'num' | 'str' | 'null' } | undefined {
  if (v === null) return { key: null, bracket: 'null' }
  if (typeof v === 'string') return { key: v, bracket: 'str' }
  if (typeof v === 'number' && Number.isFinite(v)) return { key: v, bracket: 'num' }
  if (typeof v === 'boolean') return { key: v ? 1 : 0, bracket: 'num' }
  if (v instanceof Date) return { key: v.getTime(), bracket: 'num' }
  return undefined
}

type Cond =
  | { kind: 'eq', key: any }
  | { kind: 'null' }
  | { kind: 'in', keys: any[] }
  | { kind: 'range', op: string, key: any, bracket: 'num' | 'str' }

/** Conditions of a query's top-level conjunction that an index can serve, by field path. */
function collectConds (query: any, out: Map<string, Cond[]>): void {
  if (!isPlainObject(query)) return
  for (const field of Object.keys(query)) {
    const v = query[field]
    if (field === '$and' && Array.isArray(v)) {
      for (const sub of v) collectConds(sub, out)
      continue
    }
    if (field.charCodeAt(0) === 36) continue
    const add = (c: Cond): void => {
      const list = out.get(field)
      if (list) list.push(c)
      else out.set(field, [c])
    }
    const eq = (x: any): void => {
      const p = plannableKey(x)
      if (!p) return
      add(p.bracket === 'null' ? { kind: 'null' } : { kind: 'eq', key: p.key })
    }
    if (!isOperatorObject(v)) {
      eq(v)
      continue
    }
    for (const op of Object.keys(v)) {
      const arg = v[op]
      if (op === '$eq') eq(arg)
      else if (op === '$in' && Array.isArray(arg) && arg.length > 0) {
        const keys = arg.map(plannableKey)
        if (keys.every((k) => k && k.bracket !== 'null')) add({ kind: 'in', keys: keys.map((k) => k!.key) })
      } else if (op === '$gt' || op === '$gte' || op === '$lt' || op === '$lte') {
        const p = plannableKey(arg)
        if (p && p.bracket !== 'null') add({ kind: 'range', op, key: p.key, bracket: p.bracket })
      }
    }
  }
}

const CMP: Record<string, string> = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' }

/** SQL for one condition on column `col`. One condition per field only: with multikey rows, two bounds on the
 * same field may be met by different elements, so intersecting them on one row would lose matches. */
function condSql (col: string, c: Cond, params: any[]): string {
  switch (c.kind) {
    case 'eq': params.push(c.key); return `${col} = ?`
    case 'null': return `${col} = X''`
    case 'in': params.push(...c.keys); return `${col} IN (${c.keys.map(() => '?').join(',')})`
    case 'range': {
      params.push(c.key)
      const sql = `${col} ${CMP[c.op]} ?`
      // Keep to the value's type bracket (SQLite orders NULL < numbers < text < blobs).
      const lower = c.op === '$lt' || c.op === '$lte'
      if (c.bracket === 'num') return lower ? sql : `${sql} AND ${col} < ''`
      return lower ? `${sql} AND ${col} >= ''` : `${sql} AND ${col} < X''`
    }
  }
}

const isUpper = (op: string): boolean => op === '$lt' || op === '$lte'

const CONDS_RANK: Record<Cond['kind'], number> = { eq: 0, null: 1, in: 2, range: 3 }
const bestCond = (list: Cond[]): Cond => list.reduce((a, b) => (CONDS_RANK[b.kind] < CONDS_RANK[a.kind] ? b : a))

/** A query value the index answers exactly: a string (or, for _id, a number), as a literal, $eq or $in. */
function exactValue (v: any, isId: boolean): boolean {
  const ok = (x: any): boolean => typeof x === 'string' || (isId && typeof x === 'number' && Number.isFinite(x))
  if (ok(v)) return true
  if (!isOperatorObject(v)) return false
  const ops = Object.keys(v)
  if (ops.length !== 1) return false
  if (ops[0] === '$eq') return ok(v.$eq)
  return ops[0] === '$in' && Array.isArray(v.$in) && v.$in.length > 0 && v.$in.every(ok)
}

/** The candidate scan for a query: by _id, through the best index, or the whole table. `exact` means the SQL
 * alone decides the match (no need to decode and re-check): every condition is a string (or _id) equality or
 * $in answered by the chosen index. Strings are exact because only string values produce text keys, and the
 * index reaches values through arrays exactly as the matcher does. */
export function plan (c: Coll, query: any, sort?: Record<string, any>): Plan {
  const conds = new Map<string, Cond[]>()
  collectConds(query, conds)
  const keys = isPlainObject(query) ? Object.keys(query) : []
  const idConds = conds.get('_id')
  if (idConds) {
    const best = bestCond(idConds)
    const exact = keys.length === 1 && idConds.length === 1 && exactValue(query._id, true)
    if (best.kind === 'eq') return { sql: `SELECT rid, id, doc FROM ${c.tbl} WHERE id = ?`, params: [best.key], exact }
    if (best.kind === 'in') {
      return { sql: `SELECT rid, id, doc FROM ${c.tbl} WHERE id IN (${best.keys.map(() => '?').join(',')}) ORDER BY rid`, params: best.keys, exact }
    }
  }
  let chosen: { ix: Index, used: Cond[], score: number } | undefined
  for (const ix of c.indexes) {
    const used: Cond[] = []
    let score = 0
    for (const f of ix.fields) {
      const list = conds.get(f)
      if (!list) break
      const best = bestCond(list)
      used.push(best)
      if (best.kind === 'range') { score += 1; break }
      score += best.kind === 'in' ? 2 : 3
    }
    if (score > 0 && (!chosen || score > chosen.score)) chosen = { ix, used, score }
  }
  if (!chosen) return { sql: `SELECT rid, id, doc FROM ${c.tbl}`, params: [], exact: false }
  // A range with both ends (start > a and start <= b) uses both where no document has an array in the index: each
  // row is then the document's one value, which meets both or not (with arrays, two elements might meet one each).
  const last = chosen.used.length - 1
  const lastCond = chosen.used[last]
  const otherEnd = lastCond.kind === 'range' && !chosen.ix.multikey
    ? (conds.get(chosen.ix.fields[last]) ?? []).find((x) => x.kind === 'range' && x.bracket === lastCond.bracket && isUpper(x.op) !== isUpper(lastCond.op))
    : undefined
  const params: any[] = []
  const whereOn = (prefix: string): string => [
    ...chosen!.used.map((cond, i) => condSql(`${prefix}k${i}`, cond, params)),
    ...(otherEnd ? [condSql(`${prefix}k${last}`, otherEnd, params)] : [])
  ].join(' AND ')
  const covered = chosen.ix.fields.slice(0, chosen.used.length)
  const exact = keys.length === covered.length && keys.every((k) => covered.includes(k) && exactValue(query[k], false))
  // Sorted by the field the index ranges over, after equalities only: the index gives the order, so `orderBy(f)
  // .limit(n)` reads n documents, not every candidate. Only with a range on that field, so every row's key is of the
  // range's type and SQLite's order is the database's (numbers and dates by value, strings by their bytes), and only
  // while no document has an array there (an array sorts by its least element, which the range may not include).
  const sortKeys = sort ? Object.keys(sort) : []
  const dir = sortKeys.length === 1 ? sort![sortKeys[0]] : undefined
  if ((dir === 1 || dir === -1) && !chosen.ix.multikey && covered[last] === sortKeys[0] && chosen.used[last].kind === 'range' && chosen.used.slice(0, last).every((u) => u.kind === 'eq')) {
    return {
      sql: `SELECT t.rid, t.id, t.doc FROM ${c.tbl} t JOIN ${chosen.ix.tbl} i ON i.rid = t.rid WHERE ${whereOn('i.')} ORDER BY i.k${last} ${dir === 1 ? 'ASC' : 'DESC'}, t.rid`,
      params,
      exact,
      ordered: true
    }
  }
  return { sql: `SELECT rid, id, doc FROM ${c.tbl} WHERE rid IN (SELECT rid FROM ${chosen.ix.tbl} WHERE ${whereOn('')}) ORDER BY rid`, params, exact }
}
