/** 法律援助绿色通道 through the functions and the scheduler on a fresh seeded local cloud. */
import type { LocalCloud } from '../../localcloud'
import { callAs, startTestCloud } from '../support/localcloud'
import { key } from '../support/children'

let cloud: LocalCloud
const GRANNY = 'demo-guardian-zhang' // guardian of child-01 (低保) and child-02
const WANG = 'demo-parent-wang' // father of child-01, works in 厦门
const OFFICER = 'demo-officer-wu'
const HEAD = 'demo-officer-sun' // the centre's supervisor
const JUSTICE = 'demo-admin-tang' // county justice admin
const [ZHENG, LIN] = ['demo-lawyer-zheng', 'demo-lawyer-lin']
const db = () => require('wx-server-sdk').database()
const count = async (coll: string, where: object = {}) => (await db().collection(coll).where(where).count()).total
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9])
const shanghaiDate = (offsetDays: number) => new Date(Date.now() + offsetDays * 86400000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })

async function upload (openid: string, name: string): Promise<string> {
  const cloudSdk = require('wx-server-sdk')
  const res = await cloudSdk.uploadFile({ cloudPath: `legalaid/${openid}/${name}`, fileContent: JPEG })
  return res.fileID
}

const draft = (over: object = {}) => ({ childId: 'child-01', matter: 'maintenance', people: '孩子的叔叔王建军', story: '孩子父母离婚后，抚养费一直没给。', files: [] as string[], ...over })
const submit = async (who: string, d: object, k = key()) => (await callAs(cloud, who, 'legalaid', 'submit', { draft: d, idempotencyKey: k })).body

beforeAll(async () => { cloud = await startTestCloud() }, 60000)
afterAll(async () => { await cloud?.close() })

describe('the whole path of a request', () => {
  let requestId: string
  let photo: string

  it('lets a grandmother file a maintenance request with a photo and tells her what happens next and by when', async () => {
    photo = await upload(GRANNY, 'receipt.jpg')
    const saved = (await callAs(cloud, GRANNY, 'legalaid', 'saveDraft', { draft: draft({ files: [photo] }) })).body.data
    const drafts = (await callAs(cloud, GRANNY, 'legalaid', 'drafts')).body.data.drafts
    expect(drafts).toEqual([expect.objectContaining({ id: saved.draftId, childName: '王小雨', matterLabel: '抚养费' })])
    const res = (await callAs(cloud, GRANNY, 'legalaid', 'submit', { draft: draft({ files: [photo] }), draftId: saved.draftId, idempotencyKey: key() })).body.data
    requestId = res.requestId
    expect(res.nextSteps[0]).toMatch(/^申请编号 \d{4}-\d{4}。由孩子所在县的青山县法律援助中心办理。$/)
    expect(res.nextSteps[1]).toMatch(/^青山县法律援助中心会在 \d+月\d+日 \d\d:\d\d 前确认收到。$/)
    expect(res.nextSteps[2]).toMatch(/前告诉您是否给予法律援助（法律规定最迟/)
    expect(res.view).toMatchObject({ state: 'submitted', stateLabel: '已提交，等待法律援助中心确认', centreName: '青山县法律援助中心', priority: 2, provideFirst: false })
    expect(res.view.exemptions.map((e: any) => e.article)).toEqual(['法律援助法第四十二条第一项', '法律援助法第四十二条第二项'])
    expect((await callAs(cloud, GRANNY, 'legalaid', 'drafts')).body.data.drafts).toEqual([])
    // The centre's officer hears of it from the legal-aid timer, within the minute.
    await cloud.triggerTimer('scheduler', cloud.clock.now())
    expect(cloud.outbox(OFFICER).filter((m: any) => m.templateId === 'TPL_CASE_UPDATE').map((m: any) => m.data.thing1?.value ?? m.data)).toHaveLength(1)
  })

  it('makes one case of a resubmission with the same idempotency key', async () => {
    const k = key()
    const before = await count('legalAidRequests')
    const a = await submit(GRANNY, draft({ matter: 'guardianship', childId: 'child-02' }), k)
    const b = await submit(GRANNY, draft({ matter: 'guardianship', childId: 'child-02' }), k)
    expect(b.data.requestId).toBe(a.data.requestId)
    expect(await count('legalAidRequests')).toBe(before + 1)
  })

  it('takes the request through acknowledgement, decision, a proposed lawyer and acceptance, each step on the timeline', async () => {
    const queue = (await callAs(cloud, OFFICER, 'legalaid', 'queue')).body.data.requests
    expect(queue.find((r: any) => r.id === requestId).clocks[0]).toMatchObject({ name: 'acknowledge', state: 'onTime' })
    expect((await callAs(cloud, OFFICER, 'legalaid', 'acknowledge', { requestId })).body.data).toEqual({ state: 'acknowledged' })
    const refusedWithout = (await callAs(cloud, OFFICER, 'legalaid', 'decide', { requestId, decision: 'refused' })).body
    expect(refusedWithout.error.fields).toEqual({ reason: '不予援助要写明理由' })
    expect((await callAs(cloud, OFFICER, 'legalaid', 'decide', { requestId, decision: 'approved' })).body.data).toEqual({ state: 'approved' })
    const proposed = (await callAs(cloud, OFFICER, 'legalaid', 'proposeLawyers', { requestId })).body.data.lawyers
    expect(proposed.map((l: any) => l.name)).toEqual(['郑志远', '林雅'])
    expect(proposed[0]).toMatchObject({ specialist: true, why: expect.stringContaining('擅长抚养费') })
    expect((await callAs(cloud, OFFICER, 'legalaid', 'assignLawyer', { requestId, lawyerId: ZHENG })).body.data).toEqual({ state: 'lawyerAssigned' })
    expect((await callAs(cloud, ZHENG, 'legalaid', 'respond', { requestId, accept: true })).body.data).toEqual({ state: 'inProgress' })
    expect((await callAs(cloud, ZHENG, 'legalaid', 'update', { requestId, step: 'hearing' })).body.error.fields).toEqual({ hearingDate: '请填写开庭日期' })
    await callAs(cloud, ZHENG, 'legalaid', 'update', { requestId, step: 'consulted', note: '已电话沟通' })
    await callAs(cloud, ZHENG, 'legalaid', 'askDocuments', { requestId, what: '离婚判决书的照片' })
    const mine = (await callAs(cloud, GRANNY, 'legalaid', 'mine')).body.data.requests.find((r: any) => r.id === requestId)
    expect(mine.timeline.map((t: any) => t.text)).toEqual([
      '已提交到青山县法律援助中心', '青山县法律援助中心已确认收到，正在审查', '已批准法律援助，3日内为您安排律师',
      '已安排志愿律师郑志远，等待律师接案', '律师郑志远已接案，会联系您', '律师已和您沟通案情（已电话沟通）', '律师需要您补交材料：离婚判决书的照片'
    ])
    expect(mine).toMatchObject({ state: 'inProgress', lawyerName: '郑志远', documentsAsked: '离婚判决书的照片' })
    const more = await upload(GRANNY, 'judgement.jpg')
    expect((await callAs(cloud, GRANNY, 'legalaid', 'addFiles', { requestId, files: [more] })).body.data).toEqual({ files: 2 })
  })

  it('shows the evidence only to the applicant, the lawyer and the centre\'s officers', async () => {
    for (const who of [GRANNY, ZHENG, OFFICER]) {
      const d = (await callAs(cloud, who, 'legalaid', 'detail', { requestId })).body.data
      expect(d.files.length).toBe(2)
      const res = await fetch(d.files[0].url)
      expect(res.status).toBe(200)
    }
    for (const who of [WANG, 'demo-parent-li', LIN, 'demo-teacher-chen', 'demo-police-zhou', JUSTICE]) {
      expect((await callAs(cloud, who, 'legalaid', 'detail', { requestId })).body.error?.code).toMatch(/FORBIDDEN/)
    }
    expect(JSON.stringify((await callAs(cloud, WANG, 'legalaid', 'mine')).body.data)).not.toContain(requestId)
  })

  it('refuses attaching a file someone else uploaded', async () => {
    const theirs = await upload(WANG, 'x.jpg')
    const res = await submit(GRANNY, draft({ files: [theirs] }))
    expect(res.error).toMatchObject({ code: 'INVALID_INPUT', fields: { 'draft.files.0': '只能附上自己上传的文件' } })
  })
})

describe('routing, exemptions and priority', () => {
  it('keeps a father\'s unpaid-wages claim where someone can act (厦门\'s centre has nobody yet), exempt as a migrant worker', async () => {
    const res = (await submit(WANG, draft({ matter: 'parentWages', people: '厦门某建筑公司', story: '在工地干了半年，老板拖欠工资。' }))).data
    expect(res.view.centreName).toBe('青山县法律援助中心')
    expect(res.view.exemptions.map((e: any) => e.article)).toEqual(['法律援助法第四十二条第三项', '法律援助法第四十二条第二项'])
    expect((await callAs(cloud, OFFICER, 'legalaid', 'queue')).body.data.requests.some((r: any) => r.id === res.requestId)).toBe(true)
  })

  it('puts abuse first, exempts it from any hardship condition and opens a mandatory report', async () => {
    const res = (await submit(GRANNY, draft({ matter: 'abuseOrViolence', people: '继父', story: '继父经常打孩子，身上有伤。' }))).data
    expect(res.view).toMatchObject({ priority: 0, priorityLabel: '最优先（受虐待或暴力）' })
    expect(res.view.exemptions[0].article).toBe('法律援助法第三十二条第四项')
    expect(res.nextSteps.some((s: string) => s.includes('已同时报告公安'))).toBe(true)
    expect(await count('mandatoryReports', { 'origin.id': res.requestId })).toBe(1)
  })

  it('provides aid first when a deadline is 6 days away, not when it is 8', async () => {
    const six = (await submit(GRANNY, draft({ deadline: shanghaiDate(6), deadlineWhat: '开庭' }))).data
    expect(six.view).toMatchObject({ provideFirst: true, priority: 1 })
    expect(six.nextSteps.some((s: string) => s.includes('先提供法律援助'))).toBe(true)
    const eight = (await submit(GRANNY, draft({ deadline: shanghaiDate(8) }))).data
    expect(eight.view).toMatchObject({ provideFirst: false, priority: 2 })
  })

  it('names bad input and writes nothing', async () => {
    const before = await count('legalAidRequests')
    const res = await submit(GRANNY, { childId: 'child-01', matter: 'divorce', story: '短', deadline: '2026-13-01' })
    expect(res.error.code).toBe('INVALID_INPUT')
    expect(res.error.fields).toMatchObject({ 'draft.matter': '请选择是什么事', 'draft.story': '请简单说说发生了什么（至少5个字）', 'draft.deadline': '没有这一天，请核对日期' })
    expect(await count('legalAidRequests')).toBe(before)
  })

  it('refuses filing for a child one is not bound to', async () => {
    expect((await submit('demo-parent-li', draft({ childId: 'child-05' }))).error.code).toBe('FORBIDDEN')
  })

  it('states a refusal\'s reason and how to object', async () => {
    const r = (await submit(GRANNY, draft({ childId: 'child-02', matter: 'other', story: '想咨询一下孩子上学的事情' }))).data
    await callAs(cloud, OFFICER, 'legalaid', 'decide', { requestId: r.requestId, decision: 'refused', reason: '不属于法律援助事项，已转12348咨询' })
    const mine = (await callAs(cloud, GRANNY, 'legalaid', 'mine')).body.data.requests.find((x: any) => x.id === r.requestId)
    expect(mine.refusal).toMatchObject({ reason: '不属于法律援助事项，已转12348咨询', howToObject: expect.stringContaining('法律援助法第四十九条') })
  })
})

describe('clocks with the scheduler at chosen times', () => {
  it('counts a Friday-evening request before the Spring Festival week past the holiday: warns, then escalates late', async () => {
    const r = (await submit(GRANNY, draft({ childId: 'child-02', matter: 'injury', story: '孩子在路上被车撞伤，对方不赔。' }))).data
    // Filed at 18:00 on Friday 13 February 2026 and acknowledged: the green-channel decision is due after the holiday.
    await db().collection('legalAidRequests').doc(r.requestId).update({ data: { submittedAt: new Date('2026-02-13T18:00:00+08:00'), state: 'acknowledged' } })
    const alerts = (o: string) => cloud.outbox(o).filter((m: any) => m.templateId === 'TPL_DEADLINE_ALERT' && JSON.stringify(m).includes('王小川')).length
    const before = [OFFICER, HEAD, JUSTICE].map(alerts)
    await cloud.triggerTimer('scheduler', new Date('2026-02-20T12:00:00+08:00')) // in the holiday week: nothing due
    expect([OFFICER, HEAD, JUSTICE].map(alerts)).toEqual(before)
    await cloud.triggerTimer('scheduler', new Date('2026-02-25T15:45:00+08:00')) // under 2 hours to 17:30 on Wed 25 Feb
    await cloud.triggerTimer('scheduler', new Date('2026-02-25T15:50:00+08:00'))
    expect(alerts(OFFICER)).toBe(before[0] + 1)
    expect(alerts(JUSTICE)).toBe(before[2])
    await cloud.triggerTimer('scheduler', new Date('2026-02-25T17:31:00+08:00'))
    await cloud.triggerTimer('scheduler', new Date('2026-02-25T17:32:00+08:00'))
    expect(alerts(HEAD)).toBeGreaterThan(before[1])
    expect(alerts(JUSTICE)).toBe(before[2] + 1)
  })

  it('extends the statutory review by 3 working days for a complex case, with the reason on the timeline', async () => {
    const r = (await submit(GRANNY, draft({ childId: 'child-02', matter: 'guardianship', story: '父母都在外地，监护人变更的事情比较复杂。' }))).data
    const before = r.view.clocks.find((c: any) => c.name === 'statutoryReview').due
    expect((await callAs(cloud, OFFICER, 'legalaid', 'extendReview', { requestId: r.requestId, reason: '短' })).body.error.fields).toEqual({ reason: '请写明案情复杂的原因' })
    const res = (await callAs(cloud, OFFICER, 'legalaid', 'extendReview', { requestId: r.requestId, reason: '涉及多地监护人，需要调查' })).body.data
    const mine = (await callAs(cloud, GRANNY, 'legalaid', 'mine')).body.data.requests.find((x: any) => x.id === r.requestId)
    const after = mine.clocks.find((c: any) => c.name === 'statutoryReview').due
    expect(new Date(after).getTime()).toBe(new Date(res.statutoryReviewBy).getTime())
    expect(new Date(after).getTime()).toBeGreaterThan(new Date(before).getTime() + 2 * 86400000)
    expect(mine.timeline.at(-1).text).toBe('案情复杂，审查期限延长3个工作日：涉及多地监护人，需要调查')
  })

  it('tells the officers when a lawyer lets the acceptance time pass', async () => {
    const r = (await submit(GRANNY, draft({ childId: 'child-02', matter: 'bullying', story: '孩子在学校被同学欺负受伤。' }))).data
    await callAs(cloud, OFFICER, 'legalaid', 'decide', { requestId: r.requestId, decision: 'approved' })
    await callAs(cloud, OFFICER, 'legalaid', 'assignLawyer', { requestId: r.requestId, lawyerId: LIN })
    const late = (o: string) => cloud.outbox(o).filter((m: any) => JSON.stringify(m).includes('律师超时未接案')).length
    const before = late(OFFICER)
    await cloud.triggerTimer('scheduler', new Date(Date.now() + 25 * 3600000))
    expect(late(OFFICER)).toBe(before + 1)
  })

  it('keeps a lawyer with a declared conflict off the proposal', async () => {
    const r = (await submit(WANG, draft({ childId: 'child-01', matter: 'injury', people: '刘强', story: '孩子被刘强家的狗咬伤。' }))).data
    await callAs(cloud, OFFICER, 'legalaid', 'decide', { requestId: r.requestId, decision: 'approved' })
    const names = (await callAs(cloud, OFFICER, 'legalaid', 'proposeLawyers', { requestId: r.requestId })).body.data.lawyers.map((l: any) => l.name)
    expect(names).toEqual(['郑志远'])
    expect((await callAs(cloud, OFFICER, 'legalaid', 'assignLawyer', { requestId: r.requestId, lawyerId: LIN })).body.error.fields).toEqual({ lawyerId: '这位律师有利益冲突' })
  })
})

describe('drafts and the reader\'s role', () => {
  it('saves a draft at the first step with only the child chosen, and keeps one draft per child', async () => {
    const a = (await callAs(cloud, GRANNY, 'legalaid', 'saveDraft', { draft: { childId: 'child-02' } })).body.data
    const b = (await callAs(cloud, GRANNY, 'legalaid', 'saveDraft', { draft: { childId: 'child-02', matter: 'hukou' } })).body.data
    expect(b.draftId).toBe(a.draftId)
    const drafts = (await callAs(cloud, GRANNY, 'legalaid', 'drafts')).body.data.drafts
    expect(drafts.find((d: any) => d.id === a.draftId)).toMatchObject({ childName: '王小川', matterLabel: '落户（上户口）' })
  })

  it('tells the page whether the reader is the applicant, the officer or the lawyer', async () => {
    const r = (await submit(GRANNY, draft({ childId: 'child-02', matter: 'hukou', story: '孩子一直没有上户口，上学受影响。' }))).data
    expect((await callAs(cloud, GRANNY, 'legalaid', 'detail', { requestId: r.requestId })).body.data.viewer).toBe('applicant')
    expect((await callAs(cloud, OFFICER, 'legalaid', 'detail', { requestId: r.requestId })).body.data.viewer).toBe('officer')
  })
})
