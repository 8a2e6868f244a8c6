/**
 * Fair races, each repeated: a family at its limit racing two others for the last seat never leaves the seat empty,
 * and five people redeeming one binding code or one invitation at once make one binding, the others told plainly
 * that the code was just used (never an internal error).
 */
import type { LocalCloud } from '../../localcloud'
import { callAs, startTestCloud } from '../support/localcloud'
import { key } from '../support/children'
import { bindParent, openRoomAllDay } from '../support/hotline'

const ROUNDS = 10
let cloud: LocalCloud
beforeAll(async () => {
  cloud = await startTestCloud()
  // One device, one future call per family: every slot is a last seat.
  await openRoomAllDay(cloud, { devices: 1, maxFutureBookingsPerFamily: 1 })
  await bindParent('o-full', 'child-03')
  await bindParent('o-race-b', 'child-04')
  await bindParent('o-race-c', 'child-05')
}, 60000)
afterAll(async () => { await cloud?.close() })

const book = async (who: string, childId: string, start: string) => (await callAs(cloud, who, 'hotline', 'book', { childId, start, mode: 'video', idempotencyKey: key() })).body

it(`gives the last seat to a family that may have it, ${ROUNDS} rounds out of ${ROUNDS}`, async () => {
  const { slots } = (await callAs(cloud, 'o-full', 'hotline', 'slots', { childId: 'child-03' })).body.data
  expect(slots.length).toBeGreaterThan(ROUNDS + 1)
  // 陈思琪's family has its one future call already: at its limit for every round.
  expect((await book('o-full', 'child-03', slots[slots.length - 1].start)).data.outcome).toBe('booked')
  for (let round = 0; round < ROUNDS; round++) {
    const start = slots[round].start
    const [full, b, c] = await Promise.all([book('o-full', 'child-03', start), book('o-race-b', 'child-04', start), book('o-race-c', 'child-05', start)])
    expect(full.error).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('最多同时约1次') })
    const outcomes = [b, c].map((r) => r.data?.outcome)
    expect(outcomes.sort()).toEqual(['booked', 'taken'])
    const winner = [b, c].find((r) => r.data.outcome === 'booked')
    const loser = [b, c].find((r) => r.data.outcome === 'taken')
    expect(loser.data.message).toMatch(/刚被别人约走了/)
    // The seat is held, by the winner's booking.
    const seats = cloud.store.find('seats', { roomId: 'room-sq', start: new Date(start) })
    expect(seats.map((s) => s.bookingId)).toEqual([winner.data.booking.id])
    const who = winner === b ? 'o-race-b' : 'o-race-c'
    expect((await callAs(cloud, who, 'hotline', 'cancel', { bookingId: winner.data.booking.id, reason: '下一轮' })).body.ok).toBe(true)
  }
}, 120000)

/** A fresh code each round, five new people redeeming it at once: exactly one wins; each loser hears it was just used. */
async function race (makeCode: () => Promise<string>, redeem: (openid: string, code: string) => Promise<any>, justUsed: string): Promise<void> {
  for (let round = 0; round < ROUNDS; round++) {
    const code = await makeCode()
    const people = [1, 2, 3, 4, 5].map((i) => `o-race-${round}-${i}-${Math.random().toString(36).slice(2, 6)}`)
    const replies = await Promise.all(people.map(async (openid) => await redeem(openid, code)))
    expect(replies.filter((r) => r.ok)).toHaveLength(1)
    const losers = replies.filter((r) => !r.ok)
    expect(losers).toHaveLength(4)
    for (const l of losers) expect(l.error).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining(justUsed) })
  }
}

it(`binds once when five redeem one binding code at once, ${ROUNDS} rounds`, async () => {
  const before = cloud.store.count('bindings', { childId: 'child-01' })
  await race(
    async () => (await callAs(cloud, 'demo-cwo-zhao', 'registry', 'createBindingCode', { childId: 'child-01', role: 'parent', relation: 'mother', personName: '李秀英', idempotencyKey: key() })).body.data.code,
    async (openid, code) => (await callAs(cloud, openid, 'registry', 'redeemBindingCode', { code, childBirthDate: '2016-04-12' })).body,
    '这个绑定码刚刚已被使用')
  expect(cloud.store.count('bindings', { childId: 'child-01' })).toBe(before + ROUNDS)
}, 120000)

it('tells the winner pressing again that the code is theirs, and a latecomer long after that it was used', async () => {
  const code = (await callAs(cloud, 'demo-cwo-zhao', 'registry', 'createBindingCode', { childId: 'child-01', role: 'parent', relation: 'mother', personName: '李秀英', idempotencyKey: key() })).body.data.code
  const redeem = async (openid: string) => (await callAs(cloud, openid, 'registry', 'redeemBindingCode', { code, childBirthDate: '2016-04-12' })).body
  expect((await redeem('o-late-winner')).ok).toBe(true)
  expect((await redeem('o-late-winner')).error).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('您已经用这个绑定码绑定好了') })
  await cloud.clock.advance('PT11M')
  try {
    expect((await redeem('o-latecomer')).error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('这个绑定码已经用过了') })
  } finally {
    await cloud.clock.real()
  }
})

it(`gives an invitation's role once when five accept it at once, ${ROUNDS} rounds`, async () => {
  const officers = () => cloud.store.count('users', { 'roles.role': 'childWelfareOfficer', 'roles.scope.id': 'vil-sq' })
  const before = officers()
  await race(
    async () => (await callAs(cloud, 'demo-admin-xu', 'account', 'createInvitation', { role: 'childWelfareOfficer', scopeId: 'vil-sq', personName: '新主任', idempotencyKey: key() })).body.data.code,
    async (openid, code) => (await callAs(cloud, openid, 'account', 'acceptInvitation', { code, phone: '13900001357' })).body,
    '这个邀请码刚刚已被使用')
  expect(officers()).toBe(before + ROUNDS)
}, 120000)
