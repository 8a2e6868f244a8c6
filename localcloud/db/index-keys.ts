// What a multikey index holds for a document (schema.ts has the tables).
//
// Keys: numbers and dates as numbers (date = ms), strings as text, booleans 0/1, null/missing X'' (a primary key
// cannot hold NULL); empty arrays, objects and the like get BLOB sentinels no query value equals. SQLite orders
// numbers < text < blobs, which keeps range scans inside one type. Index rows only narrow the candidates: every
// candidate is re-checked by the JS matcher, so a key collision (true vs 1, a date vs its ms) costs time, never
// correctness.
import { requestFailed } from './errors'
import type { Doc, Index } from './schema'
import { walkPath } from './values'

const NULL_KEY = Buffer.alloc(0)
const EMPTY_ARRAY_KEY = Buffer.from([0])
const OTHER_KEY = Buffer.from([1])
const MAX_INDEX_ROWS = 10000

function keyOf (v: any): any {
  if (v === undefined || v === null) return NULL_KEY
  switch (typeof v) {
    case 'string': return v
    case 'number': return Number.isNaN(v) ? OTHER_KEY : v
    case 'boolean': return v ? 1 : 0
  }
  if (v instanceof Date) return v.getTime()
  return OTHER_KEY
}

/** Index keys of one field of a document (multikey: one per array element). */
function fieldKeys (doc: Doc, parts: string[]): any[] {
  const out: any[] = []
  walkPath(doc, parts, 0, (x) => {
    if (Array.isArray(x)) {
      if (x.length === 0) out.push(EMPTY_ARRAY_KEY)
      for (const e of x) out.push(Array.isArray(e) ? OTHER_KEY : keyOf(e))
    } else {
      out.push(keyOf(x))
    }
    return false
  })
  if (out.length <= 1) return out.length ? out : [NULL_KEY]
  return [...new Set(out)]
}

/** The rows of `ix` for `doc`: every combination of its fields' keys (at most one field may be an array). */
export function indexRows (ix: Index, doc: Doc): any[][] {
  const perField = ix.parts.map((p) => fieldKeys(doc, p))
  if (perField.length > 1 && perField.filter((k) => k.length > 1).length > 1) {
    throw requestFailed(`cannot index parallel arrays: index (${ix.fields.join(', ')}) on document {_id: ${JSON.stringify(doc._id)}}`)
  }
  let rows: any[][] = [[]]
  for (const keys of perField) {
    const next: any[][] = []
    for (const r of rows) for (const k of keys) next.push([...r, k])
    rows = next
  }
  if (rows.length > MAX_INDEX_ROWS) throw requestFailed(`document {_id: ${JSON.stringify(doc._id)}} has too many index keys for (${ix.fields.join(', ')})`)
  return rows
}
