/** 亲情热线 through the functions and the scheduler on a fresh seeded local cloud. */
import type { LocalCloud } from '../../localcloud'
import { allow, callAs, startTestCloud } from '../support/localcloud'
import { key } from '../support/children'
import { ROUND_THE_CLOCK, bindParent, markHeld, openRoomAllDay } from '../support/hotline'
import { weekOf } from '../../src/domain'

let cloud: LocalCloud
const WANG = 'demo-parent-wang' // father of child-01 and child-02 (石桥镇中心小学, room-sq)
const TEACHER = 'demo-teacher-chen'
const db = () => require('wx-server-sdk').database()
const count = async (coll: string, where: object = {}) => (await db().collection(coll).where(where).count()).total

beforeAll(async () => {
  cloud = await startTestCloud()
  await openRoomAllDay(cloud)
  for (let i = 3; i <= 7; i++) await bindParent(`o-parent-${i}`, `child-0${i}`)
}, 60000)
afterAll(async () => { await cloud?.close() })

const slotsFor = async (who: string, childId: string, extra: object = {}) => (await callAs(cloud, who, 'hotline', 'slots', { childId, ...extra })).body.data
const book = async (who: string, childId: string, start: string | Date, k = key(), mode = 'video') =>
  (await callAs(cloud, who, 'hotline', 'book', { childId, start, mode, idempotencyKey: k })).body

describe('room settings', () => {
  it('names each bad setting and saves nothing', async () => {
    const before = (await callAs(cloud, TEACHER, 'hotline', 'rooms')).body.data.rooms[0].settings
    const res = (await callAs(cloud, TEACHER, 'hotline', 'saveRoomSettings', { roomId: 'room-sq', settings: { ...before, devices: 0, openHours: [{ days: [1], start: '18:00', end: '17:00' }], slotMinutes: 5 } })).body
    expect(res.error.code).toBe('INVALID_INPUT')
    expect(res.error.fields).toMatchObject({ 'settings.devices': '设备数量须为 1 到 10 台', 'settings.openHours.0.end': '结束时间须晚于开始时间', 'settings.slotMinutes': '每次通话时长须为 10 到 60 分钟' })
    expect((await callAs(cloud, TEACHER, 'hotline', 'rooms')).body.data.rooms[0].settings).toEqual(before)
  })

  it('lets only a teacher of the room\'s school change it', async () => {
    const settings = (await callAs(cloud, TEACHER, 'hotline', 'rooms')).body.data.rooms[0].settings
    expect((await callAs(cloud, 'demo-teacher-lin', 'hotline', 'saveRoomSettings', { roomId: 'room-sq', settings })).body.error.code).toBe('FORBIDDEN')
  })
})

describe('booking', () => {
  it('shows a parent the free slots of the child\'s room, their saved free hours first', async () => {
    const all = await slotsFor(WANG, 'child-01')
    expect(all.room).toMatchObject({ id: 'room-sq', name: '石桥镇中心小学真情关爱室', devices: 2 })
    expect(all.slots.length).toBeGreaterThan(20)
    expect(all.slots.every((s: any) => s.remaining === 2)).toBe(true)
    // Saved hours: every day 21:00–23:00 (after a shift) come first.
    await callAs(cloud, WANG, 'hotline', 'saveFreeHours', { freeHours: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '21:00', end: '23:00' }] })
    const mine = await slotsFor(WANG, 'child-01')
    const firstNot = mine.slots.findIndex((s: any) => !s.preferred)
    expect(firstNot).toBeGreaterThan(0)
    expect(mine.slots.slice(firstNot).every((s: any) => !s.preferred)).toBe(true)
    const hour = (d: string) => Number(new Date(d).toLocaleString('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', hour12: false }))
    expect(mine.slots.filter((s: any) => s.preferred).every((s: any) => hour(s.start) >= 21 && hour(s.start) < 23)).toBe(true)
    await callAs(cloud, WANG, 'hotline', 'saveFreeHours', { freeHours: [] })
  })

  it('books a slot, takes one device, and returns the same booking for a retried request', async () => {
    const { slots } = await slotsFor('o-parent-3', 'child-03')
    const slot = slots[5]
    const k = key()
    const first = await book('o-parent-3', 'child-03', slot.start, k)
    expect(first.data).toMatchObject({ outcome: 'booked', booking: { childName: '陈思琪', status: 'booked', statusLabel: '已预约', mode: 'video', roomName: '石桥镇中心小学真情关爱室' } })
    const retry = await book('o-parent-3', 'child-03', slot.start, k)
    expect(retry.data.booking.id).toBe(first.data.booking.id)
    expect(await count('bookings', { childId: 'child-03' })).toBe(1)
    const after = (await slotsFor(WANG, 'child-01')).slots.find((s: any) => s.key === slot.key)
    expect(after.remaining).toBe(1)
    await callAs(cloud, 'o-parent-3', 'hotline', 'cancel', { bookingId: first.data.booking.id, reason: '测试结束' })
  })

  it('never exceeds the devices when five parents press the same slot at once', async () => {
    const { slots } = await slotsFor('o-parent-3', 'child-03')
    const slot = slots[8]
    const results = await Promise.all([3, 4, 5, 6, 7].map((i) => book(`o-parent-${i}`, `child-0${i}`, slot.start)))
    const booked = results.filter((r) => r.data?.outcome === 'booked')
    const taken = results.filter((r) => r.data?.outcome === 'taken')
    expect(booked.length).toBe(2)
    expect(taken.length).toBe(3)
    for (const t of taken) {
      expect(t.data.message).toBe('这个时间刚被别人约走了，请换一个时间。下面是最近还空着的时间。')
      expect(t.data.next.length).toBeGreaterThan(0)
      expect(t.data.next.every((s: any) => s.key !== slot.key)).toBe(true)
    }
    expect(await count('seats', { slotKey: slot.key })).toBe(2)
    for (const b of booked) await callAs(cloud, b.data.booking.bookedByName === '' ? '' : `o-parent-${b.data.booking.childId.slice(-1)}`, 'hotline', 'cancel', { bookingId: b.data.booking.id, reason: '测试结束' })
  })

  it('never gives one child two devices of the same time', async () => {
    const { slots } = await slotsFor('o-parent-7', 'child-07')
    const s = slots[50]
    const [a, b] = await Promise.all([book('o-parent-7', 'child-07', s.start), book('o-parent-7', 'child-07', s.start)])
    const results = [a, b].map((r) => r.data?.outcome ?? r.error?.message)
    expect(results.filter((x) => x === 'booked').length).toBe(1)
    expect(results).toContain('这个时间已经为孩子约好了，不用再约')
    const mine = [a, b].find((r) => r.data?.outcome === 'booked')!.data.booking
    await callAs(cloud, 'o-parent-7', 'hotline', 'cancel', { bookingId: mine.id, reason: '测试结束' })
    expect((await book('o-parent-7', 'child-07', s.start)).data.outcome).toBe('booked')
    const again = (await callAs(cloud, 'o-parent-7', 'hotline', 'myBookings')).body.data.upcoming.find((x: any) => x.childId === 'child-07' && new Date(x.start).getTime() === new Date(s.start).getTime())
    await callAs(cloud, 'o-parent-7', 'hotline', 'cancel', { bookingId: again.id, reason: '测试结束' })
  })

  it('holds a family to two future bookings in the room', async () => {
    const { slots } = await slotsFor('o-parent-4', 'child-04')
    const a = await book('o-parent-4', 'child-04', slots[12].start)
    const b = await book('o-parent-4', 'child-04', slots[14].start)
    expect([a.data.outcome, b.data.outcome]).toEqual(['booked', 'booked'])
    const c = await book('o-parent-4', 'child-04', slots[16].start)
    expect(c.error).toEqual({ code: 'CONFLICT', message: '每个孩子在这个关爱室最多同时约2次通话。请先通完或取消一次，再约新的。' })
    expect(await count('seats', { slotKey: slots[16].key })).toBe(0)
    const limit = (await slotsFor('o-parent-4', 'child-04')).familyLimit
    expect(limit).toEqual({ max: 2, used: 2 })
    await callAs(cloud, 'o-parent-4', 'hotline', 'cancel', { bookingId: a.data.booking.id, reason: '改主意了' })
    const d = (await book('o-parent-4', 'child-04', slots[16].start)).data
    expect(d.outcome).toBe('booked')
    for (const id of [b.data.booking.id, d.booking.id]) await callAs(cloud, 'o-parent-4', 'hotline', 'cancel', { bookingId: id, reason: '测试结束' })
  })

  it('refuses a time outside the hours, in the past, or not a slot start, naming the problem; writes nothing', async () => {
    const before = await count('bookings')
    const tomorrow3am = new Date(Date.now() + 86400000)
    const iso = tomorrow3am.toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })
    const outside = await book('o-parent-5', 'child-05', `${iso}T03:00:00+08:00`)
    expect(outside.error.code).toBe('INVALID_INPUT')
    expect(outside.error.fields.start).toMatch(/不在开放时间|开放/)
    const past = await book('o-parent-5', 'child-05', new Date(Date.now() - 3600000).toISOString())
    expect(past.error.fields.start).toMatch(/已经过去|过去/)
    const odd = await book('o-parent-5', 'child-05', `${iso}T10:07:00+08:00`)
    expect(odd.error.fields.start).toMatch(/整点|开始|时间/)
    const far = await book('o-parent-5', 'child-05', new Date(Date.now() + 40 * 86400000).toISOString())
    expect(far.error.fields.start).toMatch(/天/)
    const noMode = (await callAs(cloud, 'o-parent-5', 'hotline', 'book', { childId: 'child-05', start: `${iso}T10:00:00+08:00`, mode: 'fax', idempotencyKey: key() })).body
    expect(noMode.error.fields).toEqual({ mode: '请选择视频或语音' })
    expect(await count('bookings')).toBe(before)
  })

  it('refuses booking for a child not bound to the caller', async () => {
    const { slots } = await slotsFor(WANG, 'child-01')
    const res = await book('o-parent-5', 'child-01', slots[0].start)
    expect(res.error).toEqual({ code: 'FORBIDDEN', message: '只能为自己绑定的孩子预约通话' })
    expect((await callAs(cloud, 'demo-teacher-chen', 'hotline', 'book', { childId: 'child-01', start: slots[0].start, mode: 'voice', idempotencyKey: key() })).body.error.code).toBe('FORBIDDEN')
  })

  it('moves a booking to a new time and frees the old seat', async () => {
    const { slots } = await slotsFor('o-parent-6', 'child-06')
    const b = (await book('o-parent-6', 'child-06', slots[20].start)).data.booking
    const moved = (await callAs(cloud, 'o-parent-6', 'hotline', 'move', { bookingId: b.id, start: slots[22].start, reason: '要加班', idempotencyKey: key() })).body.data
    expect(moved).toMatchObject({ outcome: 'booked', booking: { id: b.id } })
    expect(new Date(moved.booking.start).getTime()).toBe(new Date(slots[22].start).getTime())
    expect(await count('seats', { slotKey: slots[20].key })).toBe(0)
    expect(await count('seats', { slotKey: slots[22].key })).toBe(1)
    await callAs(cloud, 'o-parent-6', 'hotline', 'cancel', { bookingId: b.id, reason: '测试结束' })
  })
})

describe('waiting list', () => {
  it('offers a cancelled seat first to the family waiting for that day, who can take it', async () => {
    const { slots } = await slotsFor('o-parent-3', 'child-03')
    const target = slots[30]
    const day = new Date(target.start).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })
    const a = (await book('o-parent-3', 'child-03', target.start)).data.booking
    const b = (await book('o-parent-4', 'child-04', target.start)).data
    expect(b.outcome).toBe('booked')
    await allow(cloud, 'o-parent-7', ['TPL_SLOT_OFFER']) // asked on the tap that joins the waiting list
    const entry = (await callAs(cloud, 'o-parent-7', 'hotline', 'joinWaitlist', { childId: 'child-07', date: day, idempotencyKey: key() })).body.data
    expect(entry).toMatchObject({ childName: '周佳怡', date: day, position: 1 })
    expect((await callAs(cloud, 'o-parent-5', 'hotline', 'joinWaitlist', { childId: 'child-05', date: day, idempotencyKey: key() })).body.data.position).toBe(2)

    await callAs(cloud, 'o-parent-3', 'hotline', 'cancel', { bookingId: a.id, reason: '孩子要考试' })
    const offer = cloud.outbox('o-parent-7').find((m) => m.templateId === 'TPL_SLOT_OFFER')
    expect(offer).toMatchObject({ delivered: true, data: { thing1: { value: '周佳怡的通话有空位了' } } })
    expect(cloud.outbox('o-parent-5').some((m: any) => m.templateId === 'TPL_SLOT_OFFER')).toBe(false)
    // The freed seat is held for the first in line, not open to everyone.
    expect((await slotsFor(WANG, 'child-01')).slots.find((s: any) => s.key === target.key)).toBeUndefined()
    const mine = (await callAs(cloud, 'o-parent-7', 'hotline', 'myBookings')).body.data
    expect(mine.waitlist[0].offer).toBeDefined()
    const accepted = (await callAs(cloud, 'o-parent-7', 'hotline', 'acceptOffer', { entryId: entry.id, mode: 'voice' })).body.data
    expect(accepted).toMatchObject({ outcome: 'booked', booking: { childId: 'child-07', mode: 'voice' } })
    expect(await count('seats', { slotKey: target.key })).toBe(2)
  })
})

describe('standing weekly call', () => {
  it('books each week within reach and tells the parent of a week it could not book', async () => {
    const { slots } = await slotsFor('o-parent-5', 'child-05')
    // A week from now at the time of a slot, as "every <weekday> HH:mm".
    const s = new Date(new Date(slots[40].start).getTime() + 7 * 86400000)
    const weekday = Number(s.toLocaleDateString('en-GB', { timeZone: 'Asia/Shanghai', weekday: 'short' }) ? ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(s.toLocaleDateString('en-US', { timeZone: 'Asia/Shanghai', weekday: 'short' })) + 1 : 0)
    const time = s.toLocaleTimeString('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit' })
    // Both devices of next week's occurrence are taken by others.
    await book('o-parent-6', 'child-06', s)
    await book('o-parent-3', 'child-03', s)
    const res = (await callAs(cloud, 'o-parent-5', 'hotline', 'setStandingCall', { childId: 'child-05', weekday, time, mode: 'video' })).body.data
    expect(res.rule).toMatchObject({ weekday, time, childName: '黄雨欣' })
    expect(res.booked.length).toBeGreaterThanOrEqual(1)
    expect(res.booked.every((b: any) => b.standing)).toBe(true)
    expect(res.rule.missedWeeks).toEqual([{ weekKey: weekOf(s).weekKey, reason: expect.stringContaining('已被约满') }])
  })
})

describe('the teacher\'s day sheet and check-in', () => {
  it('shows the day\'s calls and records held, feeding the history and the weekly record', async () => {
    await openRoomAllDay(cloud, ROUND_THE_CLOCK)
    const { slots } = await slotsFor(WANG, 'child-02')
    const first = slots[0] // within the next 20 minutes: the room opens all day with no notice
    const b = (await book(WANG, 'child-02', first.start)).data.booking
    const day = new Date(first.start).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })
    const sheet = (await callAs(cloud, TEACHER, 'hotline', 'daySheet', { roomId: 'room-sq', date: day })).body.data
    expect(sheet.open).toBe(true)
    expect(sheet.calls.find((c: any) => c.id === b.id)).toMatchObject({ childName: '王小川', className: '二年级（1）班', bookedByName: '王建国' })
    expect((await callAs(cloud, 'demo-teacher-lin', 'hotline', 'daySheet', { roomId: 'room-sq', date: day })).body.error.code).toBe('FORBIDDEN')

    expect((await markHeld(cloud, TEACHER, b.id, b.start, '聊得很开心')).body.data).toEqual({ status: 'held' })
    const file = (await db().collection('children').doc('child-02').get()).data
    expect(new Date(file.lastHeldCallAt).getTime()).toBe(new Date(first.start).getTime())
    // The call's week is marked held at once. Late on a Sunday in Shanghai the first free slot is Monday 00:00, in
    // next week: the history (this week and the 11 before it) shows it when that week comes.
    const callWeek = weekOf(new Date(first.start)).weekKey
    expect((await db().collection('weeklyContacts').doc(`child-02:${callWeek}`).get()).data).toMatchObject({ held: true })
    const hist = (await callAs(cloud, WANG, 'hotline', 'history', { childId: 'child-02' })).body.data
    expect(hist.weeks.length).toBe(12)
    expect(hist.weeks[0]).toMatchObject({ weekKey: weekOf(new Date()).weekKey, held: callWeek === weekOf(new Date()).weekKey })
    expect((await callAs(cloud, 'o-parent-3', 'hotline', 'history', { childId: 'child-02' })).body.error.code).toBe('FORBIDDEN')
  })

  it('refuses a check-in long before the call', async () => {
    const { slots } = await slotsFor(WANG, 'child-01')
    const later = slots.find((s: any) => new Date(s.start).getTime() > Date.now() + 2 * 3600000)
    const b = (await book(WANG, 'child-01', later.start)).data.booking
    const res = (await callAs(cloud, TEACHER, 'hotline', 'checkIn', { bookingId: b.id, outcome: 'childAbsent' })).body
    expect(res.error.fields).toEqual({ outcome: '通话还没开始' })
    await callAs(cloud, WANG, 'hotline', 'cancel', { bookingId: b.id, reason: '测试结束' })
  })
})

describe('timers (scheduler fired at chosen clock times)', () => {
  it('reminds a day before by WeChat on the booking\'s one allow and 30 minutes before in 消息, once each, even when fired twice', async () => {
    const { slots } = await slotsFor('o-parent-6', 'child-06')
    const s = slots.find((x: any) => new Date(x.start).getTime() > Date.now() + 26 * 3600000)
    await allow(cloud, 'o-parent-6', ['TPL_CALL_REMINDER']) // on the booking tap
    const b = (await book('o-parent-6', 'child-06', s.start)).data.booking
    const start = new Date(b.start).getTime()
    const reminders = () => cloud.outbox('o-parent-6').filter((m) => m.templateId === 'TPL_CALL_REMINDER').map((m) => m.delivered)
    const inbox = async () => (await callAs(cloud, 'o-parent-6', 'account', 'inbox', {})).body.data.entries.filter((e: any) => e.template === 'callReminder').length
    const before = reminders()
    await cloud.triggerTimer('scheduler', new Date(start - 25 * 3600000))
    expect(reminders()).toEqual(before)
    await cloud.triggerTimer('scheduler', new Date(start - 20 * 3600000))
    await cloud.triggerTimer('scheduler', new Date(start - 20 * 3600000))
    expect(reminders()).toEqual([true, ...before])
    expect(await inbox()).toBe(1)
    await cloud.triggerTimer('scheduler', new Date(start - 25 * 60000))
    await cloud.triggerTimer('scheduler', new Date(start - 24 * 60000))
    expect(reminders()).toEqual([true, ...before])
    expect(await inbox()).toBe(2)
  })

  it('nudges parents on Thursday of a week with no call, once, and not those who booked', async () => {
    // Thursday 10:05 Shanghai of the first week ahead with no call for 王小雨 or 王小川: only the calls booked for
    // that week count. (Late on a Sunday the day-sheet test's call falls into next week; then it is the week after.)
    const booked = (await db().collection('bookings').where({ childId: db().command.in(['child-01', 'child-02']), status: db().command.in(['booked', 'held']) }).get()).data
    const taken = new Set(booked.map((b: any) => weekOf(new Date(b.start)).weekKey))
    let ahead = 7
    while (taken.has(weekOf(new Date(Date.now() + ahead * 86400000)).weekKey)) ahead += 7
    const monday = weekOf(new Date(Date.now() + ahead * 86400000)).weekStart
    const thursday = new Date(new Date(`${monday}T10:05:00+08:00`).getTime() + 3 * 86400000)
    const nextWeek = (await slotsFor('o-parent-7', 'child-07', { from: monday, days: 7 })).slots
    await book('o-parent-7', 'child-07', nextWeek[3].start)
    // Every nudge lands in the parent's 消息; WeChat delivers as many as the parent allowed (王建国 allowed one).
    await allow(cloud, WANG, ['TPL_WEEKLY_NUDGE'])
    const nudges = (openid: string) => cloud.outbox(openid).filter((m) => m.templateId === 'TPL_WEEKLY_NUDGE').length
    await cloud.triggerTimer('scheduler', new Date(thursday.getTime() - 3600000)) // Thursday 09:05: too early
    expect(nudges(WANG)).toBe(0)
    await cloud.triggerTimer('scheduler', thursday)
    await cloud.triggerTimer('scheduler', thursday)
    expect(nudges(WANG)).toBe(2) // one per child (王小雨, 王小川), once
    expect(nudges('demo-parent-li')).toBe(2)
    expect(nudges('o-parent-7')).toBe(0)
    expect(nudges('demo-guardian-zhang')).toBe(0) // nudges go to parents
    expect(cloud.outbox(WANG).filter((m) => m.templateId === 'TPL_WEEKLY_NUDGE').map((m) => m.delivered)).toEqual([false, true])
    const msg = cloud.outbox(WANG).find((m) => m.templateId === 'TPL_WEEKLY_NUDGE' && m.delivered)
    expect(msg?.page).toMatch(/^packages\/hotline\/pages\/book\/index\?childId=child-0/)
    const inbox = (await callAs(cloud, WANG, 'account', 'inbox', {})).body.data.entries.filter((e: any) => e.template === 'weeklyNudge')
    expect(inbox.map((e: any) => e.title).sort()).toEqual(['这周还没和王小川通话', '这周还没和王小雨通话'])
  })

  it('flags a child with three weeks in a row without a call to the teacher and the officer, once', async () => {
    // 宋佳琪 (child-19) has a call held this week; 王小雨 (child-01) has had none since her file was made.
    await bindParent('o-parent-19', 'child-19')
    const soon = (await slotsFor('o-parent-19', 'child-19')).slots[0]
    const held = (await book('o-parent-19', 'child-19', soon.start)).data.booking
    expect((await markHeld(cloud, TEACHER, held.id, held.start)).body.ok).toBe(true)
    // 王小雨's father bound a month ago (weeks before a parent bound never count: docs/DOMAIN.md, "Contact rhythm").
    await db().collection('bindings').doc(`child-01:${WANG}`).update({ data: { createdAt: new Date(Date.now() - 30 * 86400000) } })
    // Three weeks after this one: the last three finished weeks are this week and the two after it.
    const fireAt = new Date(new Date(`${weekOf(new Date(Date.now() + 21 * 86400000)).weekStart}T08:00:00+08:00`))
    // The teacher and the officer switched their 关爱提醒 on (接收提醒), a few times over.
    for (const o of [TEACHER, 'demo-cwo-zhao', 'demo-teacher-lin']) for (let i = 0; i < 3; i++) await allow(cloud, o, ['TPL_CARE_ALERT'])
    const seen = new Set([TEACHER, 'demo-cwo-zhao', 'demo-teacher-lin'].flatMap((o) => cloud.outbox(o).map((m: any) => JSON.stringify(m))))
    const alerts = (openid: string) => cloud.outbox(openid).filter((m: any) => m.templateId === 'TPL_CARE_ALERT' && m.delivered && !seen.has(JSON.stringify(m)))
    await cloud.triggerTimer('scheduler', fireAt)
    await cloud.triggerTimer('scheduler', fireAt)
    const toTeacher = alerts(TEACHER).map((m: any) => JSON.stringify(m))
    const toOfficer = alerts('demo-cwo-zhao').map((m: any) => JSON.stringify(m))
    expect(toTeacher.some((m) => m.includes('王小雨'))).toBe(true)
    expect(toOfficer.some((m) => m.includes('王小雨'))).toBe(true)
    expect(toTeacher.filter((m) => m.includes('王小雨')).length).toBe(1)
    expect(toTeacher.find((m) => m.includes('王小雨'))).toMatch(/王小雨已连续\d+周没有和家长通话/)
    expect(toTeacher.some((m) => m.includes('宋佳琪'))).toBe(false)
    // The teacher of another school hears only of her own school's children.
    expect(alerts('demo-teacher-lin').every((m: any) => !JSON.stringify(m).includes('王小雨'))).toBe(true)
    const file = (await db().collection('children').doc('child-01').get()).data
    expect(file.contactFlag.weeks).toBeGreaterThanOrEqual(3)
    expect((await db().collection('children').doc('child-19').get()).data.contactFlag).toBeUndefined()
  })
})

describe('the scheduler', () => {
  it('refuses to run for a mini-program caller: only its timer fires it', async () => {
    const res = await callAs(cloud, 'demo-admin-xu', 'scheduler', 'run', {})
    expect(res.body).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: '只能由定时器触发' } })
  })
})
