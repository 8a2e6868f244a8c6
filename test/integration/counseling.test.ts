/** 心理援助 through the functions and the scheduler: triage, crisis escalation, booking, routing, confidentiality. */
import type { LocalCloud } from '../../localcloud'
import { allow, callAs, reached, startTestCloud, wordsOf } from '../support/localcloud'
import { key } from '../support/children'

let cloud: LocalCloud
const CHILD = 'demo-child-xiaoyu' // 王小雨 herself (child-01)
const GRANNY = 'demo-guardian-zhang' // guardian of child-01 and child-02
const [LIU, HUANG, ZHANG] = ['demo-counselor-liu', 'demo-counselor-huang', 'demo-counselor-zhang'] // on duty, next, supervisor
const db = () => require('wx-server-sdk').database()
const count = async (coll: string, where: object = {}) => (await db().collection(coll).where(where).count()).total
const calm = { safeNow: 'yes', someoneHurts: 'no', selfHarmThoughts: 'no', hardDays: 'few', howLong: 'days' }
const ask = async (who: string, childId: string, answers: object) => (await callAs(cloud, who, 'counseling', 'ask', { childId, answers, idempotencyKey: key() })).body
/** Crisis alerts that reached a person: by WeChat once they allowed it, by SMS to their phone until then. */
const alertsTo = (openid: string) => reached(cloud, openid).filter((m) => wordsOf(m).includes('紧急求助'))

beforeAll(async () => { cloud = await startTestCloud() }, 60000)
afterAll(async () => { await cloud?.close() })

describe('the crisis path', () => {
  let requestId: string
  let raisedAt: number

  it('shows a child in danger the numbers at once and alerts the on-duty counsellor', async () => {
    const before = alertsTo(LIU).length
    raisedAt = Date.now()
    const res = await ask(CHILD, 'child-01', { ...calm, someoneHurts: 'yes', words: '晚上有人打我，我害怕' })
    expect(res.data).toMatchObject({ urgency: 'crisis', urgencyLabel: '紧急', crisis: { message: '辅导员马上会给你打电话。如果现在有危险，请先打 110。', acknowledged: false } })
    expect(res.data.crisis.numbers.map((n: any) => n.number)).toEqual(['110', '12355', '0598-5550123'])
    requestId = res.data.requestId
    expect(alertsTo(LIU).length).toBe(before + 1)
    expect(alertsTo(HUANG).length).toBe(0)
    const queue = (await callAs(cloud, LIU, 'counseling', 'queue')).body.data
    expect(queue.crises.find((c: any) => c.id === requestId)).toMatchObject({ childName: '王小雨', urgency: 'crisis', crisis: { level: 0, alertedNames: ['刘心怡'] }, callBack: { name: '张桂兰', relation: '奶奶/外婆', phone: '13800001000' } })
  })

  it('opens a mandatory report linked to the request when abuse is named', async () => {
    const reports = (await db().collection('mandatoryReports').where({ 'origin.id': requestId }).get()).data
    expect(reports).toEqual([expect.objectContaining({ childId: 'child-01', kinds: ['abuse'], state: 'delivered', origin: { kind: 'counseling', id: requestId } })])
    // delivered at once to the police liaison of 石桥 (the child's township)
    expect(reached(cloud, 'demo-police-zhou').some((m) => wordsOf(m).includes('强制报告'))).toBe(true)
  })

  it('escalates to the next counsellor after 10 minutes and to the supervisor after 20, each once', async () => {
    await cloud.triggerTimer('scheduler', new Date(raisedAt + 9 * 60000))
    expect(alertsTo(HUANG).length).toBe(0)
    await cloud.triggerTimer('scheduler', new Date(raisedAt + 10.5 * 60000))
    await cloud.triggerTimer('scheduler', new Date(raisedAt + 10.5 * 60000))
    expect(alertsTo(HUANG).length).toBe(1)
    expect(alertsTo(ZHANG).length).toBe(0)
    await cloud.triggerTimer('scheduler', new Date(raisedAt + 21 * 60000))
    expect(alertsTo(ZHANG).length).toBe(1)
    const req = (await db().collection('helpRequests').doc(requestId).get()).data
    expect(req.crisis.alerts.map((a: any) => [a.toName, a.level])).toEqual([['刘心怡', 0], ['黄明', 1], ['张静', 2]])
    for (const a of req.crisis.alerts) expect(a.at).toBeInstanceOf(Date)
  })

  it('stops escalating once a counsellor acknowledges, and tells the child someone has it', async () => {
    const ack = (await callAs(cloud, HUANG, 'counseling', 'acknowledge', { requestId })).body.data
    expect(ack.by).toBe('黄明')
    const again = (await callAs(cloud, LIU, 'counseling', 'acknowledge', { requestId })).body.data
    expect(again.by).toBe('黄明')
    const zhangBefore = alertsTo(ZHANG).length
    await cloud.triggerTimer('scheduler', new Date(raisedAt + 45 * 60000))
    expect(alertsTo(ZHANG).length).toBe(zhangBefore)
    const mine = (await callAs(cloud, CHILD, 'counseling', 'myRequests')).body.data.requests
    expect(mine[0].crisis).toMatchObject({ acknowledged: true, message: '黄明已经在处理，会给你打电话。' })
  })

  it('never needs a booking: a crisis cannot be booked like a routine request', async () => {
    const res = (await callAs(cloud, CHILD, 'counseling', 'sessionSlots', { requestId })).body
    expect(res.error.message).toBe('紧急求助不用预约，辅导员会直接联系你')
  })
})

describe('sessions for soon and routine requests', () => {
  it('books a routine session with a counsellor of the child\'s county and shows it to the requester', async () => {
    const res = await ask(GRANNY, 'child-02', calm)
    expect(res.data).toEqual({ requestId: expect.any(String), urgency: 'routine', urgencyLabel: '一般' })
    const { slots } = (await callAs(cloud, GRANNY, 'counseling', 'sessionSlots', { requestId: res.data.requestId })).body.data
    expect(slots.length).toBeGreaterThan(0)
    const booked = (await callAs(cloud, GRANNY, 'counseling', 'bookSession', { requestId: res.data.requestId, start: slots[0].start, mode: 'voice', idempotencyKey: key() })).body.data
    expect(booked).toMatchObject({ outcome: 'booked', session: { childName: '王小川', modeLabel: '语音', status: 'booked' } })
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
    expect(await count('seats', { _id: session.seatId })).toBe(0)
    expect((await callAs(cloud, 'demo-parent-wang', 'counseling', 'moveSession', { sessionId: session._id, start: other.start, idempotencyKey: key() })).body.error.code).toBe('NOT_FOUND')
  })

  it('routes a child back to the counsellor they saw last', async () => {
    const first = (await db().collection('helpRequests').where({ childId: 'child-02' }).get()).data[0]
    const res = await ask(GRANNY, 'child-02', { ...calm, hardDays: 'some' })
    const view = (await callAs(cloud, GRANNY, 'counseling', 'sessionSlots', { requestId: res.data.requestId })).body.data
    expect(view.previousCounselorName).toBe(first.counselorName)
    const slot = view.slots.find((s: any) => s.sameCounselor)
    const booked = (await callAs(cloud, GRANNY, 'counseling', 'bookSession', { requestId: res.data.requestId, start: slot.start, mode: 'video', idempotencyKey: key() })).body.data
    expect(booked.session.counselorName).toBe(first.counselorName)
  })

  it('offers a soon-request the next 48 hours first', async () => {
    const res = await ask(GRANNY, 'child-01', { ...calm, hardDays: 'most' })
    expect(res.data.urgency).toBe('soon')
    const { slots } = (await callAs(cloud, GRANNY, 'counseling', 'sessionSlots', { requestId: res.data.requestId })).body.data
    const firstLate = slots.findIndex((s: any) => !s.within48h)
    if (firstLate > 0) expect(slots.slice(firstLate).every((s: any) => !s.within48h)).toBe(true)
    expect(slots.filter((s: any) => s.within48h).every((s: any) => new Date(s.start).getTime() <= Date.now() + 48 * 3600000)).toBe(true)
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
})

describe('confidentiality', () => {
  let requestId: string
  beforeAll(async () => {
    requestId = (await ask(GRANNY, 'child-01', { ...calm, hardDays: 'most', words: '孩子最近总是哭' })).data.requestId
    await callAs(cloud, LIU, 'counseling', 'writeNote', { requestId, text: '第一次谈话：想妈妈，晚上睡不着。', followUpDate: '2026-12-10', idempotencyKey: key() })
  })

  it('lets counsellors of the station read the notes, each read logged', async () => {
    const before = await count('auditLog', { action: 'counseling.readNotes' })
    const notes = (await callAs(cloud, HUANG, 'counseling', 'readNotes', { requestId })).body.data.notes
    expect(notes).toEqual([expect.objectContaining({ authorName: '刘心怡', text: '第一次谈话：想妈妈，晚上睡不着。', followUpDate: '2026-12-10' })])
    expect(await count('auditLog', { action: 'counseling.readNotes' })).toBe(before + 1)
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
