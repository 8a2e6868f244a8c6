import fs from 'node:fs'
import type { Browser } from 'playwright-core'

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium'

/**
 * e2e tests need Debian's Chromium (apt-get install -y chromium fonts-wqy-microhei). Outside CI a machine
 * without it skips them, saying why; in CI (CI=true) a missing browser fails the run.
 */
export function chromiumAvailable (): boolean {
  if (fs.existsSync(CHROMIUM)) return true
  if (process.env.CI === 'true') throw new Error(`Chromium not found at ${CHROMIUM}: .ci/run must install it (apt-get install -y chromium fonts-wqy-microhei)`)

  console.log(`e2e skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium fonts-wqy-microhei)`)
  return false
}

export async function launchChromium (): Promise<Browser> {
  const { chromium } = await import('playwright-core')
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      // a microphone that plays a test tone, allowed without asking: the legal-aid voice note records from it
      '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream']
  })
}
