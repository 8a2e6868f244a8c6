/** Reading every document of a query when one read returns at most a page (100). */
import { allPages, pieces, type PagedQuery } from '../../cloudfunctions/_server/paging'

/** A query over `docs` that behaves as the SDK's: immutable, ordered by the fields given, a read returns at most 100. */
function fakeQuery (docs: Array<{ _id: string, n: number }>, reads: Array<{ order: string[], skip: number, limit: number }>, opts: { order?: string[], skip?: number, limit?: number } = {}): PagedQuery {
  const order = opts.order ?? []
  return {
    orderBy: (field) => fakeQuery(docs, reads, { ...opts, order: [...order.filter((f) => f !== field), field] }),
    skip: (skip) => fakeQuery(docs, reads, { ...opts, skip }),
    limit: (limit) => fakeQuery(docs, reads, { ...opts, limit }),
    get: async () => {
      const limit = Math.min(opts.limit ?? 100, 100)
      reads.push({ order, skip: opts.skip ?? 0, limit })
      const sorted = [...docs].sort((a, b) => {
        for (const f of order) {
          const x = (a as any)[f]
          const y = (b as any)[f]
          if (x !== y) return x < y ? -1 : 1
        }
        return 0
      })
      return { data: sorted.slice(opts.skip ?? 0, (opts.skip ?? 0) + limit) }
    }
  }
}

const docs = (count: number) => Array.from({ length: count }, (_x, i) => ({ _id: `d${String(count - i).padStart(4, '0')}`, n: i % 7 }))

describe('allPages', () => {
  it('reads every document of a query longer than one read returns, a page per read, none twice', async () => {
    const reads: any[] = []
    const all = await allPages<{ _id: string }>(fakeQuery(docs(250), reads))
    expect(all).toHaveLength(250)
    expect(new Set(all.map((d) => d._id)).size).toBe(250)
    expect(reads.map((r) => [r.skip, r.limit])).toEqual([[0, 100], [100, 100], [200, 100]])
  })

  it('stops after a short page, and reads once more after a full last page to learn it was the last', async () => {
    const reads: any[] = []
    expect(await allPages(fakeQuery(docs(200), reads))).toHaveLength(200)
    expect(reads).toHaveLength(3)
    const few: any[] = []
    expect(await allPages(fakeQuery(docs(3), few))).toHaveLength(3)
    expect(few).toHaveLength(1)
  })

  it('keeps the query\'s own order and breaks its ties by _id, so pages neither overlap nor leave gaps', async () => {
    const reads: any[] = []
    const all = await allPages<{ _id: string, n: number }>(fakeQuery(docs(230), reads).orderBy('n', 'asc'))
    expect(reads[0].order).toEqual(['n', '_id'])
    const expected = [...docs(230)].sort((a, b) => a.n - b.n || (a._id < b._id ? -1 : 1)).map((d) => d._id)
    expect(all.map((d) => d._id)).toEqual(expected)
  })

  it('stops at max where the caller sets a bound', async () => {
    const reads: any[] = []
    expect(await allPages(fakeQuery(docs(500), reads), { max: 150 })).toHaveLength(150)
    expect(reads.map((r) => r.limit)).toEqual([100, 50])
  })

  it('reads through the caller\'s own reader when given one (to count reads)', async () => {
    let counted = 0
    const all = await allPages<{ _id: string }>(fakeQuery(docs(120), []), { read: async (q) => { counted++; return ((await q.get()) as { data: Array<{ _id: string }> }).data } })
    expect(all).toHaveLength(120)
    expect(counted).toBe(2)
  })
})

describe('pieces', () => {
  it('cuts a list into pieces of at most a page', () => {
    expect(pieces(Array.from({ length: 250 }, (_x, i) => i)).map((p) => p.length)).toEqual([100, 100, 50])
    expect(pieces([])).toEqual([])
    expect(pieces([1, 2, 3], 2)).toEqual([[1, 2], [3]])
  })
})
