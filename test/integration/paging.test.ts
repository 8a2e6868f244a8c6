/** Lists longer than one read (100 documents) are shown whole: nothing is cut silently. */
import type { LocalCloud } from '../../localcloud'
import { callAs, startTestCloud } from '../support/localcloud'
import { key } from '../support/children'

let cloud: LocalCloud
const db = () => require('wx-server-sdk').database()

/** Adds copies of a stored document under new ids, a batch per add. */
async function copies (collection: string, doc: Record<string, any>, count: number, id: (i: number) => string, over: (i: number) => object = () => ({})) {
  const { _id, ...rest } = doc
  const all = Array.from({ length: count }, (_x, i) => ({ ...rest, ...over(i), _id: id(i) }))
  for (let i = 0; i < all.length; i += 100) await db().collection(collection).add({ data: all.slice(i, i + 100) })
}

beforeAll(async () => { cloud = await startTestCloud() }, 60000)
afterAll(async () => { await cloud?.close() })

it('shows a legal-aid officer every open request of the centre, 250 of them', async () => {
  const filed = (await callAs(cloud, 'demo-guardian-zhang', 'legalaid', 'submit', { draft: { childId: 'child-01', matter: 'maintenance', people: '孩子的叔叔', story: '抚养费一直没给。', files: [] }, idempotencyKey: key() })).body
  expect(filed.ok).toBe(true)
  const doc = (await db().collection('legalAidRequests').doc(filed.data.requestId).get()).data
  await copies('legalAidRequests', doc, 249, (i) => `la-many-${i}`)
  const queue = (await callAs(cloud, 'demo-officer-wu', 'legalaid', 'queue')).body.data.requests
  expect(queue).toHaveLength(250)
  expect(new Set(queue.map((r: any) => r.id)).size).toBe(250)
})

it('shows the police every open report of their jurisdiction, however many, newer closed ones not crowding them out', async () => {
  const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })
  const res = (await callAs(cloud, 'demo-teacher-chen', 'safeguard', 'report', { report: { childId: 'child-01', kinds: ['neglect'], seen: '孩子晚上一个人在家', when: today, where: '家里', dangerNow: false }, idempotencyKey: key() })).body
  const doc = (await db().collection('mandatoryReports').doc(res.data.id).get()).data
  const filedAt = new Date(doc.filedAt).getTime()
  // 120 older reports still open, and 50 newer ones already closed.
  await copies('mandatoryReports', doc, 120, (i) => `report-open-${i}`, (i) => ({ filedAt: new Date(filedAt - (i + 1) * 60000), reference: `QB-OPEN-${i}` }))
  await copies('mandatoryReports', doc, 50, (i) => `report-closed-${i}`, (i) => ({ state: 'closed', filedAt: new Date(filedAt + (i + 1) * 60000), reference: `QB-CLOSED-${i}` }))
  const reports = (await callAs(cloud, 'demo-police-zhou', 'safeguard', 'queue')).body.data.reports
  expect(reports.filter((r: any) => r.state !== 'closed')).toHaveLength(121)
  // With more than a hundred open, the closed ones (the newest filed) wait for a quieter day.
  expect(reports).toHaveLength(121)
})
