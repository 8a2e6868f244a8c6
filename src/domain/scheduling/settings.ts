import { z } from 'zod'
import { missingOr } from '../validation'
import { DateKeySchema } from '../calendar/data'
import { isTimeOfDay, minutesOf, type Weekday, WEEKDAY_LABELS } from '../calendar/dates'

/** 'HH:mm' from 00:00 to 23:59; an end may also be 24:00 (midnight ending the day). */
export const TimeOfDay = z.string({ error: missingOr('请填写时间', '时间格式须为 时:分，如 16:30') })
  .refine(isTimeOfDay, { message: '时间格式须为 时:分，如 16:30' })

/** A time chosen from the free times shown (the standing weekly call): 请选择, not 请填写. */
export const ChosenTimeOfDay = z.string({ error: missingOr('请选择几点', '时间格式须为 时:分，如 16:30') })
  .refine(isTimeOfDay, { message: '时间格式须为 时:分，如 16:30' })

export const WeekdaySchema = z.number({ error: missingOr('请选择星期', '星期只能是周一到周日') }).int('星期只能是周一到周日').min(1, '星期只能是周一到周日').max(7, '星期只能是周一到周日')

/**
 * Hours on some days of the week, e.g. Monday–Friday 16:30–18:30 = { days: [1,2,3,4,5], start: '16:30', end: '18:30' }.
 * Days are ISO weekdays (1 = Monday … 7 = Sunday). Used for a room's open hours and for a parent's free hours.
 */
export const WeeklyRange = z.object({
  days: z.array(WeekdaySchema).min(1, '请至少选择一天').max(7, '星期重复了')
    .refine((d) => new Set(d).size === d.length, { message: '星期重复了' }),
  start: TimeOfDay.refine((t) => t !== '24:00', { message: '开始时间不能是 24:00' }),
  end: TimeOfDay
}).refine((r) => !isTimeOfDay(r.start) || !isTimeOfDay(r.end) || minutesOf(r.end) > minutesOf(r.start),
  { message: '结束时间须晚于开始时间', path: ['end'] })
export type WeeklyRange = z.infer<typeof WeeklyRange>

/**
 * The settings a teacher gives a care room (真情关爱室) for the family hotline (亲情热线). Defaults follow the plan
 * (docs/DOMAIN.md, "Contact rhythm"): 20-minute calls, no buffer, 2 hours' notice, booking 14 days ahead, at most 2 future bookings per family.
 */
export const CareRoomSettings = z.object({
  /** How many calls can run at once (the room's phones/tablets). */
  devices: z.number({ error: '请填写设备数量' }).int('设备数量须为整数').min(1, '设备数量须为 1 到 10 台').max(10, '设备数量须为 1 到 10 台'),
  /** Weekly open hours: several ranges, on any days. */
  openHours: z.array(WeeklyRange).min(1, '请至少设置一个开放时段').max(28, '开放时段太多'),
  slotMinutes: z.number({ error: '请填写通话时长' }).int('通话时长须为整数分钟').min(10, '每次通话时长须为 10 到 60 分钟').max(60, '每次通话时长须为 10 到 60 分钟').default(20),
  /** Pause after each call before the next starts (handing the device over). */
  bufferMinutes: z.number({ error: missingOr('请填写间隔时间', '间隔时间要写数字（分钟）') }).int('间隔须为整数分钟').min(0, '两次通话之间的间隔须为 0 到 10 分钟').max(10, '两次通话之间的间隔须为 0 到 10 分钟').default(0),
  /** Days the room is closed (exam days, school trips, a teacher away), 'YYYY-MM-DD'. */
  closedDates: z.array(DateKeySchema).max(400, '关闭日期太多').default([]),
  /**
   * Follow the school calendar: closed on public holidays, and on an adjusted workday (调休上班, a Saturday or Sunday
   * the school works) open with the hours of the weekday `adjustedWorkdayAs`, as on a school day, not with its own
   * weekend hours. Off: the room keeps its weekly hours on holidays too, and an adjusted workday keeps its own
   * weekday's hours.
   */
  followsSchoolCalendar: z.boolean({ error: '请选择是否按学校作息' }).default(true),
  /**
   * Whose hours an adjusted workday uses (1 = Monday … 5 = Friday; default Monday). The holiday data does not say which
   * weekday a 调休 day replaces, and schools announce which timetable they follow, so the teacher picks it.
   */
  adjustedWorkdayAs: z.number({ error: '请选择星期' }).int('请选择星期').min(1, '调休上班日须按周一到周五之一的时间开放').max(5, '调休上班日须按周一到周五之一的时间开放').default(1),
  /** Minimum notice before a call, in hours (half hours allowed). */
  noticeHours: z.number({ error: missingOr('请填写提前预约的小时数', '提前预约时间要写数字（小时）') }).min(0, '至少提前 0 到 48 小时预约').max(48, '至少提前 0 到 48 小时预约').multipleOf(0.5, '提前预约时间须为半小时的整数倍').default(2),
  /** How many days ahead parents may book. */
  horizonDays: z.number({ error: '请填写可提前预约的天数' }).int('天数须为整数').min(1, '可提前预约 1 到 60 天').max(60, '可提前预约 1 到 60 天').default(14),
  /** At most this many future bookings per family in this room (enforced by the booking function). */
  maxFutureBookingsPerFamily: z.number({ error: '请填写每户最多预约数' }).int('须为整数').min(1, '每户最多预约数须为 1 到 10').max(10, '每户最多预约数须为 1 到 10').default(2)
}).superRefine((s, ctx) => {
  // Each range must hold at least one call, and ranges of the same day must not overlap.
  const byDay = new Map<number, Array<{ i: number, start: number, end: number }>>()
  s.openHours.forEach((r, i) => {
    const start = minutesOf(r.start)
    const end = minutesOf(r.end)
    if (!(end > start)) return
    if (typeof s.slotMinutes === 'number' && end - start < s.slotMinutes) {
      ctx.addIssue({ code: 'custom', message: `${r.start}–${r.end} 不够一次通话（${s.slotMinutes} 分钟）`, path: ['openHours', i, 'end'] })
    }
    for (const d of r.days) {
      const list = byDay.get(d) ?? []
      const clash = list.find((o) => start < o.end && o.start < end)
      if (clash) ctx.addIssue({ code: 'custom', message: `${WEEKDAY_LABELS[d as Weekday] ?? ''}的开放时段重叠了`, path: ['openHours', i, 'start'] })
      list.push({ i, start, end })
      byDay.set(d, list)
    }
  })
})
export type CareRoomSettings = z.infer<typeof CareRoomSettings>
export type CareRoomSettingsInput = z.input<typeof CareRoomSettings>

/** A parent's saved free hours (e.g. weekdays 21:00–23:00 after a night shift; Sunday 19:00–21:00). */
export const FreeHours = z.array(WeeklyRange).max(14, '常用空闲时间最多 14 段')
export type FreeHours = WeeklyRange[]

/**
 * What the slot engine needs of a bookable resource: a care room (capacity = devices) or a counsellor (capacity 1).
 * Build one from settings with `careRoomResource`.
 */
export interface ScheduleResource {
  /** Its database id; part of every slot key, so it must not contain ':' or '#'. */
  id: string
  openHours: WeeklyRange[]
  slotMinutes: number
  bufferMinutes: number
  capacity: number
  closedDates: string[]
  followsSchoolCalendar: boolean
  adjustedWorkdayAs: Weekday
  noticeMinutes: number
  horizonDays: number
}

export function careRoomResource (id: string, settings: CareRoomSettings): ScheduleResource {
  return {
    id,
    openHours: settings.openHours,
    slotMinutes: settings.slotMinutes,
    bufferMinutes: settings.bufferMinutes,
    capacity: settings.devices,
    closedDates: settings.closedDates,
    followsSchoolCalendar: settings.followsSchoolCalendar,
    adjustedWorkdayAs: settings.adjustedWorkdayAs as Weekday,
    noticeMinutes: Math.round(settings.noticeHours * 60),
    horizonDays: settings.horizonDays
  }
}
