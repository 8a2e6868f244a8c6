import { HolidayYearInput, makeCalendar, type WorkCalendar } from '../../src/domain'
import { db, rows } from './cloud'
import { COLLECTIONS } from './collections'

/** The shipped holiday data plus the years admins added (collection `calendars`, one doc per year). */
export async function loadCalendar (): Promise<WorkCalendar> {
  const added = await rows<{ data: unknown }>(db.collection(COLLECTIONS.calendars).limit(100))
  return makeCalendar(added.map((d) => HolidayYearInput.parse(d.data)))
}
