/**
 * Transactions of the local cloud's document store through the real wx-server-sdk (docs/LOCALCLOUD.md, "Transactions"):
 * buffered writes applied at commit, snapshot reads, rollback, write locks between open transactions,
 * first-committer-wins conflicts that db.runTransaction retries, timeouts, and what is refused in a transaction.
 */
import { connectSdk, startDbServer, type DbServer } from '../support/dbServer'

let srv: DbServer
let db: any
let _: any
let n = 0

async function fresh (docs: any[] = []): Promise<{ name: string, c: any }> {
  const name = `t${++n}`
  await db.createCollection(name)
  if (docs.length) await db.collection(name).add({ data: docs })
  return { name, c: db.collection(name) }
}

async function rejection (p: Promise<unknown>): Promise<any> {
  try {
    await p
  } catch (e) {
    return e
  }
  throw new Error('expected a rejection')
}

const isConflict = (e: any): boolean => e?.code === 'DATABASE_TRANSACTION_CONFLICT' || (e?.errCode === -501001 && String(e?.errMsg).includes('transaction'))

beforeAll(async () => {
  srv = await startDbServer({ txTimeoutMs: 1500 })
  db = connectSdk(srv.adminUrl).database()
  _ = db.command
})

afterAll(async () => {
  await srv.close()
})

test('startTransaction replies a top-level transactionId', async () => {
  const r = await fetch(`${srv.adminUrl}?env=test`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action: 'database.startTransaction' })
  }).then(async (x) => await x.json())
  expect(typeof r.transactionId).toBe('string')
  expect(r.data).toBeUndefined()
  srv.store.abortTransaction(r.transactionId)
})

test('writes are invisible outside until commit, visible inside at once, and applied together', async () => {
  const { name, c } = await fresh([{ _id: 'a', v: 1 }, { _id: 'b', v: 1 }, { _id: 'gone', v: 1 }])
  const t = await db.startTransaction()
  const tc = t.collection(name)
  await tc.doc('a').update({ data: { v: _.inc(1) } })
  await tc.doc('b').set({ data: { v: 10 } })
  await tc.doc('gone').remove()
  await tc.add({ data: { _id: 'new', v: 0 } })
  expect((await tc.doc('a').get()).data).toEqual({ _id: 'a', v: 2 })
  expect((await tc.doc('new').get()).data).toEqual({ _id: 'new', v: 0 })
  // A document missing from the transaction's view is a rejected get, as outside (SDK behaviour).
  expect((await rejection(tc.doc('gone').get())).errCode).toBe(-1)
  // Outside: nothing yet.
  expect((await c.doc('a').get()).data.v).toBe(1)
  expect((await c.doc('gone').get()).data.v).toBe(1)
  expect((await rejection(c.doc('new').get())).errCode).toBe(-1)
  await t.commit()
  expect((await c.doc('a').get()).data.v).toBe(2)
  expect((await c.doc('b').get()).data).toEqual({ _id: 'b', v: 10 })
  expect((await c.doc('new').get()).data.v).toBe(0)
  expect((await rejection(c.doc('gone').get())).errCode).toBe(-1)
})

test('reads in a transaction are snapshot reads', async () => {
  const { name, c } = await fresh([{ _id: 'a', v: 1 }, { _id: 'b', v: 1 }])
  const t = await db.startTransaction()
  await c.doc('a').update({ data: { v: 2 } }) // committed outside after the transaction started
  await c.doc('b').remove()
  await c.add({ data: { _id: 'c', v: 1 } })
  const tc = t.collection(name)
  expect((await tc.doc('a').get()).data.v).toBe(1)
  expect((await tc.doc('b').get()).data).toEqual({ _id: 'b', v: 1 })
  expect((await rejection(tc.doc('c').get())).errCode).toBe(-1)
  await t.commit() // read-only: nothing to conflict with
  expect((await c.doc('a').get()).data.v).toBe(2)
})

test('rollback discards the writes', async () => {
  const { name, c } = await fresh([{ _id: 'a', v: 1 }])
  const t = await db.startTransaction()
  await t.collection(name).doc('a').update({ data: { v: 5 } })
  await t.rollback()
  expect((await c.doc('a').get()).data.v).toBe(1)
  const e = await rejection(t.collection(name).doc('a').get())
  expect(isConflict(e)).toBe(true)
})

test('runTransaction commits and resolves with the callback value; a throw rolls back', async () => {
  const { name, c } = await fresh([{ _id: 'acc', balance: 100 }, { _id: 'acc2', balance: 0 }])
  const open = srv.store.openTransactions()
  const r = await db.runTransaction(async (t: any) => {
    const from = (await t.collection(name).doc('acc').get()).data
    await t.collection(name).doc('acc').update({ data: { balance: _.inc(-30) } })
    await t.collection(name).doc('acc2').update({ data: { balance: _.inc(30) } })
    return from.balance - 30
  })
  expect(r).toBe(70)
  expect((await c.doc('acc').get()).data.balance).toBe(70)
  expect((await c.doc('acc2').get()).data.balance).toBe(30)
  const e = await rejection(db.runTransaction(async (t: any) => {
    await t.collection(name).doc('acc').update({ data: { balance: 0 } })
    throw new Error('changed my mind')
  }))
  expect(e.message).toBe('changed my mind')
  expect((await c.doc('acc').get()).data.balance).toBe(70)
  expect(srv.store.openTransactions()).toBe(open)
})

test('two open transactions writing one document: the second write conflicts (-501001), the first wins', async () => {
  const { name, c } = await fresh([{ _id: 'x', v: 0 }])
  const t1 = await db.startTransaction()
  const t2 = await db.startTransaction()
  await t1.collection(name).doc('x').update({ data: { v: 1 } })
  const e = await rejection(t2.collection(name).doc('x').update({ data: { v: 2 } }))
  expect(e.errCode).toBe(-501001)
  expect(e.errMsg).toContain('another open transaction')
  await t1.commit()
  expect((await c.doc('x').get()).data.v).toBe(1)
  // The conflicting transaction is gone.
  expect(isConflict(await rejection(t2.commit()))).toBe(true)
})

test('a document changed since the snapshot makes commit fail with DATABASE_TRANSACTION_CONFLICT, and runTransaction retries', async () => {
  const { name, c } = await fresh([{ _id: 'x', v: 0 }])
  let attempts = 0
  const r = await db.runTransaction(async (t: any) => {
    attempts++
    const cur = (await t.collection(name).doc('x').get()).data.v
    if (attempts === 1) await c.doc('x').update({ data: { v: _.inc(100) } }) // someone else writes meanwhile
    await t.collection(name).doc('x').update({ data: { v: cur + 1 } })
    return cur + 1
  })
  expect(attempts).toBe(2)
  expect(r).toBe(101)
  expect((await c.doc('x').get()).data.v).toBe(101)

  // Without retries left, the conflict reaches the caller with its code.
  const e = await rejection(db.runTransaction(async (t: any) => {
    await t.collection(name).doc('x').update({ data: { v: _.inc(1) } })
    await c.doc('x').update({ data: { v: _.inc(1) } })
  }, 0))
  expect(e.code).toBe('DATABASE_TRANSACTION_CONFLICT')
  expect((await c.doc('x').get()).data.v).toBe(102)
})

test('20 concurrent runTransaction increments: no update is lost, conflicts are reported', async () => {
  const { name, c } = await fresh([{ _id: 'counter', n: 0 }])
  const open = srv.store.openTransactions()
  const inc = async (): Promise<void> => await db.runTransaction(async (t: any) => {
    const cur = (await t.collection(name).doc('counter').get()).data.n
    await t.collection(name).doc('counter').update({ data: { n: cur + 1 } })
  })
  const results = await Promise.allSettled(Array.from({ length: 20 }, inc))
  const ok = results.filter((r) => r.status === 'fulfilled').length
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')
  expect(ok).toBeGreaterThanOrEqual(1)
  for (const f of failed) expect(isConflict(f.reason)).toBe(true)
  expect((await c.doc('counter').get()).data.n).toBe(ok)

  // Callers that retry on conflict get all 20 through.
  await c.doc('counter').set({ data: { n: 0 } })
  const retrying = async (): Promise<void> => {
    for (;;) {
      try {
        return await inc()
      } catch (e) {
        if (!isConflict(e)) throw e
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5))
      }
    }
  }
  await Promise.all(Array.from({ length: 20 }, retrying))
  expect((await c.doc('counter').get()).data.n).toBe(20)
  expect(srv.store.openTransactions()).toBe(open)
})

test('add of an existing _id in a transaction fails with -502001', async () => {
  const { name } = await fresh([{ _id: 'x' }])
  const t = await db.startTransaction()
  const e = await rejection(t.collection(name).add({ data: { _id: 'x' } }))
  expect(e.errCode).toBe(-502001)
  expect(e.errMsg).toContain('E11000')
  await t.rollback()
})

test('only single-document operations: where().get in a transaction is refused (-501007)', async () => {
  const { name } = await fresh([{ _id: 'x', g: 1 }])
  const t = await db.startTransaction()
  const e = await rejection(t.collection(name).where({ g: 1 }).get())
  expect(e.errCode).toBe(-501007)
  expect(e.errMsg).toContain('single-document')
  await t.rollback()
})

test('an idle transaction times out: its locks are released and its commit conflicts', async () => {
  const { name, c } = await fresh([{ _id: 'x', v: 0 }])
  const t = await db.startTransaction()
  await t.collection(name).doc('x').update({ data: { v: 1 } })
  await new Promise((resolve) => setTimeout(resolve, 1700))
  const t2 = await db.startTransaction()
  await t2.collection(name).doc('x').update({ data: { v: 2 } })
  await t2.commit()
  expect(isConflict(await rejection(t.commit()))).toBe(true)
  expect((await c.doc('x').get()).data.v).toBe(2)
})
