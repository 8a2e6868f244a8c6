/** 心理援助 through the functions and the scheduler: triage, crisis escalation, booking, routing, confidentiality. */
import type { LocalCloud } from '../../localcloud'
import { allow, callAs, reached, startTestCloud, wordsOf } from '../support/localcloud'
import { key } from '../support/children'
import { ReportInput } from '../../src/domain'

let cloud: LocalCloud
const CHILD = 'demo-child-xiaoyu' // 王小雨 herself (child-01)
const GRANNY = 'demo-guardian-zhang' // guardian of child-01 and child-02
const [LIU, HUANG, ZHANG] = ['demo-counselor-liu', 'demo-counselor-huang', 'demo-counselor-zhang'] // on duty, next, supervisor
const POLICE = 'demo-police-zhou' // 石桥派出所
const db = () => require('wx-server-sdk').database()
const count = async (coll: string, where: object = {}) => (await db().collection(coll).where(where).count()).total
const calm = { safeNow: 'yes', someoneHurts: 'no', selfHarmThoughts: 'no', hardDays: 'few', howLong: 'days' }
const ask = async (who: string, childId: string, answers: object) => (await callAs(cloud, who, 'counseling', 'ask', { childId, answers, idempotencyKey: key() })).body
/** Crisis alerts that reached a person: by WeChat once they allowed it, by SMS to their phone until then. */
const alertsTo = (openid: string) => reached(cloud, openid).filter((m) => wordsOf(m).includes('紧急求助'))

beforeAll(async () => { cloud = await startTestCloud() }, 60000)
afterAll(async () => { await cloud?.close() })

describe('the crisis path, as 王小雨 lives it', () => {
  // A Wednesday evening, the clock frozen: she is home from school.
  const RAISED = '2026-11-18T20:05:00+08:00'
  let requestId: string

  beforeAll(async () => { await cloud.clock.set(RAISED, { frozen: true }) })

  it('files her request with what she answered so far, at her first danger answer, and shows the numbers at once', async () => {
    const res = await ask(CHILD, 'child-01', { safeNow: 'no' })
    expect(res.data).toMatchObject({ urgency: 'crisis', crisis: { message: '值班辅导员马上会给你打电话。如果现在有危险，请先打 110。', acknowledged: false, toldMore: false } })
    expect(res.data.crisis.numbers.map((n: any) => n.number)).toEqual(['110', '12355', '0598-5550123'])
    // She has no phone of her own on file: the page asks her which number the counsellor should call.
    expect(res.data.crisis.callBack).toBeUndefined()
    requestId = res.data.requestId
    const stored = (await db().collection('helpRequests').doc(requestId).get()).data
    expect(stored.answers).toEqual({ safeNow: 'no' })
    expect(new Date(stored.createdAt).toISOString()).toBe(new Date(RAISED).toISOString())
    expect(alertsTo(LIU).length).toBe(1)
    expect(alertsTo(HUANG).length).toBe(0)
  })

  it('shows the waiting crisis on the counsellor\'s home: her given name and the minutes she has waited', async () => {
    await cloud.clock.advance('PT3M')
    const home = (await callAs(cloud, LIU, 'counseling', 'crisesWaiting')).body.data
    expect(home.crises).toEqual([{ id: requestId, firstName: '小雨', createdAt: expect.any(String), minutes: 3 }])
    expect((await callAs(cloud, 'demo-teacher-chen', 'counseling', 'crisesWaiting')).body.error.code).toBe('FORBIDDEN')
  })

  it('takes the number she leaves (a neighbour\'s) and, after help is on its way, that someone at home hurts her', async () => {
    const bad = (await callAs(cloud, CHILD, 'counseling', 'setCallBack', { requestId, phone: '1234', whose: 'neighbour' })).body
    expect(bad.error).toMatchObject({ code: 'INVALID_INPUT', fields: { phone: '电话号码不对：手机是11位数字，座机要带区号' } })
    expect((await callAs(cloud, GRANNY, 'counseling', 'setCallBack', { requestId, phone: '13800009999', whose: 'neighbour' })).body.error.code).toBe('NOT_FOUND')
    const set = (await callAs(cloud, CHILD, 'counseling', 'setCallBack', { requestId, phone: '138 0000 9999', whose: 'neighbour' })).body.data
    expect(set.callBack).toEqual({ phone: '13800009999', whose: 'neighbour' })
    expect((await callAs(cloud, CHILD, 'counseling', 'tellMore', { requestId, idempotencyKey: key() })).body.error.fields).toEqual({ words: '写几个字，或者选一个' })
    const told = (await callAs(cloud, CHILD, 'counseling', 'tellMore', { requestId, hurtBy: 'home', words: '奶奶的男朋友喝了酒就打我', idempotencyKey: key() })).body
    expect(told.data).toEqual({ saved: true })
    const mine = (await callAs(cloud, CHILD, 'counseling', 'myRequests')).body.data.requests.find((r: any) => r.id === requestId)
    expect(mine).toMatchObject({ forSelf: true, crisis: { toldMore: true, callBack: { phone: '13800009999', whose: 'neighbour', fromFile: false } } })
  })

  it('reaches the counsellor with every number that may call her back, one outside the home first, the family flagged; the read is logged', async () => {
    const before = await count('auditLog', { action: 'counseling.callBackNumbers', childIds: 'child-01' })
    const queue = (await callAs(cloud, LIU, 'counseling', 'queue')).body.data
    const card = queue.crises.find((c: any) => c.id === requestId)
    expect(card).toMatchObject({ childName: '王小雨', crisis: { level: 0, alertedNames: ['刘心怡'] } })
    expect(card.reasons).toEqual(['孩子说现在不安全或说不清', '孩子说家里有人伤害或吓唬他（她）', '孩子的话里提到被打、被虐待或被侵害'])
    expect(card.answers).toEqual(['（孩子自己回答）', '现在安全吗？不安全', '是谁：家里的人', '孩子的话：“奶奶的男朋友喝了酒就打我”'])
    expect(card.contacts.map((c: any) => [c.kind, c.phone])).toEqual([
      ['chosen', '13800009999'], ['school', '0598-5550211'], ['home', '13800001000'], ['home', '13800005000'], ['home', '13800005001']
    ])
    expect(card.contacts[0].label).toBe('孩子留的电话（邻居的电话）')
    for (const home of card.contacts.filter((c: any) => c.kind === 'home')) expect(home).toMatchObject({ avoid: true, caution: expect.stringContaining('孩子说家里有人伤害') })
    expect(await count('auditLog', { action: 'counseling.callBackNumbers', childIds: 'child-01' })).toBe(before + 1)
  })

  it('opens a report the police can act on: danger now, her answers in words, school, class, township and village, the time, who to call and whom not to alert; the station reports, never the child', async () => {
    const [doc] = (await db().collection('mandatoryReports').where({ 'origin.id': requestId }).get()).data
    expect(doc).toMatchObject({ childId: 'child-01', kinds: ['abuse'], dangerNow: true, state: 'delivered', raisedBy: 'station-qs', raisedByName: '青山县心理健康辅导站' })
    // The same validation as a report typed by hand.
    const input = { childId: doc.childId, kinds: doc.kinds, seen: doc.seen, when: doc.when, where: doc.where, dangerNow: doc.dangerNow }
    expect(ReportInput.safeParse(input).success).toBe(true)
    // delivered at once to the police liaison of 石桥 (the child's township), by WeChat or SMS
    expect(reached(cloud, POLICE).some((m) => wordsOf(m).includes('强制报告') && wordsOf(m).includes('王小雨'))).toBe(true)

    const d = (await callAs(cloud, POLICE, 'safeguard', 'detail', { reportId: doc._id })).body.data
    expect(d).toMatchObject({ dangerNow: true, when: '2026-11-18', reporterName: '青山县心理健康辅导站', origin: '心理求助', place: { school: '石桥镇中心小学', className: '四年级（2）班', township: '石桥镇', village: '石桥村' } })
    expect(d.seen.split('\n')).toEqual(['11月18日 周三 20:08 在雏燕「找人聊聊」里求助，回答：', '（孩子自己回答）', '现在安全吗？不安全', '是谁：家里的人', '孩子的话：“奶奶的男朋友喝了酒就打我”'])
    expect(d.where).toBe('孩子在石桥镇中心小学四年级（2）班上学，家在石桥镇石桥村')
    expect(d.contacts[0]).toMatchObject({ phone: '13800009999', avoid: false })
    expect(d.contacts.find((c: any) => c.phone === '13800001000')).toMatchObject({ label: '奶奶/外婆 张桂兰（监护人，在家）', avoid: true })
    expect(JSON.stringify(doc)).not.toContain(CHILD)
  })

  it('escalates to the next counsellor at +10 minutes and to the supervisor at +20, with the clock moved', async () => {
    await cloud.clock.advance('PT6M') // 20:14, nine minutes since she asked
    expect(alertsTo(HUANG).length).toBe(0)
    await cloud.clock.advance('PT1M') // +10
    expect(alertsTo(HUANG).length).toBe(1)
    expect(alertsTo(ZHANG).length).toBe(0)
    await cloud.clock.advance('PT9M')
    expect(alertsTo(ZHANG).length).toBe(0)
    await cloud.clock.advance('PT1M') // +20
    expect(alertsTo(ZHANG).length).toBe(1)
    const req = (await db().collection('helpRequests').doc(requestId).get()).data
    expect(req.crisis.alerts.map((a: any) => [a.toName, a.level, new Date(a.at).toISOString()])).toEqual([
      ['刘心怡', 0, new Date(RAISED).toISOString()],
      ['黄明', 1, new Date(Date.parse(RAISED) + 10 * 60000).toISOString()],
      ['张静', 2, new Date(Date.parse(RAISED) + 20 * 60000).toISOString()]
    ])
    expect((await callAs(cloud, LIU, 'counseling', 'crisesWaiting')).body.data.crises[0].minutes).toBe(20)
  })

  it('stops escalating once a counsellor acknowledges; the report names the counsellor; the child hears who has it', async () => {
    const ack = (await callAs(cloud, HUANG, 'counseling', 'acknowledge', { requestId })).body.data
    expect(ack.by).toBe('黄明')
    expect((await callAs(cloud, LIU, 'counseling', 'acknowledge', { requestId })).body.data.by).toBe('黄明')
    const zhangBefore = alertsTo(ZHANG).length
    await cloud.clock.advance('PT25M')
    expect(alertsTo(ZHANG).length).toBe(zhangBefore)
    expect((await callAs(cloud, LIU, 'counseling', 'crisesWaiting')).body.data.crises).toEqual([])
    const mine = (await callAs(cloud, CHILD, 'counseling', 'myRequests')).body.data.requests.find((r: any) => r.id === requestId)
    expect(mine.crisis).toMatchObject({ acknowledged: true, message: '黄明已经在处理，会给你打电话。' })
    const [doc] = (await db().collection('mandatoryReports').where({ 'origin.id': requestId }).get()).data
    const d = (await callAs(cloud, POLICE, 'safeguard', 'detail', { reportId: doc._id })).body.data
    expect(d.reporterName).toBe('青山县心理健康辅导站（辅导员 黄明）')
    expect(d.entries.map((e: any) => e.text)).toContain('联系人：青山县心理健康辅导站 辅导员 黄明（已接手）')
  })

  it('shows the case with its numbers and its report, and lets the counsellor add to the report', async () => {
    const before = await count('auditLog', { action: 'counseling.caseView', childIds: 'child-01' })
    const c = (await callAs(cloud, HUANG, 'counseling', 'caseView', { requestId })).body.data
    expect(c.item.contacts[0].phone).toBe('13800009999')
    expect(c.report).toMatchObject({ reference: expect.stringMatching(/^QB20261118-/), stateLabel: '已送达公安，等待接收', dangerNow: true })
    expect(await count('auditLog', { action: 'counseling.caseView', childIds: 'child-01' })).toBe(before + 1)
    const bad = (await callAs(cloud, HUANG, 'counseling', 'reportFromCase', { requestId, kinds: [], seen: '', dangerNow: true, idempotencyKey: key() })).body.error
    expect(Object.keys(bad.fields).sort()).toEqual(['kinds', 'seen'])
    const added = (await callAs(cloud, HUANG, 'counseling', 'reportFromCase', { requestId, kinds: ['physicalAbuse'], seen: '电话里孩子说今晚不敢回家，现在在邻居王阿姨家', dangerNow: true, idempotencyKey: key() })).body.data
    expect(added).toEqual({ reportId: c.report.id, reference: c.report.reference, added: true })
    const d = (await callAs(cloud, POLICE, 'safeguard', 'detail', { reportId: c.report.id })).body.data
    expect(d.entries.map((e: any) => e.text)).toContain('补充：辅导员黄明：电话里孩子说今晚不敢回家，现在在邻居王阿姨家')
    expect(d.kinds.map((k: any) => k.code)).toEqual(['abuse', 'physicalAbuse'])
    expect(d.intact).toBe(true)
  })

  it('keeps another station\'s counsellor out of the case, its numbers and its report', async () => {
    await db().collection('users').add({ data: { _id: 'test-counselor-far', name: '远处的辅导员', roles: [{ role: 'counselor', scope: { level: 'station', id: 'station-far' }, status: 'active' }] } })
    for (const [action, data] of [['caseView', { requestId }], ['acknowledge', { requestId }], ['reportFromCase', { requestId, kinds: ['abuse'], seen: '想看看这个孩子', dangerNow: false, idempotencyKey: key() }]] as const) {
      expect((await callAs(cloud, 'test-counselor-far', 'counseling', action, data)).body.error.code).toBe('FORBIDDEN')
    }
    expect((await callAs(cloud, 'test-counselor-far', 'counseling', 'crisesWaiting')).body.data.crises).toEqual([])
  })

  it('never needs a booking: a crisis cannot be booked like a routine request', async () => {
    const res = (await callAs(cloud, CHILD, 'counseling', 'sessionSlots', { requestId })).body
    expect(res.error.message).toBe('紧急求助不用预约，辅导员会直接联系你')
  })

  it('speaks to a grown-up asking for a child as 您, and calls a family the child did not name as the danger without a caution', async () => {
    const res = await ask('demo-teacher-chen', 'child-03', { safeNow: 'yes', someoneHurts: 'other' })
    expect(res.data.crisis.message).toBe('值班辅导员马上会给您打电话。孩子现在有危险，请先打 110。')
    await callAs(cloud, 'demo-teacher-chen', 'counseling', 'setCallBack', { requestId: res.data.requestId, phone: '13800007777', whose: 'mine' })
    const card = (await callAs(cloud, LIU, 'counseling', 'queue')).body.data.crises.find((c: any) => c.id === res.data.requestId)
    expect(card.contacts[0]).toMatchObject({ kind: 'chosen', label: '求助人 陈丽 的电话', phone: '13800007777' })
    expect(card.contacts.filter((c: any) => c.kind === 'home').every((c: any) => !c.caution && !c.avoid)).toBe(true)
    const mine = (await callAs(cloud, 'demo-teacher-chen', 'counseling', 'myRequests')).body.data.requests.find((r: any) => r.id === res.data.requestId)
    expect(mine.forSelf).toBe(false)
  })

  it('calls a child\'s own phone on her file first', async () => {
    await db().collection('children').doc('child-05').update({ data: { phone: '13800006666' } })
    const res = await ask('demo-teacher-chen', 'child-05', { safeNow: 'notSure' })
    const card = (await callAs(cloud, LIU, 'counseling', 'caseView', { requestId: res.data.requestId })).body.data
    expect(card.item.contacts[0]).toMatchObject({ kind: 'child', phone: '13800006666' })
  })

  it('lets the counsellor file the report herself when the answers opened none ("not sure" alone), once per tap', async () => {
    const res = await ask('demo-teacher-chen', 'child-05', { safeNow: 'notSure' })
    const requestId = res.data.requestId
    expect(await count('mandatoryReports', { 'origin.id': requestId })).toBe(0)
    await callAs(cloud, LIU, 'counseling', 'acknowledge', { requestId })
    const tap = { requestId, kinds: ['neglect'], seen: '电话里孩子说这几天一个人在家，没有饭吃', dangerNow: false, idempotencyKey: key() }
    const filed = (await callAs(cloud, LIU, 'counseling', 'reportFromCase', tap)).body.data
    expect(filed).toEqual({ reportId: expect.any(String), reference: expect.stringMatching(/^QB\d{8}-/), added: false })
    // A retry of the same tap answers with the same report; nothing is filed twice.
    expect((await callAs(cloud, LIU, 'counseling', 'reportFromCase', tap)).body.data).toEqual(filed)
    const reports = (await db().collection('mandatoryReports').where({ 'origin.id': requestId }).get()).data
    expect(reports).toHaveLength(1)
    expect(reports[0]).toMatchObject({ childId: 'child-05', kinds: ['neglect'], state: 'delivered', raisedByName: '青山县心理健康辅导站（辅导员 刘心怡）' })
    const c = (await callAs(cloud, LIU, 'counseling', 'caseView', { requestId })).body.data
    expect(c.report).toMatchObject({ id: filed.reportId, reference: filed.reference })
  })

  afterAll(async () => { await cloud.clock.real() })
})

describe('sessions for soon and routine requests', () => {
  it('books a routine session with a counsellor of the child\'s county and shows it to the requester', async () => {
    const res = await ask(GRANNY, 'child-02', calm)
    expect(res.data).toEqual({ requestId: expect.any(String), urgency: 'routine', urgencyLabel: '一般' })
    const { slots } = (await callAs(cloud, GRANNY, 'counseling', 'sessionSlots', { requestId: res.data.requestId })).body.data
    expect(slots.length).toBeGreaterThan(0)
    // A phone session needs the number the counsellor will call: named, and nothing written.
    const noPhone = (await callAs(cloud, GRANNY, 'counseling', 'bookSession', { requestId: res.data.requestId, start: slots[0].start, mode: 'voice', idempotencyKey: key() })).body.error
    expect(noPhone).toMatchObject({ code: 'INVALID_INPUT', fields: { phone: '请写辅导员打哪个电话' } })
    expect(await count('counselingSessions', { requestId: res.data.requestId })).toBe(0)
    const booked = (await callAs(cloud, GRANNY, 'counseling', 'bookSession', { requestId: res.data.requestId, start: slots[0].start, mode: 'voice', phone: '13800001007', idempotencyKey: key() })).body.data
    expect(booked).toMatchObject({ outcome: 'booked', session: { childName: '王小川', modeLabel: '打电话', how: '到时辅导员会打 13800001007', phone: '13800001007', status: 'booked' } })
    // The counsellor is told, with how it will happen; their queue carries the number to call.
    const counselor = ({ 刘心怡: LIU, 黄明: HUANG, 张静: ZHANG } as Record<string, string>)[booked.session.counselorName]
    expect(cloud.outbox(counselor).some((m: any) => JSON.stringify(m).includes('新的辅导预约：王小川'))).toBe(true)
    const theirs = (await callAs(cloud, counselor, 'counseling', 'queue')).body.data.sessions.find((x: any) => x.requestId === res.data.requestId)
    expect(theirs).toMatchObject({ how: '到时请打 13800001007', phone: '13800001007' })
    expect([LIU, HUANG, ZHANG].map((id) => ({ [LIU]: '刘心怡', [HUANG]: '黄明', [ZHANG]: '张静' } as any)[id])).toContain(booked.session.counselorName)
    const mine = (await callAs(cloud, GRANNY, 'counseling', 'myRequests')).body.data.requests
    expect(mine.find((r: any) => r.id === res.data.requestId).session.counselorName).toBe(booked.session.counselorName)
  })

  it('reminds the requester a day before by WeChat (one allow, one message) and 30 minutes before in 消息, once each', async () => {
    const session = (await db().collection('counselingSessions').where({ childId: 'child-02', status: 'booked' }).get()).data[0]
    const start = new Date(session.start).getTime()
    // Her booking tap asked for the reminder, and she allowed it (one allow).
    await allow(cloud, GRANNY, ['TPL_SESSION_REMINDER'])
    const wechat = () => cloud.outbox(GRANNY).filter((m) => m.templateId === 'TPL_SESSION_REMINDER')
    const inbox = async () => (await callAs(cloud, GRANNY, 'account', 'inbox', {})).body.data.entries.filter((e: any) => e.template === 'sessionReminder').map((e: any) => e.title)
    await cloud.triggerTimer('scheduler', new Date(start - 20 * 3600000))
    await cloud.triggerTimer('scheduler', new Date(start - 20 * 3600000))
    expect(wechat().map((m) => m.delivered)).toEqual([true])
    await cloud.triggerTimer('scheduler', new Date(start - 25 * 60000))
    await cloud.triggerTimer('scheduler', new Date(start - 20 * 60000))
    // The second reminder would need a second allow: it lands in her inbox, and WeChat is not asked.
    expect(wechat().map((m) => m.delivered)).toEqual([true])
    expect(await inbox()).toEqual(['半小时后心理辅导：王小川', '明天有心理辅导：王小川'])
  })

  it('moves a session to another free time, keeping the counsellor when they are free', async () => {
    const session = (await db().collection('counselingSessions').where({ childId: 'child-02', status: 'booked' }).get()).data[0]
    const { slots } = (await callAs(cloud, GRANNY, 'counseling', 'sessionSlots', { requestId: session.requestId })).body.data
    const other = slots.find((s: any) => new Date(s.start).getTime() !== new Date(session.start).getTime() && s.sameCounselor) ?? slots.find((s: any) => new Date(s.start).getTime() !== new Date(session.start).getTime())
    const res = (await callAs(cloud, GRANNY, 'counseling', 'moveSession', { sessionId: session._id, start: other.start, idempotencyKey: key() })).body.data
    expect(res.outcome).toBe('booked')
    expect(new Date(res.session.start).getTime()).toBe(new Date(other.start).getTime())
    expect(res.session.how).toBe('到时辅导员会打 13800001007')
    const holder = ({ 刘心怡: LIU, 黄明: HUANG, 张静: ZHANG } as Record<string, string>)[res.session.counselorName]
    // The counsellor now holding it hears the new time in 消息 (whatever WeChat allows); one who lost it hears it is off.
    const titles = async (openid: string): Promise<string[]> => (await callAs(cloud, openid, 'account', 'inbox', {})).body.data.entries.map((e: any) => e.title)
    if (holder === session.counselorId) {
      expect(await titles(holder)).toContain('辅导预约改了时间：王小川')
    } else {
      expect(await titles(holder)).toContain('新的辅导预约：王小川')
      expect(await titles(session.counselorId)).toContain('辅导预约取消了：王小川')
    }
    expect(await count('seats', { _id: session.seatId })).toBe(0)
    expect((await callAs(cloud, 'demo-parent-wang', 'counseling', 'moveSession', { sessionId: session._id, start: other.start, idempotencyKey: key() })).body.error.code).toBe('NOT_FOUND')
  })

  it('routes a child back to the counsellor they saw last', async () => {
    const first = (await db().collection('helpRequests').where({ childId: 'child-02' }).get()).data[0]
    const res = await ask(GRANNY, 'child-02', { ...calm, hardDays: 'some' })
    const view = (await callAs(cloud, GRANNY, 'counseling', 'sessionSlots', { requestId: res.data.requestId })).body.data
    expect(view.previousCounselorName).toBe(first.counselorName)
    const slot = view.slots.find((s: any) => s.sameCounselor)
    const booked = (await callAs(cloud, GRANNY, 'counseling', 'bookSession', { requestId: res.data.requestId, start: slot.start, mode: 'video', phone: '13800001007', idempotencyKey: key() })).body.data
    expect(booked.session.counselorName).toBe(first.counselorName)
  })

  it('offers a soon-request the next 48 hours first', async () => {
    const res = await ask(GRANNY, 'child-01', { ...calm, hardDays: 'most' })
    expect(res.data.urgency).toBe('soon')
    const { slots } = (await callAs(cloud, GRANNY, 'counseling', 'sessionSlots', { requestId: res.data.requestId })).body.data
    const firstLate = slots.findIndex((s: any) => !s.within48h)
    if (firstLate > 0) expect(slots.slice(firstLate).every((s: any) => !s.within48h)).toBe(true)
    expect(slots.filter((s: any) => s.within48h).every((s: any) => new Date(s.start).getTime() <= cloud.clock.now().getTime() + 48 * 3600000)).toBe(true)
  })

  it('never double-books a counsellor: four families at one time with three counsellors get three sessions', async () => {
    const teacher = 'demo-teacher-chen'
    const requests: string[] = []
    for (const childId of ['child-03', 'child-04', 'child-05', 'child-06']) requests.push((await ask(teacher, childId, calm)).data.requestId)
    const { slots } = (await callAs(cloud, teacher, 'counseling', 'sessionSlots', { requestId: requests[0] })).body.data
    const target = slots[slots.length - 1].start
    const results = await Promise.all(requests.map((requestId) => callAs(cloud, teacher, 'counseling', 'bookSession', { requestId, start: target, mode: 'inPerson', idempotencyKey: key() })))
    const outcomes = results.map((r) => r.body.data?.outcome ?? r.body.error?.code)
    expect(outcomes.filter((o) => o === 'booked').length).toBe(3)
    expect(outcomes.filter((o) => o === 'taken').length).toBe(1)
    const names = results.filter((r) => r.body.data?.outcome === 'booked').map((r) => r.body.data.session.counselorName)
    expect(new Set(names).size).toBe(3)
  })

  it('spreads new cases to the counsellor with the fewest open ones', async () => {
    const open = (await db().collection('helpRequests').where({ state: 'booked' }).get()).data
    const load = (name: string) => open.filter((r: any) => r.counselorName === name).length
    const loads = ['刘心怡', '黄明', '张静'].map(load)
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(2)
  })

  it('names bad answers and writes nothing', async () => {
    const before = await count('helpRequests')
    const res = (await callAs(cloud, GRANNY, 'counseling', 'ask', { childId: 'child-01', answers: { safeNow: 'maybe' }, idempotencyKey: key() })).body
    expect(res.error.code).toBe('INVALID_INPUT')
    expect(Object.keys(res.error.fields).sort()).toEqual(['answers.hardDays', 'answers.howLong', 'answers.safeNow', 'answers.selfHarmThoughts', 'answers.someoneHurts'])
    expect(await count('helpRequests')).toBe(before)
  })

  it('refuses asking for a child one has no tie to', async () => {
    expect((await ask('demo-parent-wang', 'child-05', calm)).error.code).toBe('FORBIDDEN')
    expect((await ask('demo-teacher-lin', 'child-01', calm)).error.code).toBe('FORBIDDEN')
    expect((await ask('demo-vol-zhou', 'child-01', calm)).error.code).toBe('FORBIDDEN')
  })

  it('offers a child times outside school hours first, and says where an in-person session is', async () => {
    // One counsellor also works school-day mornings: those times come after every time out of class.
    const hours = { devices: 1, openHours: [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '12:00' }, { days: [1, 2, 3, 4, 5], start: '16:30', end: '18:30' }], slotMinutes: 50, bufferMinutes: 10, closedDates: [], followsSchoolCalendar: true, adjustedWorkdayAs: 1, noticeHours: 2, horizonDays: 14, maxFutureBookingsPerFamily: 3 }
    expect((await callAs(cloud, ZHANG, 'counseling', 'saveAvailability', { settings: hours })).body.ok).toBe(true)
    const res = await ask(CHILD, 'child-01', calm)
    const view = (await callAs(cloud, CHILD, 'counseling', 'sessionSlots', { requestId: res.data.requestId })).body.data
    const flags = view.slots.map((s: any) => s.duringSchool)
    expect(flags).toContain(true)
    expect(flags).toContain(false)
    expect(flags.indexOf(true)).toBe(flags.lastIndexOf(false) + 1)
    const inSchool = view.slots.find((s: any) => s.duringSchool)
    const hour = Number(new Date(inSchool.start).toLocaleString('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', hour12: false }))
    expect(hour).toBeLessThan(12)
    expect(view.place).toBe('青山县心理健康辅导站（县城人民路18号青少年活动中心二楼）')
    const booked = (await callAs(cloud, CHILD, 'counseling', 'bookSession', { requestId: res.data.requestId, start: view.slots[0].start, mode: 'inPerson', idempotencyKey: key() })).body.data
    expect(booked.session.how).toBe('到 青山县心理健康辅导站（县城人民路18号青少年活动中心二楼） 见面')
    // Her own requests never show her a triage level to read: the page hides it; the flag says it is hers.
    expect((await callAs(cloud, CHILD, 'counseling', 'myRequests')).body.data.requests.find((r: any) => r.id === res.data.requestId).forSelf).toBe(true)
  })
})

describe('confidentiality', () => {
  let requestId: string
  beforeAll(async () => {
    requestId = (await ask(GRANNY, 'child-01', { ...calm, hardDays: 'most', words: '孩子最近总是哭' })).data.requestId
    // Not yet anyone's: the station's supervisor hands it to 刘心怡.
    expect((await callAs(cloud, LIU, 'counseling', 'writeNote', { requestId, text: '还没有人接手', idempotencyKey: key() })).body.error.code).toBe('FORBIDDEN')
    expect((await callAs(cloud, ZHANG, 'counseling', 'handOver', { requestId, to: LIU })).body.data).toEqual({ counselorName: '刘心怡' })
    await callAs(cloud, LIU, 'counseling', 'writeNote', { requestId, text: '第一次谈话：想妈妈，晚上睡不着。', followUpDate: '2026-12-10', idempotencyKey: key() })
  })

  it('lets the case\'s counsellor and the supervisor read the notes, each read logged', async () => {
    for (const reader of [LIU, ZHANG]) {
      const before = await count('auditLog', { action: 'counseling.readNotes' })
      const notes = (await callAs(cloud, reader, 'counseling', 'readNotes', { requestId })).body.data.notes
      expect(notes).toEqual([expect.objectContaining({ authorName: '刘心怡', text: '第一次谈话：想妈妈，晚上睡不着。', followUpDate: '2026-12-10' })])
      expect(await count('auditLog', { action: 'counseling.readNotes' })).toBe(before + 1)
    }
  })

  it('keeps the case from another counsellor of the station: no notes, no writing, no closing, not in the queue', async () => {
    const reads = await count('auditLog', { action: 'counseling.readNotes' })
    expect((await callAs(cloud, HUANG, 'counseling', 'readNotes', { requestId })).body.error.code).toBe('FORBIDDEN')
    expect((await callAs(cloud, HUANG, 'counseling', 'writeNote', { requestId, text: '不是我的个案', idempotencyKey: key() })).body.error.code).toBe('FORBIDDEN')
    expect((await callAs(cloud, HUANG, 'counseling', 'closeCase', { requestId, summary: '不是我的个案' })).body.error.code).toBe('FORBIDDEN')
    expect((await callAs(cloud, HUANG, 'counseling', 'handOver', { requestId, to: HUANG })).body.error.code).toBe('FORBIDDEN')
    const queue = (await callAs(cloud, HUANG, 'counseling', 'queue')).body.data
    expect([...queue.crises, ...queue.open].some((r: any) => r.id === requestId)).toBe(false)
    expect((await callAs(cloud, LIU, 'counseling', 'queue')).body.data.open.some((r: any) => r.id === requestId)).toBe(true)
    expect(await count('auditLog', { action: 'counseling.readNotes' })).toBe(reads)
  })

  it.each([['the guardian who asked', GRANNY], ['a parent', 'demo-parent-wang'], ['a teacher', 'demo-teacher-chen'], ['a volunteer', 'demo-vol-sun'], ['a county admin', 'demo-admin-xu'], ['the child', CHILD]])(
    'refuses the notes to %s', async (_who, openid) => {
      expect((await callAs(cloud, openid, 'counseling', 'readNotes', { requestId })).body.error.code).toBe('FORBIDDEN')
    })

  it('keeps the psych record out of the child\'s file, the registry list and its export', async () => {
    const file = JSON.stringify((await callAs(cloud, 'demo-admin-xu', 'registry', 'getChild', { childId: 'child-01' })).body.data)
    const list = JSON.stringify((await callAs(cloud, 'demo-admin-xu', 'registry', 'listChildren', { pageSize: 50 })).body.data)
    const csv = (await callAs(cloud, 'demo-admin-xu', 'registry', 'exportChildren', {})).body.data.csv
    for (const text of [file, list, csv]) {
      expect(text).not.toMatch(/心理|想妈妈|urgency|counsel/)
    }
  })

  it('shows a requester only their own requests', async () => {
    const granny = (await callAs(cloud, GRANNY, 'counseling', 'myRequests')).body.data.requests
    const child = (await callAs(cloud, CHILD, 'counseling', 'myRequests')).body.data.requests
    expect(granny.every((r: any) => !child.some((c: any) => c.id === r.id))).toBe(true)
    expect(JSON.stringify(granny)).not.toContain('想妈妈')
    expect((await callAs(cloud, CHILD, 'counseling', 'sessionSlots', { requestId })).body.error.code).toBe('NOT_FOUND')
  })

  it('closes a case with a summary', async () => {
    expect((await callAs(cloud, LIU, 'counseling', 'closeCase', { requestId, summary: '情绪稳定，已约好下月回访' })).body.data).toEqual({ state: 'closed' })
    const queue = (await callAs(cloud, LIU, 'counseling', 'queue')).body.data
    expect(queue.open.some((r: any) => r.id === requestId)).toBe(false)
  })
})

describe('an unbooked 「尽快」 request', () => {
  const RAISED = '2026-11-23T18:30:00+08:00' // a Monday evening
  let owner = ZHANG
  const followUps = () => cloud.outbox(owner).filter((m: any) => JSON.stringify(m).includes('「尽快」求助'))
  let requestId: string

  beforeAll(async () => { await cloud.clock.set(RAISED, { frozen: true }) })
  afterAll(async () => { await cloud.clock.real() })

  it('alerts the case\'s counsellor (the supervisor while it has none) once, 24 hours after it was raised, and shows overdue in the queue', async () => {
    const booked = await ask(GRANNY, 'child-02', { ...calm, hardDays: 'most' })
    requestId = (await ask(GRANNY, 'child-01', { ...calm, hardDays: 'most' })).data.requestId
    // A control: the one booked in time is never followed up.
    const { slots } = (await callAs(cloud, GRANNY, 'counseling', 'sessionSlots', { requestId: booked.data.requestId })).body.data
    expect((await callAs(cloud, GRANNY, 'counseling', 'bookSession', { requestId: booked.data.requestId, start: slots[0].start, mode: 'inPerson', idempotencyKey: key() })).body.data.outcome).toBe('booked')
    // The case's own counsellor hears; with none yet, the supervisor, who sees unassigned cases and hands them over.
    owner = (await db().collection('helpRequests').doc(requestId).get()).data.counselorId ?? ZHANG
    const before = followUps().length
    await cloud.clock.advance('PT23H59M')
    expect(followUps().length).toBe(before)
    expect((await callAs(cloud, owner, 'counseling', 'queue')).body.data.open.find((r: any) => r.id === requestId).overdue).toBe(false)
    await cloud.clock.advance('PT1M')
    expect(followUps().length).toBe(before + 1)
    expect(JSON.stringify(followUps()[followUps().length - 1])).toContain('王小雨')
    expect((await callAs(cloud, owner, 'counseling', 'queue')).body.data.open[0]).toMatchObject({ id: requestId, overdue: true })
    // The supervisor's queue holds the station's every case: the overdue one first, the booked one not overdue.
    const open = (await callAs(cloud, ZHANG, 'counseling', 'queue')).body.data.open
    const at = open.findIndex((r: any) => r.id === requestId)
    expect(open[at]).toMatchObject({ overdue: true, urgencyLabel: '尽快' })
    const control = open.findIndex((r: any) => r.id === booked.data.requestId)
    expect(open[control].overdue).toBe(false)
    expect(at).toBeLessThan(control)
    await cloud.clock.advance('P2D')
    expect(followUps().length).toBe(before + 1)
  })
})
