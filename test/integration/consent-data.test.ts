/**
 * 一人一档 and the law on children's information (docs/DOMAIN.md, "Children's personal information"): either legal
 * guardian decides on consent and the file records who; a family can have the information deleted and the county
 * carries it out in time, keeping only what the law requires; files past their retention are purged by the scheduler;
 * a refusal keeps the fee waivers; files awaiting consent are marked, and exports keep to the minimum for them.
 */
import type { LocalCloud } from '../../localcloud'
import { callAs, startTestCloud } from '../support/localcloud'
import { key, newChild } from '../support/children'
import { openRoomAllDay } from '../support/hotline'
import { DATA_POLICY, deletionDue } from '../../src/domain'
import { chinaCalendar } from '../../src/domain/calendar/library'

let cloud: LocalCloud
const OFFICER = 'demo-cwo-zhao' // 儿童主任 of 石桥村
const TEACHER = 'demo-teacher-chen' // 石桥镇中心小学
const CIVIL = 'demo-admin-xu' // 民政局, 青山县: keeps the registry
const WOMEN = 'demo-admin-ma' // 妇联, 青山县
const JUSTICE = 'demo-admin-tang' // 司法局, 青山县
const db = () => require('wx-server-sdk').database()
const count = async (coll: string, where: object = {}) => (await db().collection(coll).where(where).count()).total
const told = async (openid: string, template: string): Promise<Array<{ title: string, detail: string, urgent: boolean }>> =>
  (await db().collection('inbox').where({ to: openid, template }).limit(100).get()).data
const setClock = async (iso: string) => { await cloud.clock.set(iso, { frozen: true }) }

/** A binding code made by `by` for a child, redeemed by `openid`. */
async function bind (by: string, openid: string, childId: string, birthDate: string, role: string, relation: string, personName: string) {
  const code = (await callAs(cloud, by, 'registry', 'createBindingCode', { childId, role, relation, personName, idempotencyKey: key() })).body.data.code
  const res = (await callAs(cloud, openid, 'registry', 'redeemBindingCode', { code, childBirthDate: birthDate })).body
  if (!res.ok) throw new Error(JSON.stringify(res))
  return res.data
}
const consent = async (who: string, childId: string, decision: 'granted' | 'refused') => {
  const form = (await callAs(cloud, who, 'registry', 'consentForm', { childId })).body
  if (!form.ok) return form
  return (await callAs(cloud, who, 'registry', 'giveConsent', { childId, decision, version: form.data.version })).body
}

beforeAll(async () => { cloud = await startTestCloud() }, 60000)
afterAll(async () => { await cloud?.close() })

describe('consent by either legal guardian', () => {
  // 宋佳琪 (child-19): her file waits for consent; her parents work in 厦门, her grandmother keeps her.
  it('lets either legal guardian give or withdraw consent, and the file records who', async () => {
    const mother = await bind(OFFICER, 'o-song-mother', 'child-19', '2015-12-01', 'parent', 'mother', '曾敏')
    expect(mother.needsConsent).toBe(true)
    expect((await consent('o-song-mother', 'child-19', 'granted')).data).toEqual({ state: 'granted' })
    let file = (await callAs(cloud, OFFICER, 'registry', 'getChild', { childId: 'child-19' })).body.data
    expect(file.consent).toMatchObject({ state: 'granted', byName: '曾敏', byRelation: '妈妈', version: '2026-12-v2' })

    // The grandmother withdraws it: the last decision stands, and says who made it.
    await bind(OFFICER, 'o-song-granny', 'child-19', '2015-12-01', 'guardian', 'grandmother', '宋桂香')
    expect((await consent('o-song-granny', 'child-19', 'refused')).data).toEqual({ state: 'refused' })
    file = (await callAs(cloud, OFFICER, 'registry', 'getChild', { childId: 'child-19' })).body.data
    expect(file.consent).toMatchObject({ state: 'refused', byName: '宋桂香', byRelation: '奶奶/外婆' })

    // The father gives it again.
    await bind(OFFICER, 'o-song-father', 'child-19', '2015-12-01', 'parent', 'father', '宋平')
    expect((await consent('o-song-father', 'child-19', 'granted')).data).toEqual({ state: 'granted' })
    const stored = (await db().collection('children').doc('child-19').get()).data
    expect(stored.consentHistory.map((h: any) => [h.byName, h.state])).toEqual([['曾敏', 'granted'], ['宋桂香', 'refused'], ['宋平', 'granted']])
  })

  it('gives no say to anyone not a legal guardian bound to the child', async () => {
    // The child's own account, a parent of another child, a teacher of the school.
    await bind(OFFICER, 'o-song-self', 'child-19', '2015-12-01', 'child', 'self', '宋佳琪')
    expect((await consent('o-song-self', 'child-19', 'refused')).error.code).toBe('FORBIDDEN')
    const other = (await consent('demo-parent-wang', 'child-19', 'refused'))
    expect(other.error).toEqual({ code: 'FORBIDDEN', message: '您没有权限查看这个孩子的信息' })
    expect((await consent(TEACHER, 'child-19', 'refused')).error.code).toBe('FORBIDDEN')
    expect((await db().collection('children').doc('child-19').get()).data.consent.state).toBe('granted')
  })

  it('states in the consent text the retention and the deletion time the system keeps', async () => {
    const form = (await callAs(cloud, 'o-song-mother', 'registry', 'consentForm', { childId: 'child-19' })).body.data
    const body = (heading: string) => form.sections.find((s: any) => s.heading === heading).body
    expect(body('谁来决定')).toContain('爸爸、妈妈和在家照顾孩子的监护人，任何一位')
    expect(body('保存多久')).toContain(`再保存${DATA_POLICY.retentionYears}年，到期自动删除`)
    expect(body('怎样删除')).toContain(`在${DATA_POLICY.deletionWorkingDays}个工作日内处理`)
    expect(body('可以不同意')).toContain('困难类别')
  })
})

describe('refusing consent', () => {
  it('keeps the fee waivers (a right under the plan) with the minimum record', async () => {
    const child = newChild({ name: '不同意的孩子', categories: ['lowIncome', 'disabled'] })
    const childId = (await callAs(cloud, OFFICER, 'registry', 'createChild', { child, idempotencyKey: key() })).body.data.childId
    await bind(OFFICER, 'o-refusing-granny', childId, child.birthDate, 'guardian', 'grandmother', '不同意奶奶')
    expect((await consent('o-refusing-granny', childId, 'refused')).data).toEqual({ state: 'refused' })
    const stored = (await db().collection('children').doc(childId).get()).data
    expect(stored.guardian).toBeUndefined()
    expect(stored.parents).toBeUndefined()
    expect(stored.idNumber).toBeUndefined()
    expect(stored.categories).toEqual(['lowIncome', 'disabled'])
    const file = (await callAs(cloud, OFFICER, 'registry', 'getChild', { childId })).body.data
    expect(file.waivers.map((w: any) => w.label)).toEqual(['学校研学活动费用减免', '综合实践活动费用减免', '校内课后托管优先、免费'])
    // The family sees the waivers too.
    expect((await callAs(cloud, 'o-refusing-granny', 'registry', 'getChild', { childId })).body.data.waivers).toHaveLength(3)
    // Control: a file with no category has no waiver.
    const plain = newChild({ name: '没有类别的孩子', categories: [] })
    const plainId = (await callAs(cloud, OFFICER, 'registry', 'createChild', { child: plain, idempotencyKey: key() })).body.data.childId
    expect((await callAs(cloud, OFFICER, 'registry', 'getChild', { childId: plainId })).body.data.waivers).toEqual([])
  })
})

describe('files awaiting consent', () => {
  it('marks in the registry list how many files await consent and which, and lets the list show only them', async () => {
    const all = (await callAs(cloud, CIVIL, 'registry', 'listChildren', { pageSize: 50 })).body.data
    const pending = all.items.filter((i: any) => i.consentState === 'pending')
    expect(pending.length).toBeGreaterThan(0)
    expect(all.awaitingConsent).toBe(pending.length)
    const only = (await callAs(cloud, CIVIL, 'registry', 'listChildren', { consent: 'pending', pageSize: 50 })).body.data
    expect(only.items.map((i: any) => i.id).sort()).toEqual(pending.map((i: any) => i.id).sort())
    expect(only.items.map((i: any) => i.name)).toContain('唐子墨')
    // The teacher's list counts only her school's.
    const teacher = (await callAs(cloud, TEACHER, 'registry', 'listChildren', { pageSize: 50 })).body.data
    expect(teacher.awaitingConsent).toBe(teacher.items.filter((i: any) => i.consentState === 'pending').length)
  })

  it('exports a file without consent only as the minimum record: no guardian, no phone, no calls', async () => {
    const res = (await callAs(cloud, 'demo-cwo-qian', 'registry', 'exportChildren', {})).body.data
    const rows = res.csv.replace(/^\ufeff/, '').trim().split('\r\n').map((l: string) => l.split(','))
    const [header] = rows
    const col = (name: string) => header.indexOf(name)
    const tang = rows.find((r: string[]) => r[0] === '唐子墨') // awaiting consent
    expect(tang[col('监护人同意')]).toBe('等待监护人同意')
    expect([tang[col('监护人')], tang[col('监护人电话')], tang[col('最近通话')]]).toEqual(['', '', ''])
    expect(tang[col('学校')]).toBe('白水乡中心小学')
    // Control: a consented file keeps its guardian, masked.
    const granted = rows.find((r: string[]) => r[col('监护人同意')] === '监护人已同意')
    expect(granted[col('监护人')]).not.toBe('')
    expect(granted[col('监护人电话')]).toMatch(/^138\*{4}\d{4}$/)
  })
})

describe('deletion on request', () => {
  // 黄雨欣 (child-05) of 石桥镇中心小学, with a call booked, a direct call, a request for help, a report and a legal-aid request.
  const CHILD = 'child-05'
  const BIRTH = '2017-11-08'
  let requestId = ''

  it('lets a guardian ask for deletion, which the county 民政 admin carries out in time, keeping only what the law requires, logged by count', async () => {
    await setClock('2027-06-07T10:00:00+08:00') // a Monday
    await openRoomAllDay(cloud)
    await bind(TEACHER, 'o-huang-father', CHILD, BIRTH, 'parent', 'father', '黄大伟')
    await bind(TEACHER, 'o-huang-granny', CHILD, BIRTH, 'guardian', 'grandmother', '黄金花')
    const booking = (await callAs(cloud, 'o-huang-father', 'hotline', 'book', { childId: CHILD, start: '2027-06-09T17:00:00+08:00', mode: 'video', idempotencyKey: key() })).body.data.booking
    const call = (await callAs(cloud, 'o-huang-father', 'hotline', 'recordDirectCall', { childId: CHILD, at: '2027-06-06T20:00:00+08:00', minutes: 15, mode: 'video', idempotencyKey: key() })).body.data.call
    await callAs(cloud, 'o-huang-granny', 'hotline', 'confirmDirectCall', { callId: call.id, decision: 'confirmed' })
    expect((await callAs(cloud, 'o-huang-granny', 'counseling', 'ask', { childId: CHILD, answers: { safeNow: 'yes', someoneHurts: 'no', selfHarmThoughts: 'no', hardDays: 'some', howLong: 'days' }, idempotencyKey: key() })).body.ok).toBe(true)
    expect((await callAs(cloud, TEACHER, 'safeguard', 'report', { report: { childId: CHILD, kinds: ['neglect'], seen: '孩子好几天没吃早饭', when: '2027-06-07', where: '学校', dangerNow: false }, idempotencyKey: key() })).body.ok).toBe(true)
    expect((await callAs(cloud, 'o-huang-granny', 'legalaid', 'submit', { draft: { childId: CHILD, matter: 'maintenance', people: '', story: '抚养费一直没给', files: [] }, idempotencyKey: key() })).body.ok).toBe(true)
    const seatsBefore = await count('seats', { roomId: 'room-sq' })

    // The grandmother asks; the county's 民政 admin is told, with the due time.
    const asked = (await callAs(cloud, 'o-huang-granny', 'registry', 'requestDeletion', { childId: CHILD, reason: '孩子要转学去城里', idempotencyKey: key() })).body.data
    requestId = asked.id
    const due = deletionDue(chinaCalendar(), // the national calendar the functions use (2027: estimated holidays)
      new Date('2027-06-07T10:00:00+08:00'), DATA_POLICY).at
    expect(asked).toMatchObject({ childName: '黄雨欣', state: 'open', stateLabel: '等县民政局处理', requestedByName: '黄金花', requestedByRelation: '奶奶/外婆', overdue: false })
    expect(new Date(asked.dueAt).toISOString()).toBe(due.toISOString())
    expect(due.getTime() - new Date('2027-06-07T10:00:00+08:00').getTime()).toBeGreaterThan(20 * 86400000) // fifteen working days: three weeks at least
    expect((await told(CIVIL, 'deadlineAlert')).map((m) => m.title)).toContain('黄雨欣的家人申请删除信息')
    // The family sees the request on the file; asking again changes nothing.
    const file = (await callAs(cloud, 'o-huang-father', 'registry', 'getChild', { childId: CHILD })).body.data
    expect(file.deletion).toMatchObject({ id: requestId, state: 'open' })
    expect(file.may.requestDeletion).toBe(false)
    expect((await callAs(cloud, 'o-huang-father', 'registry', 'requestDeletion', { childId: CHILD, idempotencyKey: key() })).body.data.id).toBe(requestId)

    // Only the county's 民政 admin carries it out.
    for (const other of [WOMEN, JUSTICE]) {
      expect((await callAs(cloud, other, 'registry', 'deletionRequests')).body.error).toEqual({ code: 'FORBIDDEN', message: '删除申请由县民政局的管理员处理' })
      expect((await callAs(cloud, other, 'registry', 'carryOutDeletion', { requestId })).body.error.code).toBe('FORBIDDEN')
    }
    const list = (await callAs(cloud, CIVIL, 'registry', 'deletionRequests')).body.data
    expect(list.requests.map((r: any) => r.id)).toContain(requestId)
    expect(list.keptByLaw.length).toBeGreaterThan(0)

    await setClock('2027-06-10T09:00:00+08:00')
    const done = (await callAs(cloud, CIVIL, 'registry', 'carryOutDeletion', { requestId })).body.data
    expect(done).toMatchObject({ state: 'done', stateLabel: '已删除', doneByName: '许文华', overdue: false })
    expect(done.deleted).toBeGreaterThanOrEqual(8)
    expect(done.kept).toBeGreaterThanOrEqual(2)

    // What is gone: the file's other fields, the family's links, the calls (the seat given back), the help request.
    const stored = (await db().collection('children').doc(CHILD).get()).data
    expect(Object.keys(stored).filter((k) => !['_id', 'consent', 'consentHistory', 'statusHistory', 'createdAt', 'updatedAt', 'erasure'].includes(k)).sort())
      .toEqual(['birthDate', 'categories', 'cityId', 'className', 'countyId', 'gender', 'name', 'schoolId', 'status', 'townshipId', 'villageId'])
    expect(stored.categories).toEqual(['disabled'])
    for (const coll of ['bindings', 'bookings', 'directCalls', 'weeklyContacts', 'helpRequests', 'quotaLocks']) expect([coll, await count(coll, { childId: CHILD })]).toEqual([coll, 0])
    expect(await count('seats', { roomId: 'room-sq' })).toBe(seatsBefore - 1)
    expect(await count('seats', { bookingId: booking.id })).toBe(0)
    expect((await callAs(cloud, 'o-huang-father', 'registry', 'getChild', { childId: CHILD })).body.error.code).toBe('FORBIDDEN')
    // What the law keeps: the report, the legal-aid request.
    expect(await count('mandatoryReports', { childId: CHILD })).toBe(1)
    expect(await count('legalAidRequests', { childId: CHILD })).toBe(1)
    // Logged by count, not content; the family is told.
    const [log] = (await db().collection('auditLog').where({ action: 'registry.carryOutDeletion' }).get()).data
    expect(log.what).toMatch(/^按家人申请删除孩子的信息：删除\d+项，按法律保留\d+项$/)
    expect((await told('o-huang-granny', 'caseUpdate')).map((m) => m.title)).toContain('黄雨欣的信息已按您的申请删除')
    // Pressed again: done once.
    expect((await callAs(cloud, CIVIL, 'registry', 'carryOutDeletion', { requestId })).body.data.doneAt).toEqual(done.doneAt)
  }, 180000) // a long journey: two families, a call, a report, a request, then the deletion and what it leaves

  it('alerts the county 民政 admin, once, when a request runs past its time', async () => {
    await setClock('2027-06-14T09:00:00+08:00')
    await bind(TEACHER, 'o-liu-mother', 'child-06', '2016-02-14', 'parent', 'mother', '何丽')
    const req = (await callAs(cloud, 'o-liu-mother', 'registry', 'requestDeletion', { childId: 'child-06', idempotencyKey: key() })).body.data
    const due = new Date(req.dueAt).getTime()
    const overdue = async () => (await told(CIVIL, 'deadlineAlert')).filter((m) => m.title === '删除申请已超时：刘子轩')
    const run = await cloud.triggerTimer('scheduler', new Date(due - 60000)) as any
    expect(run.data.nextDue.deletionDeadlines).toBe(new Date(due).toISOString())
    expect(await overdue()).toEqual([])
    await cloud.triggerTimer('scheduler', new Date(due))
    await cloud.triggerTimer('scheduler', new Date(due + 60000))
    expect((await overdue()).map((m) => m.urgent)).toEqual([true])
    await setClock(new Date(due + 3600000).toISOString())
    expect((await callAs(cloud, CIVIL, 'registry', 'deletionRequests')).body.data.requests.find((r: any) => r.id === req.id).overdue).toBe(true)
    // Carried out late, it is done all the same; no further alerts.
    expect((await callAs(cloud, CIVIL, 'registry', 'carryOutDeletion', { requestId: req.id })).body.data.state).toBe('done')
  })
})

describe('retention', () => {
  it('purges a file past its retention with the scheduler, logged by count and not by content; a file still in care stays', async () => {
    // 周佳怡 (child-07)'s father came home on 2027-01-10: her file is kept two years from that day.
    await setClock('2027-01-11T09:00:00+08:00')
    expect((await callAs(cloud, OFFICER, 'registry', 'changeStatus', { childId: 'child-07', change: { status: 'parentReturned', reason: '爸爸回乡工作了', effectiveDate: '2027-01-10' } })).body.ok).toBe(false) // not 石桥村's
    expect((await callAs(cloud, TEACHER, 'registry', 'changeStatus', { childId: 'child-07', change: { status: 'parentReturned', reason: '爸爸回乡工作了', effectiveDate: '2027-01-10' } })).body.ok).toBe(true)
    const logsBefore = await count('auditLog', { action: 'scheduler.retentionPurge' })
    const dayBefore = await cloud.triggerTimer('scheduler', new Date('2029-01-09T00:05:00+08:00')) as any
    expect(await count('children', { _id: 'child-07' })).toBe(1)
    expect(dayBefore.data.nextDue.retentionPurge).toBe(new Date('2029-01-10T00:00:00+08:00').toISOString())
    await cloud.triggerTimer('scheduler', new Date('2029-01-10T00:05:00+08:00'))
    await cloud.triggerTimer('scheduler', new Date('2029-01-10T00:06:00+08:00'))
    expect(await count('children', { _id: 'child-07' })).toBe(0)
    expect(await count('children', { _id: 'child-08' })).toBe(1) // still left behind
    const logs = (await db().collection('auditLog').where({ action: 'scheduler.retentionPurge' }).get()).data
    expect(logs.length).toBe(logsBefore + 1)
    expect(logs[logs.length - 1]).toMatchObject({ what: '保存期满（不再留守2年）自动删除：1份档案，相关记录0条', childIds: [], countyIds: ['county-qs'] })
    expect(JSON.stringify(logs)).not.toContain('周佳怡')
  })
})
