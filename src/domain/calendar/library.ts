/**
 * The published holiday years and the lunar dates, from the kept library `chinese-days` (MIT, pinned), which carries
 * the State Council's notices with their bridging days (调休) and converts lunar dates (docs/DOMAIN.md, "Working days
 * and holidays").
 *
 * Not exported from src/domain/index.ts on purpose: only the cloud functions (and tests) import this file, so the
 * library (about 24 KB minified, its data included) never reaches the mini-program's main package. Pages never
 * compute working days; the functions do and send the answers.
 */
import { getSolarDateFromLunar, getSolarTerms } from 'chinese-days'
// The library's own data file: the same days its functions answer from, read once instead of day by day.
import data from 'chinese-days/dist/chinese-days.json'
import { makeCalendar, type WorkCalendar } from './calendar'
import type { HolidayYearInput, HolidayYears } from './data'
import { addDays, weekdayOf } from './dates'
import { statutoryHolidays, type LunarDays } from './statutory'

/** The years the library's lunar tables are asked about. */
const FIRST_YEAR = 2004
const LAST_YEAR = 2100

// People read this on the holidays page: the notice itself, not the library that carries it.
export const LIBRARY_SOURCE = '国务院办公厅关于部分节假日安排的通知'

/** Our names for the library's ("Tomb-sweeping Day,清明,1" is 清明节 here, as in the notices). */
const NAMES: Record<string, string> = { 清明: '清明节', 端午: '端午节', 中秋: '中秋节' }

/** The Chinese name of a library day name such as "Spring Festival,春节,4" (English, Chinese, statutory days). */
function chineseName (name: string): string {
  const zh = name.split(',')[1] ?? name
  return NAMES[zh] ?? zh
}

let published: readonly HolidayYears[] | undefined

/**
 * Every year the library has a published arrangement for (2004 to 2026 in version 1.5.7), oldest first, each as
 * holiday ranges (consecutive days off) and adjusted workdays (weekend days worked).
 */
export function publishedYears (): readonly HolidayYears[] {
  if (published) return published
  const byYear = new Map<number, HolidayYears>()
  const yearOfDay = (d: string): HolidayYears => {
    const year = Number(d.slice(0, 4))
    let y = byYear.get(year)
    if (!y) { y = { year, holidays: [], workdays: [], source: LIBRARY_SOURCE }; byYear.set(year, y) }
    return y
  }
  for (const [d, name] of Object.entries(data.holidays as Record<string, string>).sort(([a], [b]) => a < b ? -1 : 1)) {
    const y = yearOfDay(d)
    const zh = chineseName(name)
    // Consecutive days off are one holiday, named after every festival in it ("国庆节、中秋节", as the notice says).
    const last = y.holidays[y.holidays.length - 1]
    if (last && addDays(last.to, 1) === d) {
      last.to = d
      if (!last.name.split('、').includes(zh)) last.name = `${last.name}、${zh}`
    } else y.holidays.push({ name: zh, from: d, to: d })
  }
  for (const d of Object.keys(data.workdays as Record<string, string>).sort()) {
    if (weekdayOf(d) >= 6) yearOfDay(d).workdays.push(d)
  }
  published = Object.freeze([...byYear.values()].sort((a, b) => a.year - b.year))
  return published
}

/** The lunar dates the statutory holidays of a Gregorian year depend on. */
export function lunarDaysOf (year: number): LunarDays {
  const qingming = getSolarTerms(`${year}-04-01`, `${year}-04-10`).find((t) => t.name === '清明')
  if (!qingming) throw new RangeError(`no 清明 found for ${year}`)
  return {
    springFestival: getSolarDateFromLunar(`${year}-01-01`).date,
    qingming: qingming.date,
    dragonBoat: getSolarDateFromLunar(`${year}-05-05`).date,
    midAutumn: getSolarDateFromLunar(`${year}-08-15`).date
  }
}

/** A year's statutory holidays, for a year with no published arrangement (statutory.ts); undefined out of range. */
export function estimatedYear (year: number): HolidayYears | undefined {
  if (year < FIRST_YEAR || year > LAST_YEAR) return undefined
  return statutoryHolidays(year, lunarDaysOf(year))
}

/** The national calendar: the library's published years, the years admins entered, estimates for the rest. */
export function chinaCalendar (entered: readonly HolidayYearInput[] = []): WorkCalendar {
  return makeCalendar({ published: publishedYears(), entered, estimate: estimatedYear })
}
