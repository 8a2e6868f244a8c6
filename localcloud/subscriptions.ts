// Subscription messages as strict as WeChat (docs/LOCALCLOUD.md, "Subscription messages"): the allows each person
// gave through requestSubscribeMessage, kept per person and template, one spent per send (one allow, one message)
// unless the template is long-term; and WeChat's rules for template data (订阅消息参数值内容限制说明, on the page of
// subscribeMessage.send). The app's own copy of the rules is tested to agree with this one.
import type { DocumentStore } from './db'

export const ALLOWS = '_subscriptions'

export const KEYWORD_TYPES = [
  'thing', 'number', 'letter', 'symbol', 'character_string', 'time', 'date', 'amount', 'phone_number', 'car_number', 'name', 'phrase'
] as const
export type KeywordType = (typeof KEYWORD_TYPES)[number]

/** A template as configured in the WeChat console: its id, its keywords' types, and whether it is long-term. */
export interface SubscriptionTemplate {
  id: string
  /** keyword name → type; absent: types are read from the keyword names (thing1 → thing) */
  keywords?: Record<string, KeywordType>
  /** 长期订阅: one allow lasts (WeChat grants it to public services only) */
  longTerm?: boolean
}

/** A person's answer for one template in the subscription dialog. */
export type SubscriptionAnswer = 'accept' | 'reject' | 'ban' | 'filter'

export interface Allow {
  openid: string
  templateId: string
  /** one-time allows not yet spent */
  remaining: number
  /** a long-term template the person accepted: every send goes through */
  longTerm: boolean
  lastAnswer: SubscriptionAnswer
  answeredAt: string
}

export class SubscriptionError extends Error {
  constructor (readonly field: string, message: string) { super(message) }
}

/** WeChat: at most 3 templates in one request (wx.requestSubscribeMessage). */
const MAX_PER_REQUEST = 3

export class Subscriptions {
  private readonly templates: Map<string, SubscriptionTemplate> | undefined

  constructor (private readonly store: DocumentStore, templates: SubscriptionTemplate[] | undefined, private readonly now: () => number) {
    this.templates = templates ? new Map(templates.map((t) => [t.id, t])) : undefined
  }

  /** The template of an id: undefined when the app declared templates and this is none of them. */
  template (id: string): SubscriptionTemplate | undefined {
    if (!this.templates) return { id }
    return this.templates.get(id)
  }

  /**
   * Records a person's answers to one requestSubscribeMessage, as WeChat does: each accept of a one-time template
   * adds one message the app may send; an accept of a long-term one lasts. A request mixing one-time and long-term
   * templates, naming more than three, or naming a template the app does not have, is refused.
   */
  record (openid: string, answers: Record<string, unknown>): Allow[] {
    if (openid === '') throw new SubscriptionError('openid', 'who is answering is unknown')
    const ids = Object.keys(answers)
    if (ids.length === 0) throw new SubscriptionError('answers', 'no template answered')
    if (ids.length > MAX_PER_REQUEST) throw new SubscriptionError('answers', `at most ${MAX_PER_REQUEST} templates in one request`)
    const templates = ids.map((id) => {
      const t = this.template(id)
      if (!t) throw new SubscriptionError(`answers.${id}`, `no template ${id} is configured`)
      const a = answers[id]
      if (a !== 'accept' && a !== 'reject' && a !== 'ban' && a !== 'filter') throw new SubscriptionError(`answers.${id}`, 'an answer is accept, reject, ban or filter')
      return t
    })
    if (new Set(templates.map((t) => t.longTerm === true)).size > 1) {
      throw new SubscriptionError('answers', 'one-time and long-term templates cannot be asked for together')
    }
    const at = new Date(this.now())
    for (const t of templates) {
      const answer = answers[t.id] as SubscriptionAnswer
      const accepted = answer === 'accept'
      this.store.updateById(ALLOWS, allowId(openid, t.id), {
        $set: { openid, templateId: t.id, lastAnswer: answer, answeredAt: at, ...(t.longTerm && accepted ? { longTerm: true } : {}) },
        $inc: { remaining: accepted && !t.longTerm ? 1 : 0 },
        $setOnInsert: t.longTerm && accepted ? {} : { longTerm: false }
      }, { upsert: true })
    }
    return this.allows(openid).filter((a) => ids.includes(a.templateId))
  }

  /** A person's allows, by template. */
  allows (openid?: string): Allow[] {
    return this.store.find(ALLOWS, openid === undefined ? {} : { openid }, { sort: { openid: 1, templateId: 1 } }).map((d) => ({
      openid: d.openid as string,
      templateId: d.templateId as string,
      remaining: (d.remaining as number | undefined) ?? 0,
      longTerm: d.longTerm === true,
      lastAnswer: d.lastAnswer as SubscriptionAnswer,
      answeredAt: (d.answeredAt as Date).toISOString()
    }))
  }

  /** Spends one allow of `openid` for `templateId`; false when there is none (WeChat answers 43101). */
  spend (openid: string, templateId: string): boolean {
    const doc = this.store.findById(ALLOWS, allowId(openid, templateId))
    if (!doc) return false
    if (doc.longTerm === true) return true
    if (((doc.remaining as number | undefined) ?? 0) <= 0) return false
    this.store.updateById(ALLOWS, allowId(openid, templateId), { $inc: { remaining: -1 }, $set: { spentAt: new Date(this.now()) } })
    return true
  }
}

const allowId = (openid: string, templateId: string): string => `${openid}:${templateId}`

// ---- WeChat's rules for keyword values ----------------------------------------------------------------------

const HAN = /\p{Script=Han}/u
const DATE = String.raw`(\d{4})(?:年(\d{1,2})月(\d{1,2})日|-(\d{1,2})-(\d{1,2})|\/(\d{1,2})\/(\d{1,2}))`
const TIME = String.raw`(\d{1,2}):(\d{2})(?::(\d{2}))?`
const TIME_POINT = new RegExp(`^(?:${DATE}\\s?)?${TIME}$`)
const DATE_POINT = new RegExp(`^${DATE}(?:\\s?${TIME})?$`)

function pointOk (text: string, re: RegExp): boolean {
  const m = re.exec(text.trim())
  if (!m) return false
  const [, y, a1, a2, b1, b2, c1, c2, h, min, s] = m
  if (y !== undefined) {
    const [mo, d] = (a1 !== undefined ? [a1, a2] : b1 !== undefined ? [b1, b2] : [c1, c2]).map(Number)
    if (mo < 1 || mo > 12 || d < 1 || d > new Date(Date.UTC(Number(y), mo, 0)).getUTCDate()) return false
  }
  return h === undefined || (Number(h) <= 23 && Number(min) <= 59 && (s === undefined || Number(s) <= 59))
}

/** A time or date, or a span of two joined by "~". */
const spanOk = (text: string, re: RegExp): boolean => {
  const parts = text.split('~')
  return parts.length <= 2 && parts.every((p) => pointOk(p, re))
}

/** Whether WeChat takes `value` for a keyword of `type`: 'empty', 'invalid' or undefined (fine). */
export function checkKeywordValue (type: KeywordType, value: string): 'empty' | 'invalid' | undefined {
  if (value.trim() === '') return 'empty'
  const n = [...value].length
  const ok = ((): boolean => {
    switch (type) {
      case 'thing': return n <= 20
      case 'number': return n <= 32 && /^\d+(\.\d+)?$/.test(value)
      case 'letter': return n <= 32 && /^[A-Za-z]+$/.test(value)
      case 'symbol': return n <= 5 && /^[^\p{L}\p{N}\s]+$/u.test(value)
      case 'character_string': return n <= 32 && /^[\x21-\x7e]+$/.test(value)
      case 'time': return spanOk(value, TIME_POINT)
      case 'date': return spanOk(value, DATE_POINT)
      case 'amount': return /^[¥￥$€£]?\d{1,10}(\.\d{1,2})?元?$/.test(value)
      case 'phone_number': return n <= 17 && /^\+?[\d\-() ]+$/.test(value) && /\d/.test(value)
      case 'car_number': return n >= 2 && n <= 8 && /^[\p{Script=Han}A-Z0-9][A-Z0-9]*[\p{Script=Han}A-Z0-9]?$/u.test(value)
      case 'name': return HAN.test(value)
        ? n <= 10 && /^[\p{Script=Han}A-Za-z·. ]+$/u.test(value)
        : n <= 20 && /^[A-Za-z\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e ]+$/.test(value)
      case 'phrase': return n <= 5 && /^\p{Script=Han}+$/u.test(value)
    }
    return true
  })()
  return ok ? undefined : 'invalid'
}

export function keywordType (key: string): KeywordType | undefined {
  const t = key.replace(/\d+$/, '')
  return (KEYWORD_TYPES as readonly string[]).includes(t) ? t as KeywordType : undefined
}

/**
 * What WeChat would answer a subscribeMessage.send with data that breaks the rules: [errcode, errmsg], or
 * undefined. A declared template's keywords must all be there, each valid for its declared type; without a
 * declaration, each keyword is checked by the type its name says.
 */
export function checkTemplateData (template: SubscriptionTemplate, data: unknown): [number, string] | undefined {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return [47003, 'argument invalid! data is empty']
  const given = data as Record<string, unknown>
  const keys = template.keywords ? Object.keys(template.keywords) : Object.keys(given)
  if (keys.length === 0) return [47003, 'argument invalid! data is empty']
  for (const key of keys) {
    const entry = given[key]
    const raw = entry !== null && typeof entry === 'object' ? (entry as { value?: unknown }).value : undefined
    const value = typeof raw === 'string' || typeof raw === 'number' ? String(raw) : ''
    const type = template.keywords?.[key] ?? keywordType(key)
    const problem = type ? checkKeywordValue(type, value) : (value === '' ? 'empty' : undefined)
    if (problem === 'empty') return [47003, `argument invalid! data.${key}.value is empty`]
    if (problem === 'invalid') return [47003, `argument invalid! data.${key}.value invalid`]
  }
  return undefined
}
