// 雏燕 on the local cloud: the local cloud with the app's sign-in personas and its SQLite file, its collections
// and indexes set up, and the demo county loaded into an empty store. `npm start` and the tests start it here.
import { startLocalCloud, type LocalCloud, type LocalCloudOptions } from '../localcloud'
import { usersAsPersonas } from './personas'
import { setupStore } from './setup'

export async function startAppCloud (opts: LocalCloudOptions & { seed?: boolean }): Promise<{ cloud: LocalCloud, seeded: boolean }> {
  const { seed, ...options } = opts
  const cloud = await startLocalCloud({ storeFile: 'chuyan.sqlite', personas: usersAsPersonas, ...options })
  try {
    const { seeded } = await setupStore(cloud, { seed })
    return { cloud, seeded }
  } catch (err) {
    await cloud.close()
    throw err
  }
}
