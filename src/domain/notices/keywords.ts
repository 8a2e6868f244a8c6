/**
 * WeChat's rules for the values of a subscription message's keywords (订阅消息参数值内容限制说明, on the page of
 * subscribeMessage.send; docs/ARCHITECTURE.md, "Notifications"). A template's keywords are named by their type and a
 * number (`thing1`, `time2`); WeChat refuses a send whose value breaks its type's rule with errcode 47003.
 *
 * The local cloud keeps its own copy of these rules (it stands in for WeChat and imports nothing from the app);
 * test/unit/notices.test.ts checks the two agree.
 */

export const KEYWORD_TYPES = [
  'thing', 'number', 'letter', 'symbol', 'character_string', 'time', 'date', 'amount', 'phone_number', 'car_number', 'name', 'phrase'
] as const
export type KeywordType = (typeof KEYWORD_TYPES)[number]

/** The most characters each type holds (WeChat counts characters, not bytes). */
export const KEYWORD_LIMITS: Record<KeywordType, number | undefined> = {
  thing: 20, number: 32, letter: 32, symbol: 5, character_string: 32, time: undefined, date: undefined,
  amount: undefined, phone_number: 17, car_number: 8, name: 10, phrase: 5
}

const HAN = /\p{Script=Han}/u
const ONLY_HAN = /^\p{Script=Han}+$/u
const chars = (s: string) => [...s].length

/** A date as WeChat's examples write it: 2019年10月1日, 2019-10-01, 2019/10/01 (a year is required). */
const DATE = String.raw`(\d{4})(?:年(\d{1,2})月(\d{1,2})日|-(\d{1,2})-(\d{1,2})|\/(\d{1,2})\/(\d{1,2}))`
/** A 24-hour time: 15:01 or 15:01:30. */
const TIME = String.raw`(\d{1,2}):(\d{2})(?::(\d{2}))?`
const TIME_POINT = new RegExp(`^(?:${DATE}\\s?)?${TIME}$`)
const DATE_POINT = new RegExp(`^${DATE}(?:\\s?${TIME})?$`)

function realDate (y: string, m: string, d: string): boolean {
  const month = Number(m)
  const day = Number(d)
  if (month < 1 || month > 12 || day < 1) return false
  return day <= new Date(Date.UTC(Number(y), month, 0)).getUTCDate()
}

function realTime (h: string | undefined, min: string | undefined, s: string | undefined): boolean {
  if (h === undefined) return true
  return Number(h) <= 23 && Number(min) <= 59 && (s === undefined || Number(s) <= 59)
}

/** One point of a `time` or `date` value, matched by `re` (groups: year, three date forms, then the time). */
function wellFormedPoint (text: string, re: RegExp): boolean {
  const m = re.exec(text.trim())
  if (!m) return false
  const [, y, a1, a2, b1, b2, c1, c2, h, min, s] = m
  if (y !== undefined) {
    const [mo, d] = a1 !== undefined ? [a1, a2] : b1 !== undefined ? [b1, b2] : [c1, c2]
    if (!realDate(y, mo, d)) return false
  }
  return realTime(h, min, s)
}

/** A time span is two points joined by "~". */
function wellFormed (text: string, re: RegExp): boolean {
  const parts = text.split('~')
  return parts.length <= 2 && parts.every((p) => wellFormedPoint(p, re))
}

/**
 * Why WeChat would refuse `value` for a keyword of `type`: 'empty', 'invalid', or undefined when it is fine.
 * (WeChat's answer names the keyword: "data.thing1.value is empty", "data.thing1.value invalid".)
 */
export function checkKeyword (type: KeywordType, value: string): 'empty' | 'invalid' | undefined {
  if (value.trim() === '') return 'empty'
  const n = chars(value)
  const limit = KEYWORD_LIMITS[type]
  switch (type) {
    case 'thing': return n <= 20 ? undefined : 'invalid'
    case 'number': return n <= 32 && /^\d+(\.\d+)?$/.test(value) ? undefined : 'invalid'
    case 'letter': return n <= 32 && /^[A-Za-z]+$/.test(value) ? undefined : 'invalid'
    case 'symbol': return n <= 5 && /^[^\p{L}\p{N}\s]+$/u.test(value) ? undefined : 'invalid'
    case 'character_string': return n <= 32 && /^[\x21-\x7e]+$/.test(value) ? undefined : 'invalid'
    case 'time': return wellFormed(value, TIME_POINT) ? undefined : 'invalid'
    case 'date': return wellFormed(value, DATE_POINT) ? undefined : 'invalid'
    case 'amount': return /^[¥￥$€£]?\d{1,10}(\.\d{1,2})?元?$/.test(value) ? undefined : 'invalid'
    case 'phone_number': return n <= 17 && /^\+?[\d\-() ]+$/.test(value) && /\d/.test(value) ? undefined : 'invalid'
    case 'car_number': return n <= 8 && /^[\p{Script=Han}A-Z0-9][A-Z0-9]*[\p{Script=Han}A-Z0-9]?$/u.test(value) && n >= 2 ? undefined : 'invalid'
    case 'name':
      // 10 Chinese characters, or 20 letters and symbols; a name mixing both counts as Chinese.
      if (HAN.test(value)) return n <= 10 && /^[\p{Script=Han}A-Za-z·. ]+$/u.test(value) ? undefined : 'invalid'
      return n <= 20 && /^[A-Za-z\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e ]+$/.test(value) ? undefined : 'invalid'
    case 'phrase': return n <= 5 && ONLY_HAN.test(value) ? undefined : 'invalid'
  }
  return limit === undefined || n <= limit ? undefined : 'invalid'
}

/** The type of a keyword from its name, as WeChat names them (`thing1` → thing, `character_string3` → character_string). */
export function keywordTypeOf (key: string): KeywordType | undefined {
  const t = key.replace(/\d+$/, '')
  return (KEYWORD_TYPES as readonly string[]).includes(t) ? t as KeywordType : undefined
}
