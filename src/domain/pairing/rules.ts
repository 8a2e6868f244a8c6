import { z } from 'zod'
import { VolunteerKind } from '../roles'
import { DateString, MobilePhone } from '../registry/fields'
import { addDays, atShanghai, shanghaiWall, toDateKey } from '../calendar/dates'

/**
 * 爱心结对. Minors Protection Law Art. 62 (docs/DOMAIN.md, "Minors Protection Law"): nobody in close contact with minors starts before a check of
 * records of sexual assault, abuse, trafficking and violence, and the check is repeated every year. The plan's
 * 爱心家长: at least one talk a month and one home visit a quarter (docs/DOMAIN.md, "Contact rhythm").
 */
const VETTING_VALID_DAYS = 365
export const VETTING_REMIND_DAYS = 30
export const OFFER_DAYS = 7

export interface Vetting { checkDate: string, result: 'clear' | 'record', checkedBy: string, trainingDate?: string, interviewDate?: string }
type VettingState = 'none' | 'failed' | 'valid' | 'expiringSoon' | 'expired'
export const VETTING_STATE_LABELS: Record<VettingState, string> = {
  none: '还没有审查',
  failed: '审查未通过',
  valid: '审查有效',
  expiringSoon: '审查一个月内到期，请尽快复查',
  expired: '审查已过期，暂停新的结对'
}

/** The last day the check is valid: a year after it (Shanghai dates). */
export function vettingValidUntil (v: Vetting): string {
  return addDays(v.checkDate, VETTING_VALID_DAYS - 1)
}

export function vettingState (v: Vetting | undefined, now: Date): VettingState {
  if (!v) return 'none'
  if (v.result !== 'clear') return 'failed'
  const today = toDateKey(now)
  const until = vettingValidUntil(v)
  if (today > until) return 'expired'
  if (today > addDays(until, -VETTING_REMIND_DAYS)) return 'expiringSoon'
  return 'valid'
}

/** Offers allowed only with a valid check (expiring soon is still valid). */
export function mayBeOffered (v: Vetting | undefined, now: Date): boolean {
  const s = vettingState(v, now)
  return s === 'valid' || s === 'expiringSoon'
}

export const VettingInput = z.object({
  volunteerId: z.string().min(1),
  checkDate: DateString,
  result: z.enum(['clear', 'record'], { message: '请选择审查结果' }),
  checkedBy: z.string().trim().min(2, '请填写出具审查结果的单位').max(50, '最多50字'),
  trainingDate: DateString.optional(),
  interviewDate: DateString.optional()
}).strict()

export const VolunteerRegistration = z.object({
  name: z.string().trim().min(1, '请填写姓名').max(20, '姓名太长'),
  kind: VolunteerKind,
  gender: z.enum(['male', 'female'], { message: '请选择性别' }),
  townshipIds: z.array(z.string().min(1)).min(1, '请至少选择一个能上门的乡镇'),
  capacity: z.number().int().min(1, '最少1个').max(3, '最多同时结对3个孩子'),
  freeDays: z.array(z.number().int().min(1).max(7)).max(7).default([]),
  skills: z.array(z.string().min(1)).max(10).default([]),
  dialects: z.array(z.string().min(1)).max(5).default([]),
  /** For the family of a paired child to call (shown only after a pairing is accepted, and each look is logged). */
  phone: MobilePhone.optional(),
  /**
   * Families the volunteer must not be paired with (relatives, a quarrel, a business tie): names of a child, parent
   * or guardian. Matching never pairs across them.
   */
  conflicts: z.array(z.string().trim().min(1, '请填写姓名').max(20, '姓名太长')).max(20, '最多20个').default([]),
  agreedToCode: z.literal(true, { message: '请先阅读并同意志愿者守则' })
}).strict()

export const VOLUNTEER_CODE = [
  '尊重孩子，保护孩子的隐私，不拍摄、不传播孩子的照片和信息。',
  '不与孩子单独在封闭场所相处；上门看望时有家人在场。',
  '不向孩子及其家庭索取或赠送贵重财物。',
  '发现孩子受到伤害或有危险，立即报告（强制报告），必要时拨打 110。',
  '每月至少谈心一次、每季度至少上门看望一次，并在雏燕里记录。'
]

/** The month and quarter a contact counts for, in Shanghai time. */
export function periodsOf (at: Date): { month: string, quarter: string } {
  const d = shanghaiWall(at)
  return { month: d.format('YYYY-MM'), quarter: `${d.year()}-Q${Math.floor(d.month() / 3) + 1}` }
}

/** The instant a period ends (the first moment of the next), Shanghai time. */
export function periodEnd (period: string): Date {
  const q = /^(\d{4})-Q([1-4])$/.exec(period)
  if (q) {
    const y = Number(q[1]); const m = Number(q[2]) * 3 + 1
    return atShanghai(m > 12 ? `${y + 1}-01-01` : `${y}-${String(m).padStart(2, '0')}-01`)
  }
  const [y, m] = period.split('-').map(Number)
  return atShanghai(m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`)
}

export interface Rhythm { month: string, talkDone: boolean, monthEndsAt: Date, quarter: string, visitDone: boolean, quarterEndsAt: Date }

export interface ContactEntry { kind: 'talk' | 'visit', at: Date, mode?: string }

/**
 * The contacts that count for a pairing (docs/DOMAIN.md, "Contact rhythm"): none from before the day the pairing began
 * (`since`, the acceptance), and a home visit only when made in person — a "visit" by phone or video counts as a
 * talk, never as the quarter's visit.
 */
export function countingContacts<T extends ContactEntry> (logs: readonly T[], since?: Date): T[] {
  const first = since ? toDateKey(since) : undefined
  return logs.filter((l) => first === undefined || toDateKey(new Date(l.at)) >= first)
}

/** A contact that is the quarter's home visit: a visit, in person. */
export function isHomeVisit (l: ContactEntry): boolean {
  return l.kind === 'visit' && l.mode === 'inPerson'
}

/**
 * This month's talk and this quarter's visit, done or due, from the contacts since the pairing began. Visits count as
 * talks too (they talk in person); only an in-person visit is the quarter's visit.
 */
export function rhythmOf (logs: readonly ContactEntry[], now: Date, since?: Date): Rhythm {
  const { month, quarter } = periodsOf(now)
  const counted = countingContacts(logs, since)
  const talkDone = counted.some((l) => periodsOf(new Date(l.at)).month === month)
  const visitDone = counted.some((l) => isHomeVisit(l) && periodsOf(new Date(l.at)).quarter === quarter)
  return { month, talkDone, monthEndsAt: periodEnd(month), quarter, visitDone, quarterEndsAt: periodEnd(quarter) }
}

/** The instant a period begins (its first day, 00:00 Shanghai time). */
export function periodStart (period: string): Date {
  return periodEnd(previousPeriod(period))
}

/** The period just before `period` (for "a missed month or quarter" once it has ended). */
export function previousPeriod (period: string): string {
  const q = /^(\d{4})-Q([1-4])$/.exec(period)
  if (q) return Number(q[2]) === 1 ? `${Number(q[1]) - 1}-Q4` : `${q[1]}-Q${Number(q[2]) - 1}`
  const [y, m] = period.split('-').map(Number)
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`
}

export const END_REASONS = ['childMoved', 'parentHome', 'volunteerStops', 'childAgedOut', 'vettingExpired', 'other'] as const
export const END_REASON_LABELS: Record<(typeof END_REASONS)[number], string> = {
  childMoved: '孩子搬走或随父母进城',
  parentHome: '父母返乡',
  volunteerStops: '志愿者不能继续',
  childAgedOut: '孩子已满16周岁',
  vettingExpired: '志愿者审查过期未复查',
  other: '其他'
}
