/**
 * Working days beyond the published calendar (docs/DOMAIN.md, "Working days and holidays"): a year the State Council
 * has not published yet (2027 here) gets its statutory holidays computed, so 1 January is no care-room day and no
 * legal-aid working day, and the clocks say they are estimated; a county admin enters the year's published
 * arrangement in the app, checked and logged, and the functions count from it at once.
 */
import type { LocalCloud } from '../../localcloud'
import { callAs, startTestCloud } from '../support/localcloud'
import { key } from '../support/children'

let cloud: LocalCloud
const WANG = 'demo-parent-wang' // father of child-01 (石桥镇中心小学's care room)
const GRANNY = 'demo-guardian-zhang'
const JUSTICE = 'demo-admin-tang' // a county admin
const db = () => require('wx-server-sdk').database()
const shanghaiDay = (iso: string) => new Date(iso).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })

async function slotDays (from: string, days: number): Promise<Set<string>> {
  const res = (await callAs(cloud, WANG, 'hotline', 'slots', { childId: 'child-01', from, days })).body
  expect(res.ok).toBe(true)
  return new Set(res.data.slots.map((s: { start: string }) => shanghaiDay(s.start)))
}

/** 2027 as the State Council might publish it: 春节 9 days with two adjusted Saturdays (an invented arrangement). */
const published2027 = {
  year: 2027,
  holidays: [
    { name: '元旦', from: '2027-01-01', to: '2027-01-03' },
    { name: '春节', from: '2027-02-05', to: '2027-02-13' }
  ],
  workdays: ['2027-01-30', '2027-02-20'],
  source: '国务院办公厅关于2027年部分节假日安排的通知（测试）'
}

beforeAll(async () => {
  cloud = await startTestCloud()
  await cloud.clock.set('2026-12-28T09:00:00+08:00', { frozen: true }) // a Monday
}, 60000)
afterAll(async () => { await cloud?.close() })

describe('a year with no published calendar: the statutory holidays, marked as estimated', () => {
  it('does not offer 2027-01-01 (New Year\'s Day) as a care-room day, and offers the days around it', async () => {
    const days = await slotDays('2026-12-31', 5)
    expect(days.has('2027-01-01')).toBe(false)
    expect(days.has('2026-12-31')).toBe(true)
    expect(days.has('2027-01-04')).toBe(true)
    const booked = (await callAs(cloud, WANG, 'hotline', 'book', { childId: 'child-01', start: '2027-01-01T16:30:00+08:00', mode: 'video', idempotencyKey: key() })).body
    expect(booked.ok).toBe(false)
  })

  it('skips 2027-01-01 in the legal-aid clocks and says they are estimated', async () => {
    await cloud.clock.set('2026-12-30T10:00:00+08:00', { frozen: true })
    const res = (await callAs(cloud, GRANNY, 'legalaid', 'submit', { draft: { childId: 'child-01', matter: 'maintenance', people: '', story: '抚养费一直没给，想请律师。', files: [] }, idempotencyKey: key() })).body.data
    const decide = res.view.clocks.find((c: any) => c.name === 'decide')
    expect(new Date(decide.due).toISOString()).toBe(new Date('2027-01-05T17:30:00+08:00').toISOString()) // Thu 31, (Fri 1 off), Mon 4, Tue 5
    expect(decide.estimated).toBe(true)
    expect(res.view.clocks.find((c: any) => c.name === 'acknowledge').estimated).toBe(false) // due today, in 2026
  })

  it('shows the admin each year around now: published, or estimated with its computed statutory days', async () => {
    const years = (await callAs(cloud, JUSTICE, 'account', 'holidayYears')).body.data.years
    expect(years.map((y: any) => [y.year, y.status])).toEqual([[2025, 'published'], [2026, 'published'], [2027, 'estimated'], [2028, 'estimated']])
    const y2027 = years.find((y: any) => y.year === 2027)
    expect(y2027.holidays.map((h: any) => h.name)).toEqual(['元旦', '春节', '清明节', '劳动节', '端午节', '中秋节', '国庆节'])
    expect(y2027.holidays[1]).toEqual({ name: '春节', from: '2027-02-05', to: '2027-02-10' })
    expect(y2027.source).toContain('推算')
  })
})

describe('a county admin enters the year\'s published arrangement', () => {
  const save = async (data: object, who = JUSTICE) => (await callAs(cloud, who, 'account', 'saveHolidayYear', data)).body

  it('checks the entry, naming each wrong field, and writes nothing', async () => {
    const overlapping = await save({ ...published2027, holidays: [...published2027.holidays, { name: '春节', from: '2027-02-12', to: '2027-02-14' }] })
    expect(overlapping.error.fields).toEqual({ 'holidays.2.from': '2027-02-12 与其他节日重叠' })
    const otherYear = await save({ ...published2027, holidays: [{ name: '元旦', from: '2028-03-01', to: '2028-03-02' }] })
    expect(otherYear.error.fields).toEqual({ 'holidays.0.from': '日期不属于 2027 年', 'holidays.0.to': '日期不属于 2027 年' })
    const weekdayWorked = await save({ ...published2027, workdays: ['2027-02-18'] })
    expect(weekdayWorked.error.fields).toEqual({ 'workdays.0': '2027-02-18 本来就是工作日，调休上班日应为周六或周日' })
    expect((await save({ ...published2027, source: '' })).error.fields).toEqual({ source: '请写明放假通知的文号，如 国办发明电〔2026〕7号' })
    expect((await save({ year: 2031, holidays: [{ name: '元旦', from: '2031-01-01', to: '2031-01-01' }], workdays: [], source: published2027.source })).error.fields).toEqual({ year: '只能录入2025到2028年的安排' })
    expect((await db().collection('calendars').count()).total).toBe(0)
    expect((await save(published2027, 'demo-teacher-chen')).error.code).toBe('FORBIDDEN')
  })

  it('saves it, logged with who entered it; the care room and the clocks then follow it and are no longer estimates', async () => {
    const mineBefore = (await callAs(cloud, GRANNY, 'legalaid', 'mine')).body.data.requests[0]
    await cloud.clock.set('2027-02-08T09:00:00+08:00', { frozen: true }) // a Monday in the estimated 春节
    expect((await slotDays('2027-02-11', 1)).has('2027-02-11')).toBe(true) // a Thursday after the estimated 春节
    expect((await save(published2027)).data).toEqual({ year: 2027, status: 'entered' })
    const logged = (await db().collection('auditLog').where({ action: 'account.saveHolidayYear' }).get()).data
    expect(logged).toEqual([expect.objectContaining({ actor: JUSTICE, targetId: 'year-2027', what: expect.stringContaining('录入2027年放假安排（2个节日，2个调休上班日') })])
    const y2027 = (await callAs(cloud, JUSTICE, 'account', 'holidayYears')).body.data.years.find((y: any) => y.year === 2027)
    expect(y2027).toMatchObject({ status: 'entered', enteredByName: '唐正', workdays: ['2027-01-30', '2027-02-20'] })
    expect((await slotDays('2027-02-11', 1)).has('2027-02-11')).toBe(false) // now inside the published 春节
    expect(mineBefore.clocks.find((c: any) => c.name === 'decide')).toMatchObject({ estimated: true })
    const mine = (await callAs(cloud, GRANNY, 'legalaid', 'mine')).body.data.requests[0]
    expect(mine.clocks.find((c: any) => c.name === 'decide')).toMatchObject({ estimated: false })
    // 元旦 now runs to Sunday 3 January, so the decision is still due Tuesday the 5th.
    expect(new Date(mine.clocks.find((c: any) => c.name === 'decide').due).toISOString()).toBe(new Date('2027-01-05T17:30:00+08:00').toISOString())
  })
})
