import crypto from 'node:crypto'
import { AppError, MAX_WRONG_CODES_PER_DAY } from '../../src/domain'
import { _, db, findById } from './cloud'
import { COLLECTIONS } from './collections'
import { isDuplicate } from './idempotency'
import type { Caller } from './caller'
import * as clock from './clock'

export interface CodeDoc {
  _id: string
  kind: 'binding' | 'invitation'
  code: string
  expiresAt: Date
  failedTries: number
  usedAt?: Date | null
  usedBy?: string
  createdBy: string
  [k: string]: unknown
}

/**
 * Stores a new one-time code under a deterministic `_id` (`<kind>-<code>`), drawing again on the rare clash:
 * the `add` of an existing `_id` fails, so two live codes can never share digits.
 */
export async function issueCode (kind: CodeDoc['kind'], fields: Record<string, unknown>, expiresAt: Date, createdBy: string): Promise<string> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const code = String(crypto.randomInt(0, 100_000_000)).padStart(8, '0')
    try {
      await db.collection(COLLECTIONS.codes).add({ data: { _id: `${kind}-${code}`, kind, code, expiresAt, failedTries: 0, usedAt: null, createdBy, createdAt: db.serverDate(), ...fields } })
      return code
    } catch (err) {
      if (!isDuplicate(err)) throw err
    }
  }
  throw new AppError('INTERNAL', '生成码失败，请再试一次')
}

/** Counts a wrong code against the caller for today; refuses once the day's allowance is used. */
export async function checkCodeAllowance (caller: Caller, today: string): Promise<void> {
  const doc = await findById<{ wrong: number }>(COLLECTIONS.limits, `codes:${caller.openid}:${today}`)
  if (doc && doc.wrong >= MAX_WRONG_CODES_PER_DAY) throw new AppError('FORBIDDEN', '今天输错的次数太多了，请明天再试，或请老师、儿童主任帮忙')
}

export async function countWrongCode (caller: Caller, today: string): Promise<void> {
  const _id = `codes:${caller.openid}:${today}`
  const col = db.collection(COLLECTIONS.limits)
  const res = await col.doc(_id).update({ data: { wrong: _.inc(1) } }) as { stats?: { updated?: number } }
  if (res?.stats?.updated) return
  try {
    await col.add({ data: { _id, wrong: 1 } })
  } catch (err) {
    if (!isDuplicate(err)) throw err
    await col.doc(_id).update({ data: { wrong: _.inc(1) } })
  }
}

/**
 * Marks a code used, once: inside a transaction the code is read and written as one document, so two people
 * redeeming the same code at the same moment get one success and one "already used".
 */
export async function claimCode (docId: string, openid: string): Promise<boolean> {
  return await db.runTransaction(async (t: any) => {
    const doc = (await t.collection(COLLECTIONS.codes).doc(docId).get()).data as CodeDoc
    if (doc.usedAt) return false
    await t.collection(COLLECTIONS.codes).doc(docId).update({ data: { usedAt: clock.now(), usedBy: openid } })
    return true
  }) as boolean
}
