/**
 * Tamper evidence that covers the newest entry: a report keeps its trail's head (entry count, newest hash), written
 * in the same transaction as each entry, so deleting the newest entries in the store shows as a broken trail to the
 * report's handlers, as surely as editing one.
 */
import type { LocalCloud } from '../../localcloud'
import { callAs, startTestCloud } from '../support/localcloud'
import { key } from '../support/children'

let cloud: LocalCloud
const [TEACHER, POLICE, CIVIL] = ['demo-teacher-chen', 'demo-police-zhou', 'demo-admin-xu']
beforeAll(async () => { cloud = await startTestCloud() }, 60000)
afterAll(async () => { await cloud?.close() })

const file = async () => (await callAs(cloud, TEACHER, 'safeguard', 'report', { report: { childId: 'child-01', kinds: ['neglect'], seen: '连续三天没吃早饭', when: '2026-11-30', where: '学校', dangerNow: false }, idempotencyKey: key() })).body.data.id
const detail = async (id: string) => (await callAs(cloud, CIVIL, 'safeguard', 'detail', { reportId: id })).body.data

it('keeps the head with the report and finds the trail whole', async () => {
  const id = await file()
  await callAs(cloud, POLICE, 'safeguard', 'acknowledge', { reportId: id })
  await callAs(cloud, POLICE, 'safeguard', 'recordAction', { reportId: id, action: 'visited', note: '已上门' })
  const d = await detail(id)
  expect(d.entries.map((e: any) => e.seq)).toEqual([0, 1, 2, 3])
  expect(d).toMatchObject({ intact: true })
  expect(d.missing).toBeUndefined()
  const report = cloud.store.findById('mandatoryReports', id)!
  const newest = cloud.store.findById('reportEntries', `${id}:3`)!
  expect(report.chain).toEqual({ count: 4, hash: newest.hash })
})

it('shows the trail broken when the newest entry is deleted in the store, and when the newest two are', async () => {
  const id = await file()
  await callAs(cloud, POLICE, 'safeguard', 'acknowledge', { reportId: id })
  await callAs(cloud, POLICE, 'safeguard', 'recordAction', { reportId: id, action: 'visited', note: '已上门' })
  expect(cloud.store.removeById('reportEntries', `${id}:3`)).toBe(1)
  expect(await detail(id)).toMatchObject({ intact: false, brokenAt: 3, missing: 1 })
  expect(cloud.store.removeById('reportEntries', `${id}:2`)).toBe(1)
  const d = await detail(id)
  expect(d).toMatchObject({ intact: false, brokenAt: 2, missing: 2 })
  expect(d.entries).toHaveLength(2)
  // The police see it too.
  expect((await callAs(cloud, POLICE, 'safeguard', 'detail', { reportId: id })).body.data).toMatchObject({ intact: false, missing: 2 })
})

it('shows the trail broken when the newest entry is replaced by one that chains but the head does not know', async () => {
  const id = await file()
  const newest = cloud.store.findById('reportEntries', `${id}:1`)!
  cloud.store.removeById('reportEntries', `${id}:1`)
  // A forger re-adds the newest entry with other words and a fresh, self-consistent hash: the head still has the old one.
  const { sha256 } = require('../../cloudfunctions/_server/reports')
  const { canonical } = require('../../src/domain')
  const base = { seq: 1, at: newest.at, kind: newest.kind, by: newest.by, data: { to: ['别人'] }, prevHash: newest.prevHash }
  cloud.store.insert('reportEntries', { _id: `${id}:1`, reportId: id, ...base, hash: sha256(canonical(base)) })
  expect(await detail(id)).toMatchObject({ intact: false, brokenAt: 1 })
})

it('keeps one whole chain when handlers add steps at the same moment', async () => {
  const id = await file()
  await Promise.all([
    callAs(cloud, POLICE, 'safeguard', 'recordAction', { reportId: id, action: 'visited', note: '同时一' }),
    callAs(cloud, CIVIL, 'safeguard', 'recordIntervention', { reportId: id, intervention: 'guardianWarned', note: '同时二' }),
    callAs(cloud, CIVIL, 'safeguard', 'recordIntervention', { reportId: id, intervention: 'temporaryCare', note: '同时三' })
  ])
  const d = await detail(id)
  expect(d.intact).toBe(true)
  expect(d.entries.map((e: any) => e.seq)).toEqual(d.entries.map((_e: any, i: number) => i))
  expect(d.entries.filter((e: any) => /同时/.test(e.text))).toHaveLength(3)
  expect(cloud.store.findById('mandatoryReports', id)!.chain.count).toBe(d.entries.length)
})
