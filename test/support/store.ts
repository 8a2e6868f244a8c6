// What the store holds, as a test compares it before and after a call that must write nothing: every document of
// every collection, in _id order, read from the local cloud's store in-process.
import crypto from 'node:crypto'
import type { LocalCloud } from '../../localcloud'

export type StoreSnapshot = Map<string, string>

/** One fingerprint per collection: a changed, added or removed document changes its collection's. */
export function snapshot (cloud: LocalCloud): StoreSnapshot {
  const store = cloud.store
  return new Map(store.listCollections().sort().map((c) => {
    const hash = crypto.createHash('sha256')
    for (const text of store.findTexts(c, {}, { sort: { _id: 1 } })) hash.update(text).update('\n')
    return [c, hash.digest('hex')]
  }))
}

/** The collections whose documents differ between two snapshots (empty: nothing was written). */
export function changed (before: StoreSnapshot, after: StoreSnapshot): string[] {
  return [...new Set([...before.keys(), ...after.keys()])].filter((c) => before.get(c) !== after.get(c)).sort()
}
