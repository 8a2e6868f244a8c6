import { AppError } from '../../src/domain'
import { db, findById, removeDoc } from './cloud'
import { COLLECTIONS } from './collections'
import type { Caller } from './caller'

/**
 * Runs a write at most once per idempotency key: the first request claims the key with a deterministic `_id`
 * (an `add` of an existing `_id` fails), runs, and stores its result; a retry with the same key gets the stored
 * result instead of a second write. A retry that arrives while the first is still running is told to wait.
 * If the write fails, the claim is dropped so that the person can try again (docs/ARCHITECTURE.md, "Idempotency").
 */
export async function once<T> (caller: Caller, scope: string, key: string, run: () => Promise<T>): Promise<T> {
  const _id = `${scope}:${caller.openid}:${key}`
  const col = db.collection(COLLECTIONS.idempotency)
  try {
    await col.add({ data: { _id, state: 'running', at: db.serverDate() } })
  } catch (err) {
    if (!isDuplicate(err)) throw err
    const prior = await findById<{ state: string, result?: T }>(COLLECTIONS.idempotency, _id)
    if (prior?.state === 'done') return prior.result as T
    throw new AppError('CONFLICT', '上一次提交还在处理中，请稍等几秒再看')
  }
  try {
    const result = await run()
    await col.doc(_id).update({ data: { state: 'done', result: result as any } })
    return result
  } catch (err) {
    await removeDoc(COLLECTIONS.idempotency, _id)
    throw err
  }
}

/** A write refused because the `_id` exists (how CloudBase enforces uniqueness). */
export function isDuplicate (err: unknown): boolean {
  const e = err as { errMsg?: string, message?: string }
  return /duplicate|E11000|exist/i.test(`${e?.errMsg ?? ''} ${e?.message ?? ''}`)
}
