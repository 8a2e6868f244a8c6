/**
 * Asking a person to allow WeChat reminders and alerts (docs/ARCHITECTURE.md, "Notifications"). WeChat delivers a
 * subscription message only while the person has an allow left for its template (one allow, one message, unless the
 * template is long-term), and lets a page ask only in answer to a tap. So pages ask on natural taps: booking,
 * joining a waiting list, opening an alert, acknowledging, checking a call in, and 「开通」 on 接收提醒.
 *
 * weapp: WeChat's own dialog (Taro.requestSubscribeMessage), which keeps the answers itself. h5 (the local cloud
 * only): a stand-in dialog, whose answers go to the local cloud as WeChat would keep them (POST /api/subscriptions).
 * Either way the app's mirror of the allows is told (account.recordAllows), so 接收提醒 can show how many are left.
 * Template ids are configuration (.env: TARO_APP_TPL_*, the same ids as the functions' TPL_*).
 */
import Taro from '@tarojs/taro'
import { TEMPLATES, defaultTemplateId, type TemplateKey } from '../domain'
import { callCloud, uniqueId } from './cloud'

/** Each template's id as the build was configured (Taro replaces each process.env.TARO_APP_* where it is written out). */
const CONFIGURED: Record<TemplateKey, string | undefined> = {
  callReminder: process.env.TARO_APP_TPL_CALL_REMINDER,
  weeklyNudge: process.env.TARO_APP_TPL_WEEKLY_NUDGE,
  slotOffer: process.env.TARO_APP_TPL_SLOT_OFFER,
  bookingProblem: process.env.TARO_APP_TPL_BOOKING_PROBLEM,
  careAlert: process.env.TARO_APP_TPL_CARE_ALERT,
  crisisAlert: process.env.TARO_APP_TPL_CRISIS_ALERT,
  reportAlert: process.env.TARO_APP_TPL_REPORT_ALERT,
  sessionReminder: process.env.TARO_APP_TPL_SESSION_REMINDER,
  caseUpdate: process.env.TARO_APP_TPL_CASE_UPDATE,
  deadlineAlert: process.env.TARO_APP_TPL_DEADLINE_ALERT,
  pairingOffer: process.env.TARO_APP_TPL_PAIRING_OFFER,
  pairingReminder: process.env.TARO_APP_TPL_PAIRING_REMINDER,
  staffBooking: process.env.TARO_APP_TPL_STAFF_BOOKING,
  callConfirm: process.env.TARO_APP_TPL_CALL_CONFIRM
}
export const templateIdOf = (k: TemplateKey): string => CONFIGURED[k] || defaultTemplateId(k)

export type Answers = Partial<Record<TemplateKey, 'accept' | 'reject'>>

/** At most three templates in one dialog, and never one-time and long-term ones together (WeChat's rules). */
export function oneDialog (kinds: readonly TemplateKey[]): TemplateKey[] {
  const unique = [...new Set(kinds)]
  const longTerm = unique.length > 0 && TEMPLATES[unique[0]].longTerm
  return unique.filter((k) => TEMPLATES[k].longTerm === longTerm).slice(0, 3)
}

/**
 * Asks the person to allow these alerts; call it first thing in a tap's handler. Resolves with their answers (empty
 * when nothing could be asked). Never throws: saying no is fine, and what the tap was for goes ahead either way.
 */
export async function askFor (kinds: readonly TemplateKey[]): Promise<Answers> {
  const keys = oneDialog(kinds)
  if (keys.length === 0) return {}
  let answers: Answers = {}
  try {
    if (process.env.TARO_ENV === 'weapp') {
      const ids = keys.map(templateIdOf)
      const res = await Taro.requestSubscribeMessage({ tmplIds: ids } as Taro.requestSubscribeMessage.Option) as unknown as Record<string, string>
      answers = Object.fromEntries(keys.map((k) => [k, res[templateIdOf(k)] === 'accept' ? 'accept' : 'reject'])) as Answers
    } else {
      answers = await standInDialog(keys)
    }
  } catch {
    return {} // refused, or an older WeChat: nothing was allowed
  }
  try {
    await callCloud('account', 'recordAllows', { answers, idempotencyKey: uniqueId() })
  } catch {
    // The mirror catches up at the next tap; WeChat itself has the answers.
  }
  return answers
}

/** The reminders a family books with (kept for the pages that ask for them). */
export const askForReminders = askFor

/** h5: a dialog standing in for WeChat's, whose answers the local cloud keeps as WeChat would. */
async function standInDialog (keys: TemplateKey[]): Promise<Answers> {
  const labels = keys.map((k) => `「${TEMPLATES[k].label}」`).join('')
  const res = await Taro.showModal({
    title: '允许雏燕给您发提醒？',
    content: `${labels}各一次。到时微信会在“服务通知”里提醒您。`,
    confirmText: '允许',
    cancelText: '不允许'
  })
  const answer = res.confirm ? 'accept' : 'reject'
  const answers = Object.fromEntries(keys.map((k) => [k, answer])) as Answers
  const byId = Object.fromEntries(keys.map((k) => [templateIdOf(k), answer]))
  const sent = await fetch('/api/subscriptions', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ answers: byId })
  })
  if (!sent.ok) throw new Error(`recording the answers failed: ${sent.status}`)
  return answers
}

/** The allows the person had left when the page last read them (account.alertSettings). */
let known: { at: number, alerts: Array<{ template: TemplateKey, remaining: number, longTerm: boolean }> } | undefined

/** Reads the allows left, for a page with natural taps to ask only when they run low (call when the page shows). */
export async function loadAllowsLeft (): Promise<void> {
  try {
    const s = await callCloud('account', 'alertSettings', {})
    known = { at: Date.now(), alerts: s.alerts }
  } catch {
    // unknown: the taps ask, as they would with none left
  }
}

/**
 * On a natural tap (acknowledging, checking a call in): asks to allow those of `kinds` of the person's duty that
 * have at most one message left, so they never run dry; nothing when they have enough. Call it first in the tap.
 */
export function askIfRunningLow (kinds: readonly TemplateKey[]): Promise<Answers> {
  const low = kinds.filter((k) => {
    const a = known?.alerts.find((x) => x.template === k)
    return known ? Boolean(a && !a.longTerm && a.remaining <= 1) : true
  })
  const asked = askFor(low)
  // Whatever was answered, read the counts again for the next tap.
  asked.then(() => loadAllowsLeft(), () => undefined)
  return asked
}
