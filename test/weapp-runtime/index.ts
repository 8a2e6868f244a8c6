/**
 * The weapp runtime for tests: a seeded local cloud on the build's CloudBase env id, and phones running the
 * built mini-program (dist/weapp) against it, one per WeChat user. See README.md beside this file.
 */
import fs from 'node:fs'
import path from 'node:path'
import { parseEnv } from 'node:util'
import type { LocalCloud } from '../../localcloud'
import { startTestCloud } from '../support/localcloud'
import { requireBuilt, ROOT } from '../support/paths'
import { MiniProgram, type LaunchOptions, type SubscriptionChoice } from './miniprogram'

export { MiniProgram } from './miniprogram'
export type { LaunchOptions, SubscriptionChoice, Toast } from './miniprogram'
export { Locator } from './locator'

/**
 * The CloudBase env id the weapp build was configured with, read as Taro reads it for `taro build` (production
 * mode): the shell first, then .env.production.local, .env.production, .env.local, .env.
 */
export function configuredCloudEnv (): string {
  if (process.env.TARO_APP_CLOUD_ENV) return process.env.TARO_APP_CLOUD_ENV
  for (const file of ['.env.production.local', '.env.production', '.env.local', '.env']) {
    const full = path.join(ROOT, file)
    if (!fs.existsSync(full)) continue
    const env = parseEnv(fs.readFileSync(full, 'utf8')).TARO_APP_CLOUD_ENV
    if (env) return env
  }
  throw new Error('TARO_APP_CLOUD_ENV is set nowhere (.env): the weapp build has no CloudBase env id')
}

/**
 * Rendering gaps known today, each a defect of the app in WeChat that the runtime reproduces; listed so that the
 * journeys run, and only these are let through (a new gap fails). Remove an entry once its cause is fixed.
 * - `tmpl_0_i`: NutUI's icons render an <i> element (@nutui/icons-react-taro, tag "i"), and Taro's weapp templates
 *   have no template for <i> (that needs @tarojs/plugin-html), so WeChat shows no icon at all: loading spinners,
 *   radio and checkbox marks, arrows and close buttons drawn with NutUI icons are invisible in the weapp build.
 */
export const KNOWN_RENDER_GAPS: RegExp[] = [/Template `tmpl_0_i` not found/]

/** Hands one answered requestSubscribeMessage to the local cloud (POST /api/subscriptions, as the person). */
export async function recordSubscription (cloudUrl: string, choice: SubscriptionChoice): Promise<void> {
  const res = await fetch(`${cloudUrl}/api/subscriptions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-localcloud-openid': choice.openid },
    body: JSON.stringify({ answers: choice.answers })
  })
  if (!res.ok) throw new Error(`recording the subscription choice failed: ${res.status} ${await res.text()}`)
}

export interface WeappSession {
  readonly cloud: LocalCloud
  /** A phone of `openid` with the app launched (on `entry`, default the home page), settled; closed after the test. */
  phone: (openid: string, options?: Partial<Omit<LaunchOptions, 'dir' | 'cloudUrl' | 'openid'>>) => Promise<MiniProgram>
  /** One phone per `openid` for the whole file (launched on first use): for many short visits by one person. */
  sharedPhone: (openid: string) => Promise<MiniProgram>
}

/**
 * One test file's local cloud (seeded demo county, in memory, on the env id the weapp build calls) and phones.
 * After each test, every phone it used must have reported no new problem (no console.error, no uncaught error,
 * no unimplemented wx API, nothing the view could not render but KNOWN_RENDER_GAPS); its own phones are closed.
 */
export function weappSession (opts: { seed?: boolean } = {}): WeappSession {
  const dir = requireBuilt('weapp')
  let cloud: LocalCloud | undefined
  let phones: MiniProgram[] = []
  const shared = new Map<string, Promise<MiniProgram>>()
  /** Problems of each phone already reported by an earlier test. */
  const checked = new Map<MiniProgram, number>()
  const used = new Set<MiniProgram>()
  beforeAll(async () => {
    cloud = await startTestCloud({ seed: opts.seed, envId: configuredCloudEnv() })
  }, 60000)
  afterEach(() => {
    const own = phones
    phones = []
    const all = [...used]
    used.clear()
    try {
      for (const p of all) {
        const from = checked.get(p) ?? 0
        checked.set(p, p.problems.length)
        p.expectNoProblems(KNOWN_RENDER_GAPS, from)
      }
    } finally {
      for (const p of own) p.close()
    }
  })
  afterAll(async () => {
    for (const p of phones) p.close()
    for (const p of shared.values()) (await p.catch(() => undefined))?.close()
    await cloud?.close()
  })
  const launch = async (openid: string, options: Partial<LaunchOptions>): Promise<MiniProgram> => {
    if (!cloud) throw new Error('the local cloud is not started yet')
    const url = cloud.url
    // The person's choices in WeChat's subscription dialog reach the local cloud as WeChat would keep them, so a
    // later send is allowed or refused (43101) by them.
    const clock = cloud.clock
    // The phone's clock is the cloud's, as a phone's follows the network's time: a test that moves one moves both.
    return await MiniProgram.launch({ onSubscription: async (c) => { await recordSubscription(url, c) }, now: () => clock.now().getTime(), ...options, dir, cloudUrl: url, openid })
  }
  return {
    get cloud () {
      if (!cloud) throw new Error('the local cloud is not started yet')
      return cloud
    },
    async phone (openid, options = {}) {
      const mp = await launch(openid, options)
      phones.push(mp)
      used.add(mp)
      return mp
    },
    async sharedPhone (openid) {
      let p = shared.get(openid)
      if (!p) {
        p = launch(openid, {})
        shared.set(openid, p)
      }
      const mp = await p
      used.add(mp)
      return mp
    }
  }
}
