import { dayLabel, dayToLocalDate, formatDay, localDateToDay, todayString } from '../../src/services/format'

describe('how days read on a page', () => {
  const now = new Date('2026-11-29T15:00:00Z') // 23:00 in Shanghai, Sunday
  it('names the weekday, and the year only when it is not this year', () => {
    expect(dayLabel('2026-12-10', now)).toBe('12月10日 周四')
    expect(dayLabel('2027-01-04', now)).toBe('2027年1月4日 周一')
    expect(dayLabel('not-a-day', now)).toBe('not-a-day')
    expect(formatDay('2016-04-12')).toBe('2016年4月12日')
  })
  it('takes today from Shanghai, not from the phone\'s zone', () => {
    expect(todayString(new Date('2026-11-29T16:30:00Z'))).toBe('2026-11-30')
    expect(todayString(now)).toBe('2026-11-29')
  })
  it('carries a day to the picker\'s local date and back unchanged', () => {
    for (const day of ['2026-01-01', '2026-02-28', '2028-02-29', '2026-12-31']) expect(localDateToDay(dayToLocalDate(day))).toBe(day)
    expect(dayToLocalDate('2026-03-05').getDate()).toBe(5)
  })
})
