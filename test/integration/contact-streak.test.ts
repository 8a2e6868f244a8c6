/**
 * A run of weeks without a call counts only weeks since the system knew the child and a parent who could call: the
 * later of the file's start and the first parent's binding (docs/DOMAIN.md, "Contact rhythm"). On the demo's first
 * day no child is flagged 「12周没有通话」. The clock is moved; the seed's own time is read from the store.
 */
import type { LocalCloud } from '../../localcloud'
import { callAs, startTestCloud } from '../support/localcloud'
import { key, newChild } from '../support/children'
import { atShanghai, shiftWeek, weekOf, weekStartOf } from '../../src/domain'

let cloud: LocalCloud
const WANG = 'demo-parent-wang'
const OFFICER = 'demo-cwo-zhao'
const db = () => require('wx-server-sdk').database()
/** The "N weeks without a call" alerts anyone was sent. */
const flags = async (): Promise<string[]> => (await db().collection('inbox').where({ template: 'careAlert' }).limit(1000).get()).data.map((m: any) => m.title).filter((t: string) => t.includes('周没有和家长通话'))
/** Monday 00:05 (Shanghai) of the week `n` weeks after the week of `at`. */
const mondayAfter = (at: Date, n: number) => new Date(atShanghai(weekStartOf(shiftWeek(weekOf(at).weekKey, n)), 5).getTime())
const fireAt = async (at: Date) => {
  await cloud.clock.set(at.toISOString(), { frozen: true })
  await cloud.triggerTimer('scheduler', at)
}

beforeAll(async () => { cloud = await startTestCloud() }, 60000)
afterAll(async () => { await cloud?.close() })

describe('a streak counts only weeks since the child\'s record began or the parent bound', () => {
  let boundAt: Date

  it('flags no child on the first Monday: the weeks before the system knew them are not held against anyone', async () => {
    // The demo files say they were made in September; the parents bound when the demo county was loaded.
    const file = (await db().collection('children').doc('child-01').get()).data
    boundAt = new Date((await db().collection('bindings').doc(`child-01:${WANG}`).get()).data.createdAt)
    expect(new Date(file.createdAt).getTime()).toBeLessThan(boundAt.getTime() - 12 * 7 * 86400000)
    await fireAt(mondayAfter(boundAt, 1))
    expect(await flags()).toEqual([])
    // The history marks the weeks before as such, not as weeks without a call.
    const hist = (await callAs(cloud, WANG, 'hotline', 'history', { childId: 'child-01' })).body.data
    const bindingWeek = weekOf(boundAt).weekKey
    expect(hist.weeks.filter((w: any) => w.beforeKnown).map((w: any) => w.weekKey).sort()).toEqual(hist.weeks.map((w: any) => w.weekKey).filter((w: string) => w < bindingWeek).sort())
    expect(hist.weeks.find((w: any) => w.weekKey === bindingWeek).beforeKnown).toBe(false)
  })

  it('flags a child after three whole weeks without a call since the parent bound, counting three, not twelve', async () => {
    await fireAt(mondayAfter(boundAt, 3))
    expect(await flags()).toEqual([]) // two whole weeks so far
    await fireAt(mondayAfter(boundAt, 4))
    const now = await flags()
    expect(now).toContain('王小雨已连续3周没有和家长通话')
    expect(now).toContain('王小川已连续3周没有和家长通话')
    // Children with no parent in the app: no call can be booked or recorded for them, nothing is counted.
    expect(now.some((t) => t.startsWith('黄雨欣'))).toBe(false)
  })

  it('counts a new file from the later of its start and the parent\'s binding', async () => {
    // A file made on a Wednesday; the father binds two weeks later.
    const made = new Date('2027-05-05T10:00:00+08:00')
    await cloud.clock.set(made.toISOString(), { frozen: true })
    const child = newChild({ name: '新来的孩子' })
    const childId = (await callAs(cloud, OFFICER, 'registry', 'createChild', { child, idempotencyKey: key() })).body.data.childId
    const bound = new Date('2027-05-19T10:00:00+08:00')
    await cloud.clock.set(bound.toISOString(), { frozen: true })
    const code = (await callAs(cloud, OFFICER, 'registry', 'createBindingCode', { childId, role: 'parent', relation: 'father', personName: '新爸爸', idempotencyKey: key() })).body.data.code
    expect((await callAs(cloud, 'o-new-father', 'registry', 'redeemBindingCode', { code, childBirthDate: child.birthDate })).body.ok).toBe(true)
    // Three whole weeks after the file began, but only two after the binding: not yet.
    await fireAt(mondayAfter(bound, 3))
    expect((await flags()).some((t) => t.startsWith('新来的孩子'))).toBe(false)
    await fireAt(mondayAfter(bound, 4))
    expect(await flags()).toContain('新来的孩子已连续3周没有和家长通话')
  })

  it('holds the flag off for a week whose Sunday-night call waits for the family\'s word, and only that week', async () => {
    const made = new Date('2027-07-07T10:00:00+08:00')
    await cloud.clock.set(made.toISOString(), { frozen: true })
    const child = newChild({ name: '周日通话的孩子' })
    const childId = (await callAs(cloud, OFFICER, 'registry', 'createChild', { child, idempotencyKey: key() })).body.data.childId
    const code = (await callAs(cloud, OFFICER, 'registry', 'createBindingCode', { childId, role: 'parent', relation: 'mother', personName: '周妈妈', idempotencyKey: key() })).body.data.code
    expect((await callAs(cloud, 'o-sunday-mother', 'registry', 'redeemBindingCode', { code, childBirthDate: child.birthDate })).body.ok).toBe(true)
    const gcode = (await callAs(cloud, OFFICER, 'registry', 'createBindingCode', { childId, role: 'guardian', relation: 'grandmother', personName: '周奶奶', idempotencyKey: key() })).body.data.code
    expect((await callAs(cloud, 'o-sunday-granny', 'registry', 'redeemBindingCode', { code: gcode, childBirthDate: child.birthDate })).body.ok).toBe(true)
    // Three whole weeks with no call; on the third week's Sunday night the mother rings home and says so.
    const sunday = new Date(mondayAfter(made, 4).getTime() - 3 * 3600000) // Sunday 21:05
    await cloud.clock.set(sunday.toISOString(), { frozen: true })
    const rec = await callAs(cloud, 'o-sunday-mother', 'hotline', 'recordDirectCall', { childId, at: new Date(sunday.getTime() - 15 * 60000).toISOString(), minutes: 20, mode: 'video', idempotencyKey: key() })
    expect(rec.body.ok).toBe(true)
    // Monday 00:05: the grandmother has not answered yet. No alarm about a child who just talked with her mother.
    await fireAt(mondayAfter(made, 4))
    expect((await flags()).some((t) => t.startsWith('周日通话的孩子'))).toBe(false)
    // Nobody ever confirms it: the next week's check counts it as no call.
    await fireAt(mondayAfter(made, 5))
    expect((await flags()).some((t) => t.startsWith('周日通话的孩子已连续'))).toBe(true)
  })
})
