/**
 * Alerts that reach people, against the strict local cloud (docs/ARCHITECTURE.md, "Notifications"). In a fresh county
 * nobody has allowed a subscription message: WeChat refuses every send (43101), and what cannot wait reaches the
 * person by SMS on their staff profile's phone. Once they allow a template on a tap, the alert arrives by WeChat and
 * spends the allow. Nobody is left unreached: a person no channel reaches passes the alert on at once.
 */
import type { LocalCloud } from '../../localcloud'
import { allow, callAs, reached, startTestCloud, wordsOf } from '../support/localcloud'
import { key } from '../support/children'
import { bindParent, openRoomAllDay } from '../support/hotline'

let cloud: LocalCloud
const CHILD = 'demo-child-xiaoyu' // 王小雨, child-01, 石桥
const [LIU, HUANG, ZHANG] = ['demo-counselor-liu', 'demo-counselor-huang', 'demo-counselor-zhang'] // on duty, next, supervisor
const POLICE = 'demo-police-zhou' // 石桥派出所
const DUTY = 'demo-admin-han' // 公安局, county
const CIVIL = 'demo-admin-xu' // 民政局, county
const OFFICER = 'demo-officer-wu'
const TEACHER = 'demo-teacher-chen'
const MIN = 60000
const phoneOf = (openid: string) => `+86${cloud.store.findById('users', openid)!.phone as string}`
const db = () => require('wx-server-sdk').database()
const today = () => new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })
const fire = async (at: number) => await cloud.triggerTimer('scheduler', new Date(at)) as any

/** A child in danger asks for help (no abuse named: no report is opened). */
async function crisis (): Promise<{ id: string, raised: number }> {
  const res = (await callAs(cloud, CHILD, 'counseling', 'ask', { childId: 'child-01', answers: { safeNow: 'no', someoneHurts: 'no', selfHarmThoughts: 'no', hardDays: 'few', howLong: 'days' }, idempotencyKey: key() })).body
  expect(res.data.urgency).toBe('crisis')
  const doc = (await db().collection('helpRequests').doc(res.data.requestId).get()).data
  return { id: res.data.requestId, raised: new Date(doc.createdAt).getTime() }
}
const trail = async (id: string) => (await db().collection('helpRequests').doc(id).get()).data.crisis.alerts
const report = async (childId = 'child-01') => (await callAs(cloud, TEACHER, 'safeguard', 'report', { report: { childId, kinds: ['neglect'], seen: '孩子连续几天晚上一个人在家', when: today(), where: '家里', dangerNow: false }, idempotencyKey: key() })).body.data
const chain = async (id: string) => (await callAs(cloud, CIVIL, 'safeguard', 'detail', { reportId: id })).body.data.entries.map((e: any) => e.text)

beforeAll(async () => { cloud = await startTestCloud() }, 60000)
afterAll(async () => { await cloud?.close() })

describe('in a fresh county where nobody has allowed a subscription message', () => {
  it('a crisis reaches the on-duty counsellor by SMS: WeChat refuses for want of an allow (43101), and the SMS falls back', async () => {
    const c = await crisis()
    expect(cloud.outbox(LIU)).toEqual([expect.objectContaining({ channel: 'subscription', templateId: 'TPL_CRISIS_ALERT', delivered: false, errcode: 43101 })])
    expect(cloud.outbox(phoneOf(LIU))).toEqual([expect.objectContaining({ channel: 'sms', delivered: true, code: 'Ok', text: '【雏燕关爱】雏燕紧急提醒：紧急求助：王小雨。请马上打电话，并在雏燕里点“我来处理”。请尽快打开雏燕小程序处理。' })])
    expect(await trail(c.id)).toEqual([expect.objectContaining({ to: LIU, toName: '刘心怡', level: 0, via: ['sms'], reached: true })])
    await callAs(cloud, LIU, 'counseling', 'acknowledge', { requestId: c.id })
  })

  it('a police report reaches the liaison and the copies by SMS, and the chain names the channel', async () => {
    const r = await report()
    expect(reached(cloud, POLICE).map((m) => [m.channel, wordsOf(m).includes('强制报告：王小雨')])).toEqual([['sms', true]])
    expect(reached(cloud, CIVIL).some((m) => m.channel === 'sms' && wordsOf(m).includes('强制报告抄送'))).toBe(true)
    expect((await chain(r.id))[1]).toMatch(/^已送达：周建华（短信）、许文华（短信）/)
    await callAs(cloud, POLICE, 'safeguard', 'acknowledge', { reportId: r.id })
  })

  it('an overdue statutory deadline reaches the officers by SMS; the warning before it waits in 消息', async () => {
    const filed = (await callAs(cloud, 'demo-guardian-zhang', 'legalaid', 'submit', { draft: { childId: 'child-02', matter: 'guardianship', people: '孩子的姑姑', story: '监护人去世后没人管孩子。', files: [] }, idempotencyKey: key() })).body
    expect(filed.ok).toBe(true)
    const sms = () => cloud.outbox(phoneOf(OFFICER)).filter((m) => m.delivered && m.text?.includes('已超时'))
    let at = new Date(filed.data.view.submittedAt).getTime() + MIN
    // The first clock is due soon (a warning), then late (overdue: urgent).
    at = new Date((await fire(at)).data.nextDue.legalAidClocks).getTime()
    await fire(at)
    const soon = cloud.outbox(OFFICER).filter((m) => m.templateId === 'TPL_DEADLINE_ALERT')
    expect(soon.map((m) => [m.delivered, m.errcode, m.data?.phrase3.value])).toEqual([[false, 43101, '快到期']])
    expect(cloud.outbox(phoneOf(OFFICER))).toEqual([])
    const inbox = (await callAs(cloud, OFFICER, 'account', 'inbox', {})).body.data.entries
    expect(inbox.some((e: any) => e.template === 'deadlineAlert' && e.title.startsWith('快到期'))).toBe(true)
    at = new Date((await fire(at)).data.nextDue.legalAidClocks).getTime()
    await fire(at)
    expect(sms()).toHaveLength(1)
    expect(cloud.outbox(phoneOf('demo-officer-sun')).some((m) => m.delivered && m.text?.includes('已超时'))).toBe(true)
  })

  it('a slot offer is not urgent: without the parent\'s allow it waits in 消息; with the allow of the tap that joined the waiting list it arrives by WeChat', async () => {
    await openRoomAllDay(cloud)
    await bindParent('o-wait-a', 'child-05')
    await bindParent('o-wait-b', 'child-07')
    await bindParent('o-taker', 'child-03')
    const slots = (await callAs(cloud, 'o-taker', 'hotline', 'slots', { childId: 'child-03' })).body.data.slots
    const target = slots[30]
    const day = new Date(target.start).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })
    const taken = (await callAs(cloud, 'o-taker', 'hotline', 'book', { childId: 'child-03', start: target.start, mode: 'video', idempotencyKey: key() })).body.data.booking
    await callAs(cloud, 'demo-parent-li', 'hotline', 'book', { childId: 'child-01', start: target.start, mode: 'video', idempotencyKey: key() })
    // A declined the dialog on her tap; B allowed it.
    await allow(cloud, 'o-wait-a', { TPL_SLOT_OFFER: 'reject' })
    const a = (await callAs(cloud, 'o-wait-a', 'hotline', 'joinWaitlist', { childId: 'child-05', date: day, idempotencyKey: key() })).body.data
    await allow(cloud, 'o-wait-b', ['TPL_SLOT_OFFER'])
    await callAs(cloud, 'o-wait-b', 'hotline', 'joinWaitlist', { childId: 'child-07', date: day, idempotencyKey: key() })
    await callAs(cloud, 'o-taker', 'hotline', 'cancel', { bookingId: taken.id, reason: '有事' })
    expect(cloud.outbox('o-wait-a').map((m) => [m.templateId, m.delivered, m.errcode])).toEqual([['TPL_SLOT_OFFER', false, 43101]])
    expect((await callAs(cloud, 'o-wait-a', 'account', 'unreadCount', {})).body.data.unread).toBe(1)
    // Her 30 minutes pass; the seat goes to B, whose allow carries the offer.
    const offeredAt = new Date((await callAs(cloud, 'o-wait-a', 'hotline', 'myBookings')).body.data.waitlist.find((w: any) => w.id === a.id).offer.expiresAt).getTime()
    await fire(offeredAt + MIN)
    expect(cloud.outbox('o-wait-b')).toEqual([expect.objectContaining({ templateId: 'TPL_SLOT_OFFER', delivered: true, data: expect.objectContaining({ thing1: { value: '周佳怡的通话有空位了' } }) })])
  })
})

describe('once the person allows it', () => {
  it('the next crisis reaches the counsellor by WeChat alone and spends the allow; the one after falls back to SMS', async () => {
    await allow(cloud, LIU, ['TPL_CRISIS_ALERT'])
    const smsBefore = cloud.outbox(phoneOf(LIU)).length
    const first = await crisis()
    expect(cloud.outbox(LIU)[0]).toMatchObject({ templateId: 'TPL_CRISIS_ALERT', delivered: true, data: { thing1: { value: '紧急求助：王小雨' }, phrase3: { value: '紧急' } } })
    expect(cloud.outbox(phoneOf(LIU))).toHaveLength(smsBefore)
    expect(await trail(first.id)).toEqual([expect.objectContaining({ to: LIU, via: ['subscription'], reached: true })])
    await callAs(cloud, LIU, 'counseling', 'acknowledge', { requestId: first.id })
    const second = await crisis()
    expect(cloud.outbox(LIU)[0]).toMatchObject({ delivered: false, errcode: 43101 })
    expect(cloud.outbox(phoneOf(LIU))).toHaveLength(smsBefore + 1)
    expect(await trail(second.id)).toEqual([expect.objectContaining({ via: ['sms'], reached: true })])
    await callAs(cloud, LIU, 'counseling', 'acknowledge', { requestId: second.id })
  })

  it('a police report reaches the liaison by WeChat, with its reference in its own keyword', async () => {
    await allow(cloud, POLICE, ['TPL_REPORT_ALERT'])
    const r = await report()
    const sent = cloud.outbox(POLICE)[0]
    expect(sent).toMatchObject({ templateId: 'TPL_REPORT_ALERT', delivered: true, data: { thing1: { value: '强制报告：王小雨' }, character_string2: { value: r.reference } } })
    expect((await chain(r.id))[1]).toMatch(/^已送达：周建华（微信提醒）/)
    await callAs(cloud, POLICE, 'safeguard', 'acknowledge', { reportId: r.id })
  })
})

describe('nobody left unreached', () => {
  it('a counsellor no channel reaches (no allow, no phone) is passed over at once: the next is alerted, and the trail says why', async () => {
    cloud.store.updateById('users', LIU, { $unset: { phone: '' } })
    const c = await crisis()
    const steps = await trail(c.id)
    expect(steps).toEqual([
      expect.objectContaining({ to: LIU, level: 0, via: [], reached: false, why: '没有可用的微信提醒（未开通或已用完），没有留手机号，无法发短信' }),
      expect.objectContaining({ to: HUANG, level: 1, via: ['sms'], reached: true })
    ])
    expect(steps[1].at).toEqual(steps[0].at) // at once, not ten minutes later
    // The ladder goes on from there: the supervisor at 20 minutes, as before.
    await fire(c.raised + 10 * MIN)
    expect((await trail(c.id)).map((s: any) => s.to)).toEqual([LIU, HUANG])
    await fire(c.raised + 20 * MIN)
    expect((await trail(c.id)).map((s: any) => s.to)).toEqual([LIU, HUANG, ZHANG])
    await callAs(cloud, HUANG, 'counseling', 'acknowledge', { requestId: c.id })
  })

  it('a police liaison nobody can reach: the county duty officer gets the report at once, and the chain says why', async () => {
    cloud.store.updateById('users', POLICE, { $unset: { phone: '' } })
    const r = await report()
    const texts = await chain(r.id)
    expect(texts[1]).toMatch(/^已送达：周建华（未收到：没有可用的微信提醒（未开通或已用完），没有留手机号，无法发短信）、许文华（短信）/)
    expect(texts[2]).toMatch(/^收不到提醒（公安联络人收不到提醒：周建华（.*）），立即上报上一级：韩卫东（短信）$/)
    expect(reached(cloud, DUTY).some((m) => wordsOf(m).includes('强制报告无人能接收，已升级'))).toBe(true)
  })

  it('shows the supervisor who on the duty roster cannot be reached, and each agency its staff who cannot be', async () => {
    const team = (await callAs(cloud, ZHANG, 'account', 'alertSettings', {})).body.data.team
    expect(team).toEqual([{
      title: '青山县心理健康辅导站值班表', people: [
        { name: '刘心怡', roleLabel: '心理辅导员', missing: ['紧急求助提醒', '预约变动提醒'], hasPhone: false, unreachable: true },
        { name: '黄明', roleLabel: '心理辅导员', missing: ['紧急求助提醒', '预约变动提醒'], hasPhone: true, unreachable: false }
      ]
    }])
    expect((await callAs(cloud, LIU, 'account', 'alertSettings', {})).body.data.team).toEqual([])
    const figures = (await callAs(cloud, DUTY, 'oversight', 'overview', {})).body.data
    expect(figures.lists.find((l: any) => l.key === 'unreachableStaff')).toEqual({ key: 'unreachableStaff', label: '收不到提醒的工作人员', count: 1 })
    const list = (await callAs(cloud, DUTY, 'oversight', 'list', { key: 'unreachableStaff' })).body.data
    expect(list.columns).toEqual(['姓名', '岗位', '单位', '收不到的提醒', '短信号码'])
    expect(list.rows).toEqual([['周建华', '公安联络员', '青山县公安局石桥派出所', '强制报告提醒', '没有']])
    // 民政局's line (child-welfare officers) all have phones: nobody on its list.
    expect((await callAs(cloud, CIVIL, 'oversight', 'list', { key: 'unreachableStaff' })).body.data.rows).toEqual([])
    // Giving a phone again (接收提醒) takes him off it.
    expect((await callAs(cloud, POLICE, 'account', 'setPhone', { phone: '13800009010' })).body.data.phone).toBe('138****9010')
    expect((await callAs(cloud, DUTY, 'oversight', 'list', { key: 'unreachableStaff' })).body.data.rows).toEqual([])
  })
})

describe('消息: every notice lands in the inbox', () => {
  it('pages a person\'s notices newest first, counts the unread, and marks one read when opened', async () => {
    const first = (await callAs(cloud, LIU, 'account', 'inbox', { limit: 2 })).body.data
    expect(first.entries).toHaveLength(2)
    expect(first.entries[0].createdAt >= first.entries[1].createdAt).toBe(true)
    expect(first.entries[0]).toMatchObject({ template: expect.any(String), link: expect.stringMatching(/^packages\//), read: false })
    const rest = (await callAs(cloud, LIU, 'account', 'inbox', { before: first.next, limit: 50 })).body.data
    const all = [...first.entries, ...rest.entries]
    expect(new Set(all.map((e: any) => e.id)).size).toBe(all.length)
    expect(all.length).toBeGreaterThan(2)
    const unread = (await callAs(cloud, LIU, 'account', 'unreadCount', {})).body.data.unread
    expect(unread).toBe(all.length)
    expect((await callAs(cloud, LIU, 'account', 'markRead', { id: all[0].id })).body.data).toEqual({ read: true })
    expect((await callAs(cloud, LIU, 'account', 'unreadCount', {})).body.data.unread).toBe(unread - 1)
    // Someone else's message is not theirs to read or mark.
    expect((await callAs(cloud, HUANG, 'account', 'markRead', { id: all[1].id })).body.error.code).toBe('NOT_FOUND')
    expect((await callAs(cloud, LIU, 'account', 'inbox', { before: 'nonsense' })).body.error.fields).toHaveProperty('before')
    expect((await callAs(cloud, LIU, 'account', 'markAllRead', {})).body.data.marked).toBe(unread - 1)
    expect((await callAs(cloud, LIU, 'account', 'unreadCount', {})).body.data.unread).toBe(0)
  })
})

describe('接收提醒: the allows a person has left', () => {
  it('mirrors what the person allowed on a tap, once per tap, and takes one off for each message WeChat delivered', async () => {
    const settings = async () => (await callAs(cloud, HUANG, 'account', 'alertSettings', {})).body.data
    expect((await settings()).alerts).toEqual([
      expect.objectContaining({ template: 'crisisAlert', label: '紧急求助提醒', remaining: 0, canBeLongTerm: true }),
      expect.objectContaining({ template: 'staffBooking', remaining: 0 })
    ])
    const k = key()
    const answers = { crisisAlert: 'accept', staffBooking: 'accept' }
    await allow(cloud, HUANG, ['TPL_CRISIS_ALERT', 'TPL_STAFF_BOOKING']) // what WeChat keeps
    const tap = (await callAs(cloud, HUANG, 'account', 'recordAllows', { answers, idempotencyKey: k })).body.data
    await callAs(cloud, HUANG, 'account', 'recordAllows', { answers, idempotencyKey: k }) // a retry of the same tap
    expect(tap.alerts.map((a: any) => [a.template, a.remaining])).toEqual([['crisisAlert', 1], ['staffBooking', 1]])
    // 刘心怡 (no phone, no allow) is passed over at once; 黄明's allow carries the alert and is spent.
    const c = await crisis()
    expect((await trail(c.id)).map((s: any) => [s.to, s.via])).toEqual([[LIU, []], [HUANG, ['subscription']]])
    expect((await settings()).alerts.map((a: any) => [a.template, a.remaining])).toEqual([['crisisAlert', 0], ['staffBooking', 1]])
    await callAs(cloud, HUANG, 'counseling', 'acknowledge', { requestId: c.id })
    expect((await callAs(cloud, HUANG, 'account', 'recordAllows', { answers: { nothing: 'accept' }, idempotencyKey: key() })).body.error.code).toBe('INVALID_INPUT')
  })

  it('never hands WeChat a thing over 20 characters: a long line arrives cut, where the raw 25 characters are refused', async () => {
    // Calls booked by the tests before this one are told of first, so they spend none of the allows below.
    await fire(cloud.clock.now().getTime())
    // Two taps of 「开通」 on her 接收提醒 page: two allows.
    await allow(cloud, TEACHER, ['TPL_STAFF_BOOKING'])
    await allow(cloud, TEACHER, ['TPL_STAFF_BOOKING'])
    const longName = '外出务工家长王建国的表哥的邻居老乡张三'
    await bindParent('o-long-name', 'child-06', longName)
    const slot = (await callAs(cloud, 'o-long-name', 'hotline', 'slots', { childId: 'child-06' })).body.data.slots[5]
    expect((await callAs(cloud, 'o-long-name', 'hotline', 'book', { childId: 'child-06', start: slot.start, mode: 'voice', idempotencyKey: key() })).body.data.outcome).toBe('booked')
    await fire(cloud.clock.now().getTime() + 60000) // the room hears of a new call from the scheduler, within the minute
    const told = cloud.outbox(TEACHER).filter((m) => m.templateId === 'TPL_STAFF_BOOKING').at(-1)!
    expect(told.delivered).toBe(true)
    expect(told.data!.thing1.value).toBe('刘子轩的家长约了通话')
    expect([...told.data!.thing3.value]).toHaveLength(20)
    expect(told.data!.thing3.value).toBe('外出务工家长王建国的表哥的邻居老乡张三…')
    // The same line as it is, 25 characters and more, is refused by WeChat's rule (47003) and spends nothing.
    const raw = await require('wx-server-sdk').openapi.subscribeMessage.send({
      touser: TEACHER, templateId: 'TPL_STAFF_BOOKING', page: 'packages/hotline/pages/sheet/index',
      data: { thing1: { value: '刘子轩的家长约了通话' }, time2: { value: '2026年3月2日 15:00' }, thing3: { value: `${longName}约的，语音通话` } }
    }).catch((e: any) => e)
    expect(raw.errCode).toBe(47003)
    expect(cloud.subscriptions.allows(TEACHER).find((a) => a.templateId === 'TPL_STAFF_BOOKING')?.remaining).toBe(1)
  })
})
