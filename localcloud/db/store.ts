// The document store: CloudBase collections kept in one SQLite file (better-sqlite3, synchronous).
//
// Layout (PRAGMA user_version = SCHEMA_VERSION = 1):
//   _collections(id, name, created)        one row per collection; its documents live in table c<id>
//   c<id>(rid INTEGER PRIMARY KEY, id UNIQUE, doc TEXT)
//        `id` is the document _id with no column type, so 1 and '1' stay different ids (as in MongoDB);
//        `doc` is the storage/reply text of ejson.ts (dates tagged), sent back verbatim when not projected;
//        rid gives the natural (insertion) order of unsorted reads.
//   _indexes(id, collection_id, fields)    one row per ensureIndex(); its keys live in table c<id>_i<n>
//   c<id>_i<n>(k0, k1, …, rid) WITHOUT ROWID, primary key = all columns
//        a MULTIKEY index, as MongoDB has: one row per combination of the indexed fields' values, with an array
//        contributing one row per element. A plain SQLite expression index on json_extract cannot see array
//        elements, so `{tags: 'x'}` would miss documents whose tags contain 'x'.
//        Keys: numbers and dates as numbers (date = ms), strings as text, booleans 0/1, null/missing X'' (a
//        primary key cannot hold NULL); empty arrays, objects and the like get BLOB sentinels no query value
//        equals. SQLite orders numbers < text < blobs, which keeps range scans inside one type. Index rows only narrow the candidates:
//        every candidate is re-checked by the JS matcher, so a key collision (true vs 1, a date vs its ms)
//        costs time, never correctness.
//
// Writes go through one SQLite transaction per request, so an acknowledged write is committed (WAL,
// synchronous=NORMAL: safe against a process kill) and multi-document requests are all-or-nothing.
//
// Transactions (CLOUDBASE-WIRE.md §4) are snapshot-isolated and buffered in memory until commit:
//   - reads see the data as of startTransaction plus the transaction's own writes. Old versions come from an
//     in-memory history of before-images, recorded only while some transaction is open;
//   - a write takes a lock on the document; a write to a document locked by another open transaction fails at
//     once with DATABASE_TRANSACTION_CONFLICT (the SDK reports it as -501001 and does not retry, as the cloud);
//   - commit fails with DATABASE_TRANSACTION_CONFLICT when a written document changed after the snapshot (first
//     committer wins; runTransaction retries on exactly this reply). A failed commit drops the transaction;
//   - a transaction idle for txTimeoutMs (30 s) is dropped with its locks.
//   Non-transactional writes never wait for locks (they cannot: handle() is synchronous); they win, and the
//   transaction that held the lock fails at commit.

import Database from 'better-sqlite3'
import { randomBytes } from 'node:crypto'
import { cloneValue, decodeDoc, encodeDoc, isPlainObject, prepareStoredValue, resolveServerDates } from './ejson'
import { conflict, DbError, invalidParam, requestFailed } from './errors'
import { runPipeline } from './aggregate'
import { compileProjection } from './projection'
import { compileQuery, isEmptyQuery, isOperatorObject } from './query'
import { compileUpdate, type CompiledUpdate } from './update'
import { sortBy, splitPath, walkPath } from './values'

export type DocId = string | number
export type Doc = Record<string, any>

export interface StoreOptions {
  /** Path of the SQLite file, or ':memory:'. */
  file: string
  /** An open transaction idle longer than this is dropped (default 30 000 ms). */
  txTimeoutMs?: number
  /** Largest stored document, in bytes of its encoded text (default 1 MiB). */
  maxDocumentBytes?: number
}

export interface FindOptions {
  /** Request time for db.serverDate() in the query (default: now). */
  now?: number
  /** {field: 1 | -1, ...} in priority order; dotted paths allowed. */
  sort?: Record<string, any>
  skip?: number
  /** No limit when absent (the wire layer applies the SDK's 100/1000). */
  limit?: number
  projection?: Record<string, any>
}

export interface WriteResult {
  /** Documents the query or _id selected. */
  matched: number
  /** Documents whose content actually changed (MongoDB's nModified; what the SDK reports as stats.updated). */
  updated: number
  /** _id of the document created by an upsert. */
  upsertedId?: DocId
}

interface Index {
  id: number
  fields: string[]
  parts: string[][]
  tbl: string
  ins: Database.Statement
  del: Database.Statement
}

interface Coll {
  id: number
  name: string
  tbl: string
  indexes: Index[]
  byId: Database.Statement
  ins: Database.Statement
  upd: Database.Statement
  del: Database.Statement
  all: Database.Statement
  count: Database.Statement
}

interface Row { rid: number, id: DocId, doc: string }
interface Hit { row: Row, doc?: Doc }

interface TxWrite { c: Coll, id: DocId, doc: Doc | null }
interface Tx { id: string, startSeq: number, lastActive: number, writes: Map<string, TxWrite> }
interface HistEntry { seq: number, before: string | null }

const SCHEMA_VERSION = 1
const NULL_KEY = Buffer.alloc(0)
const EMPTY_ARRAY_KEY = Buffer.from([0])
const OTHER_KEY = Buffer.from([1])
const MAX_INDEX_ROWS = 10000
const COLLECTION_NAME = /^[A-Za-z0-9_\-.]{1,64}$/

/** A generated _id: 32 hex chars, like CloudBase's. */
export function newDocId (): string {
  return randomBytes(16).toString('hex')
}

function checkId (id: unknown): DocId {
  if (typeof id === 'string') return id
  if (typeof id === 'number' && Number.isFinite(id)) return id
  throw invalidParam(`_id must be a string or a number, got ${id === null ? 'null' : typeof id}`)
}

function dupKey (coll: string, id: DocId): DbError {
  return requestFailed(`E11000 duplicate key error collection: ${coll} index: _id_ dup key: { _id: ${JSON.stringify(id)} }`)
}

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

const CONDS_RANK: Record<Cond['kind'], number> = { eq: 0, null: 1, in: 2, range: 3 }
const bestCond = (list: Cond[]): Cond => list.reduce((a, b) => (CONDS_RANK[b.kind] < CONDS_RANK[a.kind] ? b : a))

export class DocumentStore {
  readonly file: string
  private readonly db: Database.Database
  private readonly stmts = new Map<string, Database.Statement>()
  private readonly colls = new Map<string, Coll>()
  private readonly runInTx: (fn: () => any) => any
  private inWrite = false
  private pending: Array<{ key: string, entry: HistEntry }> = []
  private readonly txs = new Map<string, Tx>()
  private readonly locks = new Map<string, string>()
  private readonly history = new Map<string, HistEntry[]>()
  private seq = 0
  private lastSweep = 0
  private readonly txTimeoutMs: number
  private readonly maxDocBytes: number

  constructor (opts: StoreOptions) {
    this.file = opts.file
    this.txTimeoutMs = opts.txTimeoutMs ?? 30_000
    this.maxDocBytes = opts.maxDocumentBytes ?? 1024 * 1024
    this.db = new Database(opts.file)
    if (opts.file !== ':memory:' && opts.file !== '') {
      this.db.pragma('journal_mode = WAL')
      this.db.pragma('synchronous = NORMAL')
    }
    const version = this.db.pragma('user_version', { simple: true }) as number
    if (version > SCHEMA_VERSION) throw new Error(`${opts.file} was written by a newer document store (schema ${version} > ${SCHEMA_VERSION})`)
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS _collections (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, created INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS _indexes (id INTEGER PRIMARY KEY, collection_id INTEGER NOT NULL, fields TEXT NOT NULL,
        UNIQUE (collection_id, fields));
    `)
    this.db.pragma(`user_version = ${SCHEMA_VERSION}`)
    const tx = this.db.transaction((fn: () => any) => fn())
    this.runInTx = (fn) => tx(fn)
    for (const r of this.db.prepare('SELECT id, name FROM _collections ORDER BY id').all() as Array<{ id: number, name: string }>) {
      this.loadColl(r.id, r.name)
    }
    for (const r of this.db.prepare('SELECT id, collection_id, fields FROM _indexes ORDER BY id').all() as Array<{ id: number, collection_id: number, fields: string }>) {
      const c = [...this.colls.values()].find((x) => x.id === r.collection_id)
      if (c) c.indexes.push(this.loadIndex(c, r.id, JSON.parse(r.fields)))
    }
  }

  close (): void {
    this.txs.clear()
    this.locks.clear()
    this.history.clear()
    if (this.db.open) this.db.close()
  }

  // ---------------------------------------------------------------- collections and indexes

  /** A cached statement returning rows as arrays (cheaper than objects for long result sets). */
  private stmt (sql: string): Database.Statement {
    let s = this.stmts.get(sql)
    if (!s) {
      if (this.stmts.size > 500) this.stmts.clear()
      s = this.db.prepare(sql).raw(true)
      this.stmts.set(sql, s)
    }
    return s
  }

  private loadColl (id: number, name: string): Coll {
    const tbl = `"c${id}"`
    const c: Coll = {
      id,
      name,
      tbl,
      indexes: [],
      byId: this.db.prepare(`SELECT rid, id, doc FROM ${tbl} WHERE id = ?`),
      ins: this.db.prepare(`INSERT INTO ${tbl} (id, doc) VALUES (?, ?)`),
      upd: this.db.prepare(`UPDATE ${tbl} SET doc = ? WHERE rid = ?`),
      del: this.db.prepare(`DELETE FROM ${tbl} WHERE rid = ?`),
      all: this.db.prepare(`SELECT rid, id, doc FROM ${tbl}`),
      count: this.db.prepare(`SELECT count(*) AS n FROM ${tbl}`)
    }
    this.colls.set(name, c)
    return c
  }

  private loadIndex (c: Coll, id: number, fields: string[]): Index {
    const tbl = `"c${c.id}_i${id}"`
    const cols = fields.map((_f, i) => `k${i}`)
    return {
      id,
      fields,
      parts: fields.map(splitPath),
      tbl,
      ins: this.db.prepare(`INSERT OR IGNORE INTO ${tbl} (${cols.join(', ')}, rid) VALUES (${cols.map(() => '?').join(', ')}, ?)`),
      del: this.db.prepare(`DELETE FROM ${tbl} WHERE ${cols.map((c) => `${c} = ?`).join(' AND ')} AND rid = ?`)
    }
  }

  private coll (name: unknown): Coll {
    if (typeof name !== 'string' || name === '') throw invalidParam('collectionName is required')
    const c = this.colls.get(name)
    if (!c) throw new DbError('DATABASE_COLLECTION_NOT_EXIST', `Db or Table not exist: ${name}`)
    return c
  }

  hasCollection (name: string): boolean {
    return this.colls.has(name)
  }

  listCollections (): string[] {
    return [...this.colls.keys()]
  }

  /** Create a collection if it does not exist (setup/seeding). */
  createCollection (name: string): void {
    if (this.colls.has(name)) return
    this.addCollection(name)
  }

  /** Create a collection; fails like the cloud if it exists (the `database.addCollection` action). */
  addCollection (name: string): void {
    if (typeof name !== 'string' || !COLLECTION_NAME.test(name)) {
      throw invalidParam(`invalid collection name ${JSON.stringify(name)} (1-64 letters, digits, '_', '-', '.')`)
    }
    if (this.colls.has(name)) throw new DbError('DATABASE_COLLECTION_ALREADY_EXIST', `Table exist: collection ${name} already exists`)
    this.write(() => {
      const id = Number(this.db.prepare('INSERT INTO _collections (name, created) VALUES (?, ?)').run(name, Date.now()).lastInsertRowid)
      this.db.exec(`CREATE TABLE "c${id}" (rid INTEGER PRIMARY KEY, id NOT NULL UNIQUE, doc TEXT NOT NULL)`)
      this.loadColl(id, name)
    })
  }

  /** Index documents of `collection` by `fields` (dotted paths allowed; compound when several). Idempotent;
   * creates the collection if needed. `_id` is always indexed. */
  ensureIndex (collection: string, fields: string[]): void {
    if (!Array.isArray(fields) || fields.length === 0 || !fields.every((f) => typeof f === 'string' && f !== '' && !f.includes('$'))) {
      throw invalidParam(`ensureIndex(${collection}): fields must be non-empty field paths`)
    }
    this.createCollection(collection)
    if (fields.length === 1 && fields[0] === '_id') return
    const c = this.coll(collection)
    const key = JSON.stringify(fields)
    if (c.indexes.some((ix) => JSON.stringify(ix.fields) === key)) return
    this.write(() => {
      const id = Number(this.db.prepare('INSERT INTO _indexes (collection_id, fields) VALUES (?, ?)').run(c.id, key).lastInsertRowid)
      const tbl = `"c${c.id}_i${id}"`
      const cols = fields.map((_f, i) => `k${i}`)
      this.db.exec(`CREATE TABLE ${tbl} (${cols.join(', ')}, rid INTEGER NOT NULL, PRIMARY KEY (${cols.join(', ')}, rid)) WITHOUT ROWID`)
      const ix = this.loadIndex(c, id, fields)
      for (const row of c.all.all() as Row[]) this.writeIndexRows(ix, row.rid, decodeDoc(row.doc))
      c.indexes.push(ix)
    })
  }

  listIndexes (collection: string): string[][] {
    return this.coll(collection).indexes.map((ix) => [...ix.fields])
  }

  /** SQLite's EXPLAIN QUERY PLAN of the candidate scan a query would run (to check index use). */
  explain (collection: string, query: Doc = {}): string {
    const plan = this.plan(this.coll(collection), query)
    const rows = this.db.prepare(`EXPLAIN QUERY PLAN ${plan.sql}`).all(...plan.params) as Array<{ detail: string }>
    return rows.map((r) => r.detail).join('\n')
  }

  // ---------------------------------------------------------------- low-level writes

  /** Run `fn` in one SQLite transaction; history of the changes becomes visible only if it commits. */
  private write<T> (fn: () => T): T {
    if (this.inWrite) return fn()
    if (this.txs.size) this.sweep(false)
    this.inWrite = true
    this.pending = []
    try {
      const r = this.runInTx(fn)
      for (const p of this.pending) {
        const list = this.history.get(p.key)
        if (list) list.push(p.entry)
        else this.history.set(p.key, [p.entry])
      }
      return r
    } finally {
      this.pending = []
      this.inWrite = false
    }
  }

  private docKey (c: Coll, id: DocId): string {
    return `${c.id}:${typeof id === 'number' ? 'n' : 's'}${id}`
  }

  /** Remember the before-image of a changed document for open transactions' snapshots. */
  private noteChange (c: Coll, id: DocId, before: string | null): void {
    if (this.txs.size === 0) return
    this.pending.push({ key: this.docKey(c, id), entry: { seq: ++this.seq, before } })
  }

  private checkSize (text: string): void {
    if (text.length > this.maxDocBytes || (text.length * 3 > this.maxDocBytes && Buffer.byteLength(text) > this.maxDocBytes)) {
      throw invalidParam(`document exceeds the maximum size of ${this.maxDocBytes} bytes`)
    }
  }

  private indexRows (ix: Index, doc: Doc): any[][] {
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

  private writeIndexRows (ix: Index, rid: number, doc: Doc): void {
    for (const r of this.indexRows(ix, doc)) ix.ins.run(...r, rid)
  }

  private deleteIndexRows (ix: Index, rid: number, doc: Doc): void {
    for (const r of this.indexRows(ix, doc)) ix.del.run(...r, rid)
  }

  private insertDoc (c: Coll, doc: Doc, text: string): void {
    this.checkSize(text)
    let rid: number
    try {
      rid = Number(c.ins.run(doc._id, text).lastInsertRowid)
    } catch (e: any) {
      if (e?.code === 'SQLITE_CONSTRAINT_UNIQUE') throw dupKey(c.name, doc._id)
      throw e
    }
    for (const ix of c.indexes) this.writeIndexRows(ix, rid, doc)
    this.noteChange(c, doc._id, null)
  }

  private replaceDoc (c: Coll, row: Row, oldDoc: Doc | undefined, doc: Doc, text: string): void {
    this.checkSize(text)
    c.upd.run(text, row.rid)
    if (c.indexes.length) {
      const old = oldDoc ?? decodeDoc(row.doc)
      for (const ix of c.indexes) {
        const before = this.indexRows(ix, old)
        const after = this.indexRows(ix, doc)
        if (before.length === after.length && before.every((r, i) => r.every((k, j) => k === after[i][j]))) continue
        for (const r of before) ix.del.run(...r, row.rid)
        for (const r of after) ix.ins.run(...r, row.rid)
      }
    }
    this.noteChange(c, row.id, row.doc)
  }

  private deleteDoc (c: Coll, row: Row): void {
    c.del.run(row.rid)
    if (c.indexes.length) {
      const old = decodeDoc(row.doc)
      for (const ix of c.indexes) this.deleteIndexRows(ix, row.rid, old)
    }
    this.noteChange(c, row.id, row.doc)
  }

  // ---------------------------------------------------------------- reads

  /** The candidate scan for a query: by _id, through the best index, or the whole table. `exact` means the SQL
   * alone decides the match (no need to decode and re-check): every condition is a string (or _id) equality or
   * $in answered by the chosen index. Strings are exact because only string values produce text keys, and the
   * index reaches values through arrays exactly as the matcher does. */
  private plan (c: Coll, query: any): { sql: string, params: any[], exact: boolean } {
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
    const params: any[] = []
    const where = chosen.used.map((cond, i) => condSql(`k${i}`, cond, params)).join(' AND ')
    const covered = chosen.ix.fields.slice(0, chosen.used.length)
    const exact = keys.length === covered.length && keys.every((k) => covered.includes(k) && exactValue(query[k], false))
    return { sql: `SELECT rid, id, doc FROM ${c.tbl} WHERE rid IN (SELECT rid FROM ${chosen.ix.tbl} WHERE ${where}) ORDER BY rid`, params, exact }
  }

  /** Matching documents: index-narrowed candidates, re-checked by the matcher, then sorted and paged. */
  private select (c: Coll, query: any, opts: FindOptions = {}): Hit[] {
    const match = compileQuery(query)
    const skip = opts.skip ?? 0
    const limit = opts.limit ?? Infinity
    const sorted = opts.sort !== undefined && Object.keys(opts.sort).length > 0
    const hits: Hit[] = []
    if (limit <= 0) return hits
    const plan = this.plan(c, query)
    const empty = plan.exact || isEmptyQuery(query)
    const rows = this.stmt(plan.sql).iterate(...plan.params) as IterableIterator<[number, DocId, string]>
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

  private readById (c: Coll, id: DocId): Row | undefined {
    return c.byId.get(id) as Row | undefined
  }

  private static docOf (h: Hit): Doc {
    return h.doc ?? (h.doc = decodeDoc(h.row.doc))
  }

  /** Encoded documents matching a query (what getDocument replies). */
  findTexts (collection: string, query: any, opts: FindOptions = {}): string[] {
    const c = this.coll(collection)
    const project = compileProjection(opts.projection)
    const hits = this.select(c, resolveQuery(query, opts.now), opts)
    if (!project) return hits.map((h) => h.row.doc)
    return hits.map((h) => encodeDoc(project(DocumentStore.docOf(h))))
  }

  /** Documents matching a query, decoded (Dates as Date). */
  find (collection: string, query: any = {}, opts: FindOptions = {}): Doc[] {
    const c = this.coll(collection)
    const project = compileProjection(opts.projection)
    const docs = this.select(c, resolveQuery(query, opts.now), opts).map(DocumentStore.docOf)
    return project ? docs.map(project) : docs
  }

  count (collection: string, query: any = {}, opts: { now?: number } = {}): number {
    const c = this.coll(collection)
    if (isEmptyQuery(query)) return (c.count.get() as { n: number }).n
    return this.select(c, resolveQuery(query, opts.now)).length
  }

  /** One document by _id as encoded text in a list (empty when missing), seen from `txId` if given. */
  findByIdTexts (collection: string, id: DocId, projection?: Doc, txId?: string): string[] {
    const c = this.coll(collection)
    id = checkId(id)
    const project = compileProjection(projection)
    if (txId !== undefined) {
      const doc = this.txView(this.tx(txId), c, id)
      return doc ? [encodeDoc(project ? project(doc) : doc)] : []
    }
    const row = this.readById(c, id)
    if (!row) return []
    return [project ? encodeDoc(project(decodeDoc(row.doc))) : row.doc]
  }

  findById (collection: string, id: DocId, opts: { projection?: Doc, txId?: string } = {}): Doc | null {
    const [text] = this.findByIdTexts(collection, id, opts.projection, opts.txId)
    return text === undefined ? null : decodeDoc(text)
  }

  // ---------------------------------------------------------------- writes

  /** Prepare documents for insertion: server dates, field-name checks, _id (given or generated) first. */
  private prepareInsert (docs: Doc[], now: number): Doc[] {
    return docs.map((d, i) => {
      if (!isPlainObject(d)) throw invalidParam(`data[${i}] must be an object`)
      const prepared = prepareStoredValue(cloneValue(d), now)
      const id = prepared._id === undefined ? newDocId() : checkId(prepared._id)
      const { _id, ...rest } = prepared
      return { _id: id, ...rest }
    })
  }

  /** Insert one or more documents (all or none). Returns their _ids. */
  insert (collection: string, docs: Doc | Doc[], opts: { txId?: string, now?: number } = {}): DocId[] {
    const c = this.coll(collection)
    const list = this.prepareInsert(Array.isArray(docs) ? docs : [docs], opts.now ?? Date.now())
    if (opts.txId !== undefined) {
      const tx = this.tx(opts.txId)
      const seen = new Set<string>()
      for (const d of list) {
        const key = this.docKey(c, d._id)
        if (seen.has(key) || this.txView(tx, c, d._id)) throw dupKey(c.name, d._id)
        seen.add(key)
      }
      for (const d of list) this.txWrite(tx, c, d._id, d)
      return list.map((d) => d._id)
    }
    this.write(() => {
      for (const d of list) this.insertDoc(c, d, encodeDoc(d))
    })
    return list.map((d) => d._id)
  }

  /** Apply update operators to the document `id`. With upsert, a missing document is created from {_id}. */
  updateById (collection: string, id: DocId, update: Doc, opts: { upsert?: boolean, txId?: string, now?: number } = {}): WriteResult {
    const c = this.coll(collection)
    id = checkId(id)
    const now = opts.now ?? Date.now()
    const upd = compileUpdate(resolveServerDates(cloneValue(update), now), now)
    return this.modifyById(c, id, opts.txId, opts.upsert === true, (doc, isInsert) => upd.apply(doc, { isInsert }))
  }

  /** Replace the document `id` by `data` (doc().set). With upsert (the default, as the SDK sends), create it. */
  replaceById (collection: string, id: DocId, data: Doc, opts: { upsert?: boolean, txId?: string, now?: number } = {}): WriteResult {
    const c = this.coll(collection)
    id = checkId(id)
    if (!isPlainObject(data)) throw invalidParam('replacement data must be an object')
    const now = opts.now ?? Date.now()
    for (const k of Object.keys(data)) {
      if (k.startsWith('$')) throw invalidParam(`a replacement document cannot hold update operators (${k})`)
    }
    const prepared = prepareStoredValue(cloneValue(data), now)
    if (prepared._id !== undefined && prepared._id !== id) throw invalidParam('the field \'_id\' is immutable')
    delete prepared._id
    return this.modifyById(c, id, opts.txId, opts.upsert !== false, (doc) => {
      for (const k of Object.keys(doc)) if (k !== '_id') delete doc[k]
      Object.assign(doc, cloneValue(prepared))
    })
  }

  private modifyById (c: Coll, id: DocId, txId: string | undefined, upsert: boolean, mutate: (doc: Doc, isInsert: boolean) => void): WriteResult {
    if (txId !== undefined) {
      const tx = this.tx(txId)
      const current = this.txView(tx, c, id)
      if (!current) {
        if (!upsert) return { matched: 0, updated: 0 }
        const doc: Doc = { _id: id }
        mutate(doc, true)
        this.txWrite(tx, c, id, doc)
        return { matched: 0, updated: 0, upsertedId: id }
      }
      const before = encodeDoc(current)
      const doc = cloneValue(current)
      mutate(doc, false)
      const changed = encodeDoc(doc) !== before
      if (changed) this.txWrite(tx, c, id, doc)
      return { matched: 1, updated: changed ? 1 : 0 }
    }
    return this.write(() => {
      const row = this.readById(c, id)
      if (!row) {
        if (!upsert) return { matched: 0, updated: 0 }
        const doc: Doc = { _id: id }
        mutate(doc, true)
        this.insertDoc(c, doc, encodeDoc(doc))
        return { matched: 0, updated: 0, upsertedId: id }
      }
      const old = decodeDoc(row.doc)
      const doc = decodeDoc(row.doc)
      mutate(doc, false)
      const text = encodeDoc(doc)
      if (text === row.doc) return { matched: 1, updated: 0 }
      this.replaceDoc(c, row, old, doc, text)
      return { matched: 1, updated: 1 }
    })
  }

  /** Update the documents matching `query` (all of them unless multi is false). */
  update (collection: string, query: any, update: Doc, opts: { multi?: boolean, upsert?: boolean, now?: number } = {}): WriteResult {
    const c = this.coll(collection)
    const now = opts.now ?? Date.now()
    query = resolveQuery(query, now)
    const upd: CompiledUpdate = compileUpdate(resolveServerDates(cloneValue(update), now), now)
    const hits = this.select(c, query, { limit: opts.multi === false ? 1 : undefined })
    return this.write(() => {
      let updated = 0
      for (const h of hits) {
        const old = DocumentStore.docOf(h)
        const doc = cloneValue(old)
        upd.apply(doc)
        const text = encodeDoc(doc)
        if (text === h.row.doc) continue
        this.replaceDoc(c, h.row, old, doc, text)
        updated++
      }
      if (hits.length === 0 && opts.upsert) {
        const doc = upsertBase(query)
        upd.apply(doc, { isInsert: true })
        const [prepared] = this.prepareInsert([doc], now)
        this.insertDoc(c, prepared, encodeDoc(prepared))
        return { matched: 0, updated: 0, upsertedId: prepared._id as DocId }
      }
      return { matched: hits.length, updated }
    })
  }

  /** Update the first document matching `query` and return it as it is after the update (updateAndReturn). */
  updateAndReturn (collection: string, query: any, update: Doc, opts: { now?: number } = {}): { updated: number, doc: Doc | null } {
    const c = this.coll(collection)
    const now = opts.now ?? Date.now()
    query = resolveQuery(query, now)
    const upd = compileUpdate(resolveServerDates(cloneValue(update), now), now)
    const [hit] = this.select(c, query, { limit: 1 })
    if (!hit) return { updated: 0, doc: null }
    return this.write(() => {
      const old = DocumentStore.docOf(hit)
      const doc = cloneValue(old)
      upd.apply(doc)
      const text = encodeDoc(doc)
      if (text === hit.row.doc) return { updated: 0, doc }
      this.replaceDoc(c, hit.row, old, doc, text)
      return { updated: 1, doc }
    })
  }

  /** Remove the document `id`; returns 0 or 1. */
  removeById (collection: string, id: DocId, opts: { txId?: string } = {}): number {
    const c = this.coll(collection)
    id = checkId(id)
    if (opts.txId !== undefined) {
      const tx = this.tx(opts.txId)
      if (!this.txView(tx, c, id)) return 0
      this.txWrite(tx, c, id, null)
      return 1
    }
    return this.write(() => {
      const row = this.readById(c, id)
      if (!row) return 0
      this.deleteDoc(c, row)
      return 1
    })
  }

  /** Remove the documents matching `query` (only the first when multi is false). */
  remove (collection: string, query: any, opts: { multi?: boolean, now?: number } = {}): number {
    const c = this.coll(collection)
    query = resolveQuery(query, opts.now)
    const hits = this.select(c, query, { limit: opts.multi === false ? 1 : undefined })
    return this.write(() => {
      for (const h of hits) this.deleteDoc(c, h.row)
      return hits.length
    })
  }

  /** Run an aggregation pipeline ([{$match: …}, {$group: …}] or [[key, value]] pairs); a leading $match uses the
   * collection's indexes. */
  aggregate (collection: string, stages: Array<Record<string, any> | [string, any]>, opts: { now?: number } = {}): Doc[] {
    const c = this.coll(collection)
    const pairs = stages.map((s, i): [string, any] => {
      if (Array.isArray(s)) return [s[0], s[1]]
      const keys = isPlainObject(s) ? Object.keys(s) : []
      if (keys.length !== 1) throw invalidParam(`aggregation stage ${i} must have exactly one key`)
      return [keys[0], s[keys[0]]]
    })
    const now = opts.now ?? Date.now()
    for (const p of pairs) if (p[0] === '$match') p[1] = resolveQuery(p[1], now)
    let docs: Doc[]
    let rest = pairs
    if (pairs.length && pairs[0][0] === '$match') {
      docs = this.select(c, pairs[0][1]).map(DocumentStore.docOf)
      rest = pairs.slice(1)
    } else {
      docs = this.select(c, undefined).map(DocumentStore.docOf)
    }
    return runPipeline(docs, rest, {
      lookup: (from, foreignField, values) => {
        const fc = this.colls.get(from)
        if (!fc) return []
        return this.select(fc, { [foreignField]: { $in: values } }).map(DocumentStore.docOf)
      }
    })
  }

  // ---------------------------------------------------------------- transactions

  startTransaction (): string {
    this.sweep(true)
    const id = `tx-${newDocId()}`
    this.txs.set(id, { id, startSeq: this.seq, lastActive: Date.now(), writes: new Map() })
    return id
  }

  /** Apply a transaction's writes atomically, or throw DATABASE_TRANSACTION_CONFLICT (the transaction is gone
   * either way). */
  commitTransaction (txId: string): void {
    const tx = this.tx(txId)
    try {
      for (const [key, w] of tx.writes) {
        if (this.changedSince(tx, key)) {
          throw conflict(`transaction ${txId} conflicts: document ${JSON.stringify(w.id)} of ${w.c.name} was changed after the transaction started`)
        }
      }
      this.write(() => {
        for (const w of tx.writes.values()) {
          const row = this.readById(w.c, w.id)
          if (w.doc === null) {
            if (row) this.deleteDoc(w.c, row)
          } else if (row) {
            const text = encodeDoc(w.doc)
            if (text !== row.doc) this.replaceDoc(w.c, row, undefined, w.doc, text)
          } else {
            this.insertDoc(w.c, w.doc, encodeDoc(w.doc))
          }
        }
      })
    } finally {
      this.endTx(tx)
    }
  }

  /** Drop a transaction and its buffered writes. Unknown or finished ids are ignored. */
  abortTransaction (txId: string): void {
    const tx = this.txs.get(txId)
    if (tx) this.endTx(tx)
  }

  /** Number of open transactions (for tests and diagnostics). */
  openTransactions (): number {
    this.sweep(true)
    return this.txs.size
  }

  private tx (txId: unknown): Tx {
    if (typeof txId !== 'string' || txId === '') throw invalidParam('transactionId must be a string')
    this.sweep(false)
    const tx = this.txs.get(txId)
    if (!tx || !this.alive(tx)) {
      if (tx) this.endTx(tx)
      throw conflict(`transaction ${txId} is not open (it was committed, aborted, failed, or idle for more than ${this.txTimeoutMs} ms)`)
    }
    tx.lastActive = Date.now()
    return tx
  }

  private alive (tx: Tx): boolean {
    return Date.now() - tx.lastActive <= this.txTimeoutMs
  }

  /** The document as the transaction sees it: its own write, else the snapshot. */
  private txView (tx: Tx, c: Coll, id: DocId): Doc | null {
    const key = this.docKey(c, id)
    const w = tx.writes.get(key)
    if (w) return w.doc && cloneValue(w.doc)
    const row = this.readById(c, id)
    const hist = this.history.get(key)
    if (hist) {
      for (const e of hist) {
        if (e.seq > tx.startSeq) return e.before === null ? null : decodeDoc(e.before)
      }
    }
    return row ? decodeDoc(row.doc) : null
  }

  private txWrite (tx: Tx, c: Coll, id: DocId, doc: Doc | null): void {
    const key = this.docKey(c, id)
    const holder = this.locks.get(key)
    const other = holder !== undefined && holder !== tx.id ? this.txs.get(holder) : undefined
    if (other && this.alive(other)) {
      this.endTx(tx)
      throw conflict(`document ${JSON.stringify(id)} of ${c.name} is being written by another open transaction`)
    }
    if (doc) this.checkSize(encodeDoc(doc))
    this.locks.set(key, tx.id)
    tx.writes.set(key, { c, id, doc })
  }

  private changedSince (tx: Tx, key: string): boolean {
    const hist = this.history.get(key)
    return hist !== undefined && hist.length > 0 && hist[hist.length - 1].seq > tx.startSeq
  }

  private endTx (tx: Tx): void {
    if (!this.txs.delete(tx.id)) return
    for (const key of tx.writes.keys()) if (this.locks.get(key) === tx.id) this.locks.delete(key)
    this.pruneHistory()
  }

  /** Forget before-images no open transaction can need. */
  private pruneHistory (): void {
    if (this.txs.size === 0) {
      this.history.clear()
      return
    }
    let min = Infinity
    for (const tx of this.txs.values()) min = Math.min(min, tx.startSeq)
    for (const [key, list] of this.history) {
      let i = 0
      while (i < list.length && list[i].seq <= min) i++
      if (i === list.length) this.history.delete(key)
      else if (i > 0) list.splice(0, i)
    }
  }

  /** Drop transactions idle past the timeout (at most once a second unless forced). */
  private sweep (force: boolean): void {
    if (this.txs.size === 0) return
    const now = Date.now()
    if (!force && now - this.lastSweep < 1000) return
    this.lastSweep = now
    for (const tx of [...this.txs.values()]) {
      if (!this.alive(tx)) this.endTx(tx)
    }
  }
}

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

/** A caller's query with db.serverDate() resolved, on a copy. */
function resolveQuery (query: any, now = Date.now()): any {
  if (query === undefined || query === null) return {}
  return resolveServerDates(cloneValue(query), now)
}

/** The document an upsert starts from: the query's equality conditions. */
function upsertBase (query: any): Doc {
  const doc: Doc = {}
  const visit = (q: any): void => {
    if (!isPlainObject(q)) return
    for (const k of Object.keys(q)) {
      const v = q[k]
      if (k === '$and' && Array.isArray(v)) { v.forEach(visit); continue }
      if (k.startsWith('$')) continue
      const value = isOperatorObject(v) ? ('$eq' in v ? v.$eq : undefined) : v
      if (value === undefined) continue
      const parts = splitPath(k)
      let cur = doc
      for (let i = 0; i < parts.length - 1; i++) {
        if (!isPlainObject(cur[parts[i]])) cur[parts[i]] = {}
        cur = cur[parts[i]]
      }
      cur[parts[parts.length - 1]] = cloneValue(value)
    }
  }
  visit(query)
  return doc
}
