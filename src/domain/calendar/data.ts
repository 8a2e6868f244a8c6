import { z } from 'zod'
import { missingOr } from '../validation'
import { addDays, daysBetween, isDateKey, weekdayOf, yearOf } from './dates'

/**
 * The national holiday calendar is data, not code (docs/DOMAIN.md, "Working days and holidays"). The years the
 * State Council published (国务院办公厅关于部分节假日安排的通知) come from the kept library `chinese-days`
 * (library.ts); a year it lacks is estimated from the statutory holidays (statutory.ts) until an admin enters the
 * year's published arrangement, which the functions store in the database, checked by `HolidayYearInput`, and
 * `makeCalendar` layers over the published years.
 */

export const DateKeySchema = z.string({ error: missingOr('请填写日期', '日期格式应为 年-月-日，如 2027-02-06') })
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 年-月-日，如 2027-02-06')
  .refine(isDateKey, { message: '没有这一天，请核对日期' })
  .refine((s) => !isDateKey(s) || (s >= '1900-01-01' && s <= '2100-12-31'), { message: '日期应在1900年到2100年之间' })

/** One holiday of a notice, e.g. 春节 2026-02-15 … 2026-02-23 (both days included). */
const HolidayRange = z.object({
  name: z.string({ error: '请填写节日名称' }).trim().min(1, '请填写节日名称').max(20, '节日名称太长'),
  from: DateKeySchema,
  to: DateKeySchema
}).refine((h) => !isDateKey(h.from) || !isDateKey(h.to) || h.to >= h.from, { message: '放假结束日不能早于开始日', path: ['to'] })
  .refine((h) => !isDateKey(h.from) || !isDateKey(h.to) || daysBetween(h.from, h.to) < 15, { message: '一次放假不应超过 15 天，请核对日期', path: ['to'] })
type HolidayRange = z.infer<typeof HolidayRange>

const yearBody = {
  holidays: z.array(HolidayRange).max(20, '节日太多，请核对'),
  /** 调休上班日: a Saturday or Sunday that is worked to bridge a holiday. */
  workdays: z.array(DateKeySchema).max(20, '调休上班日太多，请核对')
}

/**
 * One year of holiday data as an admin enters it (and as each year of the shipped file is checked).
 * Dates belong to `year`, except that a notice may reach into the neighbouring December or January
 * (元旦 2024 began on 2023-12-30), so the last/first month of the neighbouring years is accepted.
 */
export const HolidayYearInput = z.object({
  year: z.number({ error: missingOr('请填写年份', '年份要写数字，如 2027') }).int('年份应为整数').min(2000, '年份不对').max(2100, '年份不对'),
  ...yearBody,
  /** Where the data comes from, e.g. the State Council notice with its number and address. */
  source: z.string().trim().max(2000, '来源说明太长').optional()
}).superRefine((y, ctx) => {
  const inReach = (d: string): boolean => {
    if (!isDateKey(d)) return true // reported by the field schema
    return yearOf(d) === y.year || (d >= `${y.year - 1}-12-01` && d <= `${y.year + 1}-01-31`)
  }
  const holidayDays = new Set<string>()
  y.holidays.forEach((h, i) => {
    if (!inReach(h.from)) ctx.addIssue({ code: 'custom', message: `日期不属于 ${y.year} 年`, path: ['holidays', i, 'from'] })
    if (!inReach(h.to)) ctx.addIssue({ code: 'custom', message: `日期不属于 ${y.year} 年`, path: ['holidays', i, 'to'] })
    if (!isDateKey(h.from) || !isDateKey(h.to) || h.to < h.from || daysBetween(h.from, h.to) >= 15) return
    for (let d = h.from; d <= h.to; d = addDays(d, 1)) {
      if (holidayDays.has(d)) ctx.addIssue({ code: 'custom', message: `${d} 与其他节日重叠`, path: ['holidays', i, 'from'] })
      holidayDays.add(d)
    }
  })
  y.workdays.forEach((d, i) => {
    if (!isDateKey(d)) return
    if (!inReach(d)) ctx.addIssue({ code: 'custom', message: `日期不属于 ${y.year} 年`, path: ['workdays', i] })
    else if (weekdayOf(d) < 6) ctx.addIssue({ code: 'custom', message: `${d} 本来就是工作日，调休上班日应为周六或周日`, path: ['workdays', i] })
    else if (holidayDays.has(d)) ctx.addIssue({ code: 'custom', message: `${d} 既是放假日又是上班日`, path: ['workdays', i] })
  })
})
export type HolidayYearInput = z.input<typeof HolidayYearInput>
/** A checked year of holiday data. */
export type HolidayYears = z.infer<typeof HolidayYearInput>
