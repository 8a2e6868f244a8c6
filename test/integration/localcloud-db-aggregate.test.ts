/**
 * Contract of `collection.aggregate()…end()` on the local cloud's document store, through the real wx-server-sdk:
 * $match, $group with the db.command.aggregate accumulators, $project, $addFields, $sort/$skip/$limit, $count,
 * $unwind, $lookup (by fields, or an uncorrelated sub-pipeline), and the errors of unsupported stages (errCode -1, as the SDK reports aggregate failures).
 */
import { connectSdk, startDbServer, type DbServer } from '../support/dbServer'

let srv: DbServer
let db: any
let _: any
let $: any
let orders: any

const at = (d: string): Date => new Date(`${d}T00:00:00Z`)

beforeAll(async () => {
  srv = await startDbServer()
  db = connectSdk(srv.adminUrl).database()
  _ = db.command
  $ = _.aggregate
  await db.createCollection('orders')
  await db.createCollection('users')
  orders = db.collection('orders')
  await orders.add({
    data: [
      { _id: 'o1', user: 'u1', amount: 10, items: ['a', 'b'], status: 'paid', at: at('2024-01-01') },
      { _id: 'o2', user: 'u1', amount: 20, items: ['b'], status: 'paid', at: at('2024-02-01') },
      { _id: 'o3', user: 'u2', amount: 5, items: [], status: 'open', at: at('2024-03-01') },
      { _id: 'o4', user: 'u3', amount: 7, items: ['c'], status: 'paid' }
    ]
  })
  await db.collection('users').add({ data: [{ _id: 'u1', name: 'Ann' }, { _id: 'u2', name: 'Bob' }] })
})

afterAll(async () => {
  await srv.close()
})

test('match + group by a field with every accumulator', async () => {
  const r = await orders.aggregate()
    .match({ status: 'paid' })
    .group({
      _id: '$user',
      total: $.sum('$amount'),
      n: $.sum(1),
      avg: $.avg('$amount'),
      min: $.min('$amount'),
      max: $.max('$amount'),
      ids: $.push('$_id'),
      first: $.first('$_id'),
      last: $.last('$_id'),
      items: $.addToSet('$status')
    })
    .sort({ _id: 1 })
    .end()
  expect(r.list).toEqual([
    { _id: 'u1', total: 30, n: 2, avg: 15, min: 10, max: 20, ids: ['o1', 'o2'], first: 'o1', last: 'o2', items: ['paid'] },
    { _id: 'u3', total: 7, n: 1, avg: 7, min: 7, max: 7, ids: ['o4'], first: 'o4', last: 'o4', items: ['paid'] }
  ])
})

test('group by null and by an object of fields', async () => {
  const all = await orders.aggregate().group({ _id: null, total: $.sum('$amount'), n: $.sum(1) }).end()
  expect(all.list).toEqual([{ _id: null, total: 42, n: 4 }])
  const by = await orders.aggregate()
    .group({ _id: { user: '$user', status: '$status' }, n: $.sum(1) })
    .sort({ '_id.user': 1 })
    .end()
  expect(by.list).toEqual([
    { _id: { user: 'u1', status: 'paid' }, n: 2 },
    { _id: { user: 'u2', status: 'open' }, n: 1 },
    { _id: { user: 'u3', status: 'paid' }, n: 1 }
  ])
})

test('project: inclusion, exclusion, renames and expressions', async () => {
  const inc = await orders.aggregate().match({ _id: 'o1' }).project({ amount: 1, who: '$user', plusOne: $.add(['$amount', 1]) }).end()
  expect(inc.list).toEqual([{ _id: 'o1', amount: 10, who: 'u1', plusOne: 11 }])
  const exc = await orders.aggregate().match({ _id: 'o1' }).project({ items: 0, at: 0, _id: 0 }).end()
  expect(exc.list).toEqual([{ user: 'u1', amount: 10, status: 'paid' }])
  const noId = await orders.aggregate().match({ _id: 'o2' }).project({ _id: 0, user: 1, n: $.size('$items') }).end()
  expect(noId.list).toEqual([{ user: 'u1', n: 1 }])
})

test('addFields, sort, skip, limit and count', async () => {
  const r = await orders.aggregate()
    .addFields({ double: $.multiply(['$amount', 2]) })
    .sort({ amount: -1 })
    .skip(1)
    .limit(2)
    .project({ double: 1 })
    .end()
  expect(r.list).toEqual([{ _id: 'o1', double: 20 }, { _id: 'o4', double: 14 }])
  const c = await orders.aggregate().match({ amount: _.gte(7) }).count('n').end()
  expect(c.list).toEqual([{ n: 3 }])
})

test('unwind: string form and object form with index and preserved empties', async () => {
  const s = await orders.aggregate().unwind('$items').project({ items: 1 }).end()
  expect(s.list).toEqual([
    { _id: 'o1', items: 'a' }, { _id: 'o1', items: 'b' }, { _id: 'o2', items: 'b' }, { _id: 'o4', items: 'c' }
  ])
  const o = await orders.aggregate()
    .match({ user: _.in(['u1', 'u2']) })
    .unwind({ path: '$items', includeArrayIndex: 'i', preserveNullAndEmptyArrays: true })
    .project({ items: 1, i: 1 })
    .end()
  expect(o.list).toEqual([
    { _id: 'o1', items: 'a', i: 0 }, { _id: 'o1', items: 'b', i: 1 }, { _id: 'o2', items: 'b', i: 0 }, { _id: 'o3', i: null }
  ])
  const counted = await orders.aggregate().unwind('$items').group({ _id: '$items', n: $.sum(1) }).sort({ n: -1, _id: 1 }).end()
  expect(counted.list).toEqual([{ _id: 'b', n: 2 }, { _id: 'a', n: 1 }, { _id: 'c', n: 1 }])
})

test('lookup joins by localField / foreignField', async () => {
  const r = await orders.aggregate()
    .match({ status: 'paid' })
    .lookup({ from: 'users', localField: 'user', foreignField: '_id', as: 'buyer' })
    .project({ buyer: 1 })
    .end()
  expect(r.list).toEqual([
    { _id: 'o1', buyer: [{ _id: 'u1', name: 'Ann' }] },
    { _id: 'o2', buyer: [{ _id: 'u1', name: 'Ann' }] },
    { _id: 'o4', buyer: [] }
  ])
})

test('lookup with a pipeline and no let joins the same sub-query to every document', async () => {
  const r = await orders.aggregate()
    .match({ user: 'u1' })
    .lookup({ from: 'users', pipeline: $.pipeline().match({ name: _.neq('Bob') }).project({ name: 1 }).done(), as: 'people' })
    .project({ people: 1 })
    .end()
  expect(r.list).toEqual([
    { _id: 'o1', people: [{ _id: 'u1', name: 'Ann' }] },
    { _id: 'o2', people: [{ _id: 'u1', name: 'Ann' }] }
  ])
  const whole = await orders.aggregate().match({ _id: 'o3' }).lookup({ from: 'users', pipeline: [], as: 'people' }).end()
  expect(whole.list[0].people.map((u: any) => u.name).sort()).toEqual(['Ann', 'Bob'])
})

test('lookup with let is refused, and says so (the local cloud runs sub-queries without let only)', async () => {
  await expect(orders.aggregate().lookup({ from: 'users', let: { u: '$user' }, pipeline: [], as: 'x' }).end())
    .rejects.toMatchObject({ errMsg: expect.stringMatching(/let/) })
})

test('dates survive the pipeline as Date objects and can be grouped by month', async () => {
  const r = await orders.aggregate()
    .match({ at: _.gte(at('2024-02-01')) })
    .project({ at: 1, month: $.month('$at') })
    .sort({ at: 1 })
    .end()
  expect(r.list[0].at).toBeInstanceOf(Date)
  expect(r.list.map((d: any) => [d._id, d.month])).toEqual([['o2', 2], ['o3', 3]])
})

test('an unsupported stage or operator fails with errCode -1 and says why', async () => {
  let e: any
  try {
    await orders.aggregate().bucket({ groupBy: '$amount', boundaries: [0, 10, 100] }).end()
  } catch (err) {
    e = err
  }
  expect(e.errCode).toBe(-1)
  expect(e.errMsg).toContain('$bucket')
  e = undefined
  try {
    await orders.aggregate().group({ _id: null, x: $.stdDevPop('$amount'), y: $.sum($.toUpper('$user')) }).project({ z: $.zip({ inputs: [] }) }).end()
  } catch (err) {
    e = err
  }
  expect(e.errCode).toBe(-1)
  expect(e.errMsg).toContain('$zip')
})

test('aggregate on a collection never created fails', async () => {
  let e: any
  try {
    await db.collection('nowhere').aggregate().match({}).end()
  } catch (err) {
    e = err
  }
  expect(e.errCode).toBe(-1)
  expect(e.code).toBe('DATABASE_COLLECTION_NOT_EXIST')
})
