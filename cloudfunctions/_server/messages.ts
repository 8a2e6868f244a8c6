import { cloud } from './cloud'

/**
 * Subscription-message templates. Their ids are configuration (each function's config.json `envVariables`, or
 * the CloudBase console); the defaults name them for the local cloud's outbox (docs/ARCHITECTURE.md, "Notifications").
 */
const TEMPLATES = {
  callReminder: process.env.TPL_CALL_REMINDER || 'TPL_CALL_REMINDER',
  /** a parent says they called home: the guardian (or teacher) is asked to confirm it */
  callConfirm: process.env.TPL_CALL_CONFIRM || 'TPL_CALL_CONFIRM',
  /** a call in a care room was booked, moved or cancelled: its teachers are told */
  roomBooking: process.env.TPL_ROOM_BOOKING || 'TPL_ROOM_BOOKING',
  weeklyNudge: process.env.TPL_WEEKLY_NUDGE || 'TPL_WEEKLY_NUDGE',
  slotOffer: process.env.TPL_SLOT_OFFER || 'TPL_SLOT_OFFER',
  bookingProblem: process.env.TPL_BOOKING_PROBLEM || 'TPL_BOOKING_PROBLEM',
  careAlert: process.env.TPL_CARE_ALERT || 'TPL_CARE_ALERT',
  crisisAlert: process.env.TPL_CRISIS_ALERT || 'TPL_CRISIS_ALERT',
  sessionReminder: process.env.TPL_SESSION_REMINDER || 'TPL_SESSION_REMINDER',
  caseUpdate: process.env.TPL_CASE_UPDATE || 'TPL_CASE_UPDATE',
  deadlineAlert: process.env.TPL_DEADLINE_ALERT || 'TPL_DEADLINE_ALERT',
  pairingOffer: process.env.TPL_PAIRING_OFFER || 'TPL_PAIRING_OFFER',
  pairingReminder: process.env.TPL_PAIRING_REMINDER || 'TPL_PAIRING_REMINDER'
} as const

/** WeChat template fields hold at most 20 characters of `thing`. */
const thing = (s: string) => ({ value: s.length > 20 ? s.slice(0, 19) + '…' : s })

export type TemplateKey = keyof typeof TEMPLATES

export interface Message { touser: string, template: TemplateKey, page: string, title: string, time?: string, detail: string }

/**
 * Sends one subscription message. A person who has not subscribed (43101) or any WeChat refusal must not stop a
 * timer's other work: the failure is returned, not thrown.
 */
export async function send (m: Message): Promise<{ ok: boolean, errCode?: number }> {
  try {
    await cloud.openapi.subscribeMessage.send({
      touser: m.touser,
      templateId: TEMPLATES[m.template],
      page: m.page,
      miniprogramState: process.env.MINIPROGRAM_STATE || 'formal',
      lang: 'zh_CN',
      data: { thing1: thing(m.title), time2: { value: m.time ?? '' }, thing3: thing(m.detail) }
    } as any)
    return { ok: true }
  } catch (err: any) {
    console.warn('[chuyan] subscribeMessage.send failed', m.template, err?.errCode ?? err?.message)
    return { ok: false, errCode: err?.errCode }
  }
}
