/**
 * `npm run bench`: runs every benchmark, prints its figures, and writes each to bench/results/<name>.json
 * (with the machine it ran on). Pass names to run only some: `npm run bench -- foundation`.
 */
import fs from 'node:fs'
import path from 'node:path'
import { runClockBench } from './clock'
import { formatFigures, machine, type Figures } from './common'
import { runFoundationBench } from './foundation'
import { runHotlineBench } from './hotline'
import { runLegalAidBench } from './legalaid'
import { runMatchingBench } from './matching'
import { runOversightBench } from './oversight'
import { runSizeBench } from './size'
import { runTripsBench } from './trips'

const BENCHES: Record<string, () => Promise<Figures>> = {
  foundation: runFoundationBench,
  matching: runMatchingBench,
  hotline: runHotlineBench,
  legalaid: runLegalAidBench,
  oversight: runOversightBench,
  clock: runClockBench,
  size: runSizeBench,
  trips: runTripsBench
}

async function main (): Promise<void> {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'))
  const names = wanted.length > 0 ? wanted : Object.keys(BENCHES)
  const outDir = path.join(__dirname, 'results')
  fs.mkdirSync(outDir, { recursive: true })
  for (const name of names) {
    const run = BENCHES[name]
    if (!run) throw new Error(`no benchmark named ${name}; there are: ${Object.keys(BENCHES).join(', ')}`)
    console.log(`\n== ${name}`)
    const figures = await run()
    console.log(formatFigures(figures))
    const record = { name, at: new Date().toISOString(), machine: machine(), figures }
    fs.writeFileSync(path.join(outDir, `${name}.json`), JSON.stringify(record, null, 2) + '\n')
  }
  console.log(`\nwritten to ${path.relative(process.cwd(), outDir)}/`)
}

main().then(() => process.exit(0), (err) => { console.error(err); process.exit(1) })
