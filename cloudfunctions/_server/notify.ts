/**
 * Telling a person something (docs/ARCHITECTURE.md, "Notifications"). Every notice lands in the person's in-app
 * inbox first (消息), then goes out as a subscription message on the template it names. Call sites say what happened,
 * to whom, and what it opens; how it travels is decided here, in one place.
 */
import { db } from './cloud'
import { COLLECTIONS } from './collections'
import { isDuplicate } from './idempotency'
import { send, type TemplateKey } from './messages'
import { callTimeLabel } from '../../src/domain'

export interface Notice {
  /** the person's OPENID */
  to: string
  template: TemplateKey
  /** one plain line: what happened */
  title: string
  detail?: string
  /** the time the notice is about (a call's start, a deadline), if any */
  at?: Date
  /** the page it opens: 'packages/<area>/pages/<page>/index?...' */
  link: string
  /**
   * One notice per key and person: a timer or a retry that runs twice tells nobody twice. Give one wherever the
   * same event could be notified again (the key names the event, e.g. `crisis:<requestId>:<level>`).
   */
  key?: string
  /** cannot wait (a crisis, a police report, an escalation, an overdue statutory deadline) */
  urgent?: boolean
}

export interface Delivery {
  to: string
  /** the key was notified before: nothing was sent again */
  duplicate: boolean
  subscription: 'sent' | 'refused'
  errCode?: number
  /** a channel outside the app delivered it (the inbox alone reaches nobody who is not looking) */
  reached: boolean
}

interface InboxDoc {
  _id: string
  delivery?: { subscription: Delivery['subscription'], errCode?: number }
}

export async function notify (n: Notice): Promise<Delivery> {
  const entry = {
    to: n.to, template: n.template, title: n.title, detail: n.detail ?? '', at: n.at ?? null, link: n.link,
    urgent: n.urgent === true, read: false, createdAt: db.serverDate()
  }
  const keyed = n.key ? `${n.key}:${n.to}` : undefined
  let id: string
  try {
    const res = await db.collection(COLLECTIONS.inbox).add({ data: keyed ? { _id: keyed, ...entry } : entry }) as { _id: string }
    id = keyed ?? res._id
  } catch (err) {
    if (!keyed || !isDuplicate(err)) throw err
    const prior = (await db.collection(COLLECTIONS.inbox).where({ _id: keyed }).limit(1).get() as { data: InboxDoc[] }).data[0]
    const subscription = prior?.delivery?.subscription ?? 'refused'
    return { to: n.to, duplicate: true, subscription, errCode: prior?.delivery?.errCode, reached: subscription === 'sent' }
  }
  const res = await send({ touser: n.to, template: n.template, page: n.link, title: n.title, time: n.at ? callTimeLabel(n.at) : '', detail: n.detail ?? '' })
  const delivery: Delivery = { to: n.to, duplicate: false, subscription: res.ok ? 'sent' : 'refused', ...(res.errCode !== undefined ? { errCode: res.errCode } : {}), reached: res.ok }
  await db.collection(COLLECTIONS.inbox).doc(id).update({ data: { delivery: { subscription: delivery.subscription, ...(res.errCode !== undefined ? { errCode: res.errCode } : {}) } } })
  return delivery
}
