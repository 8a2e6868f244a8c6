// Transactions (docs/LOCALCLOUD.md, "Transactions"), snapshot-isolated and buffered in memory until commit:
//   - reads see the data as of startTransaction plus the transaction's own writes. Old versions come from an
//     in-memory history of before-images, recorded only while some transaction is open;
//   - a write takes a lock on the document; a write to a document locked by another open transaction fails at
//     once with DATABASE_TRANSACTION_CONFLICT (the SDK reports it as -501001 and does not retry, as the cloud);
//   - commit fails with DATABASE_TRANSACTION_CONFLICT when a written document changed after the snapshot (first
//     committer wins; runTransaction retries on exactly this reply). A failed commit drops the transaction;
//   - a transaction idle for txTimeoutMs (30 s) is dropped with its locks.
// Non-transactional writes never wait for locks (they cannot: the store is synchronous); they win, and the
// transaction that held the lock fails at commit.
import { cloneValue, decodeDoc, encodeDoc } from './ejson'
import { conflict, invalidParam } from './errors'
import type { Coll, Doc, DocId, Tables } from './schema'
import { dupKey, newDocId, type WriteObserver, type WriteResult, type Writes } from './writes'

interface Staged { c: Coll, id: DocId, doc: Doc | null }
interface Tx { id: string, startSeq: number, lastActive: number, writes: Map<string, Staged> }
interface HistEntry { seq: number, before: string | null }

export class Transactions implements WriteObserver {
  private readonly txs = new Map<string, Tx>()
  private readonly locks = new Map<string, string>()
  private readonly history = new Map<string, HistEntry[]>()
  private pending: Array<{ key: string, entry: HistEntry }> = []
  private seq = 0
  private lastSweep = 0

  constructor (private readonly tables: Tables, private readonly writes: Writes, private readonly txTimeoutMs: number) {
    writes.observe(this)
  }

  start (): string {
    this.sweep(true)
    const id = `tx-${newDocId()}`
    this.txs.set(id, { id, startSeq: this.seq, lastActive: Date.now(), writes: new Map() })
    return id
  }

  /** Apply a transaction's writes atomically, or throw DATABASE_TRANSACTION_CONFLICT (it is gone either way). */
  commit (txId: string): void {
    const tx = this.tx(txId)
    try {
      for (const [key, w] of tx.writes) {
        if (this.changedSince(tx, key)) {
          throw conflict(`transaction ${txId} conflicts: document ${JSON.stringify(w.id)} of ${w.c.name} was changed after the transaction started`)
        }
      }
      this.writes.write(() => {
        for (const w of tx.writes.values()) {
          const row = this.tables.readById(w.c, w.id)
          if (w.doc === null) {
            if (row) this.writes.deleteDoc(w.c, row)
          } else if (row) {
            const text = encodeDoc(w.doc)
            if (text !== row.doc) this.writes.replaceDoc(w.c, row, undefined, w.doc, text)
          } else {
            this.writes.insertDoc(w.c, w.doc, encodeDoc(w.doc))
          }
        }
      })
    } finally {
      this.endTx(tx)
    }
  }

  /** Drop a transaction and its buffered writes. Unknown or finished ids are ignored. */
  abort (txId: string): void {
    const tx = this.txs.get(txId)
    if (tx) this.endTx(tx)
  }

  /** Number of open transactions. */
  open (): number {
    this.sweep(true)
    return this.txs.size
  }

  clear (): void {
    this.txs.clear()
    this.locks.clear()
    this.history.clear()
  }

  // ---- operations inside a transaction

  /** The document as transaction `txId` sees it: its own write, else the snapshot. */
  read (txId: string, c: Coll, id: DocId): Doc | null {
    return this.view(this.tx(txId), c, id)
  }

  insert (txId: string, c: Coll, list: Doc[]): DocId[] {
    const tx = this.tx(txId)
    const seen = new Set<string>()
    for (const d of list) {
      const key = docKey(c, d._id)
      if (seen.has(key) || this.view(tx, c, d._id)) throw dupKey(c.name, d._id)
      seen.add(key)
    }
    for (const d of list) this.stage(tx, c, d._id, d)
    return list.map((d) => d._id)
  }

  modifyById (txId: string, c: Coll, id: DocId, upsert: boolean, mutate: (doc: Doc, isInsert: boolean) => void): WriteResult {
    const tx = this.tx(txId)
    const current = this.view(tx, c, id)
    if (!current) {
      if (!upsert) return { matched: 0, updated: 0 }
      const doc: Doc = { _id: id }
      mutate(doc, true)
      this.stage(tx, c, id, doc)
      return { matched: 0, updated: 0, upsertedId: id }
    }
    const before = encodeDoc(current)
    const doc = cloneValue(current)
    mutate(doc, false)
    const changed = encodeDoc(doc) !== before
    if (changed) this.stage(tx, c, id, doc)
    return { matched: 1, updated: changed ? 1 : 0 }
  }

  removeById (txId: string, c: Coll, id: DocId): number {
    const tx = this.tx(txId)
    if (!this.view(tx, c, id)) return 0
    this.stage(tx, c, id, null)
    return 1
  }

  // ---- what every write tells open transactions (WriteObserver)

  begin (): void {
    if (this.txs.size) this.sweep(false)
    this.pending = []
  }

  /** Remember the before-image of a changed document for open transactions' snapshots. */
  changed (c: Coll, id: DocId, before: string | null): void {
    if (this.txs.size === 0) return
    this.pending.push({ key: docKey(c, id), entry: { seq: ++this.seq, before } })
  }

  committed (): void {
    for (const p of this.pending) {
      const list = this.history.get(p.key)
      if (list) list.push(p.entry)
      else this.history.set(p.key, [p.entry])
    }
    this.pending = []
  }

  // ---- internals

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

  private view (tx: Tx, c: Coll, id: DocId): Doc | null {
    const key = docKey(c, id)
    const w = tx.writes.get(key)
    if (w) return w.doc && cloneValue(w.doc)
    const row = this.tables.readById(c, id)
    const hist = this.history.get(key)
    if (hist) {
      for (const e of hist) {
        if (e.seq > tx.startSeq) return e.before === null ? null : decodeDoc(e.before)
      }
    }
    return row ? decodeDoc(row.doc) : null
  }

  /** Buffers a write of the transaction, taking the document's lock. */
  private stage (tx: Tx, c: Coll, id: DocId, doc: Doc | null): void {
    const key = docKey(c, id)
    const holder = this.locks.get(key)
    const other = holder !== undefined && holder !== tx.id ? this.txs.get(holder) : undefined
    if (other && this.alive(other)) {
      this.endTx(tx)
      throw conflict(`document ${JSON.stringify(id)} of ${c.name} is being written by another open transaction`)
    }
    if (doc) this.writes.checkSize(encodeDoc(doc))
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

function docKey (c: Coll, id: DocId): string {
  return `${c.id}:${typeof id === 'number' ? 'n' : 's'}${id}`
}
