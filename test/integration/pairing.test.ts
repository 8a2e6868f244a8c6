/** 爱心结对 through the functions and the scheduler: registering, vetting, matching, offers, rhythm, timers. */
import type { LocalCloud } from '../../localcloud'
import { callAs, startTestCloud } from '../support/localcloud'
import { key } from '../support/children'

let cloud: LocalCloud
const GUAN = 'demo-admin-guan' // 关工委 admin of the county: vets and matches the 五老 volunteers
const MA = 'demo-admin-ma' // 妇联 admin
const QIAN = 'demo-vol-qian' // 钱德明, a retired teacher (五老), not yet vetted, capacity 3
const db = () => require('wx-server-sdk').database()
const count = async (coll: string, where: object = {}) => (await db().collection(coll).where(where).count()).total
const today = () => new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })
const vet = (admin: string, volunteerId: string, checkDate = today()) => callAs(cloud, admin, 'pairing', 'recordVetting', { volunteerId, checkDate, result: 'clear', checkedBy: '青山县公安局', trainingDate: checkDate })

beforeAll(async () => { cloud = await startTestCloud() }, 60000)
afterAll(async () => { await cloud?.close() })

describe('registering and vetting', () => {
  it('shows anyone the counties and townships to choose where they can visit', async () => {
    const res = (await callAs(cloud, 'o-new-elder', 'pairing', 'areas')).body.data
    expect(res.counties).toEqual([{ id: 'county-qs', name: '青山县', townships: [{ id: 'tw-bs', name: '白水乡' }, { id: 'tw-sq', name: '石桥镇' }] }])
  })

  it('lets anyone register as a volunteer who agrees to the code, and offers nothing before the vetting', async () => {
    const bad = (await callAs(cloud, 'o-new-elder', 'pairing', 'register', { name: '老周', kind: 'elder', gender: 'male', townshipIds: [], capacity: 5, agreedToCode: false })).body
    expect(bad.error.fields).toMatchObject({ townshipIds: '请至少选择一个能上门的乡镇', capacity: '最多同时结对3个孩子', agreedToCode: '请先阅读并同意志愿者守则' })
    const ok = (await callAs(cloud, 'o-new-elder', 'pairing', 'register', { name: '老周', kind: 'elder', gender: 'male', townshipIds: ['tw-bs'], capacity: 1, skills: ['tutoring'], agreedToCode: true })).body.data
    expect(ok).toEqual({ registered: true, vettingLabel: '还没有审查' })
    expect((await callAs(cloud, 'o-new-elder', 'account', 'whoami')).body.data.roles).toEqual([expect.objectContaining({ role: 'volunteer', volunteerKindLabel: '五老志愿者', agencyLabel: '关工委' })])
  })

  it('lets only an admin of the volunteer\'s agency record the check', async () => {
    expect((await vet(MA, QIAN)).body.error.code).toBe('FORBIDDEN')
    expect((await vet('demo-teacher-chen', QIAN)).body.error.code).toBe('FORBIDDEN')
    const bad = (await callAs(cloud, GUAN, 'pairing', 'recordVetting', { volunteerId: QIAN, checkDate: '2099-01-01', result: 'clear', checkedBy: '青山县公安局' })).body
    expect(bad.error.fields).toEqual({ checkDate: '审查日期不能晚于今天' })
    const res = (await vet(GUAN, QIAN)).body.data
    expect(res.vettingState).toBe('valid')
    const list = (await callAs(cloud, GUAN, 'pairing', 'volunteers')).body.data.volunteers
    expect(list.find((v: any) => v.id === QIAN)).toMatchObject({ name: '钱德明', vettingLabel: '审查有效', capacity: 3, active: 0 })
    expect(list.find((v: any) => v.id === 'o-new-elder')).toMatchObject({ vettingLabel: '还没有审查' })
    expect(list.some((v: any) => v.id === 'demo-vol-sun')).toBe(false) // 妇联's volunteer, not 关工委's
  })
})

describe('matching and offers', () => {
  let run: any

  it('proposes pairs that break no hard rule, explained in a line, and never an unvetted volunteer', async () => {
    await callAs(cloud, GUAN, 'pairing', 'setSafeguarding', { rules: [{ kind: 'womenOnlyForGirlsFrom', age: 10 }] })
    run = (await callAs(cloud, GUAN, 'pairing', 'runMatching', {})).body.data
    expect(run.pairs.length).toBe(3) // 钱德明 can take 3; the unvetted 老周 none
    expect(run.pairs.every((p: any) => p.volunteerId === QIAN)).toBe(true)
    for (const p of run.pairs) expect(p.explanation).toMatch(/[\u4e00-\u9fff]/)
    const kids = (await db().collection('children').where({ _id: db().command.in(run.pairs.map((p: any) => p.childId)) }).get()).data
    const age = (b: string) => Math.floor((Date.now() - new Date(b).getTime()) / (365.25 * 86400000))
    for (const k of kids) expect(k.gender === 'female' && age(k.birthDate) >= 10).toBe(false)
    expect(kids.every((k: any) => k.consent?.state === 'granted')).toBe(true)
    expect(run.unmatched.length).toBeGreaterThan(0)
    expect(run.unmatched[0].explanation).toMatch(/[\u4e00-\u9fff]/)
  })

  it('sends the offers; the volunteer sees the child masked and accepts; pressing twice makes one pairing', async () => {
    const [first, second] = run.pairs
    expect((await callAs(cloud, GUAN, 'pairing', 'sendOffers', { runId: run.runId, childIds: [first.childId, second.childId] })).body.data).toEqual({ sent: 2 })
    expect(cloud.outbox(QIAN).filter((m: any) => m.templateId === 'TPL_PAIRING_OFFER').length).toBe(2)
    const offers = (await callAs(cloud, QIAN, 'pairing', 'offers')).body.data.offers
    expect(offers.length).toBe(2)
    expect(offers[0].child.name).toMatch(/\*/)
    expect(JSON.stringify(offers)).not.toMatch(/1380000|idNumber|categories/)
    const [a, b] = await Promise.all([
      callAs(cloud, QIAN, 'pairing', 'respond', { offerId: offers[0].id, accept: true }),
      callAs(cloud, QIAN, 'pairing', 'respond', { offerId: offers[0].id, accept: true })
    ])
    expect([a.body.data?.status, b.body.data?.status]).toContain('active')
    expect(await count('pairings', { childId: offers[0].id.split(':')[0], status: 'active' })).toBe(1)
    expect(await count('pairingLocks', { volunteerId: QIAN })).toBe(1)
    expect((await callAs(cloud, QIAN, 'pairing', 'respond', { offerId: offers[1].id, accept: false, reason: '离得太远' })).body.data).toEqual({ status: 'declined' })
    const again = (await callAs(cloud, GUAN, 'pairing', 'runMatching', {})).body.data
    expect(again.pairs.some((p: any) => p.childId === second.childId && p.volunteerId === QIAN)).toBe(false) // a decline is not re-offered
    expect(again.pairs.some((p: any) => p.childId === first.childId)).toBe(false) // paired now
  })

  it('makes exactly one pairing when two offers race for a volunteer\'s last place', async () => {
    await callAs(cloud, 'o-one-place', 'pairing', 'register', { name: '老李', kind: 'elder', gender: 'female', townshipIds: ['tw-sq', 'tw-bs'], capacity: 1, agreedToCode: true })
    await vet(GUAN, 'o-one-place')
    const r = (await callAs(cloud, GUAN, 'pairing', 'runMatching', {})).body.data
    const mine = r.pairs.filter((p: any) => p.volunteerId === 'o-one-place')
    expect(mine.length).toBe(1)
    // A second offer to the same volunteer, as a run from another township might make.
    const other = r.unmatched[0] ?? r.pairs.find((p: any) => p.volunteerId !== 'o-one-place')
    await callAs(cloud, GUAN, 'pairing', 'sendOffers', { runId: r.runId, childIds: [mine[0].childId] })
    await db().collection('pairings').add({ data: { _id: `${other.childId}:o-one-place:manual`, childId: other.childId, volunteerId: 'o-one-place', volunteerName: '老李', status: 'offered', offeredAt: new Date(), expiresAt: new Date(Date.now() + 86400000) } })
    const offers = (await callAs(cloud, 'o-one-place', 'pairing', 'offers')).body.data.offers
    expect(offers.length).toBe(2)
    const results = await Promise.all(offers.map((o: any) => callAs(cloud, 'o-one-place', 'pairing', 'respond', { offerId: o.id, accept: true })))
    expect(results.filter((x) => x.body.ok).length).toBe(1)
    expect(results.find((x) => !x.body.ok)!.body.error.message).toMatch(/满了/)
    expect(await count('pairings', { volunteerId: 'o-one-place', status: 'active' })).toBe(1)
  })
})

describe('the pairing page: talks, visits, concerns, ending', () => {
  let pairingId: string
  let childId: string
  beforeAll(async () => {
    const p = (await callAs(cloud, QIAN, 'pairing', 'myPairings')).body.data.pairings[0]
    pairingId = p.id
    childId = pairingId.split(':')[0]
  })

  it('shows this month\'s talk and this quarter\'s visit as due, then done after logging them', async () => {
    const before = (await callAs(cloud, QIAN, 'pairing', 'myPairings')).body.data.pairings[0]
    expect(before.rhythm).toMatchObject({ talkDone: false, visitDone: false })
    expect(before.child.name).not.toMatch(/\*/)
    await callAs(cloud, QIAN, 'pairing', 'logContact', { pairingId, kind: 'talk', mode: 'call', date: today(), note: '聊了学校里的事', idempotencyKey: key() })
    const mid = (await callAs(cloud, QIAN, 'pairing', 'myPairings')).body.data.pairings[0].rhythm
    expect(mid).toMatchObject({ talkDone: true, visitDone: false })
    const res = (await callAs(cloud, QIAN, 'pairing', 'logContact', { pairingId, kind: 'visit', mode: 'inPerson', date: today(), note: '上门看望，带了课外书', idempotencyKey: key() })).body.data
    expect(res.rhythm).toMatchObject({ talkDone: true, visitDone: true })
    const future = (await callAs(cloud, QIAN, 'pairing', 'logContact', { pairingId, kind: 'talk', mode: 'call', date: '2099-01-01', note: '以后', idempotencyKey: key() })).body
    expect(future.error.fields).toEqual({ date: '不能记录以后的日子' })
    expect((await callAs(cloud, 'demo-vol-sun', 'pairing', 'logContact', { pairingId, kind: 'talk', mode: 'call', date: today(), note: '冒充', idempotencyKey: key() })).body.error.code).toBe('NOT_FOUND')
  })

  it('turns a concern about harm into a mandatory report, and tells the officer', async () => {
    const res = (await callAs(cloud, QIAN, 'pairing', 'raiseConcern', { pairingId, text: '孩子手臂上有新的淤青，说是被打的', harm: true, idempotencyKey: key() })).body.data
    expect(res.reported).toBe(true)
    expect(await count('mandatoryReports', { _id: res.reportId, 'origin.kind': 'pairing', childId })).toBe(1)
  })

  it('ends with a reason and puts the child back in the pool', async () => {
    expect((await callAs(cloud, QIAN, 'pairing', 'endPairing', { pairingId, reason: 'parentHome' })).body.data).toEqual({ status: 'ended' })
    expect(await count('pairingLocks', { _id: childId })).toBe(0)
    const r = (await callAs(cloud, GUAN, 'pairing', 'runMatching', {})).body.data
    expect([...r.pairs, ...r.unmatched].some((p: any) => p.childId === childId)).toBe(true)
  })
})

describe('timers', () => {
  it('expires offers after 7 days, putting the child back', async () => {
    const r = (await callAs(cloud, GUAN, 'pairing', 'runMatching', {})).body.data
    const pair = r.pairs[0]
    await callAs(cloud, GUAN, 'pairing', 'sendOffers', { runId: r.runId, childIds: [pair.childId] })
    await cloud.triggerTimer('scheduler', new Date(Date.now() + 8 * 86400000))
    expect(await count('pairings', { childId: pair.childId, status: 'expired' })).toBe(1)
  })

  it('reminds a month before the check expires, and puts pairings under review once it has', async () => {
    // 孙丽华 (妇联) was checked on 2026-03-01: valid through 2027-02-28.
    const child = 'child-19'
    await db().collection('pairings').add({ data: { _id: `${child}:demo-vol-sun:seed`, childId: child, volunteerId: 'demo-vol-sun', volunteerName: '孙丽华', status: 'active', acceptedAt: new Date('2026-04-01T00:00:00Z') } })
    const reminders = () => cloud.outbox('demo-vol-sun').filter((m: any) => JSON.stringify(m).includes('审查快到期')).length
    await cloud.triggerTimer('scheduler', new Date('2027-01-20T10:00:00+08:00'))
    await cloud.triggerTimer('scheduler', new Date('2027-02-10T10:00:00+08:00'))
    await cloud.triggerTimer('scheduler', new Date('2027-02-11T10:00:00+08:00'))
    expect(reminders()).toBe(1)
    expect(cloud.outbox(MA).some((m: any) => JSON.stringify(m).includes('审查快到期'))).toBe(true)
    await cloud.triggerTimer('scheduler', new Date('2027-03-02T10:00:00+08:00'))
    expect((await db().collection('pairings').doc(`${child}:demo-vol-sun:seed`).get()).data.status).toBe('review')
    expect(cloud.outbox('demo-cwo-zhao').some((m: any) => JSON.stringify(m).includes('审查已过期'))).toBe(true)
  })

  it('flags to the child-welfare officer a month that ended with no talk', async () => {
    await db().collection('pairings').add({ data: { _id: 'child-03:demo-teacher-lin:seed', childId: 'child-03', volunteerId: 'demo-teacher-lin', volunteerName: '林晓燕', status: 'active', acceptedAt: new Date('2026-09-15T00:00:00Z') } })
    await cloud.triggerTimer('scheduler', new Date('2026-12-02T10:00:00+08:00'))
    const flags = cloud.outbox('demo-cwo-zhao').filter((m: any) => JSON.stringify(m).includes('陈思琪的爱心家长2026-11没有谈心'))
    expect(flags.length).toBe(1)
  })
})
