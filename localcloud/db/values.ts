// Value semantics shared by queries, updates, sorting and aggregation, following MongoDB (CloudBase's engine):
// BSON type order for sorting, type-bracketed comparisons, and field paths that reach through arrays.

import { isPlainObject } from './ejson'

/** MongoDB's sort order of types: null/missing < numbers < strings < objects < arrays < binary < ObjectId
 * < booleans < dates < regexes. */
export function typeRank (v: any): number {
  if (v === undefined || v === null) return 1
  switch (typeof v) {
    case 'number': return 2
    case 'string': return 3
    case 'boolean': return 8
    case 'bigint': return 2
  }
  if (Array.isArray(v)) return 5
  if (v instanceof Date) return 9
  const bt = v._bsontype
  if (bt === 'BSONRegExp' || v instanceof RegExp) return 11
  if (bt === 'ObjectID' || bt === 'ObjectId') return 7
  if (bt === 'Binary' || v instanceof Uint8Array) return 6
  if (bt === 'Decimal128' || bt === 'Long' || bt === 'Int32' || bt === 'Double') return 2
  return 4
}

function num (v: any): number {
  return typeof v === 'number' ? v : Number(v.toString())
}

/** Total order over all values (MongoDB sort semantics). Objects compare field by field in their own order. */
export function compareValues (a: any, b: any): number {
  const ra = typeRank(a)
  const rb = typeRank(b)
  if (ra !== rb) return ra - rb
  switch (ra) {
    case 1: return 0
    case 2: {
      const x = num(a)
      const y = num(b)
      if (x < y) return -1
      if (x > y) return 1
      if (x === y) return 0
      // NaN sorts before every other number, as in MongoDB.
      return Number.isNaN(x) ? (Number.isNaN(y) ? 0 : -1) : 1
    }
    case 3: return a < b ? -1 : a > b ? 1 : 0
    case 8: return (a ? 1 : 0) - (b ? 1 : 0)
    case 9: return a.getTime() - b.getTime()
    case 5: {
      const n = Math.min(a.length, b.length)
      for (let i = 0; i < n; i++) {
        const c = compareValues(a[i], b[i])
        if (c !== 0) return c
      }
      return a.length - b.length
    }
    case 4: {
      const ka = Object.keys(a)
      const kb = Object.keys(b)
      const n = Math.min(ka.length, kb.length)
      for (let i = 0; i < n; i++) {
        const c = compareValues(a[ka[i]], b[kb[i]])
        if (c !== 0) return c
        if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1
      }
      return ka.length - kb.length
    }
    default: {
      const sa = String(a.toString())
      const sb = String(b.toString())
      return sa < sb ? -1 : sa > sb ? 1 : 0
    }
  }
}

/** Deep equality as MongoDB's $eq on whole values: numbers by value, dates by time, objects by fields
 * (field order ignored, which JS objects cannot preserve faithfully anyway). */
export function valuesEqual (a: any, b: any): boolean {
  if (a === b) return true
  if (a === null || a === undefined) return b === null || b === undefined
  if (b === null || b === undefined) return false
  const ta = typeof a
  if (ta !== 'object' || typeof b !== 'object') {
    if (ta === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b)
    if (typeRank(a) === 2 && typeRank(b) === 2) return num(a) === num(b)
    return false
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (!valuesEqual(a[i], b[i])) return false
    return true
  }
  if (Array.isArray(b)) return false
  if (a instanceof Date) return b instanceof Date && a.getTime() === b.getTime()
  if (b instanceof Date) return false
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a)
    if (ka.length !== Object.keys(b).length) return false
    for (const k of ka) {
      if (!(k in b) || !valuesEqual(a[k], b[k])) return false
    }
    return true
  }
  if (typeRank(a) !== typeRank(b)) return false
  return compareValues(a, b) === 0
}

/** True for a path segment that can index an array ('0', '12'). */
export function isIndexSegment (seg: string): boolean {
  const n = seg.length
  if (n === 0 || n > 9) return false
  for (let i = 0; i < n; i++) {
    const c = seg.charCodeAt(i)
    if (c < 48 || c > 57) return false
  }
  return n === 1 || seg.charCodeAt(0) !== 48
}

/** Visit every value a dotted path reaches in `v`, MongoDB style: a non-numeric segment applied to an array
 * goes into each element that is an object; a numeric one indexes the array. A path that reaches nothing visits
 * `undefined` once. Stops and returns true as soon as `visit` does. The final value is passed as is (an array
 * stays an array: operators decide whether to look at its elements). */
export function walkPath (v: any, parts: string[], i: number, visit: (x: any) => boolean): boolean {
  if (i === parts.length) return visit(v)
  if (v === null || typeof v !== 'object') return visit(undefined)
  const seg = parts[i]
  if (Array.isArray(v)) {
    let reached = false
    if (isIndexSegment(seg)) {
      const idx = +seg
      if (idx < v.length) {
        reached = true
        if (walkPath(v[idx], parts, i + 1, visit)) return true
      }
    }
    for (const el of v) {
      if (el !== null && typeof el === 'object' && !Array.isArray(el) && isPlainObject(el)) {
        if (!(seg in el) && isIndexSegment(seg)) continue
        reached = true
        if (walkPath(el[seg], parts, i + 1, visit)) return true
      }
    }
    return reached ? false : visit(undefined)
  }
  if (!isPlainObject(v)) return visit(undefined)
  return walkPath(v[seg], parts, i + 1, visit)
}

/** The value at a path without array traversal except numeric indexes (used by updates and projections). */
export function getPlain (v: any, parts: string[]): any {
  let cur = v
  for (const seg of parts) {
    if (cur === null || typeof cur !== 'object') return undefined
    if (Array.isArray(cur)) {
      if (!isIndexSegment(seg)) return undefined
      cur = cur[+seg]
    } else {
      cur = cur[seg]
    }
  }
  return cur
}

/** The value of a path as an aggregation expression sees it: through an array it yields the array of the
 * elements' values (missing ones left out). */
export function getExprPath (v: any, parts: string[], i = 0): any {
  if (i === parts.length) return v
  if (v === null || typeof v !== 'object') return undefined
  if (Array.isArray(v)) {
    const out: any[] = []
    for (const el of v) {
      if (el !== null && typeof el === 'object') {
        const x = getExprPath(el, parts, i)
        if (x !== undefined) out.push(x)
      }
    }
    return out
  }
  if (!isPlainObject(v)) return undefined
  return getExprPath(v[parts[i]], parts, i + 1)
}

const splitCache = new Map<string, string[]>()
/** Split a dotted path, cached (the same few paths recur on every request). */
export function splitPath (path: string): string[] {
  let parts = splitCache.get(path)
  if (!parts) {
    parts = path.split('.')
    if (splitCache.size > 10000) splitCache.clear()
    splitCache.set(path, parts)
  }
  return parts
}

/** Sort key of a document for one sort field: the smallest reached value ascending, the largest descending
 * (arrays contribute their elements), as MongoDB does. */
function sortKey (doc: any, parts: string[], dir: number): any {
  let best: any
  let has = false
  const consider = (x: any): void => {
    if (!has || (dir > 0 ? compareValues(x, best) < 0 : compareValues(x, best) > 0)) {
      best = x
      has = true
    }
  }
  walkPath(doc, parts, 0, (x) => {
    if (Array.isArray(x)) {
      if (x.length === 0) consider(undefined)
      for (const e of x) consider(e)
    } else {
      consider(x)
    }
    return false
  })
  return has ? best : undefined
}

/** Build a comparator for an order spec like {age: -1, name: 1}, over precomputed keys. */
function orderSpec (order: Record<string, any>): Array<{ parts: string[], dir: number }> {
  const out: Array<{ parts: string[], dir: number }> = []
  for (const k of Object.keys(order)) {
    const d = order[k]
    const dir = d === -1 || d === 'desc' || d === '-1' ? -1 : 1
    out.push({ parts: splitPath(k), dir })
  }
  return out
}

/** Stable sort of items by an order spec; `docOf` extracts the document from an item. */
export function sortBy<T> (items: T[], order: Record<string, any>, docOf: (t: T) => any): T[] {
  const spec = orderSpec(order)
  if (spec.length === 0) return items
  const keyed = items.map((item, i) => ({ item, i, keys: spec.map((s) => sortKey(docOf(item), s.parts, s.dir)) }))
  keyed.sort((x, y) => {
    for (let j = 0; j < spec.length; j++) {
      const c = compareValues(x.keys[j], y.keys[j])
      if (c !== 0) return c * spec[j].dir
    }
    return x.i - y.i
  })
  return keyed.map((k) => k.item)
}
