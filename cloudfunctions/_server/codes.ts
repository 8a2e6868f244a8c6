import crypto from 'node:crypto'
import { AppError, MAX_WRONG_CODES_PER_DAY } from '../../src/domain'
import { _, db, findById, rows } from './cloud'
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
export async function issueCode (kind: CodeDoc['kind'], fields: Record<string, unknown>, expiresAt: Date, createdBy: string, run?: { ref: string, resumed: boolean }): Promise<string> {
  if (run?.resumed) {
    // A retry of a run that issued its code before it crashed: that code is the answer, not a second one.
    const [mine] = await rows<{ code: string }>(db.collection(COLLECTIONS.codes).where({ requestRef: run.ref }).limit(1))
    if (mine) return mine.code
  }
  for (let attempt = 0; attempt < 5; attempt++) {
    const code = String(crypto.randomInt(0, 100_000_000)).padStart(8, '0')
    try {
      await db.collection(COLLECTIONS.codes).add({ data: { _id: `${kind}-${code}`, kind, code, expiresAt, failedTries: 0, usedAt: null, createdBy, createdAt: db.serverDate(), ...(run ? { requestRef: run.ref } : {}), ...fields } })
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

const JUST_USED: Record<CodeDoc['kind'], string> = {
  binding: '这个绑定码刚刚已被使用，请向老师或儿童主任要一个新的',
  invitation: '这个邀请码刚刚已被使用，请管理员重新邀请'
}
const USED_BY_ME: Record<CodeDoc['kind'], string> = {
  binding: '您已经用这个绑定码绑定好了，回首页就能看到孩子',
  invitation: '您已经接受了这个邀请，回首页就能看到新的岗位'
}
/** A code used this recently was taken by someone who pressed at nearly the same time. */
const JUST_MS = 10 * 60_000

/**
 * What a person is told of a code that is already used, or null when it is not: their own use (a second press), a
 * use moments ago (they lost a race for it), or `otherwise` (an old code).
 */
export function usedCodeError (kind: CodeDoc['kind'], code: Pick<CodeDoc, 'usedAt' | 'usedBy'>, openid: string, now: Date, otherwise: AppError): AppError | null {
  if (!code.usedAt) return null
  if (code.usedBy === openid) return new AppError('CONFLICT', USED_BY_ME[kind], { code: USED_BY_ME[kind] })
  if (now.getTime() - new Date(code.usedAt).getTime() < JUST_MS) return new AppError('CONFLICT', JUST_USED[kind], { code: JUST_USED[kind] })
  return otherwise
}

/**
 * Marks a code used, once. One conditional update ("still unused" → used by me) decides: the database applies it to
 * one document atomically, so of any number of people redeeming the same code at the same moment exactly one wins,
 * and no transaction lock makes a loser fail with an internal error. A loser is told plainly that the code was
 * just used (or, pressing twice, that it is theirs already).
 */
export async function claimCode (kind: CodeDoc['kind'], docId: string, openid: string): Promise<void> {
  const res = await db.collection(COLLECTIONS.codes).where({ _id: docId, usedAt: null })
    .update({ data: { usedAt: clock.now(), usedBy: openid } }) as { stats: { updated: number } }
  if (res.stats.updated === 1) return
  const doc = await findById<CodeDoc>(COLLECTIONS.codes, docId)
  throw new AppError('CONFLICT', doc?.usedBy === openid ? USED_BY_ME[kind] : JUST_USED[kind], { code: doc?.usedBy === openid ? USED_BY_ME[kind] : JUST_USED[kind] })
}
