import { rows } from './cloud'

/** What paging needs of a query: an SDK query (`collection`, `where`, `field`, `orderBy`), whose methods return new queries. */
export interface PagedQuery {
  orderBy (field: string, order: 'asc' | 'desc'): PagedQuery
  skip (n: number): PagedQuery
  limit (n: number): PagedQuery
  get (): unknown
}

/** Documents per read: what a server-side `get` returns unless told otherwise. */
const PAGE_SIZE = 100

/**
 * Every document a query matches. One `get` returns at most 100 documents (1000 when asked), so a read that can match
 * more must page, or it silently cuts the list (docs/ARCHITECTURE.md, "Cloud functions"). Pages follow the query's own
 * order, then `_id`, so none is read twice or missed; every page is read before the caller writes anything, so a
 * caller that changes what the query matches does not shift the pages under itself. `max` stops early where the
 * caller sets a bound (an export's size); `read` lets a caller count its reads.
 */
export async function allPages<T> (query: PagedQuery, { max = Infinity, read = rows }: { max?: number, read?: (q: PagedQuery) => Promise<T[]> } = {}): Promise<T[]> {
  const ordered = query.orderBy('_id', 'asc')
  const out: T[] = []
  for (let skip = 0; out.length < max; skip += PAGE_SIZE) {
    const want = Math.min(PAGE_SIZE, max - out.length)
    const page = await read(ordered.skip(skip).limit(want))
    out.push(...page)
    if (page.length < want) break
  }
  return out
}

/** A list cut into pieces of at most one page, e.g. ids for `_.in` reads of one page each. */
export function pieces<T> (all: readonly T[], size = PAGE_SIZE): T[][] {
  const out: T[][] = []
  for (let i = 0; i < all.length; i += size) out.push(all.slice(i, i + size))
  return out
}
