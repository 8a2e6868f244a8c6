import { isWorkingDay, type WorkCalendar } from '../calendar/calendar'
import { minuteOfDay, toDateKey } from '../calendar/dates'
import type { WeeklyRange } from '../scheduling/settings'

/**
 * Counselling at a child's hours: a child is in class on school days from morning to the end of the afternoon, so a
 * session then means leaving class. Times after school, in the evening and at weekends come first.
 */

/** A school day's class time, Shanghai wall clock (08:00–16:30; most township schools end by then). */
const SCHOOL_FROM = 8 * 60
const SCHOOL_TO = 16 * 60 + 30

/** Whether a session from `start` to `end` falls (partly) in class time of a school day (a working day, 调休 included). */
export function duringSchoolHours (cal: WorkCalendar, start: Date, end: Date): boolean {
  if (!isWorkingDay(cal, toDateKey(start))) return false
  const from = minuteOfDay(start)
  const to = toDateKey(end) === toDateKey(start) ? minuteOfDay(end) : 24 * 60
  return from < SCHOOL_TO && to > SCHOOL_FROM
}

/** Ranges a counsellor adds with one tap: the hours children are free. */
export const HOURS_PRESETS: ReadonlyArray<{ key: string, label: string, range: WeeklyRange }> = [
  { key: 'afterSchool', label: '放学后（周一到周五 16:30–18:30）', range: { days: [1, 2, 3, 4, 5], start: '16:30', end: '18:30' } },
  { key: 'evening', label: '晚上（周一到周五 19:00–21:00）', range: { days: [1, 2, 3, 4, 5], start: '19:00', end: '21:00' } },
  { key: 'weekendMorning', label: '周末上午（9:00–12:00）', range: { days: [6, 7], start: '09:00', end: '12:00' } },
  { key: 'weekendAfternoon', label: '周末下午（14:00–17:30）', range: { days: [6, 7], start: '14:00', end: '17:30' } }
]

/** How a session happens, told to both sides: a number the counsellor calls, a video call, or a place to meet. */
export const SESSION_MODES = ['voice', 'video', 'inPerson'] as const
export type SessionMode = (typeof SESSION_MODES)[number]
export const SESSION_MODE_LABELS: Record<SessionMode, string> = { voice: '打电话', video: '视频通话', inPerson: '当面聊' }

/** The sentence each side reads of how a session happens. */
export function howWords (mode: SessionMode, how: { phone?: string, place?: string }, forCounselor: boolean): string {
  if (mode === 'voice') return forCounselor ? `到时请打 ${how.phone ?? '—'}` : `到时辅导员会打 ${how.phone ?? '你留的电话'}`
  if (mode === 'video') return forCounselor ? `到时请用微信视频打给 ${how.phone ?? '—'}（用这个手机号加微信）` : `到时辅导员会用微信视频打给 ${how.phone ?? '你留的号码'}`
  return forCounselor ? `在 ${how.place ?? '辅导站'} 见面` : `到 ${how.place ?? '县心理健康辅导站'} 见面`
}
