/**
 * Prepares a local cloud the way a deployment prepares CloudBase: the functions' collections (through the
 * SDK, the same step as on the real cloud), their indexes (from the same declaration), and the demo county
 * when the store is empty.
 */
import { COLLECTIONS, INDEXES, ensureCollections } from '../cloudfunctions/_server/collections'
import type { DocumentStore } from './db'
import { seedIfEmpty } from './seed'

/** The real wx-server-sdk, pointed at this local cloud (one per process: the SDK keeps global state). */
export function sdkFor (adminUrl: string, envId = 'local') {
  process.env.TENCENTCLOUD = 'true' // skip the SDK's per-request metadata DNS probe
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const cloud = require('wx-server-sdk')
  cloud.init({ env: envId, serviceUrl: adminUrl, secretId: 'local', secretKey: 'local' })
  return cloud
}

export async function setupStore (store: DocumentStore, adminUrl: string, opts: { seed?: boolean } = {}): Promise<{ seeded: boolean }> {
  const db = sdkFor(adminUrl).database()
  await ensureCollections(db)
  for (const name of Object.values(COLLECTIONS)) {
    for (const fields of INDEXES[name]) store.ensureIndex(name, fields)
  }
  const seeded = opts.seed === false ? false : await seedIfEmpty(db)
  return { seeded }
}
