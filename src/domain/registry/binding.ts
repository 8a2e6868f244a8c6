import { z } from 'zod'
import { Relation } from '../people'
import { DateString } from './fields'

/**
 * One-time binding codes: an officer or teacher hands one to a parent, guardian or child; it links that WeChat
 * account to the child. Valid 7 days, used once, and void after 5 wrong answers to its check question (the
 * child's birth date), so a guessed code alone binds nobody.
 */
export const BINDING_CODE_LENGTH = 8
export const BINDING_CODE_DAYS = 7
export const BINDING_MAX_TRIES = 5
/** Wrong codes one WeChat account may enter in a day before it must wait (stops guessing across codes). */
export const MAX_WRONG_CODES_PER_DAY = 10

export const BindingRole = z.enum(['parent', 'guardian', 'child'], { message: '请选择家长、监护人或孩子本人' })
export type BindingRole = z.infer<typeof BindingRole>

export const CreateBindingCodeInput = z.object({
  childId: z.string().min(1),
  role: BindingRole,
  relation: Relation,
  /** The name of the person it is for, so their account is created with it. */
  personName: z.string().trim().min(1, '请填写对方姓名').max(20, '姓名太长')
}).strict()

export const RedeemBindingCodeInput = z.object({
  code: z.string().trim().regex(/^\d{8}$/, '绑定码是8位数字'),
  childBirthDate: DateString
}).strict()

/** Digits only, so it can be read out over the phone to a grandparent. `random` returns integers in [0, 10). */
export function newBindingCode (randomDigit: () => number): string {
  let code = ''
  for (let i = 0; i < BINDING_CODE_LENGTH; i++) code += String(randomDigit())
  return code
}

type BindingCodeState = 'valid' | 'used' | 'expired' | 'locked'
export function bindingCodeState (code: { usedAt?: Date | null, expiresAt: Date, failedTries: number }, now: Date): BindingCodeState {
  if (code.usedAt) return 'used'
  if (code.failedTries >= BINDING_MAX_TRIES) return 'locked'
  if (now.getTime() >= code.expiresAt.getTime()) return 'expired'
  return 'valid'
}

export const BINDING_STATE_MESSAGES: Record<Exclude<BindingCodeState, 'valid'>, string> = {
  used: '这个绑定码已经用过了，请向老师或儿童主任要一个新的',
  expired: '这个绑定码已过期（7天有效），请向老师或儿童主任要一个新的',
  locked: '这个绑定码输错次数太多，已失效，请向老师或儿童主任要一个新的'
}
