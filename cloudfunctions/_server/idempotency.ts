import crypto from 'node:crypto'
import { AppError } from '../../src/domain'
import { _, db, findById } from './cloud'
import { COLLECTIONS } from './collections'
import type { Caller } from './caller'
import * as clock from './clock'

/**
 * How long a claimed key stays "in progress": the function's own timeout (its config.json `timeout`, which the
 * bundler writes into each function as CHUYAN_FUNCTION_TIMEOUT_S). Past it the run that claimed the key is gone
 * (WeChat cloud and the local cloud both stop an invocation at its timeout), so a retry may take the key over.
 */
export const LEASE_MS = Number(process.env.CHUYAN_FUNCTION_TIMEOUT_S || 60) * 1000

/** What a run under a key knows: a stable reference for the ids it writes, and whether an earlier run may have begun. */
export interface OnceRun {
  /** The same for every run under this key (and only this key): name the documents the run creates after it. */
  ref: string
  /** An earlier run under this key claimed it and never finished: what it wrote may be there, find it before writing. */
  resumed: boolean
}

interface KeyDoc<T> { _id: string, state: 'running' | 'done', attempt?: number, leaseUntil?: Date, at?: Date, result?: T }

/**
 * Runs a write at most once per idempotency key (docs/ARCHITECTURE.md, "Idempotency"). The first request claims the
 * key with a deterministic `_id` (an `add` of an existing `_id` fails) as a lease of the function's timeout, runs, and
 * stores its result; a retry gets the stored result instead of a second write. A retry while the lease runs is told to
 * wait. A lease that ran out (the run crashed or timed out, perhaps after writing) is taken over by the next retry,
 * which runs again with `resumed` set: the work finds what the earlier run committed by the ids it derived from `ref`
 * and answers with it, or does it afresh, never twice. A run that fails drops its own claim, so the person can retry.
 */
export async function once<T> (caller: Caller, scope: string, key: string, run: (r: OnceRun) => Promise<T>, recall?: Recall<T>): Promise<T> {
  const _id = `${scope}:${caller.openid}:${key}`
  const ref = crypto.createHash('sha256').update(_id).digest('hex').slice(0, 20)
  const claim = await claimKey<T>(_id, clock.now(), recall && (async () => await recall.find(ref)))
  if ('result' in claim) return claim.result
  const col = db.collection(COLLECTIONS.idempotency)
  try {
    const result = await run({ ref, resumed: claim.attempt > 1 })
    // A result the run's own documents keep (a booking under an id from `ref`) is found there again: not stored twice.
    if (!recall?.keeps(result)) await col.where({ _id, attempt: claim.attempt }).update({ data: { state: 'done', result: result as any } })
    return result
  } catch (err) {
    await col.where({ _id, attempt: claim.attempt, state: 'running' }).remove()
    throw err
  }
}

/**
 * A result the run writes as a document of its own (under an id derived from `ref`), so the key need not store it:
 * `keeps` says which results those are, `find` reads one back for a retry. The key of such a run stays "running"; a
 * retry finds the result before it looks at the lease (docs/ARCHITECTURE.md, "Idempotency").
 */
export interface Recall<T> {
  keeps: (result: T) => boolean
  find: (ref: string) => Promise<T | undefined>
}

/** Claims the key: a fresh claim (attempt 1), a lapsed lease taken over (attempt n + 1), or the stored (or recalled) result. */
async function claimKey<T> (_id: string, now: Date, recall?: () => Promise<T | undefined>): Promise<{ attempt: number } | { result: T }> {
  const col = db.collection(COLLECTIONS.idempotency)
  const leaseUntil = new Date(now.getTime() + LEASE_MS)
  for (let tries = 0; tries < 3; tries++) {
    try {
      await col.add({ data: { _id, state: 'running', attempt: 1, leaseUntil, at: now } })
      return { attempt: 1 }
    } catch (err) {
      if (!isDuplicate(err)) throw err
    }
    const prior = await findById<KeyDoc<T>>(COLLECTIONS.idempotency, _id)
    if (!prior) continue // dropped by a run that failed just now: claim it afresh
    if (prior.state === 'done') return { result: prior.result as T }
    const recalled = await recall?.()
    if (recalled !== undefined) return { result: recalled }
    const until = prior.leaseUntil ? new Date(prior.leaseUntil) : new Date(new Date(prior.at ?? 0).getTime() + LEASE_MS)
    if (until.getTime() > now.getTime()) throw new AppError('CONFLICT', '上一次提交还在处理中，请稍等几秒再看')
    // The lease ran out: whoever moves the attempt on first runs it again.
    const attempt = (prior.attempt ?? 1) + 1
    const res = await col.where({ _id, state: 'running', attempt: prior.attempt ?? _.exists(false) })
      .update({ data: { attempt, leaseUntil } }) as { stats: { updated: number } }
    if (res.stats.updated === 1) return { attempt }
  }
  throw new AppError('CONFLICT', '上一次提交还在处理中，请稍等几秒再看')
}

/** A write refused because the `_id` exists (how CloudBase enforces uniqueness). */
export function isDuplicate (err: unknown): boolean {
  const e = err as { errMsg?: string, message?: string }
  return /duplicate|E11000|exist/i.test(`${e?.errMsg ?? ''} ${e?.message ?? ''}`)
}

/**
 * Adds a document under an id derived from the run's `ref`; when a resumed run finds it there already (the earlier
 * run committed it), answers with what is stored instead of writing again.
 */
export async function addOrFind<T extends { _id: string }> (collection: string, doc: T): Promise<T> {
  try {
    await db.collection(collection).add({ data: doc })
    return doc
  } catch (err) {
    if (!isDuplicate(err)) throw err
    const stored = await findById<T>(collection, doc._id)
    if (!stored) throw err
    return stored
  }
}
