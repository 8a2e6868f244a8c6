/**
 * Size benchmark: what a phone downloads before the first screen, and what the weapp's main package weighs.
 *
 *   h5 first screen  Chromium opens the app signed in as a parent (the home page), served by the local cloud with the
 *                    demo county; every script and stylesheet it fetched until the home page showed is counted.
 *   h5 hotline area  then the parent opens 约和孩子通话 (the hotline booking page): the scripts and stylesheets that
 *                    adds (the area's chunk, loaded on the tap).
 *   For each: bytes as built (raw), gzip -9 and brotli -q 11 of each file, and what the server actually sent
 *   (transferred: compressed when the server compresses), and the number of requests.
 *   weapp            the main package and the largest subpackage as WeChat counts them (config/package-size.ts).
 *
 *   npx tsx bench/size.ts     prints the figures (npm run bench -- size also writes them to bench/results/)
 *   CHUYAN_BENCH_H5_DIR / CHUYAN_BENCH_WEAPP_DIR measure another build (e.g. one of an older commit) the same way.
 */
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import type { Page, Response } from 'playwright-core'
import { startAppCloud } from '../dev/cloud'
import { weappPackageSizes } from '../config/package-size'
import { launchChromium } from '../test/support/browser'
import { ROOT, formatFigures, round, type Figures } from './common'

const PARENT = 'demo-parent-wang'
const KB = 1024

interface Fetched { url: string, transferred: number }

/** Scripts and stylesheets the page fetches from now on, with the bytes that crossed the wire for each. */
function watch (page: Page): { fetched: Fetched[], settled: () => Promise<void> } {
  const fetched: Fetched[] = []
  const pending: Promise<void>[] = []
  page.on('response', (res: Response) => {
    const type = res.request().resourceType()
    if (type !== 'script' && type !== 'stylesheet') return
    pending.push(res.request().sizes().then((s) => { fetched.push({ url: res.url(), transferred: s.responseBodySize }) }, () => undefined))
  })
  return { fetched, settled: async () => { await Promise.all(pending) } }
}

function sizesOf (h5Dir: string, fetched: Fetched[]): Figures {
  let raw = 0
  let gzip = 0
  let br = 0
  let transferred = 0
  for (const f of fetched) {
    const file = path.join(h5Dir, decodeURIComponent(new URL(f.url).pathname))
    const body = fs.readFileSync(file)
    raw += body.length
    gzip += zlib.gzipSync(body, { level: 9 }).length
    br += zlib.brotliCompressSync(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length
    transferred += f.transferred
  }
  const js = fetched.filter((f) => f.url.endsWith('.js'))
  const jsRaw = js.reduce((n, f) => n + fs.statSync(path.join(h5Dir, new URL(f.url).pathname)).size, 0)
  return {
    requests: fetched.length,
    jsRawKB: round(jsRaw / KB),
    rawKB: round(raw / KB),
    gzipKB: round(gzip / KB),
    brotliKB: round(br / KB),
    transferredKB: round(transferred / KB)
  }
}

export async function runSizeBench (): Promise<Figures> {
  const h5Dir = path.resolve(process.env.CHUYAN_BENCH_H5_DIR || path.join(ROOT, 'dist', 'h5'))
  const weappDir = path.resolve(process.env.CHUYAN_BENCH_WEAPP_DIR || path.join(ROOT, 'dist', 'weapp'))
  for (const dir of [h5Dir, weappDir, path.join(ROOT, 'dist', 'cloudfunctions')]) {
    if (!fs.existsSync(dir)) throw new Error(`${path.relative(ROOT, dir) || dir} is not built: run npm run build first`)
  }
  const figures: Figures = {}
  const { cloud } = await startAppCloud({
    port: 0,
    dataDir: ':memory:',
    functionsDir: path.join(ROOT, 'dist', 'cloudfunctions'),
    h5Dir,
    localMode: true,
    runTimers: false,
    seed: true
  })
  const browser = await launchChromium()
  try {
    const context = await browser.newContext({ viewport: { width: 375, height: 780 }, locale: 'zh-CN', extraHTTPHeaders: { 'x-localcloud-openid': PARENT } })
    const page = await context.newPage()
    const first = watch(page)
    await page.goto(`${cloud.url}/`)
    await page.locator('[data-testid="home"]').filter({ visible: true }).first().waitFor({ timeout: 120_000 })
    await page.locator('[data-testid="loading"]').filter({ visible: true }).first().waitFor({ state: 'hidden', timeout: 120_000 })
    await page.waitForLoadState('networkidle')
    await first.settled()
    for (const [k, v] of Object.entries(sizesOf(h5Dir, first.fetched))) figures[`firstScreen.${k}`] = v

    const area = watch(page)
    await page.goto(`${cloud.url}/#/packages/hotline/pages/book/index`)
    await page.getByText('和哪个孩子通话？').filter({ visible: true }).first().waitFor({ timeout: 120_000 })
    await page.waitForLoadState('networkidle')
    await area.settled()
    for (const [k, v] of Object.entries(sizesOf(h5Dir, area.fetched))) figures[`hotlineArea.${k}`] = v
  } finally {
    await browser.close()
    await cloud.close()
  }
  const weapp = weappPackageSizes(weappDir)
  figures.weappMainKB = round(weapp.main / KB)
  const [bigName, bigSize] = Object.entries(weapp.subpackages).sort((a, b) => b[1] - a[1])[0] ?? ['', 0]
  figures.weappLargestSubpackage = bigName
  figures.weappLargestSubpackageKB = round(bigSize / KB)
  return figures
}

if (require.main === module) {
  runSizeBench().then((f) => { console.log(formatFigures(f)); process.exit(0) }, (err) => { console.error(err); process.exit(1) })
}
