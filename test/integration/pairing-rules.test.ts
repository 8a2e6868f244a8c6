/**
 * The pairing rules volunteers, families and admins ran into (爱心结对): safeguarding defaults on in every run and
 * explained, a logged relaxation for one pair, visits that count, contact after acceptance, expired offers. The
 * clock is frozen on Thursday 10 December 2026, so the children's ages are fixed (王小雨 is 10).
 */
import type { LocalCloud } from '../../localcloud'
import { callAs, startTestCloud } from '../support/localcloud'
import { key } from '../support/children'

let cloud: LocalCloud
const GUAN = 'demo-admin-guan' // 关工委 admin of the county: vets and matches the 五老 volunteers
const QIAN = 'demo-vol-qian' // 钱德明, a retired teacher (五老), male, capacity 3, both townships
const AUNT = 'o-aunt-liu' // a woman who registers with a declared conflict with 张桂兰's family
const [GRANNY, WANG, LI] = ['demo-guardian-zhang', 'demo-parent-wang', 'demo-parent-li'] // child-01's family
const db = () => require('wx-server-sdk').database()
const vet = (volunteerId: string) => callAs(cloud, GUAN, 'pairing', 'recordVetting', { volunteerId, checkDate: '2026-12-01', result: 'clear', checkedBy: '青山县公安局' })
const run = async (data: object = {}) => (await callAs(cloud, GUAN, 'pairing', 'runMatching', data)).body.data
const genders = async () => new Map((await db().collection('children').limit(100).get()).data.map((c: any) => [c._id, c]))
const inbox = async (openid: string): Promise<string[]> => (await db().collection('inbox').where({ to: openid }).limit(1000).get()).data.map((m: any) => `${m.title}｜${m.detail}`)
const auditOf = async (action: string): Promise<any[]> => (await db().collection('auditLog').where({ action }).limit(1000).get()).data

beforeAll(async () => {
  cloud = await startTestCloud()
  await cloud.clock.set('2026-12-10T10:00:00+08:00', { frozen: true })
  await vet(QIAN)
}, 60000)
afterAll(async () => { await cloud?.close() })

describe('safeguarding defaults, on in every run and explained on the matching page', () => {
  it('shows the defaults to the admin before any rule is set', async () => {
    const s = (await callAs(cloud, GUAN, 'pairing', 'safeguarding')).body.data
    expect(s.rules).toEqual([]) // nothing added by the admin
    expect(s.defaults.map((d: any) => d.words)).toEqual([
      expect.stringContaining('10岁及以上的女孩只由女性志愿者结对'),
      '志愿者的无犯罪记录审查必须有效（每年复查，未成年人保护法第六十二条）',
      '志愿者申报了利益冲突的家庭，不与其结对'
    ])
  })

  it('never pairs a male volunteer one-to-one with a girl of 10 or over in the default run, and says so for each girl', async () => {
    const r = await run()
    const kids = await genders()
    expect(r.pairs.length).toBeGreaterThan(0)
    for (const p of r.pairs.filter((x: any) => x.volunteerId === QIAN)) {
      const c: any = kids.get(p.childId)
      expect(c.gender === 'female' && c.birthDate <= '2016-12-10').toBe(false)
    }
    const mine = r.exclusions.filter((e: any) => e.volunteerId === QIAN)
    expect(mine.map((e: any) => e.childName).sort()).toEqual(['王小雨', '郑欣怡', '陈思琪', '马晓婷'].sort())
    expect(mine.find((e: any) => e.childId === 'child-01')).toMatchObject({ why: '王小雨（10岁女孩）不配钱德明（男）：10岁及以上的女孩只由女性志愿者结对', relaxable: true })
    expect(r.exclusionsTotal).toBe(r.exclusions.length)
  })

  it('leaves out a volunteer whose check is not done, saying why', async () => {
    await callAs(cloud, 'o-new-zhao', 'pairing', 'register', { name: '赵老伯', kind: 'elder', gender: 'male', townshipIds: ['tw-sq'], capacity: 1, agreedToCode: true })
    const r = await run()
    expect(r.excludedVolunteers).toContainEqual({ volunteerId: 'o-new-zhao', volunteerName: '赵老伯', why: '赵老伯：还没有审查，不参加匹配（未成年人保护法第六十二条）' })
    expect(r.pairs.some((p: any) => p.volunteerId === 'o-new-zhao')).toBe(false)
  })

  it('never pairs across a declared conflict, never relaxes one, and says so', async () => {
    const reg = await callAs(cloud, AUNT, 'pairing', 'register', { name: '刘阿姨', kind: 'elder', gender: 'female', townshipIds: ['tw-sq'], capacity: 2, phone: '13800009201', conflicts: ['张桂兰'], agreedToCode: true })
    expect(reg.body.data).toMatchObject({ registered: true })
    await vet(AUNT)
    const r = await run()
    expect(r.pairs.some((p: any) => p.volunteerId === AUNT && ['child-01', 'child-02'].includes(p.childId))).toBe(false)
    expect(r.exclusions.filter((e: any) => e.volunteerId === AUNT).map((e: any) => e.why)).toEqual([
      '王小雨（10岁女孩）不配刘阿姨（女）：志愿者申报了与孩子家有利益冲突（张桂兰）',
      '王小川（8岁男孩）不配刘阿姨（女）：志愿者申报了与孩子家有利益冲突（张桂兰）'
    ])
    const relax = (await callAs(cloud, GUAN, 'pairing', 'relaxSafeguard', { childId: 'child-01', volunteerId: AUNT, reason: '她是孩子的邻居，很熟悉' })).body.error
    expect(relax).toMatchObject({ code: 'CONFLICT', message: '志愿者申报了与孩子家有利益冲突（张桂兰），不能放宽' })
  })

  it('may pair a male volunteer with a 10-year-old girl once an admin relaxes the rule for that pairing, with a reason, logged', async () => {
    const short = (await callAs(cloud, GUAN, 'pairing', 'relaxSafeguard', { childId: 'child-01', volunteerId: QIAN, reason: '熟人' })).body.error
    expect(short.fields).toEqual({ reason: '请写明为什么可以放宽（至少6个字，会记录在案）' })
    expect((await callAs(cloud, 'demo-admin-ma', 'pairing', 'relaxSafeguard', { childId: 'child-01', volunteerId: QIAN, reason: '钱老师是孩子的小学班主任，家人同意' })).body.error.code).toBe('FORBIDDEN')
    expect((await callAs(cloud, GUAN, 'pairing', 'relaxSafeguard', { childId: 'child-01', volunteerId: QIAN, reason: '钱老师是孩子的小学班主任，奶奶请求由他结对，上门时奶奶在场' })).body.data).toEqual({ relaxed: true })
    expect(await auditOf('pairing.relaxSafeguard')).toEqual([expect.objectContaining({ actor: GUAN, childIds: ['child-01'], targetId: QIAN, what: expect.stringContaining('奶奶请求由他结对') })])
    expect((await callAs(cloud, GUAN, 'pairing', 'safeguarding')).body.data.relaxations).toEqual([expect.objectContaining({ childName: '王小雨', volunteerName: '钱德明', byName: '关爱华' })])
    const r = await run({ townshipId: 'tw-sq' })
    expect(r.exclusions.some((e: any) => e.childId === 'child-01' && e.volunteerId === QIAN)).toBe(false)
    expect(r.pairs).toContainEqual(expect.objectContaining({ childId: 'child-01', volunteerId: QIAN }))
    // The relaxation is for that pairing only: the other girls of 10 and over stay excluded.
    expect(r.exclusions.filter((e: any) => e.volunteerId === QIAN).map((e: any) => e.childName).sort()).toEqual(['郑欣怡', '陈思琪'].sort())
  })
})

describe('after acceptance the family knows the volunteer, and each side can call the other', () => {
  let offerId: string

  it('shows the volunteer the child masked before acceptance, and the family nothing yet', async () => {
    const r = await run({ townshipId: 'tw-sq' })
    expect((await callAs(cloud, GUAN, 'pairing', 'sendOffers', { runId: r.runId, childIds: ['child-01'] })).body.data).toEqual({ sent: 1 })
    const offers = (await callAs(cloud, QIAN, 'pairing', 'offers')).body.data.offers
    offerId = offers.find((o: any) => o.id.startsWith('child-01:')).id
    const shown = JSON.stringify(offers)
    expect(shown).toContain('王*雨')
    expect(shown).not.toMatch(/王小雨|张桂兰|1380000/)
    expect((await callAs(cloud, GRANNY, 'pairing', 'familyPairings')).body.data.pairings).toEqual([])
    expect((await callAs(cloud, GRANNY, 'pairing', 'callNumber', { pairingId: offerId })).body.error.code).toBe('NOT_FOUND')
    expect((await callAs(cloud, QIAN, 'pairing', 'callNumber', { pairingId: offerId })).body.error.code).toBe('NOT_FOUND')
  })

  it('tells the child\'s parents and guardian the volunteer\'s name, kind and agency once they accept', async () => {
    expect((await callAs(cloud, QIAN, 'pairing', 'respond', { offerId, accept: true })).body.data).toEqual({ status: 'active' })
    // The volunteer's answer does not wait for the family's notices: the scheduler tells them within the minute, once.
    expect(await inbox(GRANNY)).not.toContain('王小雨有了结对的爱心志愿者｜钱德明（五老志愿者，关工委）')
    await cloud.triggerTimer('scheduler', cloud.clock.now())
    await cloud.triggerTimer('scheduler', new Date(cloud.clock.now().getTime() + 60000))
    for (const who of [GRANNY, WANG, LI]) expect((await inbox(who)).filter((t) => t === '王小雨有了结对的爱心志愿者｜钱德明（五老志愿者，关工委）')).toHaveLength(1)
    const family = (await callAs(cloud, GRANNY, 'pairing', 'familyPairings')).body.data.pairings
    expect(family).toEqual([expect.objectContaining({ id: offerId, childName: '王小雨', volunteerName: '钱德明', kindLabel: '五老志愿者', agencyLabel: '关工委', status: 'active', canCall: true })])
    expect(JSON.stringify(family)).not.toContain('13800009103') // the number only by a call
  })

  it('gives each side the other\'s number for a call, each look logged; the volunteer sees the village and the guardian for visits', async () => {
    expect((await callAs(cloud, GRANNY, 'pairing', 'callNumber', { pairingId: offerId })).body.data).toEqual({ name: '钱德明', phone: '13800009103' })
    const mine = (await callAs(cloud, QIAN, 'pairing', 'myPairings')).body.data.pairings.find((p: any) => p.id === offerId)
    expect(mine.visit).toEqual({ villageName: '石桥村', guardianName: '张桂兰', guardianRelation: '奶奶/外婆' })
    expect((await callAs(cloud, QIAN, 'pairing', 'callNumber', { pairingId: offerId })).body.data).toEqual({ name: '张桂兰', phone: '13800001000' })
    expect((await auditOf('pairing.callNumber')).map((e) => [e.actor, e.childIds])).toEqual([[GRANNY, ['child-01']], [QIAN, ['child-01']]])
    expect((await callAs(cloud, 'demo-vol-sun', 'pairing', 'callNumber', { pairingId: offerId })).body.error.code).toBe('NOT_FOUND')
    expect((await callAs(cloud, 'demo-teacher-chen', 'pairing', 'callNumber', { pairingId: offerId })).body.error.code).toBe('FORBIDDEN')
  })
})

describe('a home visit counts only in person and within the pairing', () => {
  const pairingId = () => 'child-01:' + QIAN
  const log = async (over: object) => (await callAs(cloud, QIAN, 'pairing', 'logContact', { pairingId: (await mine()).id, kind: 'visit', mode: 'inPerson', date: '2026-12-10', note: '上门看望，奶奶在家', idempotencyKey: key(), ...over })).body
  const mine = async () => (await callAs(cloud, QIAN, 'pairing', 'myPairings')).body.data.pairings.find((p: any) => p.id.startsWith(pairingId()))

  it('does not count a "visit" made by phone', async () => {
    const res = await log({ mode: 'call', note: '打电话问候' })
    expect(res.error.fields).toEqual({ mode: '上门看望要当面去；打电话或视频请记为“谈心”' })
    expect((await mine()).rhythm.visitDone).toBe(false)
  })

  it('does not count a visit dated before the pairing began', async () => {
    const res = await log({ date: '2026-12-01' })
    expect(res.error.fields).toEqual({ date: '结对是12月10日开始的，不能记在那以前' })
    expect((await mine()).rhythm.visitDone).toBe(false)
  })

  it('counts an in-person visit within the pairing (the control)', async () => {
    expect((await log({})).data.rhythm).toMatchObject({ visitDone: true, talkDone: true })
    expect((await mine()).rhythm.visitDone).toBe(true)
  })
})

describe('an offer that expires', () => {
  it('is told to the admin who ran the matching, and the child goes back to the pool', async () => {
    const r = await run({ townshipId: 'tw-bs' })
    const pair = r.pairs[0]
    await callAs(cloud, GUAN, 'pairing', 'sendOffers', { runId: r.runId, childIds: [pair.childId] })
    expect((await run({ townshipId: 'tw-bs' })).pairs.some((p: any) => p.childId === pair.childId)).toBe(false) // on offer: not in the pool
    await cloud.clock.advance('P7DT1H')
    expect((await db().collection('pairings').where({ childId: pair.childId, status: 'expired' }).count()).total).toBe(1)
    expect(await inbox(GUAN)).toContain(`结对邀请已过期：${pair.childName}｜${pair.volunteerName}7天内没有答复，孩子已回到待结对名单，请重新匹配`)
    const again = await run({ townshipId: 'tw-bs' })
    expect([...again.pairs, ...again.unmatched].some((p: any) => p.childId === pair.childId)).toBe(true)
    await cloud.clock.advance('PT5M')
    expect((await inbox(GUAN)).filter((t) => t.startsWith('结对邀请已过期'))).toHaveLength(1) // told once
  })
})
