import { CareRoomSettings, type CareRoomSettingsInput } from './scheduling/settings'
import { shanghaiWall, toDateKey, WEEKDAY_LABELS, weekdayOf } from './calendar/dates'
import { HOURS_PRESETS } from './counseling/hours'

/**
 * A care room's settings before its teacher changes them: after class on school days, and weekend mornings and
 * evenings, when parents on shifts are most often free.
 */
const DEFAULT_ROOM_SETTINGS: CareRoomSettingsInput = {
  devices: 2,
  openHours: [
    { days: [1, 2, 3, 4, 5], start: '16:30', end: '18:30' },
    { days: [6, 7], start: '09:00', end: '11:30' },
    { days: [6, 7], start: '19:00', end: '21:00' }
  ]
}

export function roomSettings (stored: unknown, devices?: number): CareRoomSettings {
  const parsed = CareRoomSettings.safeParse(stored)
  if (parsed.success) return parsed.data
  return CareRoomSettings.parse({ ...DEFAULT_ROOM_SETTINGS, ...(devices ? { devices } : {}) })
}

/** "12月6日 周六 19:00" in Shanghai time, for messages and the day sheet. */
export function callTimeLabel (start: Date): string {
  const d = shanghaiWall(start)
  return `${d.month() + 1}月${d.date()}日 ${WEEKDAY_LABELS[weekdayOf(toDateKey(start))]} ${d.format('HH:mm')}`
}

/**
 * A counsellor's hours before they change them: when children are out of class (after school and in the evening on
 * school days, weekend mornings), 50-minute sessions with a pause.
 */
export const DEFAULT_COUNSELOR_SETTINGS: CareRoomSettingsInput = {
  devices: 1,
  openHours: HOURS_PRESETS.filter((p) => ['afterSchool', 'evening', 'weekendMorning'].includes(p.key)).map((p) => ({ ...p.range, days: [...p.range.days] })),
  slotMinutes: 50,
  bufferMinutes: 10,
  maxFutureBookingsPerFamily: 3
}
