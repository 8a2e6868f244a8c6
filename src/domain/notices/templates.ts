/**
 * The app's subscription-message templates, declared once (docs/ARCHITECTURE.md, "Notifications"): each template's
 * keywords and their types as chosen in the WeChat console, whether it is long-term, and what it is for; and the one
 * checked function that builds a template's data from a notice. No call site builds template data.
 *
 * Template ids are configuration (the functions' TPL_* and the pages' TARO_APP_TPL_* variables); dev/ gives this same
 * declaration to the local cloud, which checks every send against it as WeChat does.
 */
import type { Role } from '../roles'
import { inShanghai } from '../time'
import { checkKeyword, type KeywordType } from './keywords'

export const TEMPLATE_KEYS = [
  'callReminder', 'weeklyNudge', 'slotOffer', 'bookingProblem', 'careAlert', 'crisisAlert', 'reportAlert',
  'sessionReminder', 'caseUpdate', 'deadlineAlert', 'pairingOffer', 'pairingReminder', 'staffBooking', 'callConfirm'
] as const
export type TemplateKey = (typeof TEMPLATE_KEYS)[number]

/** What a notice says, as a template is built from it. */
export interface NoticeContent {
  /** one plain line: what happened */
  title: string
  detail?: string
  /** the time the notice is about (a call's start, a deadline); absent: when it was sent */
  at?: Date
  /** a short code of the thing it is about (a report's reference), letters, digits and symbols */
  ref?: string
  urgent?: boolean
}

/** Where each keyword's value comes from. */
type Source = (n: NoticeContent, now: Date) => string

interface TemplateSpec {
  /** the template's title as the person sees it in WeChat and on 接收提醒 */
  label: string
  /** what it tells, in a few words */
  purpose: string
  /** keyword name (as the console shows it) → its type and where its value comes from */
  keywords: Record<string, { type: KeywordType, from: Source }>
  /**
   * One allow lasts (长期订阅). WeChat grants long-term templates only to public services (政务民生、医疗、交通、金融、
   * 教育); `canBeLongTerm` says the template is one this app may ask WeChat to make long-term. Until it is granted
   * (`longTerm`), each allow carries one message.
   */
  longTerm: boolean
  canBeLongTerm: boolean
}

const title: Source = (n) => n.title
const detail: Source = (n) => n.detail ?? ''
const when: Source = (n, now) => wechatTime(n.at ?? now)
const sent: Source = (_n, now) => wechatTime(now)

export const TEMPLATES: Record<TemplateKey, TemplateSpec> = {
  callReminder: { label: '通话提醒', purpose: '和孩子的通话快到了', longTerm: false, canBeLongTerm: false, keywords: { thing1: { type: 'thing', from: title }, time2: { type: 'time', from: when }, thing3: { type: 'thing', from: detail } } },
  weeklyNudge: { label: '每周通话提醒', purpose: '这周还没和孩子通话', longTerm: false, canBeLongTerm: false, keywords: { thing1: { type: 'thing', from: title }, thing2: { type: 'thing', from: detail } } },
  slotOffer: { label: '空位提醒', purpose: '等候的时间有空位了', longTerm: false, canBeLongTerm: false, keywords: { thing1: { type: 'thing', from: title }, time2: { type: 'time', from: when }, thing3: { type: 'thing', from: detail } } },
  bookingProblem: { label: '预约未成提醒', purpose: '固定通话这周没约上', longTerm: false, canBeLongTerm: false, keywords: { thing1: { type: 'thing', from: title }, thing2: { type: 'thing', from: detail }, time3: { type: 'time', from: sent } } },
  careAlert: { label: '关爱提醒', purpose: '孩子需要关注（长期没通话、志愿者反映情况）', longTerm: false, canBeLongTerm: true, keywords: { thing1: { type: 'thing', from: title }, thing2: { type: 'thing', from: detail }, time3: { type: 'time', from: when } } },
  crisisAlert: { label: '紧急求助提醒', purpose: '孩子紧急求助，或无人接听已升级', longTerm: false, canBeLongTerm: true, keywords: { thing1: { type: 'thing', from: title }, time2: { type: 'time', from: when }, phrase3: { type: 'phrase', from: () => '紧急' }, thing4: { type: 'thing', from: detail } } },
  reportAlert: { label: '强制报告提醒', purpose: '新的强制报告，或无人接收已升级', longTerm: false, canBeLongTerm: true, keywords: { thing1: { type: 'thing', from: title }, character_string2: { type: 'character_string', from: (n) => n.ref ?? '' }, time3: { type: 'time', from: when }, thing4: { type: 'thing', from: detail } } },
  sessionReminder: { label: '心理辅导提醒', purpose: '预约的心理辅导快到了', longTerm: false, canBeLongTerm: false, keywords: { thing1: { type: 'thing', from: title }, time2: { type: 'time', from: when }, thing3: { type: 'thing', from: detail } } },
  caseUpdate: { label: '案件进展提醒', purpose: '法律援助案件有新进展', longTerm: false, canBeLongTerm: true, keywords: { thing1: { type: 'thing', from: title }, thing2: { type: 'thing', from: detail }, time3: { type: 'time', from: when } } },
  deadlineAlert: { label: '期限提醒', purpose: '法律援助期限快到或已超时', longTerm: false, canBeLongTerm: true, keywords: { thing1: { type: 'thing', from: title }, time2: { type: 'time', from: when }, phrase3: { type: 'phrase', from: (n) => (n.urgent ? '已超时' : '快到期') }, thing4: { type: 'thing', from: detail } } },
  pairingOffer: { label: '结对邀请提醒', purpose: '有孩子需要您结对关爱', longTerm: false, canBeLongTerm: false, keywords: { thing1: { type: 'thing', from: title }, thing2: { type: 'thing', from: detail }, time3: { type: 'time', from: sent } } },
  pairingReminder: { label: '结对关爱提醒', purpose: '谈心、家访和审查到期', longTerm: false, canBeLongTerm: false, keywords: { thing1: { type: 'thing', from: title }, thing2: { type: 'thing', from: detail } } },
  staffBooking: { label: '预约变动提醒', purpose: '有人预约、改约或取消', longTerm: false, canBeLongTerm: true, keywords: { thing1: { type: 'thing', from: title }, time2: { type: 'time', from: when }, thing3: { type: 'thing', from: detail } } },
  callConfirm: { label: '通话确认提醒', purpose: '孩子的家长说打过电话，请确认', longTerm: false, canBeLongTerm: false, keywords: { thing1: { type: 'thing', from: title }, time2: { type: 'time', from: when }, thing3: { type: 'thing', from: detail } } }
}

/** The alerts each staff duty needs switched on (the 接收提醒 page lists these; a supervisor sees who has none left). */
export const DUTY_ALERTS: Partial<Record<Role, readonly TemplateKey[]>> = {
  counselor: ['crisisAlert', 'staffBooking'],
  teacher: ['careAlert', 'staffBooking'],
  police: ['reportAlert'],
  admin: ['reportAlert', 'deadlineAlert'],
  legalAidOfficer: ['deadlineAlert', 'caseUpdate'],
  lawyer: ['caseUpdate', 'deadlineAlert'],
  childWelfareOfficer: ['careAlert', 'reportAlert'],
  volunteer: ['pairingOffer', 'pairingReminder']
}

/** The alerts of a person's active roles, in duty order, each once. */
export function dutyAlerts (roles: readonly Role[]): TemplateKey[] {
  return [...new Set(roles.flatMap((r) => DUTY_ALERTS[r] ?? []))]
}

/** Staff roles: people whose duty makes an alert they miss someone else's problem (an SMS backs them up). */
export const STAFF_ROLES: readonly Role[] = ['counselor', 'teacher', 'police', 'admin', 'legalAidOfficer', 'lawyer', 'childWelfareOfficer']

// ---- building a template's data -------------------------------------------------------------------------------

/** A time as WeChat's `time` keyword shows it: 2026年3月2日 15:00 (Asia/Shanghai, 24-hour). */
export function wechatTime (at: Date): string {
  return inShanghai(at).format('YYYY年M月D日 HH:mm')
}

/** Plain text: no line breaks or runs of spaces, no characters outside the basic plane (emoji), which WeChat drops. */
function plain (s: string): string {
  return [...s.replace(/\s+/g, ' ').trim()].filter((c) => (c.codePointAt(0) ?? 0) <= 0xffff && !/\p{Cc}/u.test(c)).join('')
}

/** At most `max` characters, the last one an ellipsis when cut. */
export function cut (s: string, max: number): string {
  const cs = [...s]
  return cs.length <= max ? s : cs.slice(0, max - 1).join('') + '…'
}

/** What stands in an empty keyword, by type: WeChat refuses an empty value. */
const FALLBACK: Partial<Record<KeywordType, string>> = { thing: '详见雏燕小程序', character_string: '-', phrase: '提醒', name: '工作人员' }

/** A value made to fit its keyword type: cut, cleaned, or replaced by a fallback. */
export function fitKeyword (type: KeywordType, raw: string): string {
  const v = plain(raw)
  switch (type) {
    case 'thing': return v === '' ? FALLBACK.thing! : cut(v, 20)
    case 'character_string': {
      const ascii = v.replace(/[^\x21-\x7e]/g, '')
      return ascii === '' ? FALLBACK.character_string! : ascii.slice(0, 32)
    }
    case 'phrase': return checkKeyword('phrase', v) === undefined ? v : FALLBACK.phrase!
    case 'name': {
      const han = [...v].filter((c) => /\p{Script=Han}/u.test(c)).join('')
      return han === '' ? FALLBACK.name! : [...han].slice(0, 10).join('')
    }
    default: return v
  }
}

export type TemplateData = Record<string, { value: string }>

/**
 * The data of `template` for a notice, every keyword fitted to its type and checked as WeChat checks it. Throws
 * (a bug, never the person's fault) if a value still breaks a rule.
 */
export function templateData (template: TemplateKey, n: NoticeContent, now: Date): TemplateData {
  const spec = TEMPLATES[template]
  const data: TemplateData = {}
  for (const [key, k] of Object.entries(spec.keywords)) {
    const value = fitKeyword(k.type, k.from(n, now))
    const problem = checkKeyword(k.type, value)
    if (problem) throw new Error(`template ${template}: ${key} (${k.type}) would be refused as ${problem}: "${value}"`)
    data[key] = { value }
  }
  return data
}

/** The declaration the local cloud checks sends against: keyword types and long-term, by template id. */
export function templateDeclarations (idOf: (key: TemplateKey) => string): Array<{ id: string, keywords: Record<string, KeywordType>, longTerm: boolean }> {
  return TEMPLATE_KEYS.map((key) => ({
    id: idOf(key),
    keywords: Object.fromEntries(Object.entries(TEMPLATES[key].keywords).map(([k, v]) => [k, v.type])),
    longTerm: TEMPLATES[key].longTerm
  }))
}

/** The default template id of a key (TPL_CRISIS_ALERT for crisisAlert), used where configuration names none. */
export function defaultTemplateId (key: TemplateKey): string {
  return 'TPL_' + key.replace(/[A-Z]/g, (c) => '_' + c).toUpperCase()
}

// ---- SMS ------------------------------------------------------------------------------------------------------

/**
 * The SMS template for what cannot wait (docs/ARCHITECTURE.md, "Notifications"). Tencent Cloud SMS sends only
 * approved templates with {1}, {2} variables; its id is configuration (SMS_TEMPLATE_URGENT) and the signature
 * (SMS_SIGN_NAME) is added by Tencent in front.
 */
export const SMS_URGENT_TEMPLATE = {
  text: '雏燕紧急提醒：{1}。{2}。请尽快打开雏燕小程序处理。',
  /** the longest variable the template was approved for */
  maxParamLength: 20
} as const

/** The variables of the urgent SMS for a notice, each cut to what the template allows and never empty. */
export function smsParams (n: NoticeContent): [string, string] {
  const strip = (s: string) => plain(s).replace(/https?:\/\/\S+/g, '').replace(/[【】]/g, '')
  const one = strip(n.title) || '有紧急情况'
  const two = strip(n.detail ?? '') || '请查看'
  return [cut(one, SMS_URGENT_TEMPLATE.maxParamLength), cut(two, SMS_URGENT_TEMPLATE.maxParamLength)]
}

// ---- reach ----------------------------------------------------------------------------------------------------

/** What the app knows of one allow (its mirror of what WeChat keeps). */
export interface AllowState { remaining: number, longTerm: boolean }

/**
 * Whether a staff member can be reached for their duty: the duty's alerts with no allow left (`missing`), and
 * `unreachable` when some are missing and no phone backs them up by SMS.
 */
export function reachOf (duty: readonly TemplateKey[], allows: ReadonlyMap<string, AllowState>, hasPhone: boolean): { missing: TemplateKey[], unreachable: boolean } {
  const missing = duty.filter((k) => { const a = allows.get(k); return !a || (!a.longTerm && a.remaining <= 0) })
  return { missing, unreachable: missing.length > 0 && !hasPhone }
}

/** What a delivery that reached nobody outside the app ran into, in words for a trail (who could not be reached, and why). */
export function unreachableWhy (d: { subscription: 'sent' | 'refused' | 'skipped', errCode?: number, sms: 'sent' | 'failed' | 'noPhone' | 'none' }): string {
  const parts: string[] = []
  if (d.subscription === 'refused') parts.push(d.errCode === 43101 ? '没有可用的微信提醒（未开通或已用完）' : `微信提醒发送失败（${d.errCode ?? '未知'}）`)
  if (d.sms === 'noPhone') parts.push('没有留手机号，无法发短信')
  else if (d.sms === 'failed') parts.push('短信发送失败')
  else if (d.sms === 'none') parts.push('没有短信备用')
  return parts.join('，')
}

const CHANNEL_LABELS: Record<string, string> = { subscription: '微信提醒', sms: '短信' }

/** Who was alerted and how, for a trail: "周建华（微信提醒、短信）、许文华（未收到：没有留手机号）". */
export function alertedWords (alerted: ReadonlyArray<{ name: string, via: readonly string[], reached: boolean, why?: string }>): string {
  return alerted.map((a) => a.reached
    ? `${a.name}（${a.via.map((c) => CHANNEL_LABELS[c] ?? c).join('、')}）`
    : `${a.name}（未收到${a.why ? '：' + a.why : ''}）`).join('、')
}
