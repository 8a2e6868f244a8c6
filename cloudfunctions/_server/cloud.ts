import cloud from 'wx-server-sdk'

// DYNAMIC_CURRENT_ENV: the same bundle runs in any CloudBase env, and on the local cloud (TCB_CONTEXT_CNFG).
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string })

export { cloud }
export const db = cloud.database()
export const _ = db.command

/** The documents of a query's `get()` (the SDK's typings also allow its old callback forms). */
export async function rows<T> (query: { get(): unknown }): Promise<T[]> {
  const res = await query.get() as { data: T[] }
  return res.data
}

/** One document by id, or null (the SDK rejects a `get` of a missing doc). */
export async function findById<T> (collection: string, id: string): Promise<T | null> {
  const [doc = null] = await rows<T>(db.collection(collection).where({ _id: id }).limit(1))
  return doc
}

/** Removes one document by id; a document already gone is not an error (removals are retried by timers). */
export async function removeDoc (collection: string, id: string): Promise<void> {
  try {
    await db.collection(collection).doc(id).remove()
  } catch {
    // already removed
  }
}
