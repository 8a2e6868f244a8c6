/** 申请编号: a short running number per year that an applicant can read out on the phone (2026-0007). */
import { shanghaiWall } from '../../../src/domain'
import { db, findById } from '../cloud'
import { COLLECTIONS } from '../collections'
import { isDuplicate } from '../idempotency'

/** The counter of the year `now` falls in (Shanghai): a caller may read it with its first read and pass it on. */
export function referenceCounterId (now: Date): string {
  return `legalaid-ref:${shanghaiWall(now).year()}`
}

/**
 * The next reference of the year `now` falls in (Shanghai). The counter is one document moved on by compare-and-set:
 * read n, then update it to n + 1 only where it still reads n; when someone moved it on meanwhile, read again. So two
 * requests at the same moment get two numbers, in two round trips each when nobody competes (a transaction takes four
 * or five); the year's first request creates it. A number may be skipped when a submission fails after taking it;
 * none is given twice.
 */
export async function nextReference (now: Date, known?: { n: number } | null): Promise<string> {
  const year = shanghaiWall(now).year()
  const _id = referenceCounterId(now)
  const col = db.collection(COLLECTIONS.counters)
  for (let tries = 0; tries < 20; tries++) {
    // The counter as the caller read it (joined onto its first read), then as it reads now.
    const counter = tries === 0 && known !== undefined ? known : await findById<{ n: number }>(COLLECTIONS.counters, _id)
    if (!counter) {
      try {
        await col.add({ data: { _id, n: 1 } })
        return `${year}-0001`
      } catch (err) {
        if (!isDuplicate(err)) throw err // someone else created it just now: move it on
        continue
      }
    }
    const res = await col.where({ _id, n: counter.n }).update({ data: { n: counter.n + 1 } }) as { stats: { updated: number } }
    if (res.stats.updated === 1) return `${year}-${String(counter.n + 1).padStart(4, '0')}`
  }
  throw new Error('the reference counter could not be moved on')
}
