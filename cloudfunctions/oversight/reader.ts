import { db } from '../_server/cloud'
import { allPages, type PagedQuery } from '../_server/paging'

/**
 * Counts what the oversight view reads: every query is one read of at most 100 documents (the cloud's limit per
 * `get`), and aggregations are shaped to return few documents (groups, not rows).
 */
export class Reader {
  queries = 0
  maxDocsPerRead = 0

  private note (n: number): void {
    this.queries++
    this.maxDocsPerRead = Math.max(this.maxDocsPerRead, n)
  }

  async get<T> (query: { get(): unknown }): Promise<T[]> {
    const res = await query.get() as { data: T[] }
    this.note(res.data.length)
    return res.data
  }

  async count (query: { count(): unknown }): Promise<number> {
    const res = await query.count() as { total: number }
    this.note(1)
    return res.total
  }

  /** Runs an aggregation on `collection`; `build` adds the stages. */
  async aggregate<T> (collection: string, build: (a: any) => any): Promise<T[]> {
    // CloudBase returns 20 rows from an aggregation unless told otherwise: every oversight pipeline ends in few
    // groups, and the explicit limit makes sure none is cut off.
    const res = await build(db.collection(collection).aggregate()).limit(100).end() as { list: T[] }
    this.note(res.list.length)
    if (res.list.length > 100) throw new Error(`an oversight aggregation returned ${res.list.length} documents (limit 100)`)
    return res.list
  }

  /** Every document of a query, a page (100) per read. */
  async all<T> (query: PagedQuery): Promise<T[]> {
    return await allPages<T>(query, { read: (q) => this.get<T>(q) })
  }
}
