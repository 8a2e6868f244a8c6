/**
 * The weekly call home, as families and teachers live it (docs/DOMAIN.md, "Contact rhythm"): a direct call to the
 * guardian's phone counts once home confirms it; teachers hear of their room's calls; the guardian is reminded; the
 * teacher's sheet has the parent's number; "held" waits for the call; a standing call over a week already booked is
 * a success. The clock is moved, never read from the wall.
 */
import type { LocalCloud } from '../../localcloud'
import { callAs, startTestCloud } from '../support/localcloud'
import { key } from '../support/children'
import { bindParent, openRoomAllDay } from '../support/hotline'
import { weekOf } from '../../src/domain'

let cloud: LocalCloud
const WANG = 'demo-parent-wang' // father of 王小雨 (child-01) and 王小川 (child-02)
const LI = 'demo-parent-li' // their mother
const ZHANG = 'demo-guardian-zhang' // their grandmother, bound as guardian
const CHEN = 'demo-teacher-chen' // 石桥镇中心小学, room-sq
const LIN = 'demo-teacher-lin' // 白水乡中心小学
const ADMIN = 'demo-admin-xu'
const db = () => require('wx-server-sdk').database()
const count = async (coll: string, where: object = {}) => (await db().collection(coll).where(where).count()).total
/** What a person was told: their inbox, which every notice reaches whatever its delivery. */
const told = async (openid: string, template?: string): Promise<Array<{ _id: string, title: string, detail: string, link: string }>> =>
  (await db().collection('inbox').where({ to: openid, ...(template ? { template } : {}) }).limit(100).get()).data
const at = (iso: string) => new Date(iso)
const setClock = async (iso: string) => { await cloud.clock.set(iso, { frozen: true }) }
const record = async (who: string, childId: string, when: string | Date, minutes = 20, mode = 'video') =>
  (await callAs(cloud, who, 'hotline', 'recordDirectCall', { childId, at: when, minutes, mode, idempotencyKey: key() })).body

beforeAll(async () => {
  cloud = await startTestCloud()
  await openRoomAllDay(cloud)
}, 60000)
afterAll(async () => { await cloud?.close() })

describe('a direct call to the guardian\'s phone counts for its week once home confirms it', () => {
  it('counts a confirmed direct call in the weekly record, the nudge, the three-week flag and oversight\'s weekly figure', async () => {
    // Wednesday evening, 2027-03-10: 王建国 video-called grandma's phone at 20:00 for twenty minutes.
    await setClock('2027-03-10T20:40:00+08:00')
    const week = weekOf(at('2027-03-10T20:00:00+08:00')).weekKey
    const figureBefore = (await callAs(cloud, ADMIN, 'oversight', 'overview')).body.data.weekly.find((w: any) => w.weekKey === week).held
    const res = await record(WANG, 'child-01', '2027-03-10T20:00:00+08:00')
    expect(res.data.call).toMatchObject({ childName: '王小雨', minutes: 20, mode: 'video', state: 'pending', stateLabel: '等家里确认', recordedByName: '王建国', recordedByRelation: '爸爸' })
    expect(res.data.askedNames).toEqual(['张桂兰'])
    // Grandma is asked, with a link to the one-tap confirmation.
    const ask = (await told(ZHANG, 'callConfirm')).find((m) => m.title === '王建国说和王小雨通了电话')
    expect(ask?.link).toBe(`packages/hotline/pages/confirm/index?id=${encodeURIComponent(res.data.call.id)}`)

    // Unconfirmed, it does not count yet.
    const before = (await callAs(cloud, WANG, 'hotline', 'history', { childId: 'child-01' })).body.data
    expect(before.weeks[0]).toMatchObject({ weekKey: week, held: false })
    expect(before.calls[0]).toMatchObject({ place: 'direct', placeLabel: '直接打到家里', counted: false, statusLabel: '等家里确认' })
    expect((await callAs(cloud, WANG, 'hotline', 'overview')).body.data.children.find((c: any) => c.childId === 'child-01').thisWeek).toMatchObject({ held: false, awaitingConfirm: true })

    // Grandma confirms in one tap.
    const waiting = (await callAs(cloud, ZHANG, 'hotline', 'callsToConfirm')).body.data.calls
    expect(waiting.map((c: any) => c.id)).toEqual([res.data.call.id])
    expect((await callAs(cloud, ZHANG, 'hotline', 'confirmDirectCall', { callId: res.data.call.id, decision: 'confirmed' })).body.data).toEqual({ state: 'confirmed' })
    expect((await callAs(cloud, ZHANG, 'hotline', 'callsToConfirm')).body.data.calls).toEqual([])

    // The weekly record: the week is held, and says where the call happened.
    const after = (await callAs(cloud, WANG, 'hotline', 'history', { childId: 'child-01' })).body.data
    expect(after.weeks[0]).toMatchObject({ weekKey: week, held: true, places: ['direct'] })
    expect(after.calls[0]).toMatchObject({ place: 'direct', counted: true, statusLabel: '张桂兰已确认', minutes: 20 })
    expect((await callAs(cloud, WANG, 'hotline', 'overview')).body.data.children.find((c: any) => c.childId === 'child-01').thisWeek).toMatchObject({ held: true, awaitingConfirm: false })
    // Oversight's weekly figure counts it.
    const figureAfter = (await callAs(cloud, ADMIN, 'oversight', 'overview')).body.data.weekly.find((w: any) => w.weekKey === week).held
    expect(figureAfter).toBe(figureBefore + 1)

    // Thursday 10:00: no nudge about 王小雨, whose week is held; 王小川 (control) is nudged.
    await cloud.triggerTimer('scheduler', at('2027-03-11T10:05:00+08:00'))
    const nudges = (await told(WANG, 'weeklyNudge')).filter((m) => m.title.startsWith('这周还没和'))
    expect(nudges.map((m) => m.title)).toContain('这周还没和王小川通话')
    expect(nudges.map((m) => m.title)).not.toContain('这周还没和王小雨通话')

    // Monday 2027-03-29: the last three weeks (03-08 … 03-28) had one confirmed direct call for 王小雨 and none for
    // 王小川: only he is flagged to the teacher.
    const earlier = new Set((await told(CHEN, 'careAlert')).map((m) => m._id))
    await cloud.triggerTimer('scheduler', at('2027-03-29T00:05:00+08:00'))
    const flags = (await told(CHEN, 'careAlert')).filter((m) => !earlier.has(m._id)).map((m) => m.title)
    expect(flags.some((t) => /^王小川已连续\d+周没有和家长通话$/.test(t))).toBe(true)
    expect(flags.some((t) => t.startsWith('王小雨已连续'))).toBe(false)
  })

  it('refuses a direct call in the future or too long ago, and writes nothing', async () => {
    await setClock('2027-03-12T21:00:00+08:00')
    const before = await count('directCalls')
    const future = await record(WANG, 'child-02', '2027-03-12T22:00:00+08:00')
    expect(future.error).toMatchObject({ code: 'INVALID_INPUT', fields: { at: '这个时间还没到，请选已经打过的通话' } })
    const old = await record(WANG, 'child-02', '2027-03-04T20:00:00+08:00')
    expect(old.error).toMatchObject({ code: 'INVALID_INPUT', fields: { at: '只能补记7天以内的通话' } })
    const long = await record(WANG, 'child-02', '2027-03-12T20:00:00+08:00', 600)
    expect(long.error.fields).toEqual({ minutes: '通话时长不能超过180分钟' })
    expect(await count('directCalls')).toBe(before)
    // The control: seven days back to the minute is still within reach.
    expect((await record(WANG, 'child-02', '2027-03-05T21:00:00+08:00', 10, 'voice')).data.call.state).toBe('pending')
  })

  it('lets no parent confirm their own call, and only the child\'s guardian or teacher confirm at all', async () => {
    await setClock('2027-03-12T21:30:00+08:00')
    // 周军 is 周佳怡's father and also the guardian of another child: still not the judge of his own call.
    await bindParent('o-father-zhou', 'child-07', '周军')
    await db().collection('users').doc('o-father-zhou').update({ data: { roles: [{ role: 'parent', status: 'active' }, { role: 'guardian', status: 'active' }] } })
    const own = (await record('o-father-zhou', 'child-07', '2027-03-12T20:30:00+08:00')).data.call
    const self = (await callAs(cloud, 'o-father-zhou', 'hotline', 'confirmDirectCall', { callId: own.id, decision: 'confirmed' })).body
    expect(self.error).toEqual({ code: 'FORBIDDEN', message: '自己记的通话不能自己确认，请家里人或老师确认' })
    // The other parent was not at home either; a teacher of another school has no say.
    const wangs = (await record(WANG, 'child-02', '2027-03-12T19:00:00+08:00')).data.call
    expect((await callAs(cloud, LI, 'hotline', 'confirmDirectCall', { callId: wangs.id, decision: 'confirmed' })).body.error.code).toBe('FORBIDDEN')
    expect((await callAs(cloud, LIN, 'hotline', 'confirmDirectCall', { callId: wangs.id, decision: 'confirmed' })).body.error).toEqual({ code: 'FORBIDDEN', message: '只有孩子的监护人或老师可以确认这次通话' })
    expect((await callAs(cloud, LIN, 'hotline', 'callsToConfirm')).body.data.calls).toEqual([])
    // A parent records only for a child bound to them.
    expect((await record(WANG, 'child-07', '2027-03-12T20:00:00+08:00')).error.code).toBe('FORBIDDEN')
    // The same call entered twice is one call.
    expect((await record(LI, 'child-02', '2027-03-12T19:00:00+08:00')).error).toMatchObject({ code: 'CONFLICT', message: '这个时间的通话已经记过了' })
    expect(await count('directCalls', { state: 'confirmed', childId: 'child-02' })).toBe(0)
  })

  it('counts nothing for a call home says did not happen, and tells the parent', async () => {
    await setClock('2027-03-16T21:00:00+08:00') // a Tuesday
    const week = weekOf(at('2027-03-16T20:00:00+08:00')).weekKey
    const call = (await record(WANG, 'child-02', '2027-03-16T20:00:00+08:00')).data.call
    expect((await callAs(cloud, ZHANG, 'hotline', 'confirmDirectCall', { callId: call.id, decision: 'declined' })).body.data).toEqual({ state: 'declined' })
    // Pressed again with the other answer: refused; with the same: the same answer.
    expect((await callAs(cloud, ZHANG, 'hotline', 'confirmDirectCall', { callId: call.id, decision: 'confirmed' })).body.error.code).toBe('CONFLICT')
    expect((await callAs(cloud, ZHANG, 'hotline', 'confirmDirectCall', { callId: call.id, decision: 'declined' })).body.data).toEqual({ state: 'declined' })
    expect(await count('weeklyContacts', { childId: 'child-02', weekKey: week })).toBe(0)
    expect((await told(WANG, 'bookingProblem')).map((m) => m.title)).toContain('张桂兰说没有这次通话')
    const hist = (await callAs(cloud, WANG, 'hotline', 'history', { childId: 'child-02' })).body.data
    expect(hist.calls.find((c: any) => c.id === call.id)).toMatchObject({ counted: false, statusLabel: '家里说没有这次通话' })
  })

  it('lets the child\'s teacher confirm when nobody at home uses the app', async () => {
    await setClock('2027-03-17T20:00:00+08:00')
    const week = weekOf(at('2027-03-17T19:30:00+08:00')).weekKey
    await bindParent('o-father-chen', 'child-03', '陈志明') // 陈思琪's grandfather has no account
    const res = (await record('o-father-chen', 'child-03', '2027-03-17T19:30:00+08:00', 15, 'voice')).data
    expect(res.askedNames).toEqual(['孩子的老师'])
    expect((await told(CHEN, 'callConfirm')).map((m) => m.title)).toContain('陈志明说和陈思琪通了电话')
    const list = (await callAs(cloud, CHEN, 'hotline', 'callsToConfirm')).body.data.calls
    expect(list.find((c: any) => c.id === res.call.id)).toMatchObject({ childName: '陈思琪', minutes: 15, mode: 'voice' })
    expect((await callAs(cloud, CHEN, 'hotline', 'confirmDirectCall', { callId: res.call.id, decision: 'confirmed' })).body.data.state).toBe('confirmed')
    const hist = (await callAs(cloud, 'o-father-chen', 'hotline', 'history', { childId: 'child-03' })).body.data
    expect(hist.weeks[0]).toMatchObject({ weekKey: week, held: true, places: ['direct'] })
    expect(hist.calls[0].statusLabel).toBe('陈丽已确认')
  })
})

const book = async (who: string, childId: string, start: string) =>
  (await callAs(cloud, who, 'hotline', 'book', { childId, start, mode: 'video', idempotencyKey: key() })).body

describe('teachers hear of their room\'s calls, and the guardian who brings the child is reminded', () => {
  it('tells the room\'s teachers of a call booked, moved and cancelled, and the guardian of the reminders, the move and the cancellation', async () => {
    await setClock('2027-04-05T10:00:00+08:00') // a Monday
    const linBefore = (await told(LIN, 'staffBooking')).length
    const b = (await book(WANG, 'child-01', '2027-04-07T17:00:00+08:00')).data.booking
    // The booking answers the parent at once; the room hears of it from the scheduler within the minute.
    expect((await told(CHEN, 'staffBooking')).find((m) => m.title === '王小雨的家长约了通话')).toBeUndefined()
    await cloud.triggerTimer('scheduler', at('2027-04-05T10:01:00+08:00'))
    const booked = (await told(CHEN, 'staffBooking')).find((m) => m.title === '王小雨的家长约了通话')
    expect(booked).toMatchObject({ detail: '王建国约的，视频通话', link: 'packages/hotline/pages/sheet/index?date=2027-04-07' })
    expect((await told(LIN, 'staffBooking')).length).toBe(linBefore) // not her school's room

    const moved = (await callAs(cloud, WANG, 'hotline', 'move', { bookingId: b.id, start: '2027-04-08T17:00:00+08:00', idempotencyKey: key() })).body
    expect(moved.data.outcome).toBe('booked')
    expect((await told(CHEN, 'staffBooking')).find((m) => m.title === '王小雨的通话改了时间')).toMatchObject({ detail: '原来是4月7日 周三 17:00', link: 'packages/hotline/pages/sheet/index?date=2027-04-08' })
    expect((await told(ZHANG, 'callReminder')).find((m) => m.title === '王小雨的通话改到了新时间')?.detail).toBe('原来是4月7日 周三 17:00')

    // The day before and half an hour before, grandma is reminded to bring her (once each, however often the timer fires).
    const reminders = async () => (await told(ZHANG, 'callReminder')).filter((m) => m.title.includes('请带王小雨去关爱室通话')).map((m) => m.title)
    await cloud.triggerTimer('scheduler', at('2027-04-07T18:00:00+08:00'))
    await cloud.triggerTimer('scheduler', at('2027-04-07T18:01:00+08:00'))
    expect(await reminders()).toEqual(['明天请带王小雨去关爱室通话'])
    await cloud.triggerTimer('scheduler', at('2027-04-08T16:35:00+08:00'))
    expect((await reminders()).sort()).toEqual(['半小时后请带王小雨去关爱室通话', '明天请带王小雨去关爱室通话'])
    // The father who booked gets his own.
    expect((await told(WANG, 'callReminder')).map((m) => m.title)).toContain('半小时后和孩子通话：王小雨')

    await setClock('2027-04-08T16:40:00+08:00')
    expect((await callAs(cloud, WANG, 'hotline', 'cancel', { bookingId: b.id, reason: '临时要加班' })).body.data.status).toBe('cancelled')
    expect((await told(CHEN, 'staffBooking')).find((m) => m.title === '王小雨的通话取消了')?.detail).toBe('临时要加班')
    expect((await told(ZHANG, 'callReminder')).find((m) => m.title === '王小雨的通话取消了')?.detail).toBe('这次不用带孩子去关爱室了')
  })

  it('tells the room nothing of a call moved and cancelled before it heard of it, and of a call moved first, only where it now stands', async () => {
    await setClock('2027-04-19T10:00:00+08:00') // a Monday
    const before = (await told(CHEN, 'staffBooking')).length
    const gone = (await book(WANG, 'child-01', '2027-04-21T17:00:00+08:00')).data.booking
    expect((await callAs(cloud, WANG, 'hotline', 'cancel', { bookingId: gone.id, reason: '孩子生病了' })).body.data.status).toBe('cancelled')
    const kept = (await book(WANG, 'child-01', '2027-04-22T17:00:00+08:00')).data.booking
    expect((await callAs(cloud, WANG, 'hotline', 'move', { bookingId: kept.id, start: '2027-04-23T17:00:00+08:00', idempotencyKey: key() })).body.data.outcome).toBe('booked')
    await cloud.triggerTimer('scheduler', at('2027-04-19T10:01:00+08:00'))
    await cloud.triggerTimer('scheduler', at('2027-04-19T10:02:00+08:00')) // a second run tells nobody twice
    const news = (await told(CHEN, 'staffBooking')).filter((m) => m._id.includes(gone.id) || m._id.includes(kept.id))
    expect(news.map((m) => [m.title, m.link])).toEqual([['王小雨的家长约了通话', 'packages/hotline/pages/sheet/index?date=2027-04-23']])
    expect((await told(CHEN, 'staffBooking')).length).toBe(before + 1)
  })
})

describe('the teacher\'s day sheet', () => {
  it('shows the teacher the number of the parent on each call to ring, logs the read, and keeps it masked elsewhere', async () => {
    await setClock('2027-04-12T16:00:00+08:00') // a Monday
    const a = (await book(WANG, 'child-01', '2027-04-12T16:40:00+08:00')).data.booking
    const b = (await book(LI, 'child-02', '2027-04-12T16:40:00+08:00')).data.booking
    const sheet = (await callAs(cloud, CHEN, 'hotline', 'daySheet', { roomId: 'room-sq', date: '2027-04-12' })).body.data
    expect(sheet.calls.find((c: any) => c.id === a.id)).toMatchObject({ parentPhone: '13800005000', parentLabel: '王建国（爸爸）' })
    expect(sheet.calls.find((c: any) => c.id === b.id)).toMatchObject({ parentPhone: '13800005008', parentLabel: '李秀英（妈妈）' })
    const [logged] = (await db().collection('auditLog').where({ action: 'hotline.daySheet', actor: CHEN }).orderBy('at', 'desc').limit(1).get()).data
    expect(logged.what).toBe('查看2027-04-12的通话安排（含2位家长的电话）')
    expect(logged.childIds.sort()).toEqual(['child-01', 'child-02'])
    // Elsewhere the number stays masked until a logged "show".
    const file = (await callAs(cloud, CHEN, 'registry', 'getChild', { childId: 'child-01' })).body.data
    expect(file.parents[0].phoneMasked).toBe('138****5000')
    expect(JSON.stringify(file)).not.toContain('13800005000')
  })

  it('refuses "held" before the call starts, with a clear message, and takes it once the call has begun', async () => {
    await setClock('2027-04-12T16:15:00+08:00')
    const sheet = (await callAs(cloud, CHEN, 'hotline', 'daySheet', { roomId: 'room-sq', date: '2027-04-12' })).body.data
    const [a, b] = ['child-01', 'child-02'].map((id) => sheet.calls.find((c: any) => c.childId === id))
    const early = (await callAs(cloud, CHEN, 'hotline', 'checkIn', { bookingId: a.id, outcome: 'held' })).body
    expect(early.error).toEqual({ code: 'INVALID_INPUT', message: '通话还没开始，不能登记“已通话”。开始以后再登记。', fields: { outcome: '通话还没开始，不能登记“已通话”。开始以后再登记。' } })
    expect((await callAs(cloud, CHEN, 'hotline', 'checkIn', { bookingId: a.id, outcome: 'missedByParent' })).body.error.code).toBe('INVALID_INPUT')
    expect((await db().collection('bookings').doc(a.id).get()).data.status).toBe('booked')
    // A child known to be absent may be marked from half an hour before.
    expect((await callAs(cloud, CHEN, 'hotline', 'checkIn', { bookingId: b.id, outcome: 'childAbsent' })).body.data).toEqual({ status: 'childAbsent' })
    await setClock('2027-04-12T16:41:00+08:00')
    expect((await callAs(cloud, CHEN, 'hotline', 'checkIn', { bookingId: a.id, outcome: 'held', note: '聊得很好' })).body.data).toEqual({ status: 'held' })
    // A call that is over needs no number.
    const after = (await callAs(cloud, CHEN, 'hotline', 'daySheet', { roomId: 'room-sq', date: '2027-04-12' })).body.data
    expect(after.calls.find((c: any) => c.id === a.id).parentPhone).toBeUndefined()
    expect((await callAs(cloud, WANG, 'hotline', 'history', { childId: 'child-01' })).body.data.weeks[0]).toMatchObject({ held: true, places: ['careRoom'] })
  })
})

describe('the standing weekly call', () => {
  it('counts a week already booked at the standing time as booked, not as a week it could not book', async () => {
    await setClock('2027-04-19T09:00:00+08:00') // a Monday
    const mine = (await book(WANG, 'child-02', '2027-04-21T19:00:00+08:00')).data.booking
    const res = (await callAs(cloud, WANG, 'hotline', 'setStandingCall', { childId: 'child-02', weekday: 3, time: '19:00', mode: 'video' })).body.data
    expect(res.rule.missedWeeks).toEqual([])
    expect(res.booked.map((b: any) => new Date(b.start).toISOString())).toEqual(['2027-04-21T11:00:00.000Z', '2027-04-28T11:00:00.000Z'])
    expect(res.booked[0].id).toBe(mine.id)
    // The mother's rule for the same time finds both weeks booked: a success too.
    const hers = (await callAs(cloud, LI, 'hotline', 'setStandingCall', { childId: 'child-02', weekday: 3, time: '19:00', mode: 'voice' })).body.data
    expect(hers.rule.missedWeeks).toEqual([])
    expect(hers.booked.length).toBe(2)
    expect(await count('bookings', { childId: 'child-02', status: 'booked' })).toBe(2)
  })

  it('still tells of a week it could not book because others took every seat', async () => {
    await setClock('2027-04-19T09:30:00+08:00')
    for (const [openid, childId] of [['o-parent-4', 'child-04'], ['o-parent-5', 'child-05']]) {
      await bindParent(openid, childId)
      expect((await book(openid, childId, '2027-04-22T18:00:00+08:00')).data.outcome).toBe('booked')
    }
    const res = (await callAs(cloud, WANG, 'hotline', 'setStandingCall', { childId: 'child-01', weekday: 4, time: '18:00', mode: 'video' })).body.data
    expect(res.rule.missedWeeks).toEqual([{ weekKey: weekOf(at('2027-04-22T18:00:00+08:00')).weekKey, reason: '4月22日 18:00已被约满' }])
  })
})
