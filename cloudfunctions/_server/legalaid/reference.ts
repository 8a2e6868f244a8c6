/** 申请编号: a short running number per year that an applicant can read out on the phone (2026-0007). */
import { shanghaiWall } from '../../../src/domain'
import { db } from '../cloud'
import { COLLECTIONS } from '../collections'
import { isDuplicate } from '../idempotency'

/**
 * The next reference of the year `now` falls in (Shanghai). The counter is one document, read and written in one
 * transaction (single-document operations only, docs/ARCHITECTURE.md "Cloud functions"), so two requests at the
 * same moment get two numbers. A number may be skipped when a submission fails after taking it; none is given twice.
 */
export async function nextReference (now: Date): Promise<string> {
  const year = shanghaiWall(now).year()
  const _id = `legalaid-ref:${year}`
  try {
    await db.collection(COLLECTIONS.counters).add({ data: { _id, n: 0 } })
  } catch (err) {
    if (!isDuplicate(err)) throw err
  }
  const n = await db.runTransaction(async (t: any) => {
    const doc = (await t.collection(COLLECTIONS.counters).doc(_id).get()).data as { n: number }
    await t.collection(COLLECTIONS.counters).doc(_id).update({ data: { n: doc.n + 1 } })
    return doc.n + 1
  }) as number
  return `${year}-${String(n).padStart(4, '0')}`
}
