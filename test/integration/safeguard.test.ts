/** 强制报告 through the functions and the scheduler: delivery, receipt, escalation, handling, the hash chain. */
import type { LocalCloud } from '../../localcloud'
import { callAs, reached, startTestCloud, wordsOf } from '../support/localcloud'
import { key } from '../support/children'
import { ReportInput } from '../../src/domain'

let cloud: LocalCloud
const TEACHER = 'demo-teacher-chen'
const POLICE = 'demo-police-zhou' // 石桥派出所
const CIVIL = 'demo-admin-xu' // 民政局, county
const DUTY = 'demo-admin-han' // 公安局, county (the county duty officer)
const db = () => require('wx-server-sdk').database()
const today = () => new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })
const report = (who: string, over: object = {}) => callAs(cloud, who, 'safeguard', 'report', { report: { childId: 'child-01', kinds: ['physicalAbuse'], seen: '孩子胳膊上有大片淤青，说是叔叔打的', when: today(), where: '石桥镇中心小学教室', dangerNow: false, ...over }, idempotencyKey: key() })
/** Alerts that reached a person (a delivered subscription message, or an SMS to their phone) saying `text`. */
const alerts = (o: string, text: string) => reached(cloud, o).filter((m) => wordsOf(m).includes(text)).length

beforeAll(async () => { cloud = await startTestCloud() }, 60000)
afterAll(async () => { await cloud?.close() })

describe('filing and delivery', () => {
  let id: string
  let filedAt: number

  it('gives the reporter a receipt and reaches the police of the child\'s jurisdiction at once, with copies', async () => {
    const res = (await report(TEACHER)).body.data
    id = res.id
    filedAt = new Date(res.filedAt).getTime()
    expect(res.reference).toMatch(/^QB\d{8}-[0-9A-F]{6}$/)
    expect(res.call110).toBe(false)
    expect(res.deliveredTo).toEqual(expect.arrayContaining(['周建华', '许文华']))
    expect(alerts(POLICE, '强制报告：王小雨')).toBe(1)
    expect(alerts(CIVIL, '强制报告抄送')).toBe(1)
    expect(alerts('demo-police-x', '强制报告')).toBe(0)
  })

  it('tells a reporter of danger now to call 110 first', async () => {
    expect((await report(TEACHER, { dangerNow: true })).body.data.call110).toBe(true)
  })

  it('shows the reporter that it is handled, not the details', async () => {
    const mine = (await callAs(cloud, TEACHER, 'safeguard', 'myReports')).body.data.reports
    expect(mine[0]).toEqual({ reference: expect.any(String), childName: '王小雨', filedAt: expect.any(String), stateLabel: '已送达公安，等待接收' })
    expect(JSON.stringify(mine)).not.toContain('淤青')
    expect((await callAs(cloud, TEACHER, 'safeguard', 'detail', { reportId: id })).body.error.code).toBe('FORBIDDEN')
  })

  it('alerts the county duty officer after 30 minutes without acknowledgement, then up the chain, each once', async () => {
    await cloud.triggerTimer('scheduler', new Date(filedAt + 29 * 60000))
    expect(alerts(DUTY, '分钟无人接收')).toBe(0)
    await cloud.triggerTimer('scheduler', new Date(filedAt + 31 * 60000))
    await cloud.triggerTimer('scheduler', new Date(filedAt + 31 * 60000))
    expect(alerts(DUTY, '30分钟无人接收')).toBe(2) // both reports filed above
    expect(alerts(CIVIL, '分钟无人接收')).toBe(0)
    await cloud.triggerTimer('scheduler', new Date(filedAt + 61 * 60000))
    expect(alerts(CIVIL, '60分钟无人接收')).toBe(2)
  })

  it('lets the police acknowledge and record a visit, civil affairs an intervention; every step on the chain', async () => {
    expect((await callAs(cloud, POLICE, 'safeguard', 'acknowledge', { reportId: id })).body.data).toEqual({ state: 'acknowledged' })
    await callAs(cloud, POLICE, 'safeguard', 'recordAction', { reportId: id, action: 'visited', note: '已到家中了解情况' })
    await callAs(cloud, CIVIL, 'safeguard', 'recordIntervention', { reportId: id, intervention: 'guardianWarned', note: '对叔叔训诫' })
    expect((await callAs(cloud, DUTY, 'safeguard', 'recordIntervention', { reportId: id, intervention: 'temporaryCare' })).body.error.code).toBe('FORBIDDEN')
    await callAs(cloud, POLICE, 'safeguard', 'close', { reportId: id, note: '监护人已整改' })
    const d = (await callAs(cloud, CIVIL, 'safeguard', 'detail', { reportId: id })).body.data
    expect(d.entries.map((e: any) => e.text)).toEqual([
      // Nobody has allowed a subscription message in this fresh county: the SMS on each profile reached them.
      '报告：身体伤害、虐待', expect.stringMatching(/^已送达：周建华（短信）、/), '30分钟无人接收，已上报上一级：韩卫东（短信）', '60分钟无人接收，已上报上一级：韩卫东（短信）、许文华（短信）',
      '公安已接收', '公安处理：已上门核查（已到家中了解情况）', '民政干预：对监护人训诫、督促（对叔叔训诫）', '办结：监护人已整改'
    ])
    expect(d.intact).toBe(true)
    expect(d.reporterName).toBe('陈丽')
    const after = (await callAs(cloud, TEACHER, 'safeguard', 'myReports')).body.data.reports.find((r: any) => r.reference === d.reference)
    expect(after.stateLabel).toBe('已办结')
  })

  it('shows that an entry was changed: the hash chain breaks at it', async () => {
    await db().collection('reportEntries').doc(`${id}:0`).update({ data: { data: { kinds: ['neglect'], seen: '改过的内容' } } })
    const d = (await callAs(cloud, CIVIL, 'safeguard', 'detail', { reportId: id })).body.data
    expect(d).toMatchObject({ intact: false, brokenAt: 0 })
  })

  it('lets only the roles that handle it read it, and logs each read', async () => {
    const before = (await db().collection('auditLog').where({ action: 'safeguard.detail' }).count()).total
    expect((await callAs(cloud, POLICE, 'safeguard', 'detail', { reportId: id })).body.ok).toBe(true)
    for (const who of ['demo-parent-wang', 'demo-counselor-liu', 'demo-officer-wu', 'demo-admin-ma', 'demo-vol-sun', 'demo-cwo-zhao']) {
      expect((await callAs(cloud, who, 'safeguard', 'detail', { reportId: id })).body.error.code).toBe('FORBIDDEN')
    }
    expect((await db().collection('auditLog').where({ action: 'safeguard.detail' }).count()).total).toBe(before + 1)
  })

  it('names bad input and writes nothing', async () => {
    const before = (await db().collection('mandatoryReports').count()).total
    const res = (await callAs(cloud, TEACHER, 'safeguard', 'report', { report: { childId: 'child-01', kinds: [], seen: '', when: 'x', where: '', dangerNow: 'no' }, idempotencyKey: key() })).body
    expect(res.error.code).toBe('INVALID_INPUT')
    expect(Object.keys(res.error.fields).sort()).toEqual(['report.dangerNow', 'report.kinds', 'report.seen', 'report.when', 'report.where'])
    expect((await db().collection('mandatoryReports').count()).total).toBe(before)
  })
})

describe('a child on no list', () => {
  const COUNSELOR = 'demo-counselor-liu' // has no list of children to pick from
  const fileFor = (who: string, child: object, over: object = {}) => callAs(cloud, who, 'safeguard', 'report', {
    report: { unlistedChild: child, kinds: ['neglect'], seen: '男孩说家里几天没人，饿了就去邻居家要吃的', when: today(), where: '白水乡卫生院门口', dangerNow: false, ...over },
    idempotencyKey: key()
  })

  it('reaches the police of the township the reporter named, who see the description and that the child is not registered', async () => {
    const res = (await fileFor(COUNSELOR, { name: '小军', townshipId: 'tw-sq', about: '八九岁，住石桥镇老街，跟奶奶住' })).body.data
    expect(res.deliveredTo).toEqual(expect.arrayContaining(['周建华', '许文华']))
    expect(alerts(POLICE, '强制报告：小军')).toBe(1)
    const q = (await callAs(cloud, POLICE, 'safeguard', 'queue')).body.data.reports.find((r: any) => r.id === res.id)
    expect(q).toMatchObject({ childName: '小军', childUnlisted: true, stateLabel: '已送达公安，等待接收' })
    const d = (await callAs(cloud, POLICE, 'safeguard', 'detail', { reportId: res.id })).body.data
    expect(d).toMatchObject({ childName: '小军', childUnlisted: true, childTownship: '石桥镇', childAbout: '八九岁，住石桥镇老街，跟奶奶住', reporterName: '刘心怡', intact: true })
    // The description is on the hash chain, so it cannot be changed unseen.
    const [filed] = (await db().collection('reportEntries').where({ reportId: res.id, seq: 0 }).get()).data
    expect(filed.data.child).toEqual({ name: '小军', townshipId: 'tw-sq', about: '八九岁，住石桥镇老街，跟奶奶住' })
    // No child's file was read: the audit entries name no child.
    const logged = (await db().collection('auditLog').where({ action: 'safeguard.report', actor: COUNSELOR }).get()).data
    expect(logged.map((l: any) => l.childIds)).toEqual([[]])
    expect((await callAs(cloud, COUNSELOR, 'safeguard', 'myReports')).body.data.reports[0]).toMatchObject({ childName: '小军', stateLabel: '已送达公安，等待接收' })
  })

  it('lets a county admin who keeps the registry join the report to the child\'s file once found, on the chain', async () => {
    const res = (await fileFor(COUNSELOR, { name: '小雨', townshipId: 'tw-sq', about: '十岁左右，石桥村' })).body.data
    expect((await callAs(cloud, POLICE, 'safeguard', 'detail', { reportId: res.id })).body.data.may.linkChild).toBe(false)
    expect((await callAs(cloud, CIVIL, 'safeguard', 'detail', { reportId: res.id })).body.data.may.linkChild).toBe(true)
    expect((await callAs(cloud, POLICE, 'safeguard', 'linkChild', { reportId: res.id, childId: 'child-01' })).body.error.code).toBe('FORBIDDEN')
    const nobody = (await callAs(cloud, CIVIL, 'safeguard', 'linkChild', { reportId: res.id, childId: 'child-none' })).body.error
    expect(nobody).toMatchObject({ code: 'INVALID_INPUT', fields: { childId: '在您负责的地区没有找到这个孩子' } })

    expect((await callAs(cloud, CIVIL, 'safeguard', 'linkChild', { reportId: res.id, childId: 'child-01' })).body.data).toEqual({ childName: '王小雨' })
    const d = (await callAs(cloud, CIVIL, 'safeguard', 'detail', { reportId: res.id })).body.data
    expect(d).toMatchObject({ childName: '王小雨', childUnlisted: false, intact: true, may: { linkChild: false } })
    expect(d.entries.map((e: any) => e.text)).toContain('对应到孩子档案：王小雨')
    // The read of the child's file is logged, and the report now counts for her.
    const [logged] = (await db().collection('auditLog').where({ action: 'safeguard.linkChild' }).get()).data
    expect(logged.childIds).toEqual(['child-01'])
    expect((await db().collection('mandatoryReports').where({ childId: 'child-01', _id: res.id }).count()).total).toBe(1)
    expect((await callAs(cloud, CIVIL, 'safeguard', 'linkChild', { reportId: res.id, childId: 'child-02' })).body.error.code).toBe('CONFLICT')
  })

  it('goes to the county duty officer at once where the township has no police liaison', async () => {
    const res = (await fileFor('demo-lawyer-lin', { name: '小芳', townshipId: 'tw-bs' })).body.data
    expect(res.deliveredTo).toEqual(expect.arrayContaining(['韩卫东', '许文华']))
    expect(alerts(DUTY, '强制报告：小芳')).toBe(1)
    expect(alerts(POLICE, '小芳')).toBe(0)
  })

  it('names what is missing or wrong of the child and writes nothing', async () => {
    const before = (await db().collection('mandatoryReports').count()).total
    const nowhere = (await fileFor(COUNSELOR, { name: '小军', townshipId: 'vil-sq' })).body
    expect(nowhere.error).toMatchObject({ code: 'INVALID_INPUT', fields: { 'report.unlistedChild.townshipId': '没有这个地方，请重新选择' } })
    const blank = (await fileFor(COUNSELOR, { name: '', townshipId: '' })).body
    expect(Object.keys(blank.error.fields).sort()).toEqual(['report.unlistedChild.name', 'report.unlistedChild.townshipId'])
    const none = (await callAs(cloud, COUNSELOR, 'safeguard', 'report', { report: { kinds: ['neglect'], seen: '看到孩子身上有伤', when: today(), where: '路上', dangerNow: false }, idempotencyKey: key() })).body
    expect(none.error.fields).toEqual({ 'report.childId': '请选择是哪个孩子，或写下孩子的名字' })
    expect((await db().collection('mandatoryReports').count()).total).toBe(before)
  })
})

describe('the steps each handler may take', () => {
  const may = async (who: string, reportId: string) => (await callAs(cloud, who, 'safeguard', 'detail', { reportId })).body.data.may
  const entries = async (reportId: string) => (await db().collection('reportEntries').where({ reportId }).count()).total

  it('offers each reader only the steps theirs to take in the report\'s state, and a closed report takes none', async () => {
    const { id } = (await report(TEACHER)).body.data
    expect(await may(POLICE, id)).toEqual({ acknowledge: true, recordAction: true, recordIntervention: false, close: false, linkChild: false })
    expect(await may(CIVIL, id)).toEqual({ acknowledge: false, recordAction: false, recordIntervention: true, close: false, linkChild: false })
    expect(await may(DUTY, id)).toEqual({ acknowledge: false, recordAction: false, recordIntervention: false, close: false, linkChild: false })
    const early = (await callAs(cloud, POLICE, 'safeguard', 'close', { reportId: id, note: '没有问题' })).body.error
    expect(early).toMatchObject({ code: 'CONFLICT', message: '请先接收这份报告，记录处理情况后再办结' })

    await callAs(cloud, POLICE, 'safeguard', 'acknowledge', { reportId: id })
    expect(await may(POLICE, id)).toEqual({ acknowledge: false, recordAction: true, recordIntervention: false, close: true, linkChild: false })
    await callAs(cloud, POLICE, 'safeguard', 'close', { reportId: id, note: '经核查孩子安全' })
    for (const who of [POLICE, CIVIL, DUTY]) expect(await may(who, id)).toEqual({ acknowledge: false, recordAction: false, recordIntervention: false, close: false, linkChild: false })

    const before = await entries(id)
    expect((await callAs(cloud, POLICE, 'safeguard', 'recordAction', { reportId: id, action: 'visited' })).body.error.code).toBe('CONFLICT')
    expect((await callAs(cloud, CIVIL, 'safeguard', 'recordIntervention', { reportId: id, intervention: 'temporaryCare' })).body.error.code).toBe('CONFLICT')
    expect((await callAs(cloud, POLICE, 'safeguard', 'close', { reportId: id, note: '再次办结' })).body.error.code).toBe('CONFLICT')
    expect(await entries(id)).toBe(before)
    expect((await callAs(cloud, TEACHER, 'safeguard', 'myReports')).body.data.reports.find((r: any) => r.stateLabel === '已办结')).toBeTruthy()
  })
})

describe('reports opened from legal aid and a pairing concern', () => {
  const fields = (doc: any) => ({ childId: doc.childId, kinds: doc.kinds, seen: doc.seen, when: doc.when, where: doc.where, dangerNow: doc.dangerNow })

  it('carry what a report typed by hand carries, pass the same validation, and tell the police where the child is and who to call', async () => {
    const GRANNY = 'demo-guardian-zhang'
    const la = (await callAs(cloud, GRANNY, 'legalaid', 'submit', { draft: { childId: 'child-02', matter: 'abuseOrViolence', people: '继父', story: '继父经常打孩子，身上有伤。', files: [] }, idempotencyKey: key() })).body
    expect(la.ok).toBe(true)
    await db().collection('pairings').add({ data: { _id: 'child-04:demo-vol-sun:test', childId: 'child-04', countyId: 'county-qs', townshipId: 'tw-sq', volunteerId: 'demo-vol-sun', volunteerName: '孙丽华', status: 'active', acceptedAt: new Date() } })
    const concern = (await callAs(cloud, 'demo-vol-sun', 'pairing', 'raiseConcern', { pairingId: 'child-04:demo-vol-sun:test', text: '孩子手臂上有新的淤青，说是被打的', harm: true, idempotencyKey: key() })).body.data
    expect(concern.reported).toBe(true)

    const fromLegalAid = (await db().collection('mandatoryReports').where({ 'origin.kind': 'legalaid', childId: 'child-02' }).get()).data[0]
    const fromPairing = (await db().collection('mandatoryReports').doc(concern.reportId).get()).data
    for (const [doc, intro, school, className, raisedByName] of [
      [fromLegalAid, '法律援助申请里写的情况：', '石桥镇中心小学', '二年级（1）班', '张桂兰'],
      [fromPairing, '结对志愿者反映：', '石桥镇中心小学', '六年级（2）班', '孙丽华']
    ] as const) {
      expect(ReportInput.safeParse(fields(doc)).success).toBe(true)
      expect(doc).toMatchObject({ dangerNow: false, raisedByName, when: today(), place: { school, className, township: '石桥镇' } })
      expect(doc.seen.split('\n')[0]).toMatch(new RegExp(`^\\d+月\\d+日 周. \\d\\d:\\d\\d ${intro}$`))
      const d = (await callAs(cloud, POLICE, 'safeguard', 'detail', { reportId: doc._id })).body.data
      expect(d.where).toBe(`孩子在${school}${className}上学，家在${d.place.township}${d.place.village}`)
      expect(d.contacts.map((c: any) => c.kind)).toEqual(expect.arrayContaining(['home', 'school']))
    }
    expect(fromLegalAid.seen).toContain('继父经常打孩子，身上有伤。')
    expect(fromPairing.seen).toContain('孩子手臂上有新的淤青，说是被打的')
  })

  it('shows the police where a child of a report typed by hand is, and who to call, from her file', async () => {
    const { id } = (await report(TEACHER)).body.data
    const d = (await callAs(cloud, POLICE, 'safeguard', 'detail', { reportId: id })).body.data
    expect(d.place).toEqual({ school: '石桥镇中心小学', className: '四年级（2）班', township: '石桥镇', village: '石桥村' })
    expect(d.contacts[0]).toMatchObject({ kind: 'home', phone: '13800001000', label: '奶奶/外婆 张桂兰（监护人，在家）' })
  })
})
