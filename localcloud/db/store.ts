// The document store: CloudBase's database as wx-server-sdk uses it, on SQLite. This class is its API; the work
// is done by subject in
//   schema.ts        how collections and indexes are laid out in SQLite
//   index-keys.ts    what a multikey index holds for a document
//   planner.ts       which rows a query must look at (by _id, through an index, or all)
//   reads.ts         finding, sorting, paging, aggregating
//   writes.ts        inserts, updates and removes, each request in one SQLite transaction
//   transactions.ts  snapshot transactions buffered until commit
import { compileProjection } from './projection'
import { cloneValue, decodeDoc, encodeDoc, isPlainObject, prepareStoredValue, resolveServerDates } from './ejson'
import { DbError, invalidParam } from './errors'
import { compileUpdate } from './update'
import { isEmptyQuery } from './query'
import { plan } from './planner'
import { aggregate, docOf, resolveQuery, select, type FindOptions } from './reads'
import { Tables, type Doc, type DocId } from './schema'
import { Transactions } from './transactions'
import { checkId, prepareInsert, Writes, type WriteResult } from './writes'

export type { Doc, DocId } from './schema'
export type { FindOptions } from './reads'
export type { WriteResult } from './writes'

interface StoreOptions {
  /** Path of the SQLite file, or ':memory:'. */
  file: string
  /** An open transaction idle longer than this is dropped (default 30 000 ms). */
  txTimeoutMs?: number
  /** Largest stored document, in bytes of its encoded text (default 1 MiB). */
  maxDocumentBytes?: number
  /** The time db.serverDate() stands for when a call gives none (ms; default real time): the cloud's clock. */
  clock?: () => number
}

const COLLECTION_NAME = /^[A-Za-z0-9_\-.]{1,64}$/

export class DocumentStore {
  readonly file: string
  private readonly tables: Tables
  private readonly writes: Writes
  private readonly txs: Transactions
  private readonly clock: () => number

  constructor (opts: StoreOptions) {
    this.file = opts.file
    this.clock = opts.clock ?? Date.now
    this.tables = new Tables(opts.file)
    this.writes = new Writes(this.tables, opts.maxDocumentBytes ?? 1024 * 1024)
    this.txs = new Transactions(this.tables, this.writes, opts.txTimeoutMs ?? 30_000)
  }

  /** The store's time (ms), for db.serverDate(). */
  now (): number {
    return this.clock()
  }

  /** Documents changed so far (inserted, replaced or removed), by any request or transaction. */
  get writeCount (): number {
    return this.writes.writeCount
  }

  close (): void {
    this.txs.clear()
    this.tables.close()
  }

  // ---- collections and indexes

  hasCollection (name: string): boolean {
    return this.tables.find(name) !== undefined
  }

  listCollections (): string[] {
    return this.tables.names()
  }

  /** Create a collection if it does not exist (setup). */
  createCollection (name: string): void {
    if (this.tables.find(name)) return
    this.addCollection(name)
  }

  /** Create a collection; fails like the cloud if it exists (the `database.addCollection` action). */
  addCollection (name: string): void {
    if (typeof name !== 'string' || !COLLECTION_NAME.test(name)) {
      throw invalidParam(`invalid collection name ${JSON.stringify(name)} (1-64 letters, digits, '_', '-', '.')`)
    }
    if (this.tables.find(name)) throw new DbError('DATABASE_COLLECTION_ALREADY_EXIST', `Table exist: collection ${name} already exists`)
    this.writes.write(() => this.tables.createCollection(name, Date.now()))
  }

  /** Index documents of `collection` by `fields` (dotted paths allowed; compound when several). Idempotent;
   * creates the collection if needed. `_id` is always indexed. */
  ensureIndex (collection: string, fields: string[]): void {
    if (!Array.isArray(fields) || fields.length === 0 || !fields.every((f) => typeof f === 'string' && f !== '' && !f.includes('$'))) {
      throw invalidParam(`ensureIndex(${collection}): fields must be non-empty field paths`)
    }
    this.createCollection(collection)
    if (fields.length === 1 && fields[0] === '_id') return
    const c = this.tables.coll(collection)
    const key = JSON.stringify(fields)
    if (c.indexes.some((ix) => JSON.stringify(ix.fields) === key)) return
    this.writes.write(() => {
      const ix = this.tables.createIndex(c, fields)
      this.writes.fillIndex(c, ix)
      c.indexes.push(ix)
    })
  }

  listIndexes (collection: string): string[][] {
    return this.tables.coll(collection).indexes.map((ix) => [...ix.fields])
  }

  /** SQLite's EXPLAIN QUERY PLAN of the candidate scan a query would run (to check index use). */
  explain (collection: string, query: Doc = {}): string {
    const p = plan(this.tables.coll(collection), query)
    const rows = this.tables.db.prepare(`EXPLAIN QUERY PLAN ${p.sql}`).all(...p.params) as Array<{ detail: string }>
    return rows.map((r) => r.detail).join('\n')
  }

  // ---- reads

  /** Encoded documents matching a query (what getDocument replies). */
  findTexts (collection: string, query: any, opts: FindOptions = {}): string[] {
    const c = this.tables.coll(collection)
    const project = compileProjection(opts.projection)
    const hits = select(this.tables, c, resolveQuery(query, opts.now ?? this.now()), opts)
    if (!project) return hits.map((h) => h.row.doc)
    return hits.map((h) => encodeDoc(project(docOf(h))))
  }

  /** Documents matching a query, decoded (Dates as Date). */
  find (collection: string, query: any = {}, opts: FindOptions = {}): Doc[] {
    const c = this.tables.coll(collection)
    const project = compileProjection(opts.projection)
    const docs = select(this.tables, c, resolveQuery(query, opts.now ?? this.now()), opts).map(docOf)
    return project ? docs.map(project) : docs
  }

  count (collection: string, query: any = {}, opts: { now?: number } = {}): number {
    const c = this.tables.coll(collection)
    if (isEmptyQuery(query)) return (c.count.get() as { n: number }).n
    return select(this.tables, c, resolveQuery(query, opts.now ?? this.now())).length
  }

  /** One document by _id as encoded text in a list (empty when missing), seen from `txId` if given. */
  findByIdTexts (collection: string, id: DocId, projection?: Doc, txId?: string): string[] {
    const c = this.tables.coll(collection)
    id = checkId(id)
    const project = compileProjection(projection)
    if (txId !== undefined) {
      const doc = this.txs.read(txId, c, id)
      return doc ? [encodeDoc(project ? project(doc) : doc)] : []
    }
    const row = this.tables.readById(c, id)
    if (!row) return []
    return [project ? encodeDoc(project(decodeDoc(row.doc))) : row.doc]
  }

  findById (collection: string, id: DocId, opts: { projection?: Doc, txId?: string } = {}): Doc | null {
    const [text] = this.findByIdTexts(collection, id, opts.projection, opts.txId)
    return text === undefined ? null : decodeDoc(text)
  }

  /** Run an aggregation pipeline ([{$match: …}, {$group: …}] or [[key, value]] pairs). */
  aggregate (collection: string, stages: Array<Record<string, any> | [string, any]>, opts: { now?: number } = {}): Doc[] {
    return aggregate(this.tables, this.tables.coll(collection), stages, opts.now ?? this.now())
  }

  // ---- writes (in transaction `txId` when given)

  /** Insert one or more documents (all or none). Returns their _ids. */
  insert (collection: string, docs: Doc | Doc[], opts: { txId?: string, now?: number } = {}): DocId[] {
    const c = this.tables.coll(collection)
    const list = prepareInsert(Array.isArray(docs) ? docs : [docs], opts.now ?? this.now())
    return opts.txId !== undefined ? this.txs.insert(opts.txId, c, list) : this.writes.insert(c, list)
  }

  /** Apply update operators to the document `id`. With upsert, a missing document is created from {_id}. */
  updateById (collection: string, id: DocId, update: Doc, opts: { upsert?: boolean, txId?: string, now?: number } = {}): WriteResult {
    const c = this.tables.coll(collection)
    id = checkId(id)
    const now = opts.now ?? this.now()
    const upd = compileUpdate(resolveServerDates(cloneValue(update), now), now)
    const mutate = (doc: Doc, isInsert: boolean): void => upd.apply(doc, { isInsert })
    const upsert = opts.upsert === true
    return opts.txId !== undefined ? this.txs.modifyById(opts.txId, c, id, upsert, mutate) : this.writes.modifyById(c, id, upsert, mutate)
  }

  /** Replace the document `id` by `data` (doc().set). With upsert (the default, as the SDK sends), create it. */
  replaceById (collection: string, id: DocId, data: Doc, opts: { upsert?: boolean, txId?: string, now?: number } = {}): WriteResult {
    const c = this.tables.coll(collection)
    id = checkId(id)
    if (!isPlainObject(data)) throw invalidParam('replacement data must be an object')
    const now = opts.now ?? this.now()
    for (const k of Object.keys(data)) {
      if (k.startsWith('$')) throw invalidParam(`a replacement document cannot hold update operators (${k})`)
    }
    const prepared = prepareStoredValue(cloneValue(data), now)
    if (prepared._id !== undefined && prepared._id !== id) throw invalidParam('the field \'_id\' is immutable')
    delete prepared._id
    const mutate = (doc: Doc): void => {
      for (const k of Object.keys(doc)) if (k !== '_id') delete doc[k]
      Object.assign(doc, cloneValue(prepared))
    }
    const upsert = opts.upsert !== false
    return opts.txId !== undefined ? this.txs.modifyById(opts.txId, c, id, upsert, mutate) : this.writes.modifyById(c, id, upsert, mutate)
  }

  /** Update the documents matching `query` (all of them unless multi is false). */
  update (collection: string, query: any, update: Doc, opts: { multi?: boolean, upsert?: boolean, now?: number } = {}): WriteResult {
    const c = this.tables.coll(collection)
    const now = opts.now ?? this.now()
    const resolved = resolveQuery(query, now)
    const upd = compileUpdate(resolveServerDates(cloneValue(update), now), now)
    return this.writes.update(c, resolved, upd, { multi: opts.multi !== false, upsert: opts.upsert === true, now })
  }

  /** Update the first document matching `query` and return it as it is after the update (updateAndReturn). */
  updateAndReturn (collection: string, query: any, update: Doc, opts: { now?: number } = {}): { updated: number, doc: Doc | null } {
    const c = this.tables.coll(collection)
    const now = opts.now ?? this.now()
    const resolved = resolveQuery(query, now)
    return this.writes.updateAndReturn(c, resolved, compileUpdate(resolveServerDates(cloneValue(update), now), now))
  }

  /** Remove the document `id`; returns 0 or 1. */
  removeById (collection: string, id: DocId, opts: { txId?: string } = {}): number {
    const c = this.tables.coll(collection)
    id = checkId(id)
    return opts.txId !== undefined ? this.txs.removeById(opts.txId, c, id) : this.writes.removeById(c, id)
  }

  /** Remove the documents matching `query` (only the first when multi is false). */
  remove (collection: string, query: any, opts: { multi?: boolean, now?: number } = {}): number {
    const c = this.tables.coll(collection)
    return this.writes.remove(c, resolveQuery(query, opts.now ?? this.now()), opts.multi !== false)
  }

  // ---- transactions

  startTransaction (): string {
    return this.txs.start()
  }

  /** Apply a transaction's writes atomically, or throw DATABASE_TRANSACTION_CONFLICT (the transaction is gone
   * either way). */
  commitTransaction (txId: string): void {
    this.txs.commit(txId)
  }

  /** Drop a transaction and its buffered writes. Unknown or finished ids are ignored. */
  abortTransaction (txId: string): void {
    this.txs.abort(txId)
  }

  /** Number of open transactions (for tests and diagnostics). */
  openTransactions (): number {
    return this.txs.open()
  }
}
