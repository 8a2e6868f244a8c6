/** account.home: the cards of each role's home reflect what really waits for them, each within its own scope. */
import type { LocalCloud } from '../../localcloud'
import { callAs, startTestCloud } from '../support/localcloud'
import { key } from '../support/children'
import { openRoomAllDay } from '../support/hotline'

let cloud: LocalCloud
const WANG = 'demo-parent-wang' // father of child-01 王小雨 and child-02 王小川 (石桥镇中心小学)
const GRANNY = 'demo-guardian-zhang' // their grandmother
const XIAOYU = 'demo-child-xiaoyu'
const QIAN = 'demo-vol-qian' // 五老 volunteer of 关工委
const GUAN = 'demo-admin-guan' // 关工委 county admin
const OFFICER = 'demo-officer-wu' // 青山县 legal-aid centre
const OTHER_OFFICER = 'demo-officer-sz'

const cards = async (who: string) => {
  const res = (await callAs(cloud, who, 'account', 'home', {})).body
  if (!res.ok) throw new Error(JSON.stringify(res))
  return res.data.cards as any[]
}
const ofKind = (list: any[], kind: string) => list.filter((c) => c.kind === kind)

beforeAll(async () => {
  cloud = await startTestCloud()
  await cloud.clock.set('2026-12-07T09:00:00+08:00', { frozen: true }) // a Monday morning
  await openRoomAllDay(cloud)
}, 60000)
afterAll(async () => { await cloud?.close() })

describe('the family\'s cards', () => {
  it('nudges a father with no call this week, then shows the call he books to him, the grandmother and the child', async () => {
    const before = await cards(WANG)
    expect(ofKind(before, 'nextCall')).toEqual([])
    expect(ofKind(before, 'noCallThisWeek').map((c) => c.childName).sort()).toEqual(['王小川', '王小雨'])
    // The grandmother is told, per child, that the parents have booked nothing this coming week.
    const grannyBefore = await cards(GRANNY)
    expect(ofKind(grannyBefore, 'nextCall')).toEqual([])
    expect(ofKind(grannyBefore, 'parentsNotBooked').map((c) => `${c.childId} ${c.childName}`).sort()).toEqual(['child-01 王小雨', 'child-02 王小川'])
    // The father's and the child's homes do not say it: the father has his own nudge.
    expect(ofKind(before, 'parentsNotBooked')).toEqual([])
    expect(ofKind(await cards(XIAOYU), 'parentsNotBooked')).toEqual([])

    const slot = (await callAs(cloud, WANG, 'hotline', 'slots', { childId: 'child-01' })).body.data.slots.find((s: any) => new Date(s.start).getTime() === Date.parse('2026-12-09T17:00:00+08:00'))
    const booked = (await callAs(cloud, WANG, 'hotline', 'book', { childId: 'child-01', start: slot.start, mode: 'video', idempotencyKey: key() })).body
    expect(booked.ok).toBe(true)

    const after = await cards(WANG)
    expect(ofKind(after, 'nextCall')).toEqual([expect.objectContaining({ childId: 'child-01', childName: '王小雨', start: new Date(slot.start).toISOString(), placeName: expect.stringContaining('石桥') })])
    expect(ofKind(after, 'noCallThisWeek').map((c) => c.childName)).toEqual(['王小川'])

    const granny = await cards(GRANNY)
    expect(ofKind(granny, 'nextCall').map((c) => `${c.childName} ${c.start}`)).toEqual([`王小雨 ${new Date(slot.start).toISOString()}`])
    // The nudge is the booking parent's: the grandmother is told only of the child still without a call.
    expect(ofKind(granny, 'noCallThisWeek')).toEqual([])
    expect(ofKind(granny, 'parentsNotBooked').map((c) => c.childName)).toEqual(['王小川'])

    const child = await cards(XIAOYU)
    expect(child.map((c) => c.kind)).toEqual(['nextCall'])
  })

  it('tells the teacher of the school how many calls today, and a teacher of another school none of them', async () => {
    const sheet = ofKind(await cards('demo-teacher-chen'), 'daySheet')
    const today = (await callAs(cloud, 'demo-teacher-chen', 'hotline', 'daySheet', { roomId: 'room-sq', date: '2026-12-07' })).body.data
    expect(sheet).toEqual([{ kind: 'daySheet', calls: today.calls.length, rooms: 1 }])
    expect(ofKind(await cards('demo-teacher-lin'), 'daySheet')).toEqual([{ kind: 'daySheet', calls: 0, rooms: 1 }])
  })
})

describe('legal aid', () => {
  it('shows the grandmother her request\'s state, and the centre the request, late once its clock runs out', async () => {
    const before = ofKind(await cards(OFFICER), 'deadlines')[0]
    const res = (await callAs(cloud, GRANNY, 'legalaid', 'submit', {
      draft: { childId: 'child-01', matter: 'maintenance', people: '孩子的叔叔王建军', story: '孩子父母离婚后，抚养费一直没给。', files: [] },
      idempotencyKey: key()
    })).body
    expect(res.ok).toBe(true)
    expect(ofKind(await cards(GRANNY), 'legalAid')).toEqual([expect.objectContaining({ childName: '王小雨', stateLabel: '已提交，等待法律援助中心确认' })])

    const after = ofKind(await cards(OFFICER), 'deadlines')[0]
    expect(after).toMatchObject({ area: 'legalAid', waiting: before.waiting + 1 })
    // Another centre's officer is not told about it.
    expect(ofKind(await cards(OTHER_OFFICER), 'deadlines')[0]).toMatchObject({ area: 'legalAid', waiting: 0 })

    await cloud.clock.set('2026-12-20T09:00:00+08:00', { frozen: true }) // past the working day to acknowledge it
    const late = ofKind(await cards(OFFICER), 'deadlines')[0]
    expect(late.late).toBeGreaterThanOrEqual(1)
    await cloud.clock.set('2026-12-07T09:00:00+08:00', { frozen: true })
  })
})

describe('the volunteer\'s cards', () => {
  it('shows a volunteer the offers sent to them, and nothing to another volunteer', async () => {
    expect(ofKind(await cards(QIAN), 'pairingOffers')).toEqual([])
    const vetted = await callAs(cloud, GUAN, 'pairing', 'recordVetting', { volunteerId: QIAN, checkDate: '2026-12-01', result: 'clear', checkedBy: '青山县公安局', trainingDate: '2026-12-01' })
    expect(vetted.body.ok).toBe(true)
    const run = (await callAs(cloud, GUAN, 'pairing', 'runMatching', {})).body.data
    const childIds = run.pairs.filter((p: any) => p.volunteerId === QIAN).slice(0, 2).map((p: any) => p.childId)
    expect(childIds.length).toBe(2)
    expect((await callAs(cloud, GUAN, 'pairing', 'sendOffers', { runId: run.runId, childIds })).body.data).toEqual({ sent: 2 })
    expect(ofKind(await cards(QIAN), 'pairingOffers')).toEqual([{ kind: 'pairingOffers', count: 2 }])
    expect(ofKind(await cards('demo-vol-sun'), 'pairingOffers')).toEqual([])
  })
})

describe('who gets which cards', () => {
  it('gives the police their reports waiting, a counsellor their queue, and an admin of 民政 the reports too', async () => {
    expect(ofKind(await cards('demo-police-zhou'), 'deadlines').map((c) => c.area)).toEqual(['reports'])
    expect(ofKind(await cards('demo-counselor-liu'), 'counselQueue')).toHaveLength(1)
    expect(ofKind(await cards('demo-admin-xu'), 'deadlines').map((c) => c.area)).toContain('reports')
    // A volunteer gets no family, teacher or deadline cards.
    expect((await cards('demo-vol-sun')).every((c) => ['pairingOffers', 'contactDue'].includes(c.kind))).toBe(true)
  })

  it('refuses a WeChat user who is not registered', async () => {
    expect((await callAs(cloud, 'o-nobody', 'account', 'home', {})).body.error.code).toBe('NOT_REGISTERED')
  })
})
