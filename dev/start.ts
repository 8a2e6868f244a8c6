// `npm start` / `npm run serve`: 雏燕 on the local cloud, http://127.0.0.1:PORT/, with the built functions and h5 app.
//   PORT               default 8787 (0 picks a free port)
//   CHUYAN_DATA_DIR    default .localcloud (relative to the project root)
//   CHUYAN_DIST        default dist: the build folder to serve (a parallel build)
//   CHUYAN_SEED=off    start without loading the demo county into an empty store
//   CHUYAN_SEED=empty  load the demo county into an empty store, without its simulated past
//   CHUYAN_PAST_WEEKS, CHUYAN_PAST_CHILDREN   the demo's past: weeks lived (default 6) by how many more children (default 200)
//   CHUYAN_TIMERS=off  fire no timer trigger as time passes (benchmarks); /api/dev/trigger and the clock still do
import path from 'node:path'
import { startAppCloud } from './cloud'
import { livePast } from './season/past'

const ROOT = path.resolve(__dirname, '..')

async function main (): Promise<void> {
  const port = Number(process.env.PORT ?? 8787)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${process.env.PORT}`)
  const dist = path.resolve(ROOT, process.env.CHUYAN_DIST || 'dist')

  const { cloud, seeded } = await startAppCloud({
    port,
    dataDir: path.resolve(ROOT, process.env.CHUYAN_DATA_DIR ?? '.localcloud'),
    functionsDir: path.join(dist, 'cloudfunctions'),
    h5Dir: path.join(ROOT, 'dist', 'h5'),
    localMode: true,
    runTimers: process.env.CHUYAN_TIMERS !== 'off',
    seed: process.env.CHUYAN_SEED !== 'off'
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

  if (seeded) console.log('[localcloud] loaded the demo county into the empty store')
  if (seeded && process.env.CHUYAN_SEED !== 'empty') {
    await livePast(cloud, { weeks: Number(process.env.CHUYAN_PAST_WEEKS ?? 6), children: Number(process.env.CHUYAN_PAST_CHILDREN ?? 200), log: (l) => console.log(`[localcloud] ${l}`) })
  }
  console.log(`雏燕 local cloud: ${cloud.url}/`)
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message)
  process.exit(1)
})
