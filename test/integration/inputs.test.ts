/**
 * Inputs that cannot break anything: each of these once answered INTERNAL (or worse); now each is a clear
 * INVALID_INPUT naming the field, and nothing is written. And a concern a volunteer raises is kept whole.
 */
import type { LocalCloud } from '../../localcloud'
import { callAs, startTestCloud } from '../support/localcloud'
import { key } from '../support/children'
import { changed, snapshot } from '../support/store'

let cloud: LocalCloud
beforeAll(async () => { cloud = await startTestCloud() }, 60000)
afterAll(async () => { await cloud?.close() })

const nested = (depth: number): unknown => {
  let v: unknown = 'x'
  for (let i = 0; i < depth; i++) v = { a: v }
  return v
}

const CASES: Array<[string, string, string, string, unknown, string]> = [
  ['a NUL in a name filter', 'demo-admin-xu', 'registry', 'listChildren', { name: '王\u0000' }, 'name'],
  ['a NUL in an export filter', 'demo-admin-xu', 'registry', 'exportChildren', { name: '\u0000' }, 'name'],
  ['a lone surrogate in a name filter', 'demo-cwo-zhao', 'registry', 'listChildren', { name: '王\ud800' }, 'name'],
  ['a call in year 9999', 'demo-parent-wang', 'hotline', 'book', { childId: 'child-01', start: '9999-12-31T10:00:00+08:00', mode: 'video', idempotencyKey: key() }, 'start'],
  ['a move to year 9999', 'demo-parent-wang', 'hotline', 'move', { bookingId: 'bk-x', start: '9999-12-31T10:00:00.000Z', idempotencyKey: key() }, 'start'],
  ['a call on 30 February', 'demo-parent-wang', 'hotline', 'book', { childId: 'child-01', start: '2026-02-30T16:00:00+08:00', mode: 'video', idempotencyKey: key() }, 'start'],
  ['a call at 25 o\'clock', 'demo-parent-wang', 'hotline', 'book', { childId: 'child-01', start: '2026-12-01T25:00:00+08:00', mode: 'video', idempotencyKey: key() }, 'start'],
  ['a call at no time', 'demo-parent-wang', 'hotline', 'book', { childId: 'child-01', start: true, mode: 'video', idempotencyKey: key() }, 'start'],
  ['a session in year 0', 'demo-guardian-zhang', 'counseling', 'bookSession', { requestId: 'r', start: '0000-01-01T10:00:00Z', mode: 'voice', idempotencyKey: key() }, 'start'],
  ['a day sheet of 30 February', 'demo-teacher-chen', 'hotline', 'daySheet', { roomId: 'room-sq', date: '2026-02-30' }, 'date'],
  ['a day sheet of 0000-00-00', 'demo-teacher-chen', 'hotline', 'daySheet', { roomId: 'room-sq', date: '0000-00-00' }, 'date'],
  ['a day sheet of year 0001', 'demo-teacher-chen', 'hotline', 'daySheet', { roomId: 'room-sq', date: '0001-01-01' }, 'date'],
  ['slots from 31 April', 'demo-parent-wang', 'hotline', 'slots', { childId: 'child-01', from: '2026-04-31' }, 'from'],
  ['a follow-up on 31 June', 'demo-counselor-liu', 'counseling', 'writeNote', { requestId: 'r', text: '记录', followUpDate: '2026-06-31', idempotencyKey: key() }, 'followUpDate'],
  ['an empty draft id', 'demo-guardian-zhang', 'legalaid', 'saveDraft', { draftId: '', draft: { childId: 'child-01' } }, 'draftId'],
  ['a report seen in 2200', 'demo-teacher-chen', 'safeguard', 'report', { report: { childId: 'child-01', kinds: ['neglect'], seen: '没有饭吃', when: '2200-01-01', where: '家里', dangerNow: false }, idempotencyKey: key() }, 'report.when'],
  ['input nested 20 deep', 'demo-parent-wang', 'hotline', 'overview', nested(20), 'data'],
  ['input of 200,000 characters', 'demo-parent-wang', 'hotline', 'saveFreeHours', { freeHours: 'x'.repeat(200_000) }, 'data']
]

it.each(CASES)('refuses %s with INVALID_INPUT naming the field, writing nothing', async (_what, who, fn, action, data, field) => {
  const before = snapshot(cloud)
  const { body } = await callAs(cloud, who, fn, action, data)
  expect(body.ok).toBe(false)
  expect(body.error.code).toBe('INVALID_INPUT')
  expect(Object.keys(body.error.fields ?? {})).toContain(field)
  expect(body.error.fields[field]).toMatch(/[\u4e00-\u9fff]/)
  expect(changed(before, snapshot(cloud))).toEqual([])
})

it('still finds a child by a plain name, with regex characters taken as text', async () => {
  expect((await callAs(cloud, 'demo-admin-xu', 'registry', 'listChildren', { name: '王小' })).body.data.items.map((c: any) => c.name).sort()).toEqual(['王小川', '王小雨'])
  expect((await callAs(cloud, 'demo-admin-xu', 'registry', 'listChildren', { name: '.*' })).body.data.items).toEqual([])
})

it('keeps a concern raised without harm whole, for the child\'s officers to read', async () => {
  // 孙丽华 is paired with 陈思琪 (child-03, 石桥村): the pairing as an accepted offer leaves it.
  cloud.store.insert('pairings', { _id: 'pair-inputs', childId: 'child-03', countyId: 'county-qs', townshipId: 'tw-sq', volunteerId: 'demo-vol-sun', volunteerName: '孙丽华', status: 'active', acceptedAt: new Date() })
  const text = '这周去看她，奶奶说孩子晚上常常一个人哭，饭也吃得少，学校作业没人辅导，希望村里多关心一下她的情况。'
  expect(text.length).toBeGreaterThan(40)
  const res = (await callAs(cloud, 'demo-vol-sun', 'pairing', 'raiseConcern', { pairingId: 'pair-inputs', text, harm: false, idempotencyKey: key() })).body
  expect(res.data).toEqual({ reported: false })
  const officer = (await callAs(cloud, 'demo-cwo-zhao', 'registry', 'getChild', { childId: 'child-03' })).body.data
  expect(officer.concerns).toEqual([expect.objectContaining({ text, byName: '孙丽华', harm: false })])
  // A teacher of the school sees the file, not what the volunteer raised for the officers.
  expect((await callAs(cloud, 'demo-teacher-chen', 'registry', 'getChild', { childId: 'child-03' })).body.data.concerns).toBeUndefined()
})

describe('legal-aid requests', () => {
  let requestId: string
  beforeAll(async () => {
    requestId = (await callAs(cloud, 'demo-guardian-zhang', 'legalaid', 'submit', { draft: { childId: 'child-01', matter: 'maintenance', people: '孩子的叔叔', story: '抚养费一直没给。', files: [] }, idempotencyKey: key() })).body.data.requestId
  })

  it.each([
    ['after a question mark', 'cloud://local.bucket/legalaid/demo-parent-wang/a.jpg?/legalaid/demo-guardian-zhang/x.jpg'],
    ['in a deeper folder', 'cloud://local.bucket/other/legalaid/demo-guardian-zhang/a.jpg'],
    ['with a climb out', 'cloud://local.bucket/legalaid/demo-guardian-zhang/../demo-parent-wang/a.jpg'],
    ['of another environment', 'cloud://elsewhere.bucket/legalaid/demo-guardian-zhang/a.jpg']
  ])('takes no evidence id that only mentions the caller\'s folder %s', async (_how, fileId) => {
    const before = snapshot(cloud)
    const res = (await callAs(cloud, 'demo-guardian-zhang', 'legalaid', 'addFiles', { requestId, files: [fileId] })).body
    expect(res.error).toMatchObject({ code: 'INVALID_INPUT', fields: { 'files.0': '只能附上自己上传的文件' } })
    expect(changed(before, snapshot(cloud))).toEqual([])
  })

  it('takes the caller\'s own upload', async () => {
    expect((await callAs(cloud, 'demo-guardian-zhang', 'legalaid', 'addFiles', { requestId, files: ['cloud://local.bucket/legalaid/demo-guardian-zhang/a1.jpg'] })).body.data).toEqual({ files: 1 })
  })

  it('never turns a submitted request back into a draft', async () => {
    const before = snapshot(cloud)
    const res = (await callAs(cloud, 'demo-guardian-zhang', 'legalaid', 'saveDraft', { draftId: requestId, draft: { childId: 'child-01' } })).body
    expect(res.ok).toBe(false)
    expect(changed(before, snapshot(cloud))).toEqual([])
    const detail = (await callAs(cloud, 'demo-guardian-zhang', 'legalaid', 'detail', { requestId })).body.data
    expect(detail.state).toBe('submitted')
  })
})
