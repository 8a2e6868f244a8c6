// Writes outside transactions. Each request runs in one SQLite transaction, so an acknowledged write is committed
// (WAL, synchronous=NORMAL: safe against a process kill) and a multi-document request is all-or-nothing. Every
// changed document updates its index rows, hands its before-image to open transactions (transactions.ts) and
// counts in writeCount (a timer's fast-forward hint holds only while nothing was written).
import { randomBytes } from 'node:crypto'
import { cloneValue, decodeDoc, encodeDoc, isPlainObject, prepareStoredValue } from './ejson'
import { DbError, invalidParam, requestFailed } from './errors'
import { indexRows } from './index-keys'
import { isOperatorObject } from './query'
import { docOf, select } from './reads'
import type { Coll, Doc, DocId, Index, Row, Tables } from './schema'
import type { CompiledUpdate } from './update'
import { splitPath } from './values'

export interface WriteResult {
  /** Documents the query or _id selected. */
  matched: number
  /** Documents whose content actually changed (MongoDB's nModified; what the SDK reports as stats.updated). */
  updated: number
  /** _id of the document created by an upsert. */
  upsertedId?: DocId
}

/** What open transactions must hear of every write (transactions.ts). */
export interface WriteObserver {
  /** A write begins. */
  begin: () => void
  /** A document changed; `before` is its text before the change (null: it did not exist). */
  changed: (c: Coll, id: DocId, before: string | null) => void
  /** The write committed: the changes it reported are now real. */
  committed: () => void
}

export class Writes {
  private count = 0
  private inWrite = false
  private readonly runInTx: (fn: () => any) => any
  private observer: WriteObserver = { begin: () => {}, changed: () => {}, committed: () => {} }

  constructor (private readonly tables: Tables, private readonly maxDocBytes: number) {
    const tx = tables.db.transaction((fn: () => any) => fn())
    this.runInTx = (fn) => tx(fn)
  }

  /** Documents changed so far. */
  get writeCount (): number { return this.count }

  observe (observer: WriteObserver): void {
    this.observer = observer
  }

  /** Run `fn` in one SQLite transaction; what it reports to the observer counts only if it commits. */
  write<T> (fn: () => T): T {
    if (this.inWrite) return fn()
    this.inWrite = true
    this.observer.begin()
    try {
      const r = this.runInTx(fn)
      this.observer.committed()
      return r
    } finally {
      this.inWrite = false
    }
  }

  checkSize (text: string): void {
    if (text.length > this.maxDocBytes || (text.length * 3 > this.maxDocBytes && Buffer.byteLength(text) > this.maxDocBytes)) {
      throw invalidParam(`document exceeds the maximum size of ${this.maxDocBytes} bytes`)
    }
  }

  insertDoc (c: Coll, doc: Doc, text: string): void {
    this.checkSize(text)
    let rid: number
    try {
      rid = Number(c.ins.run(doc._id, text).lastInsertRowid)
    } catch (e: any) {
      if (e?.code === 'SQLITE_CONSTRAINT_UNIQUE') throw dupKey(c.name, doc._id)
      throw e
    }
    for (const ix of c.indexes) writeIndexRows(ix, rid, doc)
    this.changed(c, doc._id, null)
  }

  replaceDoc (c: Coll, row: Row, oldDoc: Doc | undefined, doc: Doc, text: string): void {
    this.checkSize(text)
    c.upd.run(text, row.rid)
    if (c.indexes.length) {
      const old = oldDoc ?? decodeDoc(row.doc)
      for (const ix of c.indexes) {
        const before = indexRows(ix, old)
        const after = indexRows(ix, doc)
        if (before.length === after.length && before.every((r, i) => r.every((k, j) => k === after[i][j]))) continue
        for (const r of before) ix.del.run(...r, row.rid)
        if (after.length > 1) ix.multikey = true
        for (const r of after) ix.ins.run(...r, row.rid)
      }
    }
    this.changed(c, row.id, row.doc)
  }

  deleteDoc (c: Coll, row: Row): void {
    c.del.run(row.rid)
    if (c.indexes.length) {
      const old = decodeDoc(row.doc)
      for (const ix of c.indexes) {
        for (const r of indexRows(ix, old)) ix.del.run(...r, row.rid)
      }
    }
    this.changed(c, row.id, row.doc)
  }

  /** Fills a new index from the documents already stored. */
  fillIndex (c: Coll, ix: Index): void {
    for (const row of c.all.all() as Row[]) writeIndexRows(ix, row.rid, decodeDoc(row.doc))
  }

  /** Insert prepared documents (all or none). */
  insert (c: Coll, list: Doc[]): DocId[] {
    this.write(() => {
      for (const d of list) this.insertDoc(c, d, encodeDoc(d))
    })
    return list.map((d) => d._id)
  }

  /** Change the document `id` with `mutate`; with upsert, a missing one is created from {_id}. */
  modifyById (c: Coll, id: DocId, upsert: boolean, mutate: (doc: Doc, isInsert: boolean) => void): WriteResult {
    return this.write(() => {
      const row = this.tables.readById(c, id)
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

  /** Update the documents matching `query` (a resolved query; only the first unless multi). */
  update (c: Coll, query: any, upd: CompiledUpdate, opts: { multi: boolean, upsert: boolean, now: number }): WriteResult {
    const hits = select(this.tables, c, query, { limit: opts.multi ? undefined : 1 })
    return this.write(() => {
      let updated = 0
      for (const h of hits) {
        const old = docOf(h)
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
        const [prepared] = prepareInsert([doc], opts.now)
        this.insertDoc(c, prepared, encodeDoc(prepared))
        return { matched: 0, updated: 0, upsertedId: prepared._id as DocId }
      }
      return { matched: hits.length, updated }
    })
  }

  /** Update the first document matching `query` and return it as it is after the update. */
  updateAndReturn (c: Coll, query: any, upd: CompiledUpdate): { updated: number, doc: Doc | null } {
    const [hit] = select(this.tables, c, query, { limit: 1 })
    if (!hit) return { updated: 0, doc: null }
    return this.write(() => {
      const old = docOf(hit)
      const doc = cloneValue(old)
      upd.apply(doc)
      const text = encodeDoc(doc)
      if (text === hit.row.doc) return { updated: 0, doc }
      this.replaceDoc(c, hit.row, old, doc, text)
      return { updated: 1, doc }
    })
  }

  removeById (c: Coll, id: DocId): number {
    return this.write(() => {
      const row = this.tables.readById(c, id)
      if (!row) return 0
      this.deleteDoc(c, row)
      return 1
    })
  }

  /** Remove the documents matching `query` (a resolved query; only the first unless multi). */
  remove (c: Coll, query: any, multi: boolean): number {
    const hits = select(this.tables, c, query, { limit: multi ? undefined : 1 })
    return this.write(() => {
      for (const h of hits) this.deleteDoc(c, h.row)
      return hits.length
    })
  }

  private changed (c: Coll, id: DocId, before: string | null): void {
    this.count++
    this.observer.changed(c, id, before)
  }
}

function writeIndexRows (ix: Index, rid: number, doc: Doc): void {
  const rows = indexRows(ix, doc)
  if (rows.length > 1) ix.multikey = true
  for (const r of rows) ix.ins.run(...r, rid)
}

/** A generated _id: 32 hex chars, like CloudBase's. */
export function newDocId (): string {
  return randomBytes(16).toString('hex')
}

export function checkId (id: unknown): DocId {
  if (typeof id === 'string') return id
  if (typeof id === 'number' && Number.isFinite(id)) return id
  throw invalidParam(`_id must be a string or a number, got ${id === null ? 'null' : typeof id}`)
}

export function dupKey (coll: string, id: DocId): DbError {
  return requestFailed(`E11000 duplicate key error collection: ${coll} index: _id_ dup key: { _id: ${JSON.stringify(id)} }`)
}

/** Documents ready for insertion: server dates resolved, field names checked, _id (given or generated) first. */
export function prepareInsert (docs: Doc[], now: number): Doc[] {
  return docs.map((d, i) => {
    if (!isPlainObject(d)) throw invalidParam(`data[${i}] must be an object`)
    const prepared = prepareStoredValue(cloneValue(d), now)
    const id = prepared._id === undefined ? newDocId() : checkId(prepared._id)
    const { _id, ...rest } = prepared
    return { _id: id, ...rest }
  })
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
