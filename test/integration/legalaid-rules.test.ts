/**
 * The legal-aid rules families and officers ran into (法律援助绿色通道): routing by the applicant's own work city and
 * never to a centre nobody can act at, stuck requests the county justice admin reassigns, Art. 44 provide-first, the
 * lawyers' own profiles, the reference number and the centre's phone. The clock is set by each test.
 */
import type { LocalCloud } from '../../localcloud'
import { callAs, startTestCloud } from '../support/localcloud'
import { key } from '../support/children'

let cloud: LocalCloud
const GRANNY = 'demo-guardian-zhang' // guardian of child-01 and child-02
const WANG = 'demo-parent-wang' // father of child-01, works in 厦门
const LI = 'demo-parent-li' // mother of child-01, works in 深圳
const OFFICER = 'demo-officer-wu' // 青山县法律援助中心
const SZ_OFFICER = 'demo-officer-sz' // 深圳市宝安区法律援助中心
const JUSTICE = 'demo-admin-tang' // the county's justice admin
const [ZHENG, LIN] = ['demo-lawyer-zheng', 'demo-lawyer-lin']
const db = () => require('wx-server-sdk').database()

/** The titles of the notices in a person's in-app inbox (every notice lands there first). */
async function inbox (openid: string): Promise<string[]> {
  const res = await db().collection('inbox').where({ to: openid }).limit(1000).get()
  return res.data.map((m: any) => `${m.title}｜${m.detail}`)
}
async function auditOf (action: string): Promise<any[]> {
  return (await db().collection('auditLog').where({ action }).limit(1000).get()).data
}
const draft = (over: object = {}) => ({ childId: 'child-01', matter: 'maintenance', people: '孩子的叔叔王建军', story: '孩子父母离婚后，抚养费一直没给。', files: [] as string[], ...over })
const submit = async (who: string, d: object) => (await callAs(cloud, who, 'legalaid', 'submit', { draft: d, idempotencyKey: key() })).body
const injury = (over: object = {}) => draft({ matter: 'parentWorkInjury', people: '深圳某电子厂', story: '在流水线上压伤了手，厂里不认工伤。', ...over })
const setOfficerStatus = async (openid: string, status: 'active' | 'suspended') => {
  const user = (await db().collection('users').doc(openid).get()).data
  await db().collection('users').doc(openid).update({ data: { roles: user.roles.map((r: any) => ({ ...r, status })) } })
}

beforeAll(async () => {
  cloud = await startTestCloud()
  await cloud.clock.set('2026-12-07T10:00:00+08:00', { frozen: true }) // a Monday
}, 60000)
afterAll(async () => { await cloud?.close() })

describe('routing: by the applicant\'s own work city, never to a centre nobody can act at', () => {
  it('routes a mother\'s work-injury claim about her own job to 深圳, where she works, not to the father\'s 厦门', async () => {
    const res = (await submit(LI, injury())).data
    expect(res.view).toMatchObject({ centreName: '深圳市宝安区法律援助中心', centrePhone: '0755-2779148' })
    expect(res.view.routedWhy).toContain('您在深圳打工')
    expect(res.nextSteps[0]).toContain('您在深圳打工')
    expect((await callAs(cloud, SZ_OFFICER, 'legalaid', 'queue')).body.data.requests.map((r: any) => r.id)).toContain(res.requestId)
    expect((await callAs(cloud, OFFICER, 'legalaid', 'queue')).body.data.requests.map((r: any) => r.id)).not.toContain(res.requestId)
    // The centre's officers hear of it from the legal-aid timer within the minute.
    expect(await inbox(SZ_OFFICER)).not.toContain('新的法律援助申请：家长工伤｜绿色通道：当天确认，3个工作日内决定')
    await cloud.clock.advance('PT1M')
    expect(await inbox(SZ_OFFICER)).toContain('新的法律援助申请：家长工伤｜绿色通道：当天确认，3个工作日内决定')
  })

  it('never routes to a centre with no active officers: the father\'s 厦门 wage claim stays at the child\'s county centre, and he is told where and why', async () => {
    const res = (await submit(WANG, draft({ matter: 'parentWages', people: '厦门某建筑公司', story: '在工地干了半年，老板拖欠工资。' }))).data
    expect(res.view.centreName).toBe('青山县法律援助中心')
    expect(res.view.routedWhy).toBe('厦门市思明区法律援助中心在雏燕里还没有能办理的工作人员，先由孩子所在县的青山县法律援助中心受理，中心会帮您联系厦门。')
    expect(res.nextSteps[0]).toContain(res.view.routedWhy)
    const mine = (await callAs(cloud, WANG, 'legalaid', 'detail', { requestId: res.requestId })).body.data
    expect(mine.routedWhy).toBe(res.view.routedWhy)
    expect((await callAs(cloud, OFFICER, 'legalaid', 'queue')).body.data.requests.map((r: any) => r.id)).toContain(res.requestId)
  })

  it('keeps a claim at the county centre when the applicant is not the worker (a grandmother filing about a parent\'s wages)', async () => {
    const res = (await submit(GRANNY, draft({ matter: 'parentWages', story: '孩子爸爸在厦门的工钱一直没拿到。' }))).data
    expect(res.view.centreName).toBe('青山县法律援助中心')
    expect(res.view.routedWhy).toContain('由打工的家长本人向打工地申请')
  })
})

describe('a request stuck at a centre is the county justice admin\'s to reassign', () => {
  let requestId: string

  it('shows a request whose centre lost its only officer as stuck, with the reason in words, and alerts the justice admin once', async () => {
    requestId = (await submit(LI, injury({ story: '工伤认定一直拖着，厂里不给办。' }))).data.requestId
    await setOfficerStatus(SZ_OFFICER, 'suspended')
    const stuck = (await callAs(cloud, JUSTICE, 'legalaid', 'stuck')).body.data
    expect(stuck.requests.find((r: any) => r.id === requestId)).toMatchObject({ centreName: '深圳市宝安区法律援助中心', why: ['深圳市宝安区法律援助中心没有在岗的工作人员，没人能办理'] })
    expect(stuck.centres.map((c: any) => c.name)).toEqual(['青山县法律援助中心']) // only centres someone can act at
    await cloud.clock.advance('PT2M')
    await cloud.clock.advance('PT2M')
    expect((await inbox(JUSTICE)).filter((t) => t.startsWith('法律援助申请无人受理：深圳市宝安区法律援助中心'))).toHaveLength(2) // this one and the first mother's claim, once each
  })

  it('shows no stuck requests to an admin of another agency, and refuses them the reassignment', async () => {
    expect((await callAs(cloud, 'demo-admin-xu', 'legalaid', 'stuck')).body.data).toEqual({ requests: [], centres: [] })
    expect((await callAs(cloud, 'demo-admin-ma', 'legalaid', 'reassign', { requestId, centreId: 'centre-qs', reason: '深圳中心暂时无人' })).body.error.code).toBe('FORBIDDEN')
  })

  it('names bad reassignments and writes nothing: no reason, a centre nobody can act at, the same centre', async () => {
    const bad = async (data: object) => (await callAs(cloud, JUSTICE, 'legalaid', 'reassign', { requestId, ...data })).body.error
    expect((await bad({ centreId: 'centre-qs', reason: '' })).fields).toEqual({ reason: '请写明转办的原因（申请人会看到）' })
    expect((await bad({ centreId: 'centre-xm', reason: '转到厦门' })).fields).toEqual({ centreId: '厦门市思明区法律援助中心没有在岗的工作人员，转过去也没人办' })
    expect((await bad({ centreId: 'centre-sz', reason: '原地不动' })).fields).toEqual({ centreId: '申请已经在这个中心，请选别的中心' })
    expect((await callAs(cloud, LI, 'legalaid', 'detail', { requestId })).body.data.centreName).toBe('深圳市宝安区法律援助中心')
  })

  it('reassigns it to the county centre: logged, on the timeline, the applicant and the new centre told', async () => {
    const res = (await callAs(cloud, JUSTICE, 'legalaid', 'reassign', { requestId, centreId: 'centre-qs', reason: '深圳中心暂时无人在岗，先由县中心办理' })).body.data
    expect(res).toEqual({ centreName: '青山县法律援助中心' })
    const mine = (await callAs(cloud, LI, 'legalaid', 'detail', { requestId })).body.data
    expect(mine).toMatchObject({ centreName: '青山县法律援助中心', centrePhone: '0598-5550148', routedWhy: '县司法局转给青山县法律援助中心办理：深圳中心暂时无人在岗，先由县中心办理' })
    expect(mine.timeline.at(-1).text).toBe('县司法局已把申请转给青山县法律援助中心办理：深圳中心暂时无人在岗，先由县中心办理')
    expect(await inbox(LI)).toContain('您的法律援助申请已转给青山县法律援助中心｜深圳中心暂时无人在岗，先由县中心办理')
    expect((await inbox(OFFICER)).some((t) => t.startsWith('县司法局转来法律援助申请'))).toBe(true)
    const logged = await auditOf('legalaid.reassign')
    expect(logged).toEqual([expect.objectContaining({ actor: JUSTICE, targetId: requestId, childIds: ['child-01'], what: expect.stringContaining('从深圳市宝安区法律援助中心转给青山县法律援助中心') })])
    expect((await callAs(cloud, OFFICER, 'legalaid', 'queue')).body.data.requests.map((r: any) => r.id)).toContain(requestId)
    expect((await callAs(cloud, JUSTICE, 'legalaid', 'stuck')).body.data.requests.map((r: any) => r.id)).not.toContain(requestId)
    await setOfficerStatus(SZ_OFFICER, 'active')
  })

  it('shows a request whose decision clock ran late as stuck, saying which clock and since when', async () => {
    const late = (await submit(GRANNY, draft({ childId: 'child-02', matter: 'hukou', story: '孩子一直没有上户口，上学受影响。' }))).data.requestId
    expect((await callAs(cloud, JUSTICE, 'legalaid', 'stuck')).body.data.requests.map((r: any) => r.id)).not.toContain(late)
    await cloud.clock.advance('P4D') // Friday: the 3-working-day decision was due Thursday 17:30
    const row = (await callAs(cloud, JUSTICE, 'legalaid', 'stuck')).body.data.requests.find((r: any) => r.id === late)
    expect(row.why).toEqual(expect.arrayContaining(['已超时：当天确认收到（绿色通道）（应在12月7日 17:30前）', '已超时：3个工作日内作出决定（绿色通道）（应在12月10日 17:30前）']))
    expect((await inbox(JUSTICE)).some((t) => t.startsWith('已超时：3个工作日内作出决定'))).toBe(true)
  })
})

describe('Art. 44: provide first when the request is urgent', () => {
  beforeAll(async () => { await cloud.clock.set('2026-12-14T09:00:00+08:00', { frozen: true }) })

  it('lets the officer assign a lawyer at once to an urgent request (a court date 5 days away); the approval follows, and the timeline shows both', async () => {
    const r = (await submit(GRANNY, draft({ deadline: '2026-12-19', deadlineWhat: '开庭' }))).data
    expect(r.view).toMatchObject({ provideFirst: true, state: 'submitted' })
    expect((await callAs(cloud, OFFICER, 'legalaid', 'assignLawyer', { requestId: r.requestId, lawyerId: ZHENG })).body.data).toEqual({ state: 'lawyerAssigned' })
    let view = (await callAs(cloud, GRANNY, 'legalaid', 'detail', { requestId: r.requestId })).body.data
    expect(view).toMatchObject({ state: 'lawyerAssigned', approvalPending: true, lawyerName: '郑志远' })
    expect(view.clocks.map((c: any) => c.name)).toEqual(expect.arrayContaining(['decide', 'statutoryReview', 'lawyerAccept']))
    expect(await inbox(GRANNY)).toContain('已先为您安排律师｜情况紧急，郑志远律师会先帮您，审查随后补办')
    expect((await callAs(cloud, ZHENG, 'legalaid', 'respond', { requestId: r.requestId, accept: true })).body.data).toEqual({ state: 'inProgress' })
    // The review still runs for the officer, and is still owed.
    const queued = (await callAs(cloud, OFFICER, 'legalaid', 'queue')).body.data.requests.find((x: any) => x.id === r.requestId)
    expect(queued.clocks.map((c: any) => c.name)).toEqual(['decide', 'statutoryReview'])
    expect((await callAs(cloud, OFFICER, 'legalaid', 'decide', { requestId: r.requestId, decision: 'approved' })).body.data).toEqual({ state: 'inProgress' })
    view = (await callAs(cloud, GRANNY, 'legalaid', 'detail', { requestId: r.requestId })).body.data
    expect(view).toMatchObject({ state: 'inProgress', approvalPending: false, clocks: [] })
    expect(view.timeline.map((t: any) => t.text)).toEqual([
      '已提交到青山县法律援助中心',
      '情况紧急，先行提供法律援助：已安排志愿律师郑志远，审查随后补办（法律援助法第四十四条）',
      '律师郑志远已接案，会联系您',
      '审查完成，批准法律援助（律师已先行提供帮助）'
    ])
    expect((await callAs(cloud, OFFICER, 'legalaid', 'decide', { requestId: r.requestId, decision: 'approved' })).body.error.code).toBe('CONFLICT')
  })

  it('lets a lawyer come first when evidence must be preserved at once, and ends that aid if the review then refuses', async () => {
    const r = (await submit(GRANNY, draft({ childId: 'child-02', matter: 'injury', story: '孩子被车撞伤，监控录像马上要被覆盖。', evidenceUrgent: true }))).data
    await callAs(cloud, OFFICER, 'legalaid', 'assignLawyer', { requestId: r.requestId, lawyerId: LIN })
    expect((await callAs(cloud, OFFICER, 'legalaid', 'decide', { requestId: r.requestId, decision: 'refused', reason: '对方已全额赔偿，不需要法律援助' })).body.data).toEqual({ state: 'refused' })
    const view = (await callAs(cloud, GRANNY, 'legalaid', 'detail', { requestId: r.requestId })).body.data
    expect(view.timeline.at(-1).text).toBe('审查后不予法律援助，先行提供的援助终止：对方已全额赔偿，不需要法律援助')
    expect(view.refusal.howToObject).toContain('第四十九条')
    expect((await inbox(LIN)).some((t) => t.startsWith('审查未通过，先行援助终止'))).toBe(true)
  })

  it('keeps a routine request approval-first: 「批准后才能安排律师」', async () => {
    const r = (await submit(GRANNY, draft({ deadline: '2027-03-01', deadlineWhat: '诉讼时效' }))).data
    expect(r.view.provideFirst).toBe(false)
    const refused = (await callAs(cloud, OFFICER, 'legalaid', 'assignLawyer', { requestId: r.requestId, lawyerId: ZHENG })).body.error
    expect(refused).toMatchObject({ code: 'CONFLICT', message: '批准后才能安排律师' })
    expect((await callAs(cloud, GRANNY, 'legalaid', 'detail', { requestId: r.requestId })).body.data).toMatchObject({ state: 'submitted', approvalPending: false })
    await callAs(cloud, OFFICER, 'legalaid', 'decide', { requestId: r.requestId, decision: 'approved' })
    expect((await callAs(cloud, OFFICER, 'legalaid', 'assignLawyer', { requestId: r.requestId, lawyerId: ZHENG })).body.data).toEqual({ state: 'lawyerAssigned' })
  })
})

describe('lawyers keep their own profile; the centre\'s officer can edit it; proposals use it', () => {
  it('lets a lawyer record specialties and a declared conflict, which the proposals then follow', async () => {
    expect((await callAs(cloud, LIN, 'legalaid', 'lawyerProfile')).body.data).toMatchObject({ name: '林雅', centreName: '青山县法律援助中心', conflicts: ['刘强'], editable: true })
    const saved = await callAs(cloud, LIN, 'legalaid', 'saveLawyerProfile', { specialties: ['maintenance', 'guardianship'], conflicts: ['刘强', '王建军'], note: '周三可以出庭' })
    expect(saved.body.data).toEqual({ saved: true })
    const r = (await submit(GRANNY, draft({ childId: 'child-02' }))).data // people: 孩子的叔叔王建军
    await callAs(cloud, OFFICER, 'legalaid', 'decide', { requestId: r.requestId, decision: 'approved' })
    expect((await callAs(cloud, OFFICER, 'legalaid', 'proposeLawyers', { requestId: r.requestId })).body.data.lawyers.map((l: any) => l.name)).toEqual(['郑志远'])
    // The officer takes the conflict off (it was declared by mistake): 林雅 is proposed again, as a specialist.
    await callAs(cloud, OFFICER, 'legalaid', 'saveLawyerProfile', { lawyerId: LIN, specialties: ['maintenance', 'guardianship'], conflicts: ['刘强'], note: '周三可以出庭' })
    const proposed = (await callAs(cloud, OFFICER, 'legalaid', 'proposeLawyers', { requestId: r.requestId })).body.data.lawyers
    expect(proposed.find((l: any) => l.name === '林雅')).toMatchObject({ specialist: true, why: expect.stringContaining('擅长抚养费') })
    expect((await callAs(cloud, LIN, 'legalaid', 'lawyerProfile')).body.data).toMatchObject({ conflicts: ['刘强'], updatedByName: '吴敏' })
    expect(await inbox(LIN)).toContain('中心更新了您的专长和利益冲突｜修改人：吴敏')
    expect((await auditOf('legalaid.saveLawyerProfile')).map((e) => [e.actor, e.targetId])).toEqual([[LIN, LIN], [OFFICER, LIN]])
    const list = (await callAs(cloud, OFFICER, 'legalaid', 'centreLawyers')).body.data.lawyers
    expect(list.find((l: any) => l.id === LIN)).toMatchObject({ specialtyLabels: ['抚养费', '监护权'], conflicts: 1 })
  })

  it('refuses another lawyer, or an officer of another centre, and names bad input', async () => {
    const profile = { lawyerId: LIN, specialties: [], conflicts: [] }
    expect((await callAs(cloud, ZHENG, 'legalaid', 'saveLawyerProfile', profile)).body.error.code).toBe('FORBIDDEN')
    expect((await callAs(cloud, SZ_OFFICER, 'legalaid', 'saveLawyerProfile', profile)).body.error.code).toBe('FORBIDDEN')
    expect((await callAs(cloud, SZ_OFFICER, 'legalaid', 'lawyerProfile', { lawyerId: LIN })).body.error.code).toBe('FORBIDDEN')
    expect((await callAs(cloud, LIN, 'legalaid', 'saveLawyerProfile', { specialties: ['divorce'], conflicts: [] })).body.error.fields).toEqual({ 'specialties.0': '请选择是什么事' })
    expect((await callAs(cloud, LIN, 'legalaid', 'saveLawyerProfile', { specialties: [], conflicts: ['刘强', '刘强'] })).body.error.fields).toEqual({ 'conflicts.1': '“刘强”写了两遍' })
    expect((await callAs(cloud, LIN, 'legalaid', 'lawyerProfile')).body.data.conflicts).toEqual(['刘强'])
  })
})

describe('a request shows the applicant its reference number and the centre\'s phone', () => {
  it('gives each request its own reference, on what the applicant sees, with the centre\'s phone', async () => {
    const a = (await submit(GRANNY, draft({ childId: 'child-02', matter: 'guardianship', story: '父母都在外地，想变更监护人。' }))).data
    const b = (await submit(GRANNY, draft({ childId: 'child-02', matter: 'bullying', story: '孩子在学校被同学欺负受伤。' }))).data
    expect(a.view.reference).toMatch(/^2026-\d{4}$/)
    expect(b.view.reference).not.toBe(a.view.reference)
    expect(a.nextSteps[0]).toContain(`申请编号 ${a.view.reference}`)
    const mine = (await callAs(cloud, GRANNY, 'legalaid', 'mine')).body.data.requests.find((r: any) => r.id === a.requestId)
    expect(mine).toMatchObject({ reference: a.view.reference, centreName: '青山县法律援助中心', centrePhone: '0598-5550148' })
  })
})
