import { HolidayYearInput, type WorkCalendar } from '../../src/domain'
import { chinaCalendar } from '../../src/domain/calendar/library'
import { db, rows } from './cloud'
import { COLLECTIONS } from './collections'

/** A year an admin entered (collection `calendars`, one doc per year, `_id` 'year-<n>'). */
export interface EnteredYearDoc { _id: string, data: HolidayYearInput, by: string, byName: string, at: Date }

/**
 * The national calendar: the library's published years, the years admins entered over them, and the statutory
 * holidays (an estimate) for any other year (docs/DOMAIN.md, "Working days and holidays").
 */
export async function loadCalendar (): Promise<WorkCalendar> {
  return calendarOf(await rows<EnteredYearDoc>(db.collection(COLLECTIONS.calendars).limit(CALENDAR_YEARS)))
}

/** At most this many entered years are read (one a year). */
export const CALENDAR_YEARS = 100

/** The calendar from the entered years, however they were read (alone, or joined onto another read). */
export function calendarOf (added: readonly EnteredYearDoc[]): WorkCalendar {
  return chinaCalendar([...added].sort((a, b) => a.data.year - b.data.year).map((d) => HolidayYearInput.parse(d.data)))
}

/**
 * The entered years joined onto another read (an uncorrelated `lookup`: the same years for every row), so an action
 * that reads its caller's records first needs no second request for the calendar.
 */
export function calendarLookup (as: string) {
  return { from: COLLECTIONS.calendars, pipeline: [{ $limit: CALENDAR_YEARS }], as }
}
