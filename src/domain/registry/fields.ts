import { z } from 'zod'
import { ZONE, ageOn, dayjs, inShanghai, isRealDate } from '../time'
import { CalendarDate } from '../calendar/input'

/**
 * A Chinese resident ID number (GB 11643-1999): 17 digits and a check character (0-9 or X) computed with
 * weights 2^(17-i) mod 11. The birth date inside must be a real date.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const CHECK = '10X98765432'

export function idCheckChar (first17: string): string {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]
  return CHECK[sum % 11]
}

export function isValidIdNumber (id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false
  if (idCheckChar(id.slice(0, 17)) !== id[17]) return false
  return isRealDate(id.slice(6, 14), 'YYYYMMDD')
}

/** YYYY-MM-DD of the birth date an ID number carries. */
export function birthDateOfId (id: string): string {
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`
}

/** The 17th digit is odd for men and boys, even for women and girls. */
export function genderOfId (id: string): 'male' | 'female' {
  return Number(id[16]) % 2 === 1 ? 'male' : 'female'
}

export const IdNumber = z.string().trim().toUpperCase()
  .refine(isValidIdNumber, { message: '身份证号不对，请核对18位号码（最后一位可能是X）' })

export const MobilePhone = z.string().trim().regex(/^1[3-9]\d{9}$/, '手机号应是11位数字，以1开头')

/** A real calendar day, 1900–2100 (calendar/input.ts). */
export const DateString = CalendarDate

/** A child's birth date: a real date, not in the future, and making them a minor (under 18) today. */
export function childBirthDate (now: Date) {
  return DateString.refine((s) => !dayjs.tz(s, ZONE).isAfter(inShanghai(now)), { message: '出生日期不能晚于今天' })
    .refine((s) => ageOn(s, now) < 18, { message: '孩子应未满18周岁' })
}

/** Masks for lists: the whole number is shown only on an explicit, logged "show". */
export function maskIdNumber (id: string): string {
  return id.length < 8 ? '*'.repeat(id.length) : `${id.slice(0, 3)}${'*'.repeat(id.length - 7)}${id.slice(-4)}`
}

export function maskPhone (phone: string): string {
  return phone.length < 7 ? '*'.repeat(phone.length) : `${phone.slice(0, 3)}****${phone.slice(-4)}`
}
