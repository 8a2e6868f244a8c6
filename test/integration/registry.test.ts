/** 一人一档 through the functions on a fresh seeded local cloud: registering, viewing, binding, consent, lists, log. */
import type { LocalCloud } from '../../localcloud'
import { callAs, startTestCloud } from '../support/localcloud'
import { key, newChild } from '../support/children'

let cloud: LocalCloud
const OFFICER = 'demo-cwo-zhao' // 儿童主任 of 石桥村
const OTHER_OFFICER = 'demo-cwo-qian' // 儿童督导员 of 白水乡
const TEACHER = 'demo-teacher-chen' // 石桥镇中心小学
const OTHER_TEACHER = 'demo-teacher-lin' // 白水乡中心小学
const ADMIN = 'demo-admin-xu' // 民政局, 青山县

beforeAll(async () => { cloud = await startTestCloud() }, 60000)
afterAll(async () => { await cloud?.close() })

const db = () => require('wx-server-sdk').database()
const count = async (coll: string, where: object = {}) => (await db().collection(coll).where(where).count()).total

async function register (who: string, child = newChild()) {
  const res = await callAs(cloud, who, 'registry', 'createChild', { child, idempotencyKey: key() })
  return { child, res: res.body }
}

describe('registering a child', () => {
  it('lets the village officer register a child of their village, pending the guardian\'s consent', async () => {
    const { child, res } = await register(OFFICER)
    expect(res).toMatchObject({ ok: true, data: { created: true } })
    const file = (await callAs(cloud, OFFICER, 'registry', 'getChild', { childId: res.data.childId })).body.data
    expect(file).toMatchObject({ name: child.name, view: 'staff', school: { name: '石桥镇中心小学' }, village: { name: '石桥村' }, township: { name: '石桥镇' }, consent: { state: 'pending', stateLabel: '等待监护人同意' }, status: 'leftBehind' })
    expect(file.waivers.map((w: any) => w.label)).toEqual(['学校研学活动费用减免', '综合实践活动费用减免', '校内课后托管优先、免费'])
    expect(file.idNumberMasked).toMatch(/^350\*+\w{4}$/)
    expect(file.guardian.phoneMasked).toBe('138****2001')
    expect(file.statusHistory).toEqual([expect.objectContaining({ status: 'leftBehind', reason: '登记建档', byName: '赵春梅' })])
  })

  it('shows a likely duplicate before making a second file, and makes it only when told they differ', async () => {
    const { child } = await register(OFFICER)
    const before = await count('children')
    const again = { ...child, idNumber: undefined }
    const k = key()
    const dup = (await callAs(cloud, OFFICER, 'registry', 'createChild', { child: again, idempotencyKey: k })).body
    expect(dup).toMatchObject({ ok: true, data: { created: false, duplicates: [{ name: child.name, birthDate: child.birthDate, schoolName: '石桥镇中心小学', sameIdNumber: false }] } })
    expect(await count('children')).toBe(before)
    const confirmed = (await callAs(cloud, OFFICER, 'registry', 'createChild', { child: again, confirmNotDuplicate: true, idempotencyKey: k })).body
    expect(confirmed.data.created).toBe(true)
    expect(await count('children')).toBe(before + 1)
  })

  it('finds a duplicate by ID number even under another name', async () => {
    const { child } = await register(OFFICER)
    const dup = (await callAs(cloud, OFFICER, 'registry', 'createChild', { child: { ...child, name: '改了名字' }, idempotencyKey: key() })).body
    expect(dup.data.duplicates[0]).toMatchObject({ name: child.name, sameIdNumber: true })
  })

  it('makes one file for a retried request with the same idempotency key', async () => {
    const child = newChild()
    const k = key()
    const before = await count('children')
    const [a, b] = await Promise.all([
      callAs(cloud, OFFICER, 'registry', 'createChild', { child, idempotencyKey: k }),
      callAs(cloud, OFFICER, 'registry', 'createChild', { child, idempotencyKey: k })
    ])
    const third = await callAs(cloud, OFFICER, 'registry', 'createChild', { child, idempotencyKey: k })
    expect(await count('children')).toBe(before + 1)
    const ids = [a, b, third].filter((r) => r.body.ok).map((r) => r.body.data.childId)
    expect(new Set(ids).size).toBe(1)
    // A retry that lands while the first is still running is told to wait, never given a second file.
    for (const r of [a, b]) if (!r.body.ok) expect(r.body.error.code).toBe('CONFLICT')
  })

  it('names each bad field and writes nothing', async () => {
    const before = await count('children')
    const bad = newChild({ birthDate: '2026-02-30', guardian: { name: '', relation: 'grandmother', phone: '12345' }, idNumber: '350423201703010010' })
    const res = (await callAs(cloud, OFFICER, 'registry', 'createChild', { child: bad, idempotencyKey: key() })).body
    expect(res.ok).toBe(false)
    expect(res.error.code).toBe('INVALID_INPUT')
    expect(res.error.fields).toMatchObject({ 'child.birthDate': '没有这一天，请核对日期', 'child.guardian.name': '请填写姓名', 'child.guardian.phone': '手机号应是11位数字，以1开头', 'child.idNumber': expect.stringContaining('身份证号不对') })
    expect(await count('children')).toBe(before)
  })

  it('refuses an unknown village or school by name of the field', async () => {
    const res = (await callAs(cloud, OFFICER, 'registry', 'createChild', { child: newChild({ villageId: 'vil-nowhere' }), idempotencyKey: key() })).body
    expect(res.error).toMatchObject({ code: 'INVALID_INPUT', fields: { 'child.villageId': '没有这个地方，请重新选择' } })
  })

  it('refuses an officer or teacher registering outside their area, writing nothing', async () => {
    const before = await count('children')
    for (const who of [OTHER_OFFICER, OTHER_TEACHER]) {
      const res = (await register(who)).res
      expect(res.error.code).toBe('FORBIDDEN')
    }
    expect(await count('children')).toBe(before)
    expect((await register(TEACHER)).res.data.created).toBe(true)
  })

  it('keeps the ID number when a teacher, who cannot see it whole, saves the form without it', async () => {
    const { child, res } = await register(OFFICER)
    const { idNumber: _omit, ...withoutId } = child
    const edit = (await callAs(cloud, TEACHER, 'registry', 'updateChild', { childId: res.data.childId, child: { ...withoutId, className: '三年级（2）班' } })).body
    expect(edit.ok).toBe(true)
    const stored = (await require('wx-server-sdk').database().collection('children').doc(res.data.childId).get()).data
    expect(stored).toMatchObject({ idNumber: child.idNumber, className: '三年级（2）班' })
  })

  it('records a change of left-behind status with its reason in the history', async () => {
    const { res } = await register(OFFICER)
    const change = { status: 'parentReturned', reason: '妈妈回乡在镇上工厂上班', effectiveDate: '2026-11-20' }
    expect((await callAs(cloud, OFFICER, 'registry', 'changeStatus', { childId: res.data.childId, change })).body).toEqual({ ok: true, data: { status: 'parentReturned' } })
    const file = (await callAs(cloud, OFFICER, 'registry', 'getChild', { childId: res.data.childId })).body.data
    expect(file.statusLabel).toBe('父母已返乡')
    expect(file.statusHistory.map((h: any) => h.reason)).toEqual(['登记建档', '妈妈回乡在镇上工厂上班'])
  })
})

describe('who sees a child', () => {
  let childId: string
  beforeAll(async () => { childId = (await register(OFFICER)).res.data.childId })

  it.each([
    [OFFICER, 'staff'], [TEACHER, 'staff'], [ADMIN, 'staff']
  ])('%s sees the file as %s', async (who, view) => {
    const res = (await callAs(cloud, who, 'registry', 'getChild', { childId })).body
    expect(res.data.view).toBe(view)
  })

  it.each([
    ['a teacher of another school', OTHER_TEACHER], ['an officer of another township', OTHER_OFFICER],
    ['a volunteer who is not paired', 'demo-vol-zhou'], ['a parent who is not bound', 'demo-parent-wang'],
    ['a police liaison', 'demo-police-zhou'], ['a lawyer', 'demo-lawyer-zheng'], ['a counsellor', 'demo-counselor-liu']
  ])('refuses %s', async (_who, openid) => {
    const res = (await callAs(cloud, openid, 'registry', 'getChild', { childId })).body
    expect(res).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: '您没有权限查看这个孩子的信息' } })
  })

  it('answers an id that does not exist exactly as a refusal, so ids cannot be probed', async () => {
    const res = (await callAs(cloud, OTHER_TEACHER, 'registry', 'getChild', { childId: 'child-does-not-exist' })).body
    expect(res).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: '您没有权限查看这个孩子的信息' } })
  })

  it('shows a paired volunteer only what a volunteer needs', async () => {
    await db().collection('pairings').add({ data: { _id: `${childId}:demo-vol-sun`, childId, volunteerId: 'demo-vol-sun', status: 'active' } })
    const file = (await callAs(cloud, 'demo-vol-sun', 'registry', 'getChild', { childId })).body.data
    expect(file.view).toBe('volunteer')
    expect(file.birthDate).toBeUndefined()
    expect(file.idNumberMasked).toBeUndefined()
    expect(file.grid).toBeUndefined()
    expect(file.categories).toBeUndefined()
    expect(file.waivers).toBeUndefined()
    expect(file.statusHistory).toBeUndefined()
    expect(file.village.name).toBe('石桥村')
    expect(file.may).toEqual({ edit: false, revealId: false, revealPhone: false, makeBindingCode: false, consent: false, requestDeletion: false })
  })

  it('shows whole numbers only on an explicit, logged request by an entitled role', async () => {
    const logBefore = await count('auditLog', { action: 'registry.reveal' })
    expect((await callAs(cloud, OFFICER, 'registry', 'reveal', { childId, field: 'guardianPhone' })).body).toEqual({ ok: true, data: { value: '13800002001' } })
    expect((await callAs(cloud, OFFICER, 'registry', 'reveal', { childId, field: 'idNumber' })).body.data.value).toMatch(/^350423\d{11}[\dX]$/)
    expect((await callAs(cloud, TEACHER, 'registry', 'reveal', { childId, field: 'parentPhone', parentIndex: 0 })).body.data.value).toBe('13800002002')
    expect((await callAs(cloud, TEACHER, 'registry', 'reveal', { childId, field: 'idNumber' })).body.error.code).toBe('FORBIDDEN')
    expect((await callAs(cloud, 'demo-vol-sun', 'registry', 'reveal', { childId, field: 'guardianPhone' })).body.error.code).toBe('FORBIDDEN')
    expect(await count('auditLog', { action: 'registry.reveal' })).toBe(logBefore + 3)
  })

  it('logs every read of the file with who, which child, what and when', async () => {
    const before = await count('auditLog', { childIds: childId, actor: TEACHER, action: 'registry.getChild' })
    await callAs(cloud, TEACHER, 'registry', 'getChild', { childId })
    const entries = (await db().collection('auditLog').where({ childIds: childId, actor: TEACHER, action: 'registry.getChild' }).get()).data
    expect(entries.length).toBe(before + 1)
    expect(entries[0]).toMatchObject({ actorName: '陈丽', roles: ['teacher'], what: '查看孩子档案', countyIds: ['county-qs'] })
    expect(entries[0].at).toBeInstanceOf(Date)
  })
})

describe('binding codes and consent', () => {
  let childId: string
  let birthDate: string
  beforeAll(async () => {
    const r = await register(OFFICER)
    childId = r.res.data.childId
    birthDate = r.child.birthDate
  })

  const makeCode = async (role: string, relation: string, personName: string) =>
    (await callAs(cloud, OFFICER, 'registry', 'createBindingCode', { childId, role, relation, personName, idempotencyKey: key() })).body.data

  it('lets a new WeChat user bind as guardian with the code and the child\'s birth date, then consent', async () => {
    const { code, expiresAt } = await makeCode('guardian', 'grandmother', '刘奶奶')
    expect(code).toMatch(/^\d{8}$/)
    const days = (new Date(expiresAt).getTime() - Date.now()) / 86400000
    expect(days).toBeGreaterThan(6.9)
    expect(days).toBeLessThanOrEqual(7)
    const granny = 'o-new-granny-1'
    expect((await callAs(cloud, granny, 'account', 'whoami')).body.data).toEqual({ registered: false })
    const wrong = (await callAs(cloud, granny, 'registry', 'redeemBindingCode', { code, childBirthDate: '2010-01-01' })).body
    expect(wrong.error).toMatchObject({ code: 'INVALID_INPUT', fields: { childBirthDate: '孩子的出生日期不对，还可以再试4次' } })
    const ok = (await callAs(cloud, granny, 'registry', 'redeemBindingCode', { code, childBirthDate: birthDate })).body
    expect(ok.data).toMatchObject({ childId, role: 'guardian', needsConsent: true })
    const me = (await callAs(cloud, granny, 'account', 'whoami')).body.data
    expect(me).toMatchObject({ registered: true, name: '刘奶奶', roles: [{ role: 'guardian' }], children: [{ id: childId, relationLabel: '奶奶/外婆' }] })

    const form = (await callAs(cloud, granny, 'registry', 'consentForm', { childId })).body.data
    expect(form.state).toBe('pending')
    expect(form.sections.map((s: any) => s.heading)).toEqual(['为什么登记', '登记哪些信息', '谁能看到', '谁来决定', '保存多久', '怎样删除', '可以不同意'])
    const stale = (await callAs(cloud, granny, 'registry', 'giveConsent', { childId, decision: 'granted', version: 'old' })).body
    expect(stale.error.fields).toEqual({ version: '同意书已更新' })
    expect((await callAs(cloud, granny, 'registry', 'giveConsent', { childId, decision: 'granted', version: form.version })).body.data).toEqual({ state: 'granted' })
    const file = (await callAs(cloud, OFFICER, 'registry', 'getChild', { childId })).body.data
    expect(file.consent).toMatchObject({ state: 'granted', version: form.version })
    expect(new Date(file.consent.at).getTime()).toBeGreaterThan(Date.now() - 60000)
  })

  it('uses a code once', async () => {
    const { code } = await makeCode('parent', 'mother', '刘妈妈')
    expect((await callAs(cloud, 'o-mum-1', 'registry', 'redeemBindingCode', { code, childBirthDate: birthDate })).body.ok).toBe(true)
    const again = (await callAs(cloud, 'o-mum-2', 'registry', 'redeemBindingCode', { code, childBirthDate: birthDate })).body
    expect(again.error.message).toBe('这个绑定码刚刚已被使用，请向老师或儿童主任要一个新的')
  })

  it('binds one of two people pressing the same code at the same moment', async () => {
    const { code } = await makeCode('parent', 'father', '刘爸爸')
    const results = await Promise.all(['o-race-a', 'o-race-b', 'o-race-c'].map((o) => callAs(cloud, o, 'registry', 'redeemBindingCode', { code, childBirthDate: birthDate })))
    expect(results.filter((r) => r.body.ok).length).toBe(1)
    for (const r of results.filter((x) => !x.body.ok)) expect(r.body.error.message).toMatch(/刚刚已被使用/)
    expect(await count('bindings', { childId, relation: 'father' })).toBe(1)
  })

  it('voids a code after 5 wrong birth dates', async () => {
    const { code } = await makeCode('parent', 'father', '试错爸爸')
    for (let i = 0; i < 5; i++) await callAs(cloud, 'o-guesser', 'registry', 'redeemBindingCode', { code, childBirthDate: '2011-01-0' + (i + 1) })
    const res = (await callAs(cloud, 'o-guesser-2', 'registry', 'redeemBindingCode', { code, childBirthDate: birthDate })).body
    expect(res.error.message).toBe('这个绑定码输错次数太多，已失效，请向老师或儿童主任要一个新的')
  })

  it('stops one WeChat account guessing codes after 10 wrong ones in a day', async () => {
    for (let i = 0; i < 10; i++) {
      const r = (await callAs(cloud, 'o-brute', 'registry', 'redeemBindingCode', { code: String(10000000 + i), childBirthDate: birthDate })).body
      expect(r.error.fields).toEqual({ code: '没有这个绑定码，请核对8位数字' })
    }
    const blocked = (await callAs(cloud, 'o-brute', 'registry', 'redeemBindingCode', { code: '10000011', childBirthDate: birthDate })).body
    expect(blocked.error).toMatchObject({ code: 'FORBIDDEN', message: '今天输错的次数太多了，请明天再试，或请老师、儿童主任帮忙' })
  })

  it('shows a bound parent the file masked, with no way to reveal or edit, and her say on consent and deletion', async () => {
    const file = (await callAs(cloud, 'o-mum-1', 'registry', 'getChild', { childId })).body.data
    expect(file.view).toBe('family')
    expect(file.guardian.phoneMasked).toBe('138****2001')
    expect(file.idNumberMasked).toMatch(/\*{6,}/)
    expect(file.may).toEqual({ edit: false, revealId: false, revealPhone: false, makeBindingCode: false, consent: true, requestDeletion: true })
    expect((await callAs(cloud, 'o-mum-1', 'registry', 'reveal', { childId, field: 'guardianPhone' })).body.error.code).toBe('FORBIDDEN')
  })

  it('respects a refusal: only the minimum record is kept, with the categories that give the fee waivers', async () => {
    const { res, child } = await register(OFFICER)
    const code = (await callAs(cloud, OFFICER, 'registry', 'createBindingCode', { childId: res.data.childId, role: 'guardian', relation: 'grandfather', personName: '不同意爷爷', idempotencyKey: key() })).body.data.code
    await callAs(cloud, 'o-refuser', 'registry', 'redeemBindingCode', { code, childBirthDate: child.birthDate })
    expect((await callAs(cloud, 'o-refuser', 'registry', 'giveConsent', { childId: res.data.childId, decision: 'refused', version: '2026-12-v2' })).body.data).toEqual({ state: 'refused' })
    const stored = (await db().collection('children').doc(res.data.childId).get()).data
    expect(stored.idNumber).toBeUndefined()
    expect(stored.guardian).toBeUndefined()
    expect(stored.parents).toBeUndefined()
    expect(stored.categories).toEqual(['lowIncome'])
    expect(stored).toMatchObject({ name: child.name, schoolId: 'sch-sq', villageId: 'vil-sq', consent: { state: 'refused' } })
    const edit = (await callAs(cloud, OFFICER, 'registry', 'updateChild', { childId: res.data.childId, child })).body
    expect(edit.error.code).toBe('FORBIDDEN')
  })
})

describe('the registry list, export and access log', () => {
  it('lists only the children of the caller\'s area, with paging and masked phones', async () => {
    const teacher = (await callAs(cloud, TEACHER, 'registry', 'listChildren', { pageSize: 5 })).body.data
    expect(teacher.items.length).toBe(5)
    expect(teacher.items.every((i: any) => i.schoolName === '石桥镇中心小学')).toBe(true)
    expect(teacher.items.every((i: any) => /^138\*{4}\d{4}$/.test(i.guardianPhoneMasked))).toBe(true)
    const page2 = (await callAs(cloud, TEACHER, 'registry', 'listChildren', { pageSize: 5, page: 2 })).body.data
    expect(page2.items.map((i: any) => i.id)).not.toContain(teacher.items[0].id)
    expect(teacher.total).toBe(page2.total)
    const bs = (await callAs(cloud, OTHER_OFFICER, 'registry', 'listChildren', {})).body.data
    expect(bs.items.every((i: any) => ['白水村', '竹坑村'].includes(i.villageName))).toBe(true)
    expect(bs.total).toBe(10) // the demo county's children of 白水乡
    const county = (await callAs(cloud, ADMIN, 'registry', 'listChildren', { pageSize: 50 })).body.data
    expect(county.total).toBeGreaterThan(teacher.total)
  })

  it('filters by name, school, status, category and "no call this week"', async () => {
    const byName = (await callAs(cloud, ADMIN, 'registry', 'listChildren', { name: '王小' })).body.data
    expect(byName.items.map((i: any) => i.name).sort()).toEqual(['王小川', '王小雨'])
    const orphanOrDisabled = (await callAs(cloud, ADMIN, 'registry', 'listChildren', { category: 'disabled' })).body.data
    expect(orphanOrDisabled.items.map((i: any) => i.name).sort()).toEqual(['郑欣怡', '黄雨欣'])
    const school = (await callAs(cloud, ADMIN, 'registry', 'listChildren', { schoolId: 'sch-qs2', pageSize: 50 })).body.data
    expect(school.items.every((i: any) => i.schoolName === '青山县第二中学')).toBe(true)
    await db().collection('children').doc('child-03').update({ data: { lastHeldCallAt: new Date() } })
    const noCall = (await callAs(cloud, ADMIN, 'registry', 'listChildren', { noContactThisWeek: true, pageSize: 50 })).body.data
    expect(noCall.items.map((i: any) => i.id)).not.toContain('child-03')
    expect(noCall.items.map((i: any) => i.id)).toContain('child-04')
  })

  it('filters by township within the caller\'s areas, and lists nobody for a township outside them', async () => {
    const list = async (who: string, f: object) => (await callAs(cloud, who, 'registry', 'listChildren', { pageSize: 50, ...f })).body.data
    const options = async (who: string) => (await callAs(cloud, who, 'registry', 'options', {})).body.data
    // The county's 民政 admin keeps the list (filters by both townships and each one's schools) but registers nobody.
    const county = await options(ADMIN)
    expect(county.mayRegister).toBe(false)
    expect(county.townships.map((t: any) => t.name).sort()).toEqual(['白水乡', '石桥镇'].sort())
    expect(county.schools.filter((s: any) => s.townshipId === 'tw-sq').map((s: any) => s.name).sort()).toEqual(['石桥镇中心小学', '青山县第二中学'].sort())
    // A township's officer is offered her township only (and so no choice); a village's officer and a teacher none.
    expect((await options(OTHER_OFFICER)).townships.map((t: any) => t.name)).toEqual(['白水乡'])
    expect((await options(OFFICER)).townships).toEqual([])
    expect(await options(TEACHER)).toMatchObject({ mayRegister: true, townships: [] })

    const all = await list(ADMIN, {})
    const bs = await list(ADMIN, { townshipId: 'tw-bs' })
    expect(bs.total).toBe(10)
    expect(bs.items.every((i: any) => ['白水村', '竹坑村'].includes(i.villageName))).toBe(true)
    const sq = await list(ADMIN, { townshipId: 'tw-sq', schoolId: 'sch-sq' })
    expect(sq.items.length).toBeGreaterThan(0)
    expect(sq.items.every((i: any) => ['石桥村', '岭下村'].includes(i.villageName) && i.schoolName === '石桥镇中心小学')).toBe(true)
    expect((await list(ADMIN, { townshipId: 'tw-sq' })).total + bs.total).toBe(all.total)

    // Outside the caller's areas: no child, whatever the township.
    for (const [who, township] of [[OTHER_OFFICER, 'tw-sq'], ['demo-admin-sq', 'tw-bs'], [OFFICER, 'tw-bs'], [TEACHER, 'tw-nowhere']]) {
      expect(await list(who, { townshipId: township })).toMatchObject({ items: [], total: 0 })
    }
    expect((await callAs(cloud, OTHER_OFFICER, 'registry', 'exportChildren', { townshipId: 'tw-sq' })).body.data.rows).toBe(0)
    expect((await callAs(cloud, ADMIN, 'registry', 'exportChildren', { townshipId: 'tw-bs' })).body.data.rows).toBe(10)
  })

  it('exports the area\'s list as CSV, masked, without ID numbers', async () => {
    const res = (await callAs(cloud, OTHER_OFFICER, 'registry', 'exportChildren', {})).body.data
    const lines = res.csv.replace(/^\ufeff/, '').trim().split('\r\n')
    expect(lines[0]).toBe('姓名,性别,年龄,学校,班级,村,留守状态,困难类别,监护人同意,监护人,监护人电话,最近通话')
    expect(lines.length).toBe(res.rows + 1)
    expect(res.rows).toBe(10)
    expect(res.csv).not.toMatch(/1380000\d{4}/)
    expect(res.csv).toContain('朱晨阳')
    expect(res.csv).not.toContain('王小雨')
  })

  it('lets a county admin read the log of their area, and nobody else', async () => {
    const log = (await callAs(cloud, ADMIN, 'registry', 'accessLog', { pageSize: 50 })).body.data
    expect(log.items.length).toBeGreaterThan(0)
    expect(log.items.some((e: any) => e.action === 'registry.reveal' && e.actorName === '赵春梅')).toBe(true)
    for (const who of [OFFICER, TEACHER, 'demo-parent-wang']) {
      expect((await callAs(cloud, who, 'registry', 'accessLog', {})).body.error.code).toBe('FORBIDDEN')
    }
  })
})
