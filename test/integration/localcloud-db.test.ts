/**
 * Contract of the local cloud's document store, through the REAL wx-server-sdk: collections, add/get/set/update/
 * remove, where queries with every query command, ordering and paging, projections, update commands, dates and
 * serverDate, and the error codes the SDK reports (docs/LOCALCLOUD.md, "Values", "Errors").
 */
import { connectSdk, startDbServer, type DbServer } from '../support/dbServer'

let srv: DbServer
let db: any
let _: any
let n = 0

/** A fresh, created collection per test. */
async function fresh (docs: any[] = []): Promise<any> {
  const name = `c${++n}`
  await db.createCollection(name)
  if (docs.length) await db.collection(name).add({ data: docs })
  return db.collection(name)
}

const ids = (r: { data: any[] }): string[] => r.data.map((d) => d._id).sort()

async function rejection (p: Promise<unknown>): Promise<any> {
  try {
    await p
  } catch (e) {
    return e
  }
  throw new Error('expected a rejection')
}

beforeAll(async () => {
  srv = await startDbServer()
  db = connectSdk(srv.adminUrl).database()
  _ = db.command
})

afterAll(async () => {
  await srv.close()
})

describe('collections', () => {
  test('a collection exists once created; creating it again fails like the cloud (errCode -1)', async () => {
    await db.createCollection('made')
    await db.collection('made').add({ data: { a: 1 } })
    const e = await rejection(db.createCollection('made'))
    expect(e.errCode).toBe(-1)
    expect(e.code).toBe('DATABASE_COLLECTION_ALREADY_EXIST')
    expect((await db.collection('made').count()).total).toBe(1)
  })

  test('reading or writing a collection never created fails with -502005', async () => {
    const c = db.collection('never')
    for (const p of [c.get(), c.add({ data: { a: 1 } }), c.count(), c.doc('x').get(), c.doc('x').set({ data: { a: 1 } }),
      c.doc('x').update({ data: { a: 1 } }), c.doc('x').remove(), c.where({ a: 1 }).update({ data: { b: 1 } }), c.where({ a: 1 }).remove()]) {
      const e = await rejection(p)
      expect(e.errCode).toBe(-502005)
    }
  })
})

describe('add', () => {
  test('without _id the server generates a 32-hex id; with _id it is kept', async () => {
    const c = await fresh()
    const r1 = await c.add({ data: { name: 'a' } })
    expect(r1._id).toMatch(/^[0-9a-f]{32}$/)
    const r2 = await c.add({ data: { _id: 'mine', name: 'b' } })
    expect(r2._id).toBe('mine')
    expect((await c.doc(r1._id).get()).data).toEqual({ _id: r1._id, name: 'a' })
    expect((await c.doc('mine').get()).data).toEqual({ _id: 'mine', name: 'b' })
  })

  test('a duplicate _id fails with -502001 and an E11000 message naming the key', async () => {
    const c = await fresh([{ _id: 'x', v: 1 }])
    const e = await rejection(c.add({ data: { _id: 'x', v: 2 } }))
    expect(e.errCode).toBe(-502001)
    expect(e.errMsg).toContain('E11000 duplicate key')
    expect(e.errMsg).toContain('dup key: { _id: "x" }')
    expect((await c.doc('x').get()).data.v).toBe(1)
  })

  test('add of an array inserts all and returns their ids; a duplicate inside inserts none', async () => {
    const c = await fresh()
    const r = await c.add({ data: [{ _id: 'a', i: 1 }, { i: 2 }] })
    expect(r._ids).toHaveLength(2)
    expect(r._ids[0]).toBe('a')
    expect((await c.count()).total).toBe(2)
    const e = await rejection(c.add({ data: [{ _id: 'b' }, { _id: 'a' }] }))
    expect(e.errCode).toBe(-502001)
    expect((await c.count()).total).toBe(2)
  })

  test('numeric and string _ids are different documents', async () => {
    const c = await fresh()
    await c.doc(7).set({ data: { kind: 'number' } })
    await c.doc('7').set({ data: { kind: 'string' } })
    expect((await c.doc(7).get()).data).toEqual({ _id: 7, kind: 'number' })
    expect((await c.doc('7').get()).data).toEqual({ _id: '7', kind: 'string' })
  })
})

describe('doc()', () => {
  test('get of a missing document rejects (errCode -1, "does not exist")', async () => {
    const c = await fresh()
    const e = await rejection(c.doc('nope').get())
    expect(e.errCode).toBe(-1)
    expect(e.errMsg).toContain('does not exist')
  })

  test('set replaces the whole document, and creates it when missing (created: 1)', async () => {
    const c = await fresh([{ _id: 'd', a: 1, b: { c: 2 } }])
    const r1 = await c.doc('d').set({ data: { z: 9 } })
    expect(r1.stats).toEqual({ updated: 1, created: 0 })
    expect((await c.doc('d').get()).data).toEqual({ _id: 'd', z: 9 })
    const r2 = await c.doc('new').set({ data: { fresh: true } })
    expect(r2.stats).toEqual({ updated: 0, created: 1 })
    expect(r2._id).toBe('new')
    expect((await c.doc('new').get()).data).toEqual({ _id: 'new', fresh: true })
  })

  test('update merges nested objects, reports updated 1, and 0 for no change or a missing doc', async () => {
    const c = await fresh([{ _id: 'd', sub: { x: 1 }, n: 1 }])
    expect((await c.doc('d').update({ data: { sub: { y: 2 }, n: 2 } })).stats.updated).toBe(1)
    expect((await c.doc('d').get()).data).toEqual({ _id: 'd', sub: { x: 1, y: 2 }, n: 2 })
    expect((await c.doc('d').update({ data: { n: 2 } })).stats.updated).toBe(0)
    expect((await c.doc('missing').update({ data: { n: 1 } })).stats.updated).toBe(0)
    expect((await c.count()).total).toBe(1)
  })

  test('an empty update is accepted', async () => {
    const c = await fresh([{ _id: 'd', n: 1 }])
    const r = await c.doc('d').update({ data: { e: {} } })
    expect(r.stats.updated).toBe(0)
    expect(srv.requests[srv.requests.length - 1].data).toBe('{}')
    expect((await c.doc('d').get()).data).toEqual({ _id: 'd', n: 1 })
  })

  test('remove deletes the document (removed 1), then 0', async () => {
    const c = await fresh([{ _id: 'd' }, { _id: 'e' }])
    expect((await c.doc('d').remove()).stats.removed).toBe(1)
    expect((await rejection(c.doc('d').get())).errCode).toBe(-1)
    expect((await c.doc('d').remove()).stats.removed).toBe(0)
    expect((await c.count()).total).toBe(1)
  })

  test('field() on doc().get projects', async () => {
    const c = await fresh([{ _id: 'd', a: 1, b: 2, s: { x: 1, y: 2 } }])
    expect((await c.doc('d').field({ a: true, 's.y': true }).get()).data).toEqual({ _id: 'd', a: 1, s: { y: 2 } })
  })
})

describe('where()', () => {
  test('get / count / update / remove over the matching documents', async () => {
    const c = await fresh([{ _id: '1', g: 'a', v: 1 }, { _id: '2', g: 'a', v: 2 }, { _id: '3', g: 'b', v: 3 }])
    expect(ids(await c.where({ g: 'a' }).get())).toEqual(['1', '2'])
    expect((await c.where({ g: 'a' }).count()).total).toBe(2)
    expect((await c.where({ g: 'a' }).update({ data: { v: _.inc(10) } })).stats.updated).toBe(2)
    expect((await c.where({ v: _.gt(10) }).get()).data.map((d: any) => d.v).sort()).toEqual([11, 12])
    expect((await c.where({ g: 'a' }).remove()).stats.removed).toBe(2)
    expect(ids(await c.get())).toEqual(['3'])
  })

  test('orderBy on several keys and dot paths, skip and limit', async () => {
    const c = await fresh([
      { _id: 'a', k: 2, s: { t: 'x' } }, { _id: 'b', k: 1, s: { t: 'y' } }, { _id: 'c', k: 2, s: { t: 'a' } }, { _id: 'd', k: 1, s: { t: 'z' } }
    ])
    const r = await c.orderBy('k', 'desc').orderBy('s.t', 'asc').get()
    expect(r.data.map((d: any) => d._id)).toEqual(['c', 'a', 'b', 'd'])
    const page = await c.orderBy('s.t', 'asc').skip(1).limit(2).get()
    expect(page.data.map((d: any) => d._id)).toEqual(['a', 'b'])
    expect((await c.orderBy('s.t', 'desc').limit(1).get()).data.map((d: any) => d._id)).toEqual(['d'])
  })

  test('a get returns 100 documents unless a limit is set, and never more than 1000', async () => {
    const c = await fresh()
    const docs = Array.from({ length: 1100 }, (_x, i) => ({ i }))
    for (let i = 0; i < docs.length; i += 500) await c.add({ data: docs.slice(i, i + 500) })
    expect((await c.get()).data).toHaveLength(100)
    expect((await c.limit(1000).get()).data).toHaveLength(1000)
    expect((await c.skip(1000).limit(1000).get()).data).toHaveLength(100)
    // A client that asks the server directly for more still gets at most 1000.
    const raw = srv.store
    const reply = await fetch(`${srv.adminUrl}?env=test`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'database.getDocument', collectionName: c.collectionName, queryType: 'WHERE', limit: 5000 })
    }).then(async (r) => await r.json())
    expect(reply.data.list).toHaveLength(1000)
    expect(raw.count(c.collectionName)).toBe(1100)
  })

  test('field(): inclusion, exclusion, dot paths; _id kept unless excluded', async () => {
    const c = await fresh([{ _id: 'p', a: 1, b: 2, s: { x: 1, y: 2 }, arr: [{ k: 1, v: 2 }, { k: 3, v: 4 }] }])
    expect((await c.field({ a: true }).get()).data).toEqual([{ _id: 'p', a: 1 }])
    expect((await c.field({ a: false, 's.x': false }).get()).data).toEqual([{ _id: 'p', b: 2, s: { y: 2 }, arr: [{ k: 1, v: 2 }, { k: 3, v: 4 }] }])
    expect((await c.field({ 's.y': true, 'arr.k': true, _id: false }).get()).data).toEqual([{ s: { y: 2 }, arr: [{ k: 1 }, { k: 3 }] }])
    expect((await c.field({ _id: false }).get()).data).toEqual([{ a: 1, b: 2, s: { x: 1, y: 2 }, arr: [{ k: 1, v: 2 }, { k: 3, v: 4 }] }])
    expect((await c.field({ arr: _.project.slice(1), a: true }).get()).data).toEqual([{ _id: 'p', a: 1, arr: [{ k: 1, v: 2 }] }])
    // (The SDK does not encode commands inside project.elemMatch, so only literal conditions work there.)
    expect((await c.field({ arr: _.project.elemMatch({ k: 3 }), b: true }).get()).data).toEqual([{ _id: 'p', b: 2, arr: [{ k: 3, v: 4 }] }])
  })
})

describe('query commands', () => {
  let c: any
  beforeAll(async () => {
    c = await fresh([
      { _id: 'p1', name: 'Ann', age: 30, tags: ['a', 'b'], addr: { city: 'Wuhan', zip: '430000' }, scores: [{ s: 80, k: 'math' }, { s: 95, k: 'art' }], born: new Date('1994-05-01T00:00:00Z'), nick: null },
      { _id: 'p2', name: 'bob', age: 17, tags: ['b'], addr: { city: 'Beijing' }, scores: [{ s: 60, k: 'math' }], born: new Date('2007-01-01T00:00:00Z') },
      { _id: 'p3', name: 'Cid', age: '30', tags: [], addr: { city: 'wuhan' } },
      { _id: 'p4', name: 'Dee', age: 45, tags: ['c', 'a', 'd'], born: new Date('1979-02-02T00:00:00Z'), extra: 5 }
    ])
  })
  const q = async (where: any): Promise<string[]> => ids(await c.where(where).get())

  test('eq / neq compare within one type (30 is not "30")', async () => {
    expect(await q({ age: 30 })).toEqual(['p1'])
    expect(await q({ age: _.eq('30') })).toEqual(['p3'])
    expect(await q({ age: _.neq(30) })).toEqual(['p2', 'p3', 'p4'])
  })

  test('gt / gte / lt / lte: numbers with numbers, strings with strings, dates with dates', async () => {
    expect(await q({ age: _.gt(17) })).toEqual(['p1', 'p4'])
    expect(await q({ age: _.gte(17) })).toEqual(['p1', 'p2', 'p4'])
    expect(await q({ age: _.lt(30) })).toEqual(['p2'])
    expect(await q({ age: _.lte(30) })).toEqual(['p1', 'p2'])
    expect(await q({ name: _.gt('a') })).toEqual(['p2'])
    expect(await q({ age: _.gte('0') })).toEqual(['p3'])
    expect(await q({ born: _.gt(new Date('1990-01-01T00:00:00Z')) })).toEqual(['p1', 'p2'])
    expect(await q({ born: _.lte(new Date('1979-02-02T00:00:00Z')) })).toEqual(['p4'])
  })

  test('in / nin', async () => {
    expect(await q({ name: _.in(['Ann', 'Dee', 'nobody']) })).toEqual(['p1', 'p4'])
    expect(await q({ name: _.nin(['Ann']) })).toEqual(['p2', 'p3', 'p4'])
    expect(await q({ tags: _.in(['d', 'zz']) })).toEqual(['p4'])
  })

  test('and / or / nor / not', async () => {
    expect(await q({ age: _.gt(10).and(_.lt(40)) })).toEqual(['p1', 'p2'])
    expect(await q(_.or([{ age: 45 }, { name: 'bob' }]))).toEqual(['p2', 'p4'])
    expect(await q(_.and([{ tags: 'a' }, { age: _.gt(40) }]))).toEqual(['p4'])
    expect(await q(_.nor([{ age: 45 }, { name: 'bob' }]))).toEqual(['p1', 'p3'])
    expect(await q({ age: _.not(_.gt(20)) })).toEqual(['p2', 'p3'])
    expect(await q({ age: _.gt(40).or(_.lt(18)) })).toEqual(['p2', 'p4'])
  })

  test('exists / size / all / elemMatch / mod', async () => {
    expect(await q({ extra: _.exists(true) })).toEqual(['p4'])
    expect(await q({ nick: _.exists(true) })).toEqual(['p1'])
    expect(await q({ nick: _.exists(false) })).toEqual(['p2', 'p3', 'p4'])
    expect(await q({ tags: _.size(0) })).toEqual(['p3'])
    expect(await q({ tags: _.size(3) })).toEqual(['p4'])
    expect(await q({ tags: _.all(['a', 'b']) })).toEqual(['p1'])
    expect(await q({ tags: _.all(['a']) })).toEqual(['p1', 'p4'])
    expect(await q({ scores: _.elemMatch({ s: _.gt(90), k: 'art' }) })).toEqual(['p1'])
    expect(await q({ scores: _.elemMatch({ s: _.lt(70), k: 'art' }) })).toEqual([])
    expect(await q({ age: _.mod(15, 0) })).toEqual(['p1', 'p4'])
  })

  test('regular expressions: /x/i literals and db.RegExp', async () => {
    expect(await q({ name: /^b/i })).toEqual(['p2'])
    expect(await q({ name: /^B/ })).toEqual([])
    expect(await q({ name: db.RegExp({ regexp: '^c', options: 'i' }) })).toEqual(['p3'])
    expect(await q({ 'addr.city': /^wu/i })).toEqual(['p1', 'p3'])
  })

  test('nested fields, dot paths, array elements and index paths', async () => {
    expect(await q({ addr: { city: 'Wuhan' } })).toEqual(['p1'])
    expect(await q({ 'addr.city': 'Beijing' })).toEqual(['p2'])
    expect(await q({ tags: 'a' })).toEqual(['p1', 'p4'])
    expect(await q({ 'tags.0': 'c' })).toEqual(['p4'])
    expect(await q({ 'scores.0.k': 'math' })).toEqual(['p1', 'p2'])
    expect(await q({ 'scores.s': 60 })).toEqual(['p2'])
    expect(await q({ 'scores.s': _.gt(90) })).toEqual(['p1'])
    expect(await q({ tags: ['a', 'b'] })).toEqual(['p1'])
  })

  test('null matches null and missing fields', async () => {
    expect(await q({ nick: null })).toEqual(['p1', 'p2', 'p3', 'p4'])
    expect(await q({ nick: _.neq(null) })).toEqual([])
    expect(await q({ extra: _.eq(null) })).toEqual(['p1', 'p2', 'p3'])
  })

  test('db.command.expr is refused with INVALID_PARAM (-501007)', async () => {
    const $ = _.aggregate
    const e = await rejection(c.where(_.expr($.gt(['$age', 20]))).get())
    expect(e.errCode).toBe(-501007)
    expect(e.errMsg).toContain('$expr')
  })
})

describe('update commands', () => {
  const base = {
    _id: 'u', n: 5, f: 1.5, s: { a: 1, b: 2 }, arr: [1, 2, 3], nums: [5, 1, 4], objs: [{ k: 'a', v: 1 }, { k: 'b', v: 2 }],
    set: ['x'], old: 'o', gone: true
  }
  let c: any
  beforeEach(async () => {
    c = await fresh([base])
  })
  const doc = async (): Promise<any> => (await c.doc('u').get()).data
  const upd = async (data: any): Promise<any> => await c.doc('u').update({ data })

  test('set replaces a whole field; a plain object merges', async () => {
    await upd({ s: _.set({ c: 3 }) })
    expect((await doc()).s).toEqual({ c: 3 })
    await upd({ s: { d: 4 } })
    expect((await doc()).s).toEqual({ c: 3, d: 4 })
  })

  test('remove, inc, mul, min, max, rename', async () => {
    await upd({ gone: _.remove(), n: _.inc(-2), f: _.mul(2), old: _.rename('renamed') })
    await upd({ s: { a: _.max(10), b: _.min(0) } })
    const d = await doc()
    expect(d).not.toHaveProperty('gone')
    expect(d).not.toHaveProperty('old')
    expect(d.renamed).toBe('o')
    expect(d.n).toBe(3)
    expect(d.f).toBe(3)
    expect(d.s).toEqual({ a: 10, b: 0 })
    await upd({ s: { a: _.max(1), b: _.min(5) } })
    expect((await doc()).s).toEqual({ a: 10, b: 0 })
  })

  test('inc of a missing field sets it; inc of a non-number fails with -502001', async () => {
    await upd({ counter: _.inc(1) })
    expect((await doc()).counter).toBe(1)
    const e = await rejection(upd({ old: _.inc(1) }))
    expect(e.errCode).toBe(-502001)
    expect((await doc()).old).toBe('o')
  })

  test('push: values, arrays, position, sort and slice', async () => {
    await upd({ arr: _.push(4) })
    await upd({ arr: _.push([5, 6]) })
    await upd({ arr: _.push({ each: [0], position: 0 }) })
    expect((await doc()).arr).toEqual([0, 1, 2, 3, 4, 5, 6])
    await upd({ nums: _.push({ each: [3, 9], sort: 1, slice: 3 }) })
    expect((await doc()).nums).toEqual([1, 3, 4])
    await upd({ objs: _.push({ each: [{ k: 'c', v: 0 }], sort: { v: -1 } }) })
    expect((await doc()).objs.map((o: any) => o.k)).toEqual(['b', 'a', 'c'])
    await upd({ fresh: _.push('x') })
    expect((await doc()).fresh).toEqual(['x'])
  })

  test('pull (value or condition), pullAll, addToSet, pop, shift, unshift', async () => {
    await upd({ arr: _.pull(2) })
    expect((await doc()).arr).toEqual([1, 3])
    await upd({ nums: _.pull(_.gt(3)) })
    expect((await doc()).nums).toEqual([1])
    await upd({ objs: _.pull({ k: 'a' }) })
    expect((await doc()).objs).toEqual([{ k: 'b', v: 2 }])
    await upd({ arr: _.pullAll([1, 7]) })
    expect((await doc()).arr).toEqual([3])
    await upd({ set: _.addToSet('x') })
    await upd({ set: _.addToSet('y') })
    // As the CloudBase docs write it: several values go in {$each: [...]}.
    await upd({ arr: _.addToSet({ $each: [3, 4, 4] }) })
    let d = await doc()
    expect(d.set).toEqual(['x', 'y'])
    expect(d.arr).toEqual([3, 4])
    await upd({ arr: _.unshift([1, 2]) })
    expect((await doc()).arr).toEqual([1, 2, 3, 4])
    await upd({ arr: _.pop() })
    await upd({ set: _.shift() })
    d = await doc()
    expect(d.arr).toEqual([1, 2, 3])
    expect(d.set).toEqual(['y'])
  })

  test('dot paths create intermediate objects; index paths reach array elements', async () => {
    await upd({ 'deep.a.b': 1, objs: { 1: { v: 20 } } })
    await upd({ 'arr.0': 100 })
    const d = await doc()
    expect(d.deep).toEqual({ a: { b: 1 } })
    expect(d.objs[1]).toEqual({ k: 'b', v: 20 })
    expect(d.arr).toEqual([100, 2, 3])
  })

  test('two operators on one path are refused (-502001)', async () => {
    const e = await rejection(upd({ s: _.set({ z: 1 }), 's.a': _.inc(1) }))
    expect(e.errCode).toBe(-502001)
  })
})

describe('dates and serverDate', () => {
  test('Dates round-trip as Date objects, at any depth', async () => {
    const c = await fresh()
    const d = new Date('2024-01-02T03:04:05.006Z')
    await c.add({ data: { _id: 'd', at: d, list: [d, { at: d }], old: new Date(-1000) } })
    const got = (await c.doc('d').get()).data
    expect(got.at).toBeInstanceOf(Date)
    expect(got.at.getTime()).toBe(d.getTime())
    expect(got.list[0]).toBeInstanceOf(Date)
    expect(got.list[1].at.getTime()).toBe(d.getTime())
    expect(got.old.getTime()).toBe(-1000)
    expect((await c.get()).data[0].at).toBeInstanceOf(Date)
  })

  test('serverDate() becomes the server time plus offset, in add, update and queries', async () => {
    const c = await fresh()
    const before = Date.now()
    await c.add({ data: { _id: 's', at: db.serverDate(), later: db.serverDate({ offset: 60_000 }), nested: { at: db.serverDate() } } })
    const after = Date.now()
    let got = (await c.doc('s').get()).data
    expect(got.at).toBeInstanceOf(Date)
    expect(got.at.getTime()).toBeGreaterThanOrEqual(before)
    expect(got.at.getTime()).toBeLessThanOrEqual(after)
    expect(got.later.getTime() - got.at.getTime()).toBeGreaterThanOrEqual(59_000)
    expect(got.nested.at).toBeInstanceOf(Date)
    await c.doc('s').update({ data: { touched: db.serverDate() } })
    got = (await c.doc('s').get()).data
    expect(got.touched).toBeInstanceOf(Date)
    expect(ids(await c.where({ later: _.gt(db.serverDate()) }).get())).toEqual(['s'])
    expect(ids(await c.where({ later: _.gt(db.serverDate({ offset: 120_000 })) }).get())).toEqual([])
  })

  test('orderBy a date field orders by time', async () => {
    const c = await fresh([{ _id: 'b', t: new Date(2000) }, { _id: 'a', t: new Date(1000) }, { _id: 'c', t: new Date(3000) }])
    expect((await c.orderBy('t', 'asc').get()).data.map((d: any) => d._id)).toEqual(['a', 'b', 'c'])
  })
})

describe('malformed requests', () => {
  const post = async (body: any): Promise<any> => await fetch(`${srv.adminUrl}?env=test`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body)
  }).then(async (r) => await r.json())

  test('malformed EJSON is INVALID_PARAM naming the field', async () => {
    await db.createCollection('bad')
    const r = await post({ action: 'database.getDocument', collectionName: 'bad', queryType: 'WHERE', query: '{"a":' })
    expect(r.code).toBe('INVALID_PARAM')
    expect(r.message).toContain('query')
    const r2 = await post({ action: 'database.insertDocument', collectionName: 'bad', data: ['{"a":1}', 'nope'] })
    expect(r2.code).toBe('INVALID_PARAM')
    expect(r2.message).toContain('data[1]')
    expect((await db.collection('bad').count()).total).toBe(0)
  })

  test('unknown actions and operators are refused', async () => {
    expect(await post({ action: 'database.dropEverything' })).toEqual({ code: 'INVALID_PARAM', message: 'unknown action database.dropEverything' })
    const r = await post({ action: 'database.getDocument', collectionName: 'bad', queryType: 'WHERE', query: '{"a":{"$bogus":1}}' })
    expect(r.code).toBe('DATABASE_INVALID_OPERRATOR')
    const r2 = await post({ action: 'database.modifyDocument', collectionName: 'bad', queryType: 'WHERE', query: '{}', data: '{"$bogus":{"a":1}}' })
    expect(r2.code).toBe('DATABASE_INVALID_OPERRATOR')
  })

  test('a document over the size limit is INVALID_PARAM', async () => {
    const c = await fresh()
    const e = await rejection(c.add({ data: { big: 'x'.repeat(1024 * 1024 + 1) } }))
    expect(e.errCode).toBe(-501007)
    expect(e.errMsg).toContain('maximum size')
  })

  test('field names starting with $ or holding a dot are refused', async () => {
    const r = await post({ action: 'database.insertDocument', collectionName: 'bad', data: ['{"a":{"$x":1}}'] })
    expect(r.code).toBe('INVALID_PARAM')
    const r2 = await post({ action: 'database.insertDocument', collectionName: 'bad', data: ['{"a.b":1}'] })
    expect(r2.code).toBe('INVALID_PARAM')
  })
})
