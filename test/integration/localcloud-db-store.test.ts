/**
 * The document store below the wire: indexes (used by the query path, checked with EXPLAIN QUERY PLAN, and giving
 * the same answers as a full scan, arrays included), durability across close/reopen of a file, and handle()
 * never throwing whatever the body.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { EJSON, Long, ObjectId } from 'bson'
import { createDatabaseService, DocumentStore } from '../../localcloud/db'
import { parseEJSONText } from '../../localcloud/db/ejson'
import { connectSdk, startDbServer } from '../support/dbServer'

const INDEX_SEARCH = /SEARCH (c\d+_i\d+ USING PRIMARY KEY|c\d+ USING (COVERING )?INDEX)/
const tmpDirs: string[] = []
function tmpFile (): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chuyan-db-'))
  tmpDirs.push(dir)
  return path.join(dir, 'cloud.sqlite')
}

afterAll(() => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true })
})

describe('indexes', () => {
  let store: DocumentStore
  beforeAll(() => {
    store = new DocumentStore({ file: ':memory:' })
    store.createCollection('big')
    store.ensureIndex('big', ['countyId', 'status'])
    store.ensureIndex('big', ['at'])
    const statuses = ['open', 'done', 'late']
    for (let b = 0; b < 100; b++) {
      const docs: any[] = []
      for (let i = 0; i < 1000; i++) {
        const k = b * 1000 + i
        docs.push({ _id: `d${k}`, countyId: `county${k % 50}`, status: statuses[k % 3], at: new Date(Date.UTC(2024, 0, 1) + k * 60_000), n: k })
      }
      store.insert('big', docs)
    }
  })
  afterAll(() => store.close())

  test('a point read by _id and queries on indexed fields search an index instead of scanning 100k documents', () => {
    const plans = [
      store.explain('big', { _id: 'd123' }),
      store.explain('big', { countyId: 'county7' }),
      store.explain('big', { countyId: 'county7', status: 'open' }),
      store.explain('big', { countyId: { $in: ['county1', 'county2'] } }),
      store.explain('big', { at: { $gte: new Date(Date.UTC(2024, 0, 2)) } }),
      store.explain('big', { $and: [{ countyId: 'county3' }, { n: { $gt: 5 } }] })
    ]
    for (const p of plans) {
      // Either the _id index or one of the collection's index tables (c<n>_i<m>, keyed by the indexed values).
      expect(p).toMatch(INDEX_SEARCH)
      expect(p).not.toMatch(/SCAN "?c\d+"?( |$)/m)
    }
    // An unindexed field has no choice but to scan.
    expect(store.explain('big', { n: 5 })).toMatch(/SCAN/)
  })

  test('indexed queries give the right documents', () => {
    expect(store.find('big', { _id: 'd99999' }).map((d) => d.n)).toEqual([99999])
    const hits = store.find('big', { countyId: 'county7', status: 'open' })
    expect(hits.length).toBe(667)
    expect(hits.every((d) => d.countyId === 'county7' && d.status === 'open')).toBe(true)
    expect(store.count('big', { at: { $lt: new Date(Date.UTC(2024, 0, 1, 0, 10)) } })).toBe(10)
    expect(store.find('big', { countyId: { $in: ['county1', 'county2'] } }, { sort: { n: -1 }, limit: 2 }).map((d) => d._id)).toEqual(['d99952', 'd99951'])
  })

  test('a range sorted by its indexed field with a limit gives the first documents in order, either way', () => {
    const from = new Date(Date.UTC(2024, 0, 1) + 500 * 60_000)
    expect(store.find('big', { at: { $gte: from } }, { sort: { at: 1 }, limit: 3 }).map((d) => d.n)).toEqual([500, 501, 502])
    expect(store.find('big', { at: { $lt: from } }, { sort: { at: -1 }, limit: 2 }).map((d) => d.n)).toEqual([499, 498])
    expect(store.find('big', { at: { $gte: from }, status: 'late' }, { sort: { at: 1 }, limit: 2 }).map((d) => d.n)).toEqual([500, 503])
  })

  test('index maintenance follows updates and removes', () => {
    store.updateById('big', 'd5', { $set: { countyId: 'moved' } })
    expect(store.find('big', { countyId: 'moved' }).map((d) => d._id)).toEqual(['d5'])
    expect(store.find('big', { countyId: 'county5', n: 5 })).toEqual([])
    store.removeById('big', 'd5')
    expect(store.find('big', { countyId: 'moved' })).toEqual([])
  })
})

describe('indexed and unindexed collections answer alike', () => {
  const docs = [
    { _id: 1, tags: ['a', 'b'], v: 5, s: 'x', d: new Date(1000), o: { k: 1 } },
    { _id: 2, tags: [], v: '5', s: 'y', d: new Date(2000), o: { k: [1, 2] } },
    { _id: 3, tags: 'a', v: true, s: null, o: [{ k: 3 }, { k: 1 }] },
    { _id: 4, v: 1, s: 'x', d: 3000, o: null },
    { _id: 5, tags: [['a']], v: [1, 7], s: ['x', 'z'], d: new Date(500) },
    { _id: 6, tags: ['c'], v: 10, s: 'X', o: { k: 'x' } }
  ]
  const queries: any[] = [
    { tags: 'a' }, { tags: { $in: ['b', 'c'] } }, { tags: null }, { tags: { $size: 0 } }, { tags: ['a'] },
    { v: 5 }, { v: { $gt: 4 } }, { v: { $lt: 2 } }, { v: { $gte: 1, $lte: 5 } }, { v: true }, { v: 1 }, { v: '5' }, { v: { $in: [7, '5'] } },
    { s: 'x' }, { s: { $gt: 'x' } }, { s: null }, { s: { $lte: 'X' } },
    { d: { $gt: new Date(900) } }, { d: 3000 }, { d: { $lt: new Date(2500) } }, { d: { $gt: new Date(600), $lte: new Date(2000) } },
    { v: { $gt: 2, $lt: 6 } },
    { 'o.k': 1 }, { 'o.k': { $gt: 1 } }, { 'o.k': null }, { 'o.k': 'x' },
    { $and: [{ tags: 'a' }, { v: { $gt: 0 } }] }, { tags: 'a', s: 'x' }
  ]
  let plain: DocumentStore
  let indexed: DocumentStore
  beforeAll(() => {
    plain = new DocumentStore({ file: ':memory:' })
    indexed = new DocumentStore({ file: ':memory:' })
    for (const s of [plain, indexed]) s.createCollection('c')
    for (const f of ['tags', 'v', 's', 'd', 'o.k']) indexed.ensureIndex('c', [f])
    indexed.ensureIndex('c', ['tags', 's'])
    plain.insert('c', docs)
    indexed.insert('c', docs)
  })
  afterAll(() => {
    plain.close()
    indexed.close()
  })

  test.each(queries.map((q) => [JSON.stringify(q), q]))('%s', (_label, q) => {
    const a = plain.find('c', q).map((d) => d._id)
    const b = indexed.find('c', q).map((d) => d._id)
    expect(b).toEqual(a)
  })

  // Sorted by the ranged field with a limit: read in the index's order where no document has an array there (d);
  // where one does (v: [1, 7] sorts by 1, under a range that only 7 meets), sorted as the database sorts.
  test.each([
    [{ d: { $gt: new Date(600) } }, { d: 1 }], [{ d: { $lt: new Date(2500) } }, { d: -1 }],
    [{ v: { $gt: 4 } }, { v: 1 }], [{ v: { $gte: 1 } }, { v: -1 }]
  ].map(([q, sort]) => [JSON.stringify([q, sort]), q, sort]))('sorted, limited %s', (_label, q, sort) => {
    const a = plain.find('c', q, { sort, limit: 2 }).map((d) => d._id)
    const b = indexed.find('c', q, { sort, limit: 2 }).map((d) => d._id)
    expect(b).toEqual(a)
  })

  test('two array fields in one compound index are refused, as MongoDB does', () => {
    expect(() => indexed.insert('c', { _id: 9, tags: ['a', 'b'], s: ['x', 'y'] })).toThrow(/parallel arrays/)
    expect(indexed.findById('c', 9)).toBeNull()
  })
})

describe('durability', () => {
  test('data, dates and indexes survive closing and reopening the file', async () => {
    const file = tmpFile()
    const srv = await startDbServer({ file })
    const db = connectSdk(srv.adminUrl).database()
    await db.createCollection('kept')
    srv.store.ensureIndex('kept', ['g'])
    const at = new Date('2024-05-06T07:08:09.010Z')
    await db.collection('kept').add({ data: [{ _id: 'a', g: 1, at }, { _id: 'b', g: 2 }] })
    await db.collection('kept').doc('b').update({ data: { g: 3, list: db.command.push('x') } })
    await db.collection('kept').doc('a').remove()
    await srv.close() // closes the store

    const reopened = new DocumentStore({ file })
    try {
      expect(reopened.hasCollection('kept')).toBe(true)
      expect(reopened.listIndexes('kept')).toEqual([['g']])
      expect(reopened.find('kept')).toEqual([{ _id: 'b', g: 3, list: ['x'] }])
      expect(reopened.explain('kept', { g: 3 })).toMatch(INDEX_SEARCH)
      reopened.insert('kept', { _id: 'c', at })
      expect(reopened.findById('kept', 'c')?.at).toEqual(at)
    } finally {
      reopened.close()
    }
    const again = new DocumentStore({ file })
    try {
      expect(again.count('kept')).toBe(2)
      expect(again.findById('kept', 'c')?.at).toBeInstanceOf(Date)
    } finally {
      again.close()
    }
  })

  test('a file store runs in WAL mode', () => {
    const file = tmpFile()
    const s = new DocumentStore({ file })
    s.createCollection('x')
    s.insert('x', { a: 1 })
    s.close()
    expect(fs.readFileSync(file).subarray(18, 20)).toEqual(Buffer.from([2, 2])) // header bytes 18-19: WAL
  })
})

describe('request EJSON', () => {
  test('the fast request parser gives exactly what EJSON.parse (relaxed) gives', () => {
    const values: any[] = [
      { a: 1, b: -5, c: 1.5, d: NaN, e: Infinity, f: -Infinity, g: 2 ** 40, h: -(2 ** 60), i: null, j: 'x', k: true },
      { at: new Date(0), neg: new Date(-86400000), far: new Date('9999-12-31T23:59:59.999Z'), list: [new Date(5), { d: new Date(6) }] },
      { q: { $gt: 5, $in: [1, 'a', new Date(7)] }, $and: [{ x: { $exists: true } }], re: /ab+c/i },
      { s: { $tcb_server_date: { offset: 1000 } }, $set: { 'a.b': 1 }, $push: { arr: { $each: [1, 2], $position: 0 } } },
      { oid: new ObjectId('5f1b2c3d4e5f6a7b8c9d0e1f'), long: Long.fromString('9007199254740993') },
      [1, 2, { $numberInt: 'x' }], 7, 'text', null
    ]
    for (const v of values) {
      const text = EJSON.stringify(v, { relaxed: false })
      expect(parseEJSONText(text)).toEqual(EJSON.parse(text, { relaxed: true }))
    }
    for (const text of ['{"$date":"2024-01-02T03:04:05.006Z"}', '{"$date":1704164645006}', '{"$undefined":true}', '{"a":{"$numberInt":null}}',
      '{"$regex":"x","$options":"i"}', '{"$numberLong":"123456789012345678"}']) {
      expect(parseEJSONText(text)).toEqual(EJSON.parse(text, { relaxed: true }))
    }
  })
})

describe('handle() never throws', () => {
  test('odd bodies get error replies', () => {
    const store = new DocumentStore({ file: ':memory:' })
    const svc = createDatabaseService(store)
    store.createCollection('c')
    const bodies: Array<[string, any]> = [
      ['database.getDocument', null],
      ['database.getDocument', 'text'],
      ['database.getDocument', {}],
      ['database.getDocument', { collectionName: 5 }],
      ['database.getDocument', { collectionName: 'c', queryType: 'DOC' }],
      ['database.getDocument', { collectionName: 'c', queryType: 'DOC', query: '{"_id":{"a":1}}' }],
      ['database.getDocument', { collectionName: 'c', queryType: 'ODD' }],
      ['database.getDocument', { collectionName: 'c', limit: -1 }],
      ['database.getDocument', { collectionName: 'c', order: '{"a":"sideways"}' }],
      ['database.insertDocument', { collectionName: 'c', data: [] }],
      ['database.insertDocument', { collectionName: 'c', data: ['[1,2]'] }],
      ['database.insertDocument', { collectionName: 'c', data: ['{"_id":{"x":1}}'] }],
      ['database.modifyDocument', { collectionName: 'c', queryType: 'DOC', query: '{"_id":"x"}', data: '{"$inc":{"a":"one"}}' }],
      ['database.modifyDocument', { collectionName: 'c', queryType: 'DOC', query: '{"_id":"x"}', data: '{"$set":{"_id":"y"}}' }],
      ['database.aggregateDocuments', { collectionName: 'c', stages: 'nope' }],
      ['database.aggregateDocuments', { collectionName: 'c', stages: [{ stageKey: '$limit', stageValue: '-3' }] }],
      ['database.commitTransaction', {}],
      ['database.commitTransaction', { transactionId: 'tx-unknown' }],
      ['database.addCollection', { collectionName: '../../etc' }],
      ['database.nope', {}]
    ]
    for (const [action, body] of bodies) {
      const r = svc.handle(action, body)
      expect(typeof r.code).toBe('string')
      expect(typeof r.message).toBe('string')
    }
    expect(svc.handle('database.commitTransaction', { transactionId: 'tx-unknown' }).code).toBe('DATABASE_TRANSACTION_CONFLICT')
    // updateAndReturn (database.modifyAndReturnDoc) answers the document as it is after the update.
    store.insert('c', [{ _id: 'r1', n: 1, g: 'x' }, { _id: 'r2', n: 1, g: 'y' }])
    const r = svc.handle('database.modifyAndReturnDoc', { collectionName: 'c', queryType: 'WHERE', query: '{"g":"y"}', data: '{"$inc":{"n":{"$numberInt":"2"}}}' })
    expect(r.data.updated).toBe(1)
    expect(EJSON.parse(r.data.doc)).toEqual({ _id: 'r2', n: 3, g: 'y' })
    expect(svc.handle('database.abortTransaction', { transactionId: 'tx-unknown' })).toEqual({})
    store.close()
  })
})
