// `npm start` / `npm run serve`: the local cloud on http://127.0.0.1:PORT/ with the built functions and h5 app.
//   PORT             default 8787 (0 picks a free port)
//   CHUYAN_DATA_DIR  default .localcloud (relative to the project root)
//   CHUYAN_SEED=off  start without loading the demo county into an empty store
//   CHUYAN_TIMERS=off  fire no timer trigger on the real clock
import path from 'node:path'
import { startLocalCloud, type LocalCloud } from './gateway'
import { setupStore } from './setup'

const ROOT = path.resolve(__dirname, '..')

async function main (): Promise<void> {
  const port = Number(process.env.PORT ?? 8787)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${process.env.PORT}`)
  const dataDir = path.resolve(ROOT, process.env.CHUYAN_DATA_DIR ?? '.localcloud')

  const cloud: LocalCloud = await startLocalCloud({
    port,
    dataDir,
    functionsDir: path.join(path.resolve(ROOT, process.env.CHUYAN_DIST || 'dist'), 'cloudfunctions'), // CHUYAN_DIST: a parallel build folder
    h5Dir: path.join(ROOT, 'dist', 'h5'),
    localMode: true,
    // CHUYAN_TIMERS=off: no timer fires on the real clock (benchmarks); /api/dev/trigger still works.
    runTimers: process.env.CHUYAN_TIMERS !== 'off'
  })

  let stopping = false
  const stop = (signal: string): void => {
    if (stopping) { process.exit(1) } // a second Ctrl-C: do not wait
    stopping = true
    console.log(`\n${signal}: stopping the local cloud`)
    cloud.close().then(() => process.exit(0), (err: Error) => { console.error(err); process.exit(1) })
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))

  // The collections and indexes the functions need, then the demo county if the store is empty.
  const { seeded } = await setupStore(cloud.store, cloud.adminUrl, { seed: process.env.CHUYAN_SEED !== 'off' })
  if (seeded) console.log('[localcloud] loaded the demo county into the empty store')

  console.log(`雏燕 local cloud: ${cloud.url}/`)
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message)
  process.exit(1)
})
