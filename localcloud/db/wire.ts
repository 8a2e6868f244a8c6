// The `database.*` actions of `POST /admin` as wx-server-sdk 4.0.2 sends them (docs/LOCALCLOUD.md, "The wire
// protocol"): parse the EJSON fields of the body, call the store, and answer in the exact shape the SDK reads.
// handle() is synchronous and never throws: every failure becomes {code: '<NAME>', message}.

import { encodeDoc, isPlainObject, parseEJSON } from './ejson'
import { DbError, invalidParam } from './errors'
import type { DocId, DocumentStore } from './store'

/** The SDK sends 100 when no limit is set and caps at 1000; the server enforces the same cap. */
const DEFAULT_LIMIT = 100
const MAX_LIMIT = 1000

type Body = Record<string, any>
type Reply = Record<string, any>

function collectionName (body: Body): string {
  const name = body.collectionName
  if (typeof name !== 'string' || name === '') throw invalidParam('collectionName is required')
  return name
}

function optionalEJSON (body: Body, field: string): any {
  const v = body[field]
  if (v === undefined || v === null || v === '') return undefined
  return parseEJSON(v, field)
}

/** `_id` of a DOC query ({"_id": …}). */
function docId (body: Body): DocId {
  const q = optionalEJSON(body, 'query')
  if (!isPlainObject(q) || !('_id' in q)) throw invalidParam('query of a DOC request must be {_id}')
  const id = q._id
  if (typeof id !== 'string' && typeof id !== 'number') throw invalidParam('_id must be a string or a number')
  return id
}

function txIdOf (body: Body): string | undefined {
  const t = body.transactionId
  if (t === undefined || t === null || t === '') return undefined
  if (typeof t !== 'string') throw invalidParam('transactionId must be a string')
  return t
}

function isDoc (body: Body): boolean {
  const t = body.queryType
  if (t === 'DOC') return true
  if (t === undefined || t === 'WHERE') return false
  throw invalidParam(`unknown queryType ${JSON.stringify(t)}`)
}

function order (body: Body): Record<string, any> | undefined {
  const o = optionalEJSON(body, 'order')
  if (o === undefined) return undefined
  // Older SDKs sent [{field, direction}]; 4.x sends {field: 1|-1} in call order.
  if (Array.isArray(o)) {
    const out: Record<string, any> = {}
    for (const e of o) {
      if (!isPlainObject(e) || typeof e.field !== 'string') throw invalidParam('order must be {field: 1|-1}')
      out[e.field] = e.direction === 'desc' || e.direction === -1 ? -1 : 1
    }
    return out
  }
  if (!isPlainObject(o)) throw invalidParam('order must be {field: 1|-1}')
  for (const [k, v] of Object.entries(o)) {
    if (v !== 1 && v !== -1 && v !== 'asc' && v !== 'desc') throw invalidParam(`order of '${k}' must be 1 or -1`)
  }
  return o
}

function intField (body: Body, field: string, dflt: number): number {
  const v = body[field]
  if (v === undefined || v === null) return dflt
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw invalidParam(`${field} must be a non-negative integer`)
  return v
}

function rejectInTransaction (body: Body, what: string): void {
  if (txIdOf(body) !== undefined) {
    throw invalidParam(`${what} is not allowed in a transaction: only single-document operations (doc().get/set/update/remove, add)`)
  }
}

export interface DatabaseService {
  /** body = the parsed JSON body of a POST /admin request whose action starts with 'database.'. Returns the JSON
   * reply body exactly as the SDK expects it: {data:{...}} on success, {code:'<NAME>', message} on error,
   * {transactionId} for startTransaction. Never throws. */
  handle: (action: string, body: Record<string, any>) => Record<string, any>
}

interface DatabaseServiceOptions {
  /** The request's time for db.serverDate() (ms); default the store's clock. The gateway reads the calling
   * invocation's clock from the body's wxCloudApiToken. */
  now?: (body: Record<string, any>) => number
}

export function createDatabaseService (store: DocumentStore, opts: DatabaseServiceOptions = {}): DatabaseService {
  const now = opts.now ?? (() => store.now())
  const actions: Record<string, (body: Body, now: number) => Reply> = {
    'database.addCollection' (body) {
      store.addCollection(collectionName(body))
      return {}
    },

    'database.insertDocument' (body, now) {
      const coll = collectionName(body)
      const raw = Array.isArray(body.data) ? body.data : [body.data]
      if (raw.length === 0) throw invalidParam('data must hold at least one document')
      const docs = raw.map((s: unknown, i: number) => parseEJSON(s, `data[${i}]`))
      const insertedIds = store.insert(coll, docs, { txId: txIdOf(body), now })
      return { data: { insertedIds } }
    },

    'database.getDocument' (body, now) {
      const coll = collectionName(body)
      const projection = optionalEJSON(body, 'projection')
      if (isDoc(body)) return { data: { list: store.findByIdTexts(coll, docId(body), projection, txIdOf(body)) } }
      // A where() query in a transaction would need a snapshot of a whole result set; CloudBase allows only
      // single-document operations in transactions (docs/LOCALCLOUD.md, "Transactions"), so refuse it here
      // rather than let code pass locally and fail in the cloud.
      rejectInTransaction(body, 'a where() query')
      let limit = intField(body, 'limit', DEFAULT_LIMIT)
      if (limit === 0) limit = DEFAULT_LIMIT
      const list = store.findTexts(coll, optionalEJSON(body, 'query'), {
        now,
        sort: order(body),
        skip: intField(body, 'offset', 0),
        limit: Math.min(limit, MAX_LIMIT),
        projection
      })
      return { data: { list } }
    },

    'database.calculateDocument' (body, now) {
      rejectInTransaction(body, 'count()')
      const coll = collectionName(body)
      return { data: { total: store.count(coll, optionalEJSON(body, 'query'), { now }) } }
    },

    'database.modifyDocument' (body, now) {
      const coll = collectionName(body)
      const data = optionalEJSON(body, 'data') ?? {}
      const upsert = body.upsert === true
      const txId = txIdOf(body)
      let r
      if (isDoc(body)) {
        const id = docId(body)
        r = body.merge === false
          ? store.replaceById(coll, id, data, { upsert, txId, now })
          : store.updateById(coll, id, data, { upsert, txId, now })
      } else {
        rejectInTransaction(body, 'where().update()')
        if (body.merge === false) throw invalidParam('a replacement (merge:false) needs queryType DOC')
        r = store.update(coll, optionalEJSON(body, 'query') ?? {}, data, { multi: body.multi !== false, upsert, now })
      }
      const reply: Record<string, any> = { updated: r.updated }
      if (r.upsertedId !== undefined) reply.upsert_id = r.upsertedId
      return { data: reply }
    },

    'database.modifyAndReturnDoc' (body, now) {
      rejectInTransaction(body, 'updateAndReturn()')
      const coll = collectionName(body)
      const r = store.updateAndReturn(coll, optionalEJSON(body, 'query') ?? {}, optionalEJSON(body, 'data') ?? {}, { now })
      return { data: r.doc ? { updated: r.updated, doc: encodeDoc(r.doc) } : { updated: 0 } }
    },

    'database.removeDocument' (body, now) {
      const coll = collectionName(body)
      if (isDoc(body)) return { data: { deleted: store.removeById(coll, docId(body), { txId: txIdOf(body) }) } }
      rejectInTransaction(body, 'where().remove()')
      return { data: { deleted: store.remove(coll, optionalEJSON(body, 'query') ?? {}, { multi: body.multi !== false, now }) } }
    },

    'database.aggregateDocuments' (body, now) {
      const coll = collectionName(body)
      if (!Array.isArray(body.stages)) throw invalidParam('stages must be an array')
      const stages: Array<[string, any]> = body.stages.map((s: any, i: number) => {
        if (!isPlainObject(s) || typeof s.stageKey !== 'string') throw invalidParam(`stages[${i}] must be {stageKey, stageValue}`)
        return [s.stageKey, parseEJSON(s.stageValue, `stages[${i}] (${s.stageKey})`)]
      })
      return { data: { list: store.aggregate(coll, stages, { now }).map(encodeDoc) } }
    },

    'database.startTransaction' () {
      // Top level, not under data: the SDK reads res.transactionId (else it loses the id silently; docs/LOCALCLOUD.md, "Transactions").
      return { transactionId: store.startTransaction() }
    },

    'database.commitTransaction' (body) {
      const id = txIdOf(body)
      if (id === undefined) throw invalidParam('transactionId is required')
      store.commitTransaction(id)
      return {}
    },

    'database.abortTransaction' (body) {
      const id = txIdOf(body)
      if (id === undefined) throw invalidParam('transactionId is required')
      store.abortTransaction(id)
      return {}
    }
  }

  return {
    handle (action, body) {
      try {
        const fn = Object.prototype.hasOwnProperty.call(actions, action) ? actions[action] : undefined
        if (!fn) return { code: 'INVALID_PARAM', message: `unknown action ${String(action)}` }
        if (!isPlainObject(body)) return { code: 'INVALID_PARAM', message: 'request body must be a JSON object' }
        return fn(body, now(body))
      } catch (e: any) {
        if (e instanceof DbError) return { code: e.code, message: e.message }
        return { code: 'SYS_ERR', message: `local cloud database error: ${e?.message ?? String(e)}` }
      }
    }
  }
}
