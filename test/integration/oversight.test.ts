/** 督导: the oversight view computed from the live data, its lists within rights, CSV, and the 五个一. */
import type { LocalCloud } from '../../localcloud'
import { callAs, startTestCloud } from '../support/localcloud'
import { key } from '../support/children'
import { ROUND_THE_CLOCK, markHeld, openRoomAllDay } from '../support/hotline'
import { weekOf } from '../../src/domain'

let cloud: LocalCloud
let heldWeek = '' // the week of the call held in the setup
/** 1 when the setup's held call is in this week: late on a Sunday in Shanghai the first free slot is next week's. */
const heldNow = () => (heldWeek === weekOf(new Date()).weekKey ? 1 : 0)
const CIVIL = 'demo-admin-xu'
const JUSTICE = 'demo-admin-tang'
const today = () => new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })

beforeAll(async () => {
  cloud = await startTestCloud()
  // One held call this week for 王小川, one report, one legal-aid request.
  await openRoomAllDay(cloud, ROUND_THE_CLOCK)
  const { slots } = (await callAs(cloud, 'demo-parent-wang', 'hotline', 'slots', { childId: 'child-02' })).body.data
  const b = (await callAs(cloud, 'demo-parent-wang', 'hotline', 'book', { childId: 'child-02', start: slots[0].start, mode: 'video', idempotencyKey: key() })).body.data.booking
  await markHeld(cloud, 'demo-teacher-chen', b.id, b.start)
  heldWeek = weekOf(new Date(b.start)).weekKey
  await callAs(cloud, 'demo-teacher-chen', 'safeguard', 'report', { report: { childId: 'child-03', kinds: ['neglect'], seen: '孩子连续几天没吃早饭，衣服很脏', when: today(), where: '学校', dangerNow: false }, idempotencyKey: key() })
  await callAs(cloud, 'demo-guardian-zhang', 'legalaid', 'submit', { draft: { childId: 'child-01', matter: 'maintenance', people: '', story: '抚养费一直没给', files: [] }, idempotencyKey: key() })
}, 90000)
afterAll(async () => { await cloud?.close() })

describe('the oversight view', () => {
  it('counts the county\'s children, consent, and this week\'s held calls from the live data', async () => {
    const f = (await callAs(cloud, CIVIL, 'oversight', 'overview')).body.data
    expect(f).toMatchObject({ scopeName: '青山县', agencyLabel: '民政局' })
    expect(f.children).toMatchObject({ registered: 20, withConsent: 18, leftBehind: 20, heldThisWeek: heldNow(), heldLast4Weeks: heldNow() })
    expect(f.weekly.length).toBe(12)
    expect(f.weekly[11]).toMatchObject({ held: heldNow(), share: 5 * heldNow() })
    expect(f.reports).toMatchObject({ open: 1, unacknowledged: 1 })
    expect(f.legalAid).toMatchObject({ open: 1, onTime: 1, late: 0 })
    expect(f.leaders).toEqual([{ name: '蒋国平', items: expect.arrayContaining([expect.objectContaining({ label: '召开一次专题会议', done: false })]) }])
    expect(f.reads.maxDocsPerRead).toBeLessThanOrEqual(100)
    expect(f.reads.queries).toBeGreaterThan(5)
  })

  it('links figures to their lists within the viewer\'s rights, and exports them', async () => {
    const f = (await callAs(cloud, CIVIL, 'oversight', 'overview')).body.data
    const noCall = f.lists.find((l: any) => l.key === 'noCallThisWeek')
    expect(noCall.count).toBe(20 - heldNow())
    const list = (await callAs(cloud, CIVIL, 'oversight', 'list', { key: 'noCallThisWeek' })).body.data
    expect(list.rows.length).toBe(20 - heldNow())
    expect(list.rows.map((r: string[]) => r[0]).includes('王小川')).toBe(heldNow() === 0)
    expect(JSON.stringify(list.rows)).not.toMatch(/1380000\d{4}/)
    const csv = (await callAs(cloud, CIVIL, 'oversight', 'exportList', { key: 'reportsOpen' })).body.data
    expect(csv.rows).toBe(1)
    expect(csv.csv).toContain('陈思琪')
    // Legal aid lists are the justice bureau's (and civil affairs'); reports are not the justice bureau's.
    expect((await callAs(cloud, JUSTICE, 'oversight', 'list', { key: 'reportsOpen' })).body.error.code).toBe('FORBIDDEN')
    expect((await callAs(cloud, JUSTICE, 'oversight', 'overview')).body.data.lists.map((l: any) => l.key)).not.toContain('reportsOpen')
  })

  it('opens each row where the viewer may follow it up: the child\'s file, the report', async () => {
    const noCall = (await callAs(cloud, CIVIL, 'oversight', 'list', { key: 'noCallThisWeek' })).body.data
    expect(noCall.opens).toHaveLength(noCall.rows.length)
    const first = new URLSearchParams(noCall.opens[0].split('?')[1]).get('id')
    expect(noCall.opens[0]).toMatch(/^\/packages\/registry\/pages\/child\/index\?id=/)
    // The link leads somewhere the viewer may go: the child named on the row.
    expect((await callAs(cloud, CIVIL, 'registry', 'getChild', { childId: first })).body.data.name).toBe(noCall.rows[0][0])
    const reports = (await callAs(cloud, CIVIL, 'oversight', 'list', { key: 'reportsOpen' })).body.data
    const reportId = new URLSearchParams(reports.opens[0].split('?')[1]).get('id')
    expect(reports.opens[0]).toMatch(/^\/packages\/safeguard\/pages\/report\/index\?id=/)
    expect((await callAs(cloud, CIVIL, 'safeguard', 'detail', { reportId })).body.data.childName).toBe('陈思琪')
  })

  it('keeps a township admin to their own township, reports and legal aid included', async () => {
    const db = require('wx-server-sdk').database()
    await db.collection('users').add({ data: { _id: 'tw-admin-bs', name: '白水乡民政', roles: [{ role: 'admin', agency: 'civilAffairs', scope: { level: 'township', id: 'tw-bs' } }] } })
    await db.collection('users').add({ data: { _id: 'tw-admin-sq', name: '石桥镇民政', roles: [{ role: 'admin', agency: 'civilAffairs', scope: { level: 'township', id: 'tw-sq' } }] } })
    // The report and the legal-aid request of the setup are both for 石桥镇's children.
    const bs = (await callAs(cloud, 'tw-admin-bs', 'oversight', 'overview')).body.data
    expect(bs).toMatchObject({ scopeName: '白水乡', reports: { open: 0 }, legalAid: { open: 0 } })
    expect((await callAs(cloud, 'tw-admin-bs', 'oversight', 'list', { key: 'reportsOpen' })).body.data.rows).toEqual([])
    const sq = (await callAs(cloud, 'tw-admin-sq', 'oversight', 'overview')).body.data
    expect(sq).toMatchObject({ scopeName: '石桥镇', reports: { open: 1 }, legalAid: { open: 1 } })
    // A report is the county's to handle: a township admin reads the row but has no page to open it on.
    expect((await callAs(cloud, 'tw-admin-sq', 'oversight', 'list', { key: 'reportsOpen' })).body.data.opens).toEqual([null])
  })

  it('shows a leader\'s 五个一 done as they record it', async () => {
    await callAs(cloud, 'demo-vol-jiang', 'oversight', 'recordDuty', { item: 'meeting', date: today(), note: '召开全县留守儿童关爱专题会' })
    const mine = (await callAs(cloud, 'demo-vol-jiang', 'oversight', 'myDuties')).body.data.items
    expect(mine.find((i: any) => i.item === 'meeting')).toMatchObject({ done: true })
    const f = (await callAs(cloud, CIVIL, 'oversight', 'overview')).body.data
    expect(f.leaders[0].items.find((i: any) => i.item === 'meeting').done).toBe(true)
    expect((await callAs(cloud, 'demo-vol-sun', 'oversight', 'recordDuty', { item: 'meeting', date: today(), note: '开了会' })).body.error.code).toBe('FORBIDDEN')
  })

  it('is for admins only', async () => {
    for (const who of ['demo-teacher-chen', 'demo-cwo-zhao', 'demo-police-zhou', 'demo-parent-wang']) {
      expect((await callAs(cloud, who, 'oversight', 'overview')).body.error.code).toBe('FORBIDDEN')
    }
  })
})

describe('the scheduler runs every timer idempotently', () => {
  it('sends nothing twice when fired twice at the same clock time', async () => {
    const at = new Date(Date.now() + 3 * 86400000)
    const total = () => ['demo-parent-wang', 'demo-parent-li', 'demo-teacher-chen', 'demo-cwo-zhao', 'demo-admin-han', 'demo-admin-xu', 'demo-police-zhou', 'demo-officer-wu'].reduce((t, o) => t + cloud.outbox(o).length, 0)
    await cloud.triggerTimer('scheduler', at)
    const once = total()
    await cloud.triggerTimer('scheduler', at)
    expect(total()).toBe(once)
  })
})
