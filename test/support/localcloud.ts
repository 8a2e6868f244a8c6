import path from 'node:path'
import { startAppCloud } from '../../dev/cloud'
import type { LocalCloud } from '../../localcloud'
import { DIST, requireBuilt } from './paths'

/**
 * A fresh local cloud for one test file: in-memory store, the built functions, the h5 build, local mode, the
 * collections and indexes set up, and (unless told otherwise) the demo county seeded. The clock reads real time
 * until a test moves it (cloud.clock); timers fire only when a test fires them or advances the clock. `envId` names
 * the cloud's environment (default the local cloud's own).
 */
export async function startTestCloud (opts: { seed?: boolean, h5?: boolean, envId?: string, smsAlways?: boolean } = {}): Promise<LocalCloud> {
  requireBuilt('cloudfunctions')
  const { cloud } = await startAppCloud({
    port: 0,
    dataDir: ':memory:',
    functionsDir: path.join(DIST, 'cloudfunctions'),
    h5Dir: opts.h5 ? requireBuilt('h5') : undefined,
    localMode: true,
    runTimers: false,
    seed: opts.seed !== false,
    smsAlways: opts.smsAlways,
    // The weapp runtime calls the env id the build names (the h5 build has none): see test/weapp-runtime.
    ...(opts.envId ? { envId: opts.envId } : {})
  })
  return cloud
}

/** Calls a function through the gateway as the h5 build does, as the given person. */
export async function callAs (cloud: LocalCloud, openid: string | null, fn: string, action: string, data: unknown = {}) {
  const res = await fetch(`${cloud.url}/api/functions/${fn}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(openid ? { 'x-localcloud-openid': openid } : {}) },
    body: JSON.stringify({ action, data })
  })
  return { status: res.status, body: await res.json() as any }
}

/**
 * The person answers WeChat's subscription dialog: `accept` each template (by id) or as given, recorded through the
 * route the h5 stand-in dialog and the weapp runtime use (POST /api/subscriptions), as WeChat keeps them.
 */
export async function allow (cloud: LocalCloud, openid: string, templateIds: string[] | Record<string, 'accept' | 'reject'>): Promise<void> {
  const answers = Array.isArray(templateIds) ? Object.fromEntries(templateIds.map((id) => [id, 'accept'])) : templateIds
  const res = await fetch(`${cloud.url}/api/subscriptions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-localcloud-openid': openid },
    body: JSON.stringify({ answers })
  })
  if (!res.ok) throw new Error(`allow: ${res.status} ${await res.text()}`)
}

/** What reached a person (or a phone number): delivered attempts only, newest first. */
export const deliveredTo = (cloud: LocalCloud, to: string) => cloud.outbox(to).filter((m) => m.delivered)

/**
 * What reached a person through a channel outside the app, newest first: subscription messages WeChat delivered to
 * their OPENID and SMS sent to the phone on their profile.
 */
export function reached (cloud: LocalCloud, openid: string) {
  const phone = cloud.store.findById('users', openid)?.phone as string | undefined
  return [...cloud.outbox(openid), ...(phone ? cloud.outbox(`+86${phone}`) : [])]
    .filter((m) => m.delivered)
    .sort((a, b) => b.sentAt.localeCompare(a.sentAt))
}

/** The words of a delivered message: a subscription message's values, or the SMS text. */
export const wordsOf = (m: { data?: Record<string, { value: string }>, text?: string }): string =>
  m.text ?? Object.values(m.data ?? {}).map((v) => v.value).join(' ')
