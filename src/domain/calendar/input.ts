import { z } from 'zod'
import { missingOr } from '../validation'
import { isDateKey } from './dates'

/**
 * Dates and times as people send them, checked before anything uses them: a real calendar day (2026-02-30 and
 * 0000-00-00 are not), in a range the product can mean, with a message for the field. Every date and time in the
 * action contracts goes through these (docs/ARCHITECTURE.md, "Cloud functions").
 */
const FIRST_DAY = '1900-01-01'
const LAST_DAY = '2100-12-31'
/** Instants (a call's start, a session's time) are of this century. */
const FIRST_INSTANT = Date.UTC(2000, 0, 1)
const LAST_INSTANT = Date.UTC(2101, 0, 1)

/** 'YYYY-MM-DD', a real day between 1900 and 2100. */
export const CalendarDate = z.string({ error: missingOr('请填写日期', '日期格式应为 年-月-日') })
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 年-月-日')
  .refine((s) => isDateKey(s), { message: '没有这一天，请核对日期' })
  .refine((s) => !isDateKey(s) || (s >= FIRST_DAY && s <= LAST_DAY), { message: '日期应在1900年到2100年之间' })

const ISO_INSTANT = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))$/

/** An ISO 8601 time with its zone (as JSON carries a Date), its day real and its fields in range; else undefined. */
export function parseInstant (s: string): Date | undefined {
  const m = ISO_INSTANT.exec(s)
  if (!m || !isDateKey(m[1])) return undefined
  const [hh, mm, ss] = [Number(m[2]), Number(m[3]), Number(m[4] ?? 0)]
  if (hh > 23 || mm > 59 || ss > 59) return undefined
  if (m[5] !== 'Z' && (Number(m[6]) > 14 || Number(m[7]) > 59)) return undefined
  const at = new Date(s)
  return Number.isNaN(at.getTime()) ? undefined : at
}

/** A moment: a Date, or an ISO time with its zone; a real time of 2000–2100. `message` is for anything else. */
export function instant (message: string) {
  return z.union([z.date(), z.string()], { error: message }).transform((v, ctx) => {
    const at = typeof v === 'string' ? (v.length <= 40 ? parseInstant(v) : undefined) : (Number.isNaN(v.getTime()) ? undefined : v)
    if (!at) {
      ctx.addIssue({ code: 'custom', message: '时间格式不对，请重新选择时间' })
      return z.NEVER
    }
    if (at.getTime() < FIRST_INSTANT || at.getTime() >= LAST_INSTANT) {
      ctx.addIssue({ code: 'custom', message: '时间应在2000年到2100年之间' })
      return z.NEVER
    }
    return at
  })
}
