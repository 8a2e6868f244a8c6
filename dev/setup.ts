/**
 * Prepares a local cloud the way a deployment prepares CloudBase: the functions' collections (through the
 * SDK, the same step as on the real cloud), their indexes (from the same declaration), and the demo county
 * when the store is empty.
 */
import { COLLECTIONS, INDEXES, ensureCollections } from '../cloudfunctions/_server/collections'
import type { LocalCloud } from '../localcloud'
import { seedIfEmpty } from './seed'

/** The real wx-server-sdk, pointed at a local cloud (one per process: the SDK keeps global state). */
function sdkFor (adminUrl: string): any {
  process.env.TENCENTCLOUD = 'true' // skip the SDK's per-request metadata DNS probe

  const cloud = require('wx-server-sdk')
  cloud.init({ env: 'local', serviceUrl: adminUrl, secretId: 'local', secretKey: 'local' })
  return cloud
}

export async function setupStore (cloud: LocalCloud, opts: { seed?: boolean } = {}): Promise<{ seeded: boolean }> {
  const db = sdkFor(cloud.adminUrl).database()
  await ensureCollections(db)
  for (const name of Object.values(COLLECTIONS)) {
    for (const fields of INDEXES[name]) cloud.store.ensureIndex(name, fields)
  }
  const seeded = opts.seed === false ? false : await seedIfEmpty(db)
  return { seeded }
}
