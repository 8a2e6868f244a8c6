import dayjs from 'dayjs'
import utc from 'dayjs/plugin/utc'
import timezone from 'dayjs/plugin/timezone'
import customParseFormat from 'dayjs/plugin/customParseFormat'

dayjs.extend(utc)
dayjs.extend(timezone)
dayjs.extend(customParseFormat)

/** All times of the product are Asia/Shanghai (docs/ARCHITECTURE.md, "The clock"), whatever the server's or phone's zone. */
export const ZONE = 'Asia/Shanghai'

export function inShanghai (at: Date | string | number): dayjs.Dayjs {
  return dayjs(at).tz(ZONE)
}

/** Whole years between a birth date (YYYY-MM-DD) and a moment, counted in Asia/Shanghai. */
export function ageOn (birthDate: string, at: Date): number {
  const today = inShanghai(at)
  const birth = dayjs.tz(birthDate, ZONE)
  return today.diff(birth, 'year')
}

export { dayjs }

/** True when `s` is a real calendar date in `format` (strict: 2026-02-30 is not). */
export function isRealDate (s: string, format = 'YYYY-MM-DD'): boolean {
  return dayjs(s, format, true).isValid()
}
