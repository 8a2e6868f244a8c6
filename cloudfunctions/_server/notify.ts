/**
 * Telling a person something (docs/ARCHITECTURE.md, "Notifications"). Every notice lands in the person's in-app
 * inbox first (消息), then goes out as a subscription message on the template it names, which WeChat delivers only
 * while the person has an allow left for it (one allow, one message). What cannot wait (`urgent`: a crisis, a police
 * report, an escalation, an overdue statutory deadline) also goes by SMS when no allow was left, or always when
 * SMS_URGENT_ALWAYS is set. Call sites say what happened, to whom, and what it opens; how it travels is decided
 * here, in one place, and the Delivery says which channels reached the person.
 */
import crypto from 'node:crypto'
import { _, db, findById } from './cloud'
import { COLLECTIONS } from './collections'
import { isDuplicate } from './idempotency'
import { send, type TemplateKey } from './messages'
import { sendUrgentSms, smsConfigured } from './sms'
import { smsParams } from '../../src/domain'
import * as clock from './clock'

export interface Notice {
  /** the person's OPENID */
  to: string
  template: TemplateKey
  /** one plain line: what happened */
  title: string
  detail?: string
  /** the time the notice is about (a call's start, a deadline), if any */
  at?: Date
  /** a short code of the thing (a report's reference), shown where the template has a place for it */
  ref?: string
  /** the page it opens: 'packages/<area>/pages/<page>/index?...' */
  link: string
  /**
   * One notice per key and person: a timer or a retry that runs twice tells nobody twice. Give one wherever the
   * same event could be notified again (the key names the event, e.g. `crisis:<requestId>:<level>`).
   */
  key?: string
  /** cannot wait (a crisis, a police report, an escalation, an overdue statutory deadline): SMS backs it up */
  urgent?: boolean
  /**
   * The inbox only, no subscription message: for a second notice about the same thing, which would spend an allow
   * the person gave for another one (a call's second reminder).
   */
  inboxOnly?: boolean
  /**
   * The caller has already made this notice its own (a timer's mark or a flag claimed by a conditional update), so no
   * other run can send it: it goes out first and its inbox entry is written once, with how it travelled (one write,
   * not two). Without a claim the entry is written first, and its key is what stops a second run.
   */
  claimed?: boolean
}

/** The channels outside the app. */
export type Channel = 'subscription' | 'sms'

export interface Delivery {
  to: string
  /** the key was notified before: nothing was sent again (the rest is what happened then) */
  duplicate: boolean
  subscription: 'sent' | 'refused' | 'skipped'
  /** WeChat's refusal: 43101 no allow left */
  errCode?: number
  /** the SMS: sent, failed (Tencent's code in smsCode), noPhone, or none (not urgent, not needed, not configured) */
  sms: 'sent' | 'failed' | 'noPhone' | 'none'
  smsCode?: string
  /** the channels that delivered it */
  via: Channel[]
  /** a channel outside the app delivered it (the inbox alone reaches nobody who is not looking) */
  reached: boolean
}

interface InboxDoc { _id: string, delivery?: Omit<Delivery, 'to' | 'duplicate'> }
interface UserPhone { _id: string, phone?: string }

export async function notify (n: Notice): Promise<Delivery> {
  const now = clock.now()
  const entry = {
    to: n.to, template: n.template, title: n.title, detail: n.detail ?? '', at: n.at ?? null, link: n.link,
    urgent: n.urgent === true, read: false, createdAt: db.serverDate()
  }
  const keyed = n.key ? `${n.key}:${n.to}` : undefined
  // A notice for the inbox alone that SMS will not back up is delivered once it is written: one write, not two.
  const inboxAlone = n.inboxOnly === true && n.urgent !== true
  const settled: Omit<Delivery, 'to' | 'duplicate'> = { subscription: 'skipped', sms: 'none', via: [], reached: false }
  if (n.claimed === true && !inboxAlone) return await sendThenWrite(n, entry, keyed ?? crypto.randomBytes(16).toString('hex'), now)
  let id: string
  try {
    const data = { ...(keyed ? { _id: keyed } : {}), ...entry, ...(inboxAlone ? { delivery: settled } : {}) }
    const res = await db.collection(COLLECTIONS.inbox).add({ data }) as { _id: string }
    id = keyed ?? res._id
  } catch (err) {
    if (!keyed || !isDuplicate(err)) throw err
    const prior = await findById<InboxDoc>(COLLECTIONS.inbox, keyed)
    const d = prior?.delivery
    return { to: n.to, duplicate: true, subscription: d?.subscription ?? 'refused', sms: d?.sms ?? 'none', via: d?.via ?? [], reached: d?.reached ?? false, ...(d?.errCode !== undefined ? { errCode: d.errCode } : {}), ...(d?.smsCode ? { smsCode: d.smsCode } : {}) }
  }

  if (inboxAlone) return { to: n.to, duplicate: false, ...settled }
  const { delivery, mirrored, mirrorFailure } = await deliver(n, id, now)
  const { to: _to, duplicate: _dup, ...kept } = delivery
  await Promise.all([mirrored, db.collection(COLLECTIONS.inbox).doc(id).update({ data: { delivery: kept } })])
  mirrorFailure()
  return delivery
}

/** A claimed notice (Notice.claimed): sent first, then its inbox entry written once with its delivery. */
async function sendThenWrite (n: Notice, entry: Record<string, unknown>, id: string, now: Date): Promise<Delivery> {
  const { delivery, mirrored, mirrorFailure } = await deliver(n, id, now)
  const { to: _to, duplicate: _dup, ...kept } = delivery
  const write = async (): Promise<boolean> => {
    try {
      await db.collection(COLLECTIONS.inbox).add({ data: { _id: id, ...entry, delivery: kept } })
      return true
    } catch (err) {
      // Written before under its key (a claim given twice): this notice went out again, and is told as a repeat.
      if (isDuplicate(err)) return false
      throw err
    }
  }
  const [, fresh] = await Promise.all([mirrored, write()])
  mirrorFailure()
  return fresh ? delivery : { ...delivery, duplicate: true }
}

/**
 * Sends the subscription message and, for what cannot wait, the SMS; says how it went. The mirror of the person's
 * allows is moved on beside whatever the caller writes next (`mirrored`, another document, nothing waits on it).
 */
async function deliver (n: Notice, id: string, now: Date): Promise<{ delivery: Delivery, mirrored: Promise<void>, mirrorFailure: () => void }> {
  const content = { title: n.title, detail: n.detail, at: n.at, ref: n.ref, urgent: n.urgent }
  const sub = n.inboxOnly ? undefined : await send({ touser: n.to, template: n.template, page: n.link, notice: content, now })
  // The mirror of the person's allows is moved on beside the rest (another document, nothing waits on it).
  // Its failure is held (not left unhandled while an SMS goes out) and thrown once the delivery is recorded.
  let mirrorFailed: { err: unknown } | undefined
  const mirrored = sub ? mirrorSend(n.to, n.template, sub).catch((err: unknown) => { mirrorFailed = { err } }) : Promise.resolve()
  const subscription: Delivery['subscription'] = !sub ? 'skipped' : sub.ok ? 'sent' : 'refused'

  let smsState: Delivery['sms'] = 'none'
  let smsCode: string | undefined
  if (n.urgent && smsConfigured() && (subscription !== 'sent' || process.env.SMS_URGENT_ALWAYS === '1')) {
    const phone = (await findById<UserPhone>(COLLECTIONS.users, n.to))?.phone
    if (!phone) smsState = 'noPhone'
    else {
      const res = await sendUrgentSms(phone, smsParams(content), id)
      smsState = res.ok ? 'sent' : 'failed'
      smsCode = res.code
    }
  }

  const via: Channel[] = [...(subscription === 'sent' ? ['subscription' as const] : []), ...(smsState === 'sent' ? ['sms' as const] : [])]
  const delivery: Delivery = {
    to: n.to, duplicate: false, subscription, sms: smsState, via, reached: via.length > 0,
    ...(sub?.errCode !== undefined ? { errCode: sub.errCode } : {}), ...(smsCode ? { smsCode } : {})
  }
  // The mirror's failure is held (not left unhandled while the entry is written) and thrown once the entry is.
  return { delivery, mirrored, mirrorFailure: () => { if (mirrorFailed) throw mirrorFailed.err } }
}

/**
 * The app's mirror of a person's allows (docs/ARCHITECTURE.md, "Notifications"): recorded on the tap that asked
 * for them (account.recordAllows), one taken off for each message WeChat delivered, none left once WeChat says so.
 * WeChat keeps the real count and never tells it; the mirror is what the 接收提醒 page shows and oversight reads.
 */
async function mirrorSend (openid: string, template: TemplateKey, res: { ok: boolean, errCode?: number }): Promise<void> {
  const allows = db.collection(COLLECTIONS.allows)
  const at = clock.now()
  if (res.ok) {
    await allows.where({ _id: `${openid}:${template}`, longTerm: _.neq(true), remaining: _.gt(0) }).update({ data: { remaining: _.inc(-1), spentAt: at } })
  } else if (res.errCode === 43101) {
    await allows.where({ _id: `${openid}:${template}` }).update({ data: { remaining: 0, longTerm: false, refusedAt: at } })
  }
}
