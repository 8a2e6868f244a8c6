import type { HolidayYears } from './data'
import { addDays, weekdayOf, type DateKey } from './dates'

/**
 * The statutory holidays of a year whose arrangement is not published yet (docs/DOMAIN.md, "Working days and
 * holidays"). 全国年节及纪念日放假办法 (as amended 2024, in force 2025-01-01), Art. 2: 元旦 1 day (1 January); 春节
 * 4 days (农历除夕 and 正月初一 to 初三); 清明节 1 day (the day of the 清明 solar term); 劳动节 2 days (1–2 May); 端午节
 * 1 day (农历五月初五); 中秋节 1 day (农历八月十五); 国庆节 3 days (1–3 October). Art. 6: a statutory day that falls
 * on a Saturday or Sunday is made up on a working day (补假); so is one that falls on another statutory day (中秋
 * on 1–3 October). What no rule fixes are the bridging days (调休) the State Council publishes each year: an
 * estimate has none, and an admin enters the published arrangement when it is out.
 */
export interface LunarDays {
  /** 正月初一 (the first day of the lunar year beginning in this Gregorian year) */
  springFestival: DateKey
  /** the 清明 solar term */
  qingming: DateKey
  /** 农历五月初五 */
  dragonBoat: DateKey
  /** 农历八月十五 */
  midAutumn: DateKey
}

export const STATUTORY_SOURCE = '按《全国年节及纪念日放假办法》推算的法定假日（不含调休），以国务院办公厅当年的放假通知为准'

export function statutoryHolidays (year: number, lunar: LunarDays): HolidayYears {
  const y = String(year)
  const eve = addDays(lunar.springFestival, -1)
  const days: Array<{ date: DateKey, name: string }> = [
    { date: `${y}-01-01`, name: '元旦' },
    ...[0, 1, 2, 3].map((n) => ({ date: addDays(eve, n), name: '春节' })),
    { date: lunar.qingming, name: '清明节' },
    { date: `${y}-05-01`, name: '劳动节' },
    { date: `${y}-05-02`, name: '劳动节' },
    { date: lunar.dragonBoat, name: '端午节' },
    { date: lunar.midAutumn, name: '中秋节' },
    { date: `${y}-10-01`, name: '国庆节' },
    { date: `${y}-10-02`, name: '国庆节' },
    { date: `${y}-10-03`, name: '国庆节' }
  ].sort((a, b) => a.date < b.date ? -1 : a.date > b.date ? 1 : 0)
  const statutory = new Set(days.map((d) => d.date))

  // Days that touch or coincide make one block (中秋 on 3 October joins 国庆); each block owes a make-up day for
  // every statutory day on a weekend and every one that shares its date with another.
  const blocks: Array<{ from: DateKey, to: DateKey, names: string[], owed: number }> = []
  const claimed = new Set<DateKey>()
  for (const d of days) {
    const owes = weekdayOf(d.date) >= 6 || claimed.has(d.date) ? 1 : 0
    claimed.add(d.date)
    const last = blocks[blocks.length - 1]
    if (last && d.date <= addDays(last.to, 1)) {
      if (d.date > last.to) last.to = d.date
      last.owed += owes
      if (!last.names.includes(d.name)) last.names.push(d.name)
    } else {
      blocks.push({ from: d.date, to: d.date, names: [d.name], owed: owes })
    }
  }
  for (const b of blocks) {
    let d = b.to
    while (b.owed > 0) {
      d = addDays(d, 1)
      if (weekdayOf(d) < 6 && !statutory.has(d)) b.owed--
    }
    b.to = d
  }
  // A block stretched by its make-up days into the next one becomes one holiday.
  const merged: typeof blocks = []
  for (const b of blocks) {
    const last = merged[merged.length - 1]
    if (last && b.from <= addDays(last.to, 1)) {
      if (b.to > last.to) last.to = b.to
      for (const n of b.names) if (!last.names.includes(n)) last.names.push(n)
    } else merged.push({ ...b, names: [...b.names] })
  }
  return {
    year,
    holidays: merged.map((b) => ({ name: b.names.join('、'), from: b.from, to: b.to })),
    workdays: [],
    source: STATUTORY_SOURCE
  }
}
