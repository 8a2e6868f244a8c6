import { _, db, findById, rows } from './cloud'
import * as clock from './clock'
import { COLLECTIONS } from './collections'
import { isDuplicate } from './idempotency'
import { allPages } from './paging'

/**
 * Marks that a timer did something once: a reminder sent, a week nudged, a day's job run (collection `notices`,
 * deterministic `_id`s). An `add` of an existing `_id` fails, so two runs at once claim a mark once
 * (docs/ARCHITECTURE.md, "Timers").
 */

/**
 * The marks one scheduler run reads at its start, in one request (present, with their state, or absent), so the
 * jobs' "done today?" checks cost nothing more; null outside such a run. One instance serves one invocation at a
 * time, so this belongs to that run alone. A mark another run claims meanwhile is found when claimed (the add fails).
 */
let readAhead: Map<string, { state?: string } | null> | null = null

/** Reads these marks for the run that starts now; `forgetMarksRead` when it ends. */
export async function readMarksAhead (ids: readonly string[]): Promise<void> {
  const unique = [...new Set(ids)]
  const found = unique.length === 0 ? [] : await rows<{ _id: string, state?: string }>(db.collection(COLLECTIONS.notices).where({ _id: _.in(unique) }).field({ state: true }).limit(unique.length))
  readAhead = new Map(unique.map((id) => [id, null]))
  for (const m of found) readAhead.set(m._id, { state: m.state })
}

/**
 * Reads these marks too, in one request, for the run under way (a job about to claim many marks, most of them
 * claimed a minute ago); outside a run it does nothing.
 */
export async function readMoreMarks (ids: readonly string[]): Promise<void> {
  const ahead = readAhead
  if (!ahead) return
  const unknown = [...new Set(ids)].filter((id) => !ahead.has(id))
  if (unknown.length === 0) return
  const found = await allPages<{ _id: string, state?: string }>(db.collection(COLLECTIONS.notices).where({ _id: _.in(unknown) }).field({ state: true }))
  for (const id of unknown) if (!ahead.has(id)) ahead.set(id, null)
  for (const m of found) ahead.set(m._id, { state: m.state })
}

export function forgetMarksRead (): void {
  readAhead = null
}

/** Claims a mark; false when it was already claimed (by an earlier or a simultaneous run). */
export async function claimMark (id: string, fields: Record<string, unknown> = {}): Promise<boolean> {
  if (readAhead?.get(id)) return false
  try {
    await db.collection(COLLECTIONS.notices).add({ data: { _id: id, at: clock.now(), ...fields } })
    readAhead?.set(id, { state: typeof fields.state === 'string' ? fields.state : undefined })
    return true
  } catch (err) {
    if (isDuplicate(err)) {
      readAhead?.delete(id)
      return false
    }
    throw err
  }
}

/** True when a mark was claimed. */
export async function hasMark (id: string): Promise<boolean> {
  if (readAhead?.has(id)) return readAhead.get(id) !== null
  return (await findById(COLLECTIONS.notices, id)) !== null
}

/** A job that works through many documents claims its mark `running` and marks it `done` at the end. */
export async function markDone (id: string): Promise<void> {
  await db.collection(COLLECTIONS.notices).doc(id).update({ data: { state: 'done' } })
  readAhead?.set(id, { state: 'done' })
}

/** True when such a job finished (a run that stopped half-way leaves its mark `running`, and the next run goes on). */
export async function isMarkDone (id: string): Promise<boolean> {
  if (readAhead?.has(id)) return readAhead.get(id)?.state === 'done'
  return (await findById<{ state?: string }>(COLLECTIONS.notices, id))?.state === 'done'
}
