/**
 * The scheduler's fast-forward hint: after each run it says when its jobs next have work, so the local cloud can jump
 * the clock over idle minutes. The hint must be exact: too early wastes runs, too late would skip real work.
 */
import type { LocalCloud } from '../../localcloud'
import { callAs, startTestCloud } from '../support/localcloud'
import { key } from '../support/children'
import { openRoomAllDay } from '../support/hotline'

let cloud: LocalCloud
const WANG = 'demo-parent-wang' // father of child-01
const [LIU, HUANG] = ['demo-counselor-liu', 'demo-counselor-huang'] // on duty, next
const DUTY = 'demo-admin-han' // the county's 公安 duty officer
const MIN = 60000
const db = () => require('wx-server-sdk').database()

interface SchedulerRun { ok: boolean, data: Record<string, any> & { nextDue: Record<string, string | null> }, nextDueAt: string | null }
const fire = async (at: Date | number) => await cloud.triggerTimer('scheduler', new Date(at)) as SchedulerRun
const iso = (ms: number) => new Date(ms).toISOString()
/** Notices that told a person something (every notice lands in their 消息, whatever channel also carried it). */
const sent = async (openid: string, text: string): Promise<number> =>
  (await db().collection('inbox').where({ to: openid }).limit(1000).get()).data.filter((e: any) => `${e.title} ${e.detail}`.includes(text)).length

beforeAll(async () => { cloud = await startTestCloud() }, 60000)
afterAll(async () => { await cloud?.close() })

describe('the hint of each job is its next due work', () => {
  it('names a booked call\'s reminders: a day before, then half an hour before, then nothing', async () => {
    await openRoomAllDay(cloud)
    const slots = (await callAs(cloud, WANG, 'hotline', 'slots', { childId: 'child-01', days: 14 })).body.data.slots
    const slot = slots.find((s: any) => new Date(s.start).getTime() > Date.now() + 3 * 86400000)
    const booked = (await callAs(cloud, WANG, 'hotline', 'book', { childId: 'child-01', start: slot.start, mode: 'video', idempotencyKey: key() })).body
    expect(booked.data.outcome).toBe('booked')
    const start = new Date(booked.data.booking.start).getTime()
    const dayBefore = start - 24 * 60 * MIN

    const first = await fire(start - 30 * 60 * MIN)
    expect(first.data.nextDue.reminders).toBe(iso(dayBefore))
    await fire(dayBefore - MIN)
    expect(await sent(WANG, '明天有和孩子的通话')).toBe(0)
    const atDue = await fire(dayBefore)
    expect(await sent(WANG, '明天有和孩子的通话')).toBe(1)
    expect(atDue.data.nextDue.reminders).toBe(iso(start - 30 * MIN))
    await fire(start - 30 * MIN)
    expect(await sent(WANG, '半小时后和孩子通话')).toBe(1)
    expect((await fire(start - 29 * MIN)).data.nextDue.reminders).toBeNull()
  })

  it('names a crisis\'s escalation 10 minutes after it was raised, and the next rung 10 minutes later', async () => {
    const res = (await callAs(cloud, 'demo-child-xiaoyu', 'counseling', 'ask', { childId: 'child-01', answers: { safeNow: 'no', someoneHurts: 'no', selfHarmThoughts: 'no', hardDays: 'few', howLong: 'days' }, idempotencyKey: key() })).body
    expect(res.data.urgency).toBe('crisis')
    const raised = new Date((await db().collection('helpRequests').doc(res.data.requestId).get()).data.createdAt).getTime()
    expect(await sent(LIU, '紧急求助')).toBe(1)

    const run = await fire(raised + MIN)
    expect(run.data.nextDue.crisisEscalation).toBe(iso(raised + 10 * MIN))
    await fire(raised + 10 * MIN - 1)
    expect(await sent(HUANG, '紧急求助无人接')).toBe(0)
    const escalated = await fire(raised + 10 * MIN)
    expect(await sent(HUANG, '紧急求助无人接')).toBe(1)
    expect(escalated.data.nextDue.crisisEscalation).toBe(iso(raised + 20 * MIN))

    // Once someone has it, the crisis has no more work.
    await callAs(cloud, HUANG, 'counseling', 'acknowledge', { requestId: res.data.requestId })
    expect((await fire(raised + 11 * MIN)).data.nextDue.crisisEscalation).toBeNull()
  })

  it('names an unacknowledged report\'s escalation one period after it was filed', async () => {
    const res = (await callAs(cloud, 'demo-teacher-chen', 'safeguard', 'report', { report: { childId: 'child-02', kinds: ['neglect'], seen: '孩子连续几天没人接，晚上一个人在家', when: new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' }), where: '家里', dangerNow: false }, idempotencyKey: key() })).body
    expect(res.ok).toBe(true)
    const filed = new Date(res.data.filedAt).getTime()
    const run = await fire(filed + MIN)
    expect(run.data.nextDue.reportEscalation).toBe(iso(filed + 30 * MIN))
    const before = await sent(DUTY, '30分钟无人接收')
    await fire(filed + 30 * MIN)
    expect(await sent(DUTY, '30分钟无人接收')).toBe(before + 1)
  })

  it('names the moment a legal-aid clock next warns: nothing is due a moment before it, a warning at it', async () => {
    const OFFICER = 'demo-officer-wu'
    const filed = (await callAs(cloud, 'demo-guardian-zhang', 'legalaid', 'submit', { draft: { childId: 'child-02', matter: 'guardianship', people: '孩子的姑姑', story: '监护人去世后没人管孩子。', files: [] }, idempotencyKey: key() })).body
    expect(filed.ok).toBe(true)
    const warnings = () => cloud.outbox(OFFICER).filter((m: any) => m.templateId === 'TPL_DEADLINE_ALERT').length
    let at = new Date(filed.data.view.submittedAt).getTime() + MIN
    // Two warnings in turn: the first clock is due soon, then late.
    for (let step = 0; step < 2; step++) {
      const hint = new Date((await fire(at)).data.nextDue.legalAidClocks ?? NaN).getTime()
      expect(hint).toBeGreaterThan(at)
      const before = warnings()
      await fire(hint - 1)
      expect(warnings()).toBe(before)
      await fire(hint)
      expect(warnings()).toBeGreaterThan(before)
      at = hint
    }
  })

  it('names Thursday 10:00 for the weekly nudge, and next Thursday once this week\'s are sent', async () => {
    const monday = new Date('2027-03-01T09:00:00+08:00')
    expect((await fire(monday)).data.nextDue.weeklyNudges).toBe('2027-03-04T02:00:00.000Z')
    const before = await sent(WANG, '这周还没和')
    await fire(new Date('2027-03-04T09:59:00+08:00'))
    expect(await sent(WANG, '这周还没和')).toBe(before)
    const thursday = await fire(new Date('2027-03-04T10:00:00+08:00'))
    expect(await sent(WANG, '这周还没和')).toBeGreaterThan(before)
    expect(thursday.data.nextDue.weeklyNudges).toBe('2027-03-11T02:00:00.000Z')
  })

  it('names the next Shanghai midnight for a once-a-day job that ran today, and Monday 00:00 for the weekly flags', async () => {
    const run = await fire(new Date('2027-03-10T15:20:00+08:00')) // a Wednesday
    expect(run.data.nextDue.vetting).toBe('2027-03-10T16:00:00.000Z')
    expect(run.data.nextDue.contactFlags).toBe('2027-03-14T16:00:00.000Z')
  })

  it('returns the earliest of them as the top-level nextDueAt', async () => {
    const run = await fire(Date.now())
    const times = Object.values(run.data.nextDue).filter((t): t is string => t !== null).map((t) => new Date(t).getTime())
    expect(run.nextDueAt).toBe(iso(Math.min(...times)))
  })
})
