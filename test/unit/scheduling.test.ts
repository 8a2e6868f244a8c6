import {
  CareRoomSettings, careRoomResource, consecutiveWeeksWithout, fieldErrors, freeSlots, FreeHours, generateSlots, inShanghai,
  nextFree, nextOccurrences, openingOn, parseSlotKey, preferredFirst, seatIds, shiftWeek,
  slotKey, StandingCallRule, validateSlotChoice, weekOf, weeklyNudgeFrom, weeksWithoutCall, weekStartOf, type CareRoomSettingsInput,
  type ScheduleResource, type Slot
} from '../../src/domain'
import { chinaCalendar } from '../../src/domain/calendar/library'

const sh = (wall: string): Date => new Date(`${wall.replace(' ', 'T')}:00+08:00`)
const wall = (d: Date): string => inShanghai(d).format('YYYY-MM-DD HH:mm')
const times = (slots: Array<{ start: Date }>): string[] => slots.map((s) => wall(s.start))
const on = (slots: Slot[], date: string): string[] => slots.filter((s) => s.date === date).map((s) => inShanghai(s.start).format('HH:mm'))

const cal = chinaCalendar()

/** The room of the brief: 2 devices, Mon–Fri 16:30–18:30, Sat–Sun 09:00–11:30 and 19:00–21:00. */
const roomSettings: CareRoomSettingsInput = {
  devices: 2,
  openHours: [
    { days: [1, 2, 3, 4, 5], start: '16:30', end: '18:30' },
    { days: [6, 7], start: '09:00', end: '11:30' },
    { days: [6, 7], start: '19:00', end: '21:00' }
  ]
}
const room = (over: Partial<CareRoomSettingsInput> = {}): ScheduleResource =>
  careRoomResource('room-sq1', CareRoomSettings.parse({ ...roomSettings, ...over }))

describe('CareRoomSettings', () => {
  it('fills the defaults a teacher does not have to set', () => {
    expect(CareRoomSettings.parse(roomSettings)).toMatchObject({
      slotMinutes: 20, bufferMinutes: 0, noticeHours: 2, horizonDays: 14, closedDates: [], followsSchoolCalendar: true,
      adjustedWorkdayAs: 1, maxFutureBookingsPerFamily: 2
    })
  })

  it('names every bad field in Chinese', () => {
    const result = CareRoomSettings.safeParse({
      devices: 11,
      openHours: [{ days: [1], start: '16:3', end: '18:30' }, { days: [2], start: '18:30', end: '16:30' }],
      slotMinutes: 5,
      bufferMinutes: 11,
      noticeHours: 49,
      horizonDays: 0,
      closedDates: ['2026-02-30']
    })
    expect(result.success).toBe(false)
    const fields = fieldErrors(result.error!)
    expect(fields).toEqual({
      devices: '设备数量须为 1 到 10 台',
      'openHours.0.start': '时间格式须为 时:分，如 16:30',
      'openHours.1.end': '结束时间须晚于开始时间',
      slotMinutes: '每次通话时长须为 10 到 60 分钟',
      bufferMinutes: '两次通话之间的间隔须为 0 到 10 分钟',
      noticeHours: '至少提前 0 到 48 小时预约',
      horizonDays: '可提前预约 1 到 60 天',
      'closedDates.0': '没有这一天，请核对日期'
    })
  })

  it('names overlapping hours of a day and a range too short for one call', () => {
    const result = CareRoomSettings.safeParse({
      devices: 1,
      openHours: [{ days: [1, 2], start: '16:30', end: '18:30' }, { days: [2], start: '18:00', end: '19:00' }, { days: [3], start: '12:00', end: '12:15' }]
    })
    const fields = fieldErrors(result.error!)
    expect(fields['openHours.1.start']).toBe('周二的开放时段重叠了')
    expect(fields['openHours.2.end']).toBe('12:00–12:15 不够一次通话（20 分钟）')
  })

  it('asks for at least one open range and whole devices', () => {
    const fields = fieldErrors(CareRoomSettings.safeParse({ devices: 1.5, openHours: [] }).error!)
    expect(fields.openHours).toBe('请至少设置一个开放时段')
    expect(fields.devices).toBe('设备数量须为整数')
  })
})

describe('slot keys and seats', () => {
  it('keys a slot by resource and Shanghai start time, and reads the key back', () => {
    const start = new Date('2026-03-08T12:00:00Z') // 20:00 in Shanghai
    expect(slotKey('room-sq1', start)).toBe('room-sq1:202603082000')
    expect(parseSlotKey('room-sq1:202603082000')).toEqual({ resourceId: 'room-sq1', start })
    expect(parseSlotKey('room-sq1:202602302000')).toBeUndefined()
    expect(parseSlotKey('room-sq1#1')).toBeUndefined()
  })

  it('gives a slot one seat id per device, and refuses ids that would make keys ambiguous', () => {
    expect(seatIds('room-sq1:202603082000', 2)).toEqual(['room-sq1:202603082000#1', 'room-sq1:202603082000#2'])
    expect(() => slotKey('a:b', new Date())).toThrow(RangeError)
    expect(() => slotKey('a#b', new Date())).toThrow(RangeError)
  })
})

describe('generateSlots', () => {
  it('cuts a weekday into 20-minute calls from 16:30, the last one ending at 18:30', () => {
    const now = sh('2026-03-01 08:00')
    const slots = generateSlots(room(), cal, { from: sh('2026-03-02 00:00'), to: sh('2026-03-03 00:00'), now })
    expect(times(slots)).toEqual(['16:30', '16:50', '17:10', '17:30', '17:50', '18:10'].map((t) => `2026-03-02 ${t}`))
    expect(slots[0]).toMatchObject({ key: 'room-sq1:202603021630', date: '2026-03-02', estimated: false })
    expect(slots[0].end.getTime() - slots[0].start.getTime()).toBe(20 * 60_000)
  })

  it('leaves the buffer after every call', () => {
    const now = sh('2026-03-01 08:00')
    const slots = generateSlots(room({ bufferMinutes: 5 }), cal, { from: sh('2026-03-02 00:00'), to: sh('2026-03-03 00:00'), now })
    expect(on(slots, '2026-03-02')).toEqual(['16:30', '16:55', '17:20', '17:45', '18:10'])
  })

  it('opens both weekend ranges', () => {
    const now = sh('2026-03-01 08:00')
    const slots = generateSlots(room(), cal, { from: sh('2026-03-07 00:00'), to: sh('2026-03-08 00:00'), now })
    expect(on(slots, '2026-03-07')).toEqual(['09:00', '09:20', '09:40', '10:00', '10:20', '10:40', '11:00', '19:00', '19:20', '19:40', '20:00', '20:20', '20:40'])
  })

  it('drops the past and the 2-hour notice, and runs on across the week boundary', () => {
    const now = sh('2026-03-08 18:00') // a Sunday evening
    const slots = generateSlots(room(), cal, { from: now, to: sh('2026-03-10 00:00'), now })
    // 19:00–19:40 are inside the notice; 20:00 is exactly 2 hours ahead and bookable.
    expect(on(slots, '2026-03-08')).toEqual(['20:00', '20:20', '20:40'])
    expect(on(slots, '2026-03-09')).toEqual(['16:30', '16:50', '17:10', '17:30', '17:50', '18:10'])
    expect(slots.map((s) => s.key).slice(2, 4)).toEqual(['room-sq1:202603082040', 'room-sq1:202603091630'])
    expect(weekOf(slots[2].start).weekKey).toBe('2026-W10')
    expect(weekOf(slots[3].start).weekKey).toBe('2026-W11')
  })

  it('stops at the booking horizon: 14 days ahead, that whole day included', () => {
    const now = sh('2026-03-02 10:00')
    const slots = generateSlots(room(), cal, { from: now, to: sh('2026-04-30 00:00'), now })
    expect(slots[slots.length - 1].date).toBe('2026-03-16')
    expect(on(slots, '2026-03-16')).toHaveLength(6)
    const short = generateSlots(room({ horizonDays: 3 }), cal, { from: now, to: sh('2026-04-30 00:00'), now })
    expect(short[short.length - 1].date).toBe('2026-03-05')
  })

  it('skips closed dates', () => {
    const now = sh('2026-03-01 08:00')
    const slots = generateSlots(room({ closedDates: ['2026-03-04'] }), cal, { from: sh('2026-03-03 00:00'), to: sh('2026-03-06 00:00'), now })
    expect([...new Set(slots.map((s) => s.date))]).toEqual(['2026-03-03', '2026-03-05'])
  })

  it('closes for the Spring Festival and opens the adjusted Saturday with Monday hours', () => {
    const now = sh('2026-02-12 08:00')
    const slots = generateSlots(room(), cal, { from: now, to: sh('2026-02-26 00:00'), now })
    const days = [...new Set(slots.map((s) => s.date))]
    expect(days).toEqual(['2026-02-12', '2026-02-13', '2026-02-14', '2026-02-24', '2026-02-25'])
    expect(on(slots, '2026-02-14')).toEqual(['16:30', '16:50', '17:10', '17:30', '17:50', '18:10']) // not 09:00 weekend hours
    expect(openingOn(room(), cal, '2026-02-14')).toMatchObject({ open: true, adjustedWorkday: true, hoursOf: 1 })
    expect(openingOn(room(), cal, '2026-02-17')).toMatchObject({ open: false, closedReason: 'holiday', holidayName: '春节' })
  })

  it('uses the weekday the teacher chose for adjusted workdays', () => {
    const friday = room({ openHours: [...roomSettings.openHours, { days: [5], start: '15:00', end: '16:00' }], adjustedWorkdayAs: 5 })
    const now = sh('2026-02-12 08:00')
    const slots = generateSlots(friday, cal, { from: sh('2026-02-14 00:00'), to: sh('2026-02-15 00:00'), now })
    expect(on(slots, '2026-02-14')[0]).toBe('15:00')
  })

  it('keeps weekly hours on holidays for a room that does not follow the school calendar', () => {
    const open = room({ followsSchoolCalendar: false })
    const now = sh('2026-02-12 08:00')
    const slots = generateSlots(open, cal, { from: sh('2026-02-14 00:00'), to: sh('2026-02-16 00:00'), now })
    expect(on(slots, '2026-02-14')[0]).toBe('09:00') // the adjusted Saturday keeps Saturday hours
    expect(on(slots, '2026-02-15')[0]).toBe('09:00') // New Year's Eve is open
  })

  it('marks slots in a year without holiday data as estimates', () => {
    const now = sh('2026-12-28 08:00')
    const slots = generateSlots(room(), cal, { from: now, to: sh('2027-01-06 00:00'), now })
    expect(slots.find((s) => s.date === '2026-12-31')?.estimated).toBe(false)
    expect(slots.find((s) => s.date === '2027-01-04')?.estimated).toBe(true)
  })

  it('gives nothing for an empty or reversed window', () => {
    const now = sh('2026-03-01 08:00')
    expect(generateSlots(room(), cal, { from: sh('2026-03-03 00:00'), to: sh('2026-03-02 00:00'), now })).toEqual([])
  })
})

describe('validateSlotChoice', () => {
  const now = sh('2026-03-02 15:00') // Monday afternoon
  const check = (start: string, r = room()) => validateSlotChoice(r, cal, sh(start), now)

  it('accepts a free slot start and returns its key', () => {
    const result = check('2026-03-03 17:10')
    expect(result.ok).toBe(true)
    if (result.ok) expect(result.slot.key).toBe('room-sq1:202603031710')
  })

  it('names a time in the past', () => {
    expect(check('2026-03-02 14:00')).toEqual({ ok: false, code: 'IN_PAST', message: '这个时间已经过去了，请另选一个时间' })
  })

  it('names a time inside the minimum notice', () => {
    expect(check('2026-03-02 16:30')).toMatchObject({ ok: false, code: 'INSIDE_NOTICE', message: expect.stringContaining('需至少提前 2 小时预约') })
    expect(check('2026-03-02 16:50')).toMatchObject({ ok: false, code: 'INSIDE_NOTICE' })
    expect(check('2026-03-02 17:10').ok).toBe(true)
    const later = room({ noticeHours: 2.5 })
    expect(check('2026-03-02 17:10', later)).toMatchObject({ ok: false, code: 'INSIDE_NOTICE', message: expect.stringContaining('2.5 小时') })
    expect(check('2026-03-02 17:30', later).ok).toBe(true) // exactly 2.5 hours ahead
  })

  it('names a day beyond the horizon with the last bookable day', () => {
    expect(check('2026-03-16 16:30').ok).toBe(true)
    expect(check('2026-03-17 16:30')).toMatchObject({ ok: false, code: 'BEYOND_HORIZON', message: expect.stringMatching(/14 天.*3月16日/) })
  })

  it('names a holiday, a closed date and a day without hours', () => {
    const r = room({ openHours: [{ days: [1, 2, 3, 4, 5], start: '16:30', end: '18:30' }], closedDates: ['2026-03-04'], horizonDays: 60 })
    expect(check('2026-04-06 16:30', r)).toEqual({ ok: false, code: 'CLOSED_DAY', message: '4月6日是清明节，不开放，请另选一天' })
    expect(check('2026-03-04 16:30', r)).toMatchObject({ ok: false, code: 'CLOSED_DAY', message: expect.stringContaining('3月4日（周三）暂停开放') })
    expect(check('2026-03-07 16:30', r)).toMatchObject({ ok: false, code: 'CLOSED_DAY', message: expect.stringContaining('3月7日（周六）不开放') })
  })

  it('names a time outside the open hours with the hours of that day', () => {
    expect(check('2026-03-03 15:00')).toMatchObject({ ok: false, code: 'OUTSIDE_HOURS', message: '15:00 不在开放时间内，3月3日开放 16:30–18:30' })
    // 18:20 is inside the hours but the call would run past 18:30.
    expect(check('2026-03-03 18:20')).toMatchObject({ ok: false, code: 'OUTSIDE_HOURS' })
    expect(check('2026-03-07 12:00')).toMatchObject({ message: expect.stringContaining('09:00–11:30、19:00–21:00') })
  })

  it('names a time that is not a slot start, offering the nearest ones', () => {
    expect(check('2026-03-03 17:35')).toEqual({ ok: false, code: 'NOT_SLOT_START', message: '17:35 不是可预约的开始时间，附近可选 17:30、17:50' })
    const withSeconds = new Date(sh('2026-03-03 17:10').getTime() + 30_000)
    expect(validateSlotChoice(room(), cal, withSeconds, now)).toMatchObject({ ok: false, code: 'NOT_SLOT_START' })
  })

  it('accepts exactly the slots generateSlots offers', () => {
    const r = room({ bufferMinutes: 5, closedDates: ['2026-03-04'] })
    const offered = new Set(generateSlots(r, cal, { from: now, to: sh('2026-03-20 00:00'), now }).map((s) => s.key))
    let accepted = 0
    for (let t = sh('2026-03-02 00:00').getTime(); t < sh('2026-03-20 00:00').getTime(); t += 5 * 60_000) {
      const result = validateSlotChoice(r, cal, new Date(t), now)
      const key = slotKey(r.id, new Date(t))
      expect(result.ok).toBe(offered.has(key))
      if (result.ok) accepted++
    }
    expect(accepted).toBe(offered.size)
    expect(accepted).toBeGreaterThan(50)
  })
})

describe('freeSlots and nextFree', () => {
  const now = sh('2026-03-01 08:00')
  const slots = generateSlots(room(), cal, { from: sh('2026-03-02 00:00'), to: sh('2026-03-03 00:00'), now })

  it('counts the seats left with 2 devices, keeping full slots', () => {
    const bookings = [
      { slotKey: 'room-sq1:202603021630' }, { slotKey: 'room-sq1:202603021630' },
      { slotKey: 'room-sq1:202603021650' }, { slotKey: 'room-other:202603021710' }
    ]
    const free = freeSlots(slots, bookings, 2)
    expect(free.map((s) => s.remaining)).toEqual([0, 1, 2, 2, 2, 2])
    expect(free[0].taken).toBe(2)
    expect(freeSlots(slots, [...bookings, { slotKey: 'room-sq1:202603021630' }], 2)[0].remaining).toBe(0)
  })

  it('offers the next free times after a slot that was just taken', () => {
    const free = freeSlots(slots, [{ slotKey: 'room-sq1:202603021650' }, { slotKey: 'room-sq1:202603021650' }, { slotKey: 'room-sq1:202603021710' }, { slotKey: 'room-sq1:202603021710' }], 2)
    expect(times(nextFree(free, 2, sh('2026-03-02 16:30')))).toEqual(['2026-03-02 17:30', '2026-03-02 17:50'])
    expect(times(nextFree(free, 1))).toEqual(['2026-03-02 16:30'])
  })
})

describe('preferredFirst', () => {
  const now = sh('2026-03-01 08:00')
  const week = generateSlots(room(), cal, { from: sh('2026-03-02 00:00'), to: sh('2026-03-09 00:00'), now })

  it('puts a parent’s Sunday 19:00–21:00 first, then the rest by time', () => {
    const hours = FreeHours.parse([{ days: [7], start: '19:00', end: '21:00' }])
    const sorted = preferredFirst(week, hours)
    expect(times(sorted.slice(0, 7))).toEqual([
      '2026-03-08 19:00', '2026-03-08 19:20', '2026-03-08 19:40', '2026-03-08 20:00', '2026-03-08 20:20', '2026-03-08 20:40',
      '2026-03-02 16:30'
    ])
    expect(sorted.slice(0, 6).every((s) => s.preferred)).toBe(true)
    expect(sorted[6].preferred).toBe(false)
    expect(sorted).toHaveLength(week.length)
  })

  it('counts only slots wholly inside the free hours (a night-shift parent free on weekdays 17:00–18:00)', () => {
    const sorted = preferredFirst(week, [{ days: [1, 2, 3, 4, 5], start: '17:00', end: '18:00' }])
    const monday = sorted.filter((s) => s.preferred && s.date === '2026-03-02')
    expect(monday.map((s) => inShanghai(s.start).format('HH:mm'))).toEqual(['17:10', '17:30']) // 17:50 ends at 18:10
    expect(sorted.filter((s) => s.preferred)).toHaveLength(10)
  })

  it('keeps time order without saved hours', () => {
    expect(preferredFirst(week, []).map((s) => s.key)).toEqual(week.map((s) => s.key))
  })
})

describe('weeks of the weekly contact rule', () => {
  it('puts Sunday 23:59 and Monday 00:00 Shanghai time in different weeks, though both are 29 November in UTC', () => {
    expect(weekOf(new Date('2026-11-29T15:59:00Z'))).toEqual({ weekKey: '2026-W48', weekStart: '2026-11-23', weekEnd: '2026-11-29' })
    expect(weekOf(new Date('2026-11-29T16:00:00Z'))).toEqual({ weekKey: '2026-W49', weekStart: '2026-11-30', weekEnd: '2026-12-06' })
  })

  it('numbers weeks across the new year by ISO rules', () => {
    expect(weekOf('2027-01-01').weekKey).toBe('2026-W53')
    expect(weekOf('2027-01-04').weekKey).toBe('2027-W01')
    expect(weekStartOf('2026-W53')).toBe('2026-12-28')
    expect(weekStartOf('2026-W01')).toBe('2025-12-29')
    expect(shiftWeek('2027-W01', -1)).toBe('2026-W53')
    expect(shiftWeek('2026-W48', 2)).toBe('2026-W50')
  })

  it('starts the Thursday nudge at Thursday 10:00 Shanghai time of the week, Monday to Sunday', () => {
    expect(wall(weeklyNudgeFrom(sh('2026-11-23 00:00')))).toBe('2026-11-26 10:00') // Monday
    expect(wall(weeklyNudgeFrom(sh('2026-11-26 09:59')))).toBe('2026-11-26 10:00')
    expect(wall(weeklyNudgeFrom(sh('2026-11-29 23:59')))).toBe('2026-11-26 10:00') // Sunday: the week's nudge time has passed
    expect(wall(weeklyNudgeFrom(sh('2026-11-30 00:00')))).toBe('2026-12-03 10:00') // Monday: a new week
    // Wednesday 16:30 UTC is already Thursday 00:30 in Shanghai
    expect(wall(weeklyNudgeFrom(new Date('2026-12-30T16:30:00Z')))).toBe('2026-12-31 10:00')
  })

  it('flags three weeks in a row without a held call, across the new year', () => {
    expect(consecutiveWeeksWithout(new Set(['2026-W45']), '2026-W48', 3)).toBe(true)
    expect(consecutiveWeeksWithout(new Set(['2026-W46']), '2026-W48', 3)).toBe(false)
    expect(consecutiveWeeksWithout(new Set(['2026-W48']), '2026-W48', 3)).toBe(false)
    expect(consecutiveWeeksWithout(new Set(['2026-W52']), '2027-W02', 3)).toBe(true) // W53, W01, W02
    expect(consecutiveWeeksWithout(new Set(['2026-W53']), '2027-W02', 3)).toBe(false)
    expect(weeksWithoutCall(new Set(['2026-W44']), '2026-W48')).toBe(4)
  })
})

describe('standing weekly call', () => {
  it('lists the next Sundays at 19:00 Shanghai time', () => {
    const rule = StandingCallRule.parse({ weekday: 7, time: '19:00' })
    expect(nextOccurrences(rule, sh('2026-11-25 10:00'), 3).map(wall)).toEqual(['2026-11-29 19:00', '2026-12-06 19:00', '2026-12-13 19:00'])
  })

  it('includes a start exactly at the time and skips one just past it', () => {
    const rule = { weekday: 7 as const, time: '19:00' }
    expect(wall(nextOccurrences(rule, sh('2026-11-29 19:00'), 1)[0])).toBe('2026-11-29 19:00')
    expect(wall(nextOccurrences(rule, sh('2026-11-29 19:01'), 1)[0])).toBe('2026-12-06 19:00')
  })

  it('uses Shanghai time near midnight UTC', () => {
    // Monday 07:30 Shanghai is Sunday 23:30 UTC: the next Monday 07:30 is that very morning.
    expect(nextOccurrences({ weekday: 1, time: '07:30' }, new Date('2026-11-29T23:00:00Z'), 1)[0]).toEqual(new Date('2026-11-29T23:30:00Z'))
  })

  it('refuses a bad rule in Chinese', () => {
    const fields = fieldErrors(StandingCallRule.safeParse({ weekday: 8, time: '7pm' }).error!)
    expect(fields).toEqual({ weekday: '星期只能是周一到周日', time: '时间格式须为 时:分，如 16:30' })
  })
})
