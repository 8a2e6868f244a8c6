/**
 * The app on a moved clock: advancing the local cloud's one clock fires the scheduler at every due time, with the
 * functions reading that time (docs/ARCHITECTURE.md, "The clock"). The weekly jobs fire once a week, at their time,
 * however far and in whatever steps the clock moves.
 */
import type { LocalCloud } from '../../localcloud'
import { startTestCloud } from '../support/localcloud'

let cloud: LocalCloud
const WANG = 'demo-parent-wang' // father of child-01, who has no call booked
/** Nudges to him about child-01 (he has a second child, nudged on its own). */
const nudges = () => cloud.outbox(WANG).filter((m) => JSON.stringify(m.data).includes('这周还没和') && m.page?.includes('childId=child-01')).length
/** The weekly "three weeks without a call" alerts to anyone (teachers and child-welfare officers). */
const flags = () => cloud.outbox().filter((m) => JSON.stringify(m.data).includes('周没有和家长通话')).length

beforeAll(async () => { cloud = await startTestCloud() }, 60000)
afterAll(async () => { await cloud?.close() })

it('sends the Thursday 10:00 nudge once, when the clock passes 10:00, and not again that week', async () => {
  await cloud.clock.set('2027-03-04T09:40:00+08:00', { frozen: true }) // a Thursday
  const before = nudges()
  await cloud.clock.advance('PT19M')
  expect(nudges()).toBe(before) // 09:59: not yet
  const step = await cloud.clock.advance('PT2M')
  expect(step.failed).toBe(0)
  expect(nudges()).toBe(before + 1)
  await cloud.clock.advance('P2D') // the rest of the week, in one move
  expect(nudges()).toBe(before + 1)
})

it('runs the weekly contact flags once across the Sunday-to-Monday boundary (Shanghai), and the nudge again next Thursday', async () => {
  await cloud.clock.set('2027-03-07T23:50:00+08:00', { frozen: true }) // Sunday night
  const before = flags()
  await cloud.clock.advance('PT9M')
  expect(flags()).toBe(before)
  const crossing = await cloud.clock.advance('PT20M') // past Monday 00:00
  expect(crossing.failed).toBe(0)
  const afterMonday = flags()
  expect(afterMonday).toBeGreaterThan(before) // the seeded county has children with weeks without a call
  expect(cloud.clock.now().toISOString()).toBe('2027-03-07T16:19:00.000Z')

  const nudgesBefore = nudges()
  await cloud.clock.advance('P4D') // to Friday 00:19: Thursday 10:00 passes once
  expect(flags()).toBe(afterMonday) // no second run of the flags in the same week
  expect(nudges()).toBe(nudgesBefore + 1)
}, 120000)

it('lets the functions read the moved clock: the slots a parent is offered start from the cloud\'s day, not the wall clock\'s', async () => {
  await cloud.clock.set('2027-03-15T08:00:00+08:00', { frozen: true }) // a Monday
  const at = cloud.clock.now().getTime()
  const res = await cloud.invoke('hotline', { action: 'slots', data: { childId: 'child-01', days: 7 } }, WANG) as any
  expect(res.ok).toBe(true)
  const starts = res.data.slots.map((s: { start: string }) => new Date(s.start).getTime())
  expect(starts.length).toBeGreaterThan(0)
  expect(Math.min(...starts)).toBeGreaterThan(at)
  expect(Math.max(...starts)).toBeLessThan(at + 8 * 86400000)
})
