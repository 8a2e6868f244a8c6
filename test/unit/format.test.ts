import { dateWords, dayToLocalDate, dayWords, dueWords, localDateToDay, today, whenWords } from '../../src/services/format'

describe('how days read on a page', () => {
  const now = new Date('2026-11-29T15:00:00Z') // 23:00 in Shanghai, Sunday
  it('names a day to act on with its weekday, the near ones by name, and the year only when it is not this year', () => {
    expect(dayWords('2026-12-10', now)).toBe('12月10日 周四')
    expect(dayWords('2026-11-29', now)).toBe('今天 11月29日 周日')
    expect(dayWords('2026-11-30', now)).toBe('明天 11月30日 周一')
    expect(dayWords('2026-12-01', now)).toBe('后天 12月1日 周二')
    expect(dayWords('2026-11-28', now)).toBe('昨天 11月28日 周六')
    expect(dayWords('2027-01-04', now)).toBe('2027年1月4日 周一')
    expect(dayWords('not-a-day', now)).toBe('not-a-day')
  })
  it('writes a date of record in full', () => {
    expect(dateWords('2016-04-12')).toBe('2016年4月12日')
  })
  it('says when something happened or falls due, near ones by name, in Shanghai time', () => {
    expect(whenWords(new Date('2026-11-29T09:30:00Z'), now)).toBe('今天 17:30')
    expect(whenWords(new Date('2026-11-27T16:10:00Z'), now)).toBe('昨天 00:10')
    expect(whenWords(new Date('2026-11-20T01:05:00Z'), now)).toBe('11月20日 周五 09:05')
    expect(whenWords(new Date('2025-12-31T02:00:00Z'), now)).toBe('2025年12月31日 周三 10:00')
  })
  it('reads a deadline at midnight as 24:00 of the day before', () => {
    expect(dueWords(new Date('2026-12-02T16:00:00Z'), now)).toBe('12月2日 周三 24:00')
    expect(dueWords(new Date('2026-11-30T16:00:00Z'), now)).toBe('明天 24:00')
  })
  it('takes today from Shanghai, not from the phone\'s zone', () => {
    expect(today(new Date('2026-11-29T16:30:00Z'))).toBe('2026-11-30')
    expect(today(now)).toBe('2026-11-29')
  })
  it('carries a day to the picker\'s local date and back unchanged', () => {
    for (const day of ['2026-01-01', '2026-02-28', '2028-02-29', '2026-12-31']) expect(localDateToDay(dayToLocalDate(day))).toBe(day)
    expect(dayToLocalDate('2026-03-05').getDate()).toBe(5)
  })
})
