import crypto from 'node:crypto'
import { GENESIS, brokenAt, canonical, type ChainEntry } from '../../src/domain'

const sha = (s: string) => crypto.createHash('sha256').update(s).digest('hex')
function chain (datas: Array<Record<string, unknown>>): ChainEntry[] {
  const out: ChainEntry[] = []
  let prev = GENESIS
  datas.forEach((data, seq) => {
    const base = { seq, at: `2026-11-29T0${seq}:00:00.000Z`, kind: 'note', by: 'u', data, prevHash: prev }
    const e = { ...base, hash: sha(canonical(base)) }
    out.push(e)
    prev = e.hash
  })
  return out
}

describe('the hash chain of a report', () => {
  it('holds for entries as written, whatever order they are read in', () => {
    const c = chain([{ a: 1 }, { b: [2, 3] }, { c: { y: 1, x: 2 } }])
    expect(brokenAt(c, sha)).toBeNull()
    expect(brokenAt([...c].reverse(), sha)).toBeNull()
  })
  it('hashes nested keys in a fixed order', () => {
    const base = { seq: 0, at: 't', kind: 'k', by: 'u', prevHash: GENESIS }
    expect(canonical({ ...base, data: { x: 1, y: { b: 1, a: 2 } } })).toBe(canonical({ ...base, data: { y: { a: 2, b: 1 }, x: 1 } }))
  })
  it('breaks at an edited entry, a removed one, or a forged link', () => {
    const c = chain([{ a: 1 }, { b: 2 }, { c: 3 }])
    expect(brokenAt(c.map((e) => (e.seq === 1 ? { ...e, data: { b: 20 } } : e)), sha)).toBe(1)
    expect(brokenAt(c.filter((e) => e.seq !== 1), sha)).toBe(2)
    const forged = { ...c[2], prevHash: GENESIS }
    expect(brokenAt([c[0], c[1], { ...forged, hash: sha(canonical(forged)) }], sha)).toBe(2)
  })
})
