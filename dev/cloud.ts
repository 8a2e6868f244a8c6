// 雏燕 on the local cloud: the local cloud with the app's sign-in personas, upload rules, SQLite file, subscription
// templates and SMS (dev/alerts.ts), its
// collections and indexes set up, and the demo county loaded into an empty store. `npm start` and the tests start
// it here.
import { startLocalCloud, type LocalCloud, type LocalCloudOptions } from '../localcloud'
import { smsSetup, subscriptionTemplates } from './alerts'
import { usersAsPersonas } from './personas'
import { setupStore } from './setup'

/** What the app takes as an upload (legal-aid evidence): photos, PDFs and voice notes (src/domain/legalaid/voice.ts). */
const UPLOADS = { extensions: ['jpg', 'jpeg', 'png', 'webp', 'heic', 'pdf', 'mp3', 'aac', 'm4a', 'webm', 'ogg', 'wav'], maxBytes: 10 * 1024 * 1024 }

/** `env`: more settings of the functions (the rule switches of `cloudfunctions/_server/switches.ts`). */
export async function startAppCloud (opts: LocalCloudOptions & { seed?: boolean, smsAlways?: boolean, env?: Record<string, string> }): Promise<{ cloud: LocalCloud, seeded: boolean }> {
  const { seed, smsAlways, env, ...options } = opts
  const sms = smsSetup({ urgentAlways: smsAlways })
  const cloud = await startLocalCloud({
    storeFile: 'chuyan.sqlite',
    personas: usersAsPersonas,
    uploads: UPLOADS,
    subscriptionTemplates: subscriptionTemplates(),
    ...sms,
    functionEnv: (c) => ({ ...sms.functionEnv?.(c), ...env }),
    ...options
  })
  try {
    const { seeded } = await setupStore(cloud, { seed })
    return { cloud, seeded }
  } catch (err) {
    await cloud.close()
    throw err
  }
}
