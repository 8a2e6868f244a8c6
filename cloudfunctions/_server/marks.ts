import { db, findById } from './cloud'
import * as clock from './clock'
import { COLLECTIONS } from './collections'
import { isDuplicate } from './idempotency'

/**
 * Marks that a timer did something once: a reminder sent, a week nudged, a day's job run (collection `notices`,
 * deterministic `_id`s). An `add` of an existing `_id` fails, so two runs at once claim a mark once
 * (docs/ARCHITECTURE.md, "Timers").
 */

/** Claims a mark; false when it was already claimed (by an earlier or a simultaneous run). */
export async function claimMark (id: string, fields: Record<string, unknown> = {}): Promise<boolean> {
  try {
    await db.collection(COLLECTIONS.notices).add({ data: { _id: id, at: clock.now(), ...fields } })
    return true
  } catch (err) {
    if (isDuplicate(err)) return false
    throw err
  }
}

/** True when a mark was claimed. */
export async function hasMark (id: string): Promise<boolean> {
  return (await findById(COLLECTIONS.notices, id)) !== null
}

/** A job that works through many documents claims its mark `running` and marks it `done` at the end. */
export async function markDone (id: string): Promise<void> {
  await db.collection(COLLECTIONS.notices).doc(id).update({ data: { state: 'done' } })
}

/** True when such a job finished (a run that stopped half-way leaves its mark `running`, and the next run goes on). */
export async function isMarkDone (id: string): Promise<boolean> {
  return (await findById<{ state?: string }>(COLLECTIONS.notices, id))?.state === 'done'
}
