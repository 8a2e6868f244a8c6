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
  const added = await rows<EnteredYearDoc>(db.collection(COLLECTIONS.calendars).limit(100))
  return chinaCalendar(added.sort((a, b) => a.data.year - b.data.year).map((d) => HolidayYearInput.parse(d.data)))
}
