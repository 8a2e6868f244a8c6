/**
 * The national holiday calendar as admins see it and keep it (docs/DOMAIN.md, "Working days and holidays"): the years
 * around now, each published (the State Council's notice, from the kept library), entered by an admin, or estimated
 * (the statutory holidays only, until the year's notice is out); a county admin enters a year's published arrangement.
 * The calendar is data: what is entered here changes the working days every function counts from the next call on.
 */
import { AppError, HolidayYearInput, accountContract, shanghaiWall, type ActionOutput } from '../../src/domain'
import { estimatedYear, publishedYears } from '../../src/domain/calendar/library'
import { db, rows } from '../_server/cloud'
import * as clock from '../_server/clock'
import { COLLECTIONS } from '../_server/collections'
import { audit } from '../_server/audit'
import type { EnteredYearDoc } from '../_server/calendar'
import { action } from '../_server/router'

/** Last year, this year and the next two: what the clocks and the care-room days of the product can reach. */
const YEARS_BEFORE = 1
const YEARS_AFTER = 2

export const holidayYears = action({
  contract: accountContract.holidayYears,
  allowed: ['admin'],
  async handler () {
    const thisYear = shanghaiWall(clock.now()).year()
    const entered = await rows<EnteredYearDoc>(db.collection(COLLECTIONS.calendars).limit(100))
    const years: Array<ActionOutput<'account', 'holidayYears'>['years'][number]> = []
    for (let year = thisYear - YEARS_BEFORE; year <= thisYear + YEARS_AFTER; year++) {
      const mine = entered.find((d) => d.data.year === year)
      const published = publishedYears().find((y) => y.year === year)
      if (mine) {
        const data = HolidayYearInput.parse(mine.data)
        years.push({ year, status: 'entered' as const, source: data.source ?? '', holidays: data.holidays, workdays: data.workdays, enteredByName: mine.byName, enteredAt: mine.at })
      } else if (published) {
        years.push({ year, status: 'published' as const, source: published.source ?? '', holidays: published.holidays, workdays: published.workdays })
      } else {
        const estimate = estimatedYear(year)
        if (estimate) years.push({ year, status: 'estimated' as const, source: estimate.source ?? '', holidays: estimate.holidays, workdays: estimate.workdays })
      }
    }
    return { years }
  }
})

export const saveHolidayYear = action({
  contract: accountContract.saveHolidayYear,
  allowed: ['admin'],
  async handler (input, caller) {
    if (!caller.grants.some((g) => g.role === 'admin' && g.scope?.level === 'county')) throw new AppError('FORBIDDEN', '放假安排由县级管理员录入')
    const source = (input.source ?? '').trim()
    if (source.length < 4) throw new AppError('INVALID_INPUT', '请写明放假通知的文号或来源', { source: '请写明放假通知的文号，如 国办发明电〔2026〕7号' })
    const thisYear = shanghaiWall(clock.now()).year()
    if (input.year < thisYear - YEARS_BEFORE || input.year > thisYear + YEARS_AFTER) {
      throw new AppError('INVALID_INPUT', `只能录入${thisYear - YEARS_BEFORE}到${thisYear + YEARS_AFTER}年的安排`, { year: `只能录入${thisYear - YEARS_BEFORE}到${thisYear + YEARS_AFTER}年的安排` })
    }
    const data = { year: input.year, holidays: input.holidays, workdays: [...input.workdays].sort(), source }
    const now = clock.now()
    await db.collection(COLLECTIONS.calendars).doc(`year-${input.year}`).set({ data: { data, by: caller.openid, byName: caller.user?.name ?? '', at: now } })
    await audit(caller, { action: 'account.saveHolidayYear', what: `录入${input.year}年放假安排（${input.holidays.length}个节日，${input.workdays.length}个调休上班日；来源：${source}）`, targetId: `year-${input.year}` })
    return { year: input.year, status: 'entered' as const }
  }
})
