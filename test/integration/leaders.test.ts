/**
 * Leaders' 五个一 (docs/DOMAIN.md, "The plan"): a leader comes only by an admin's invitation, as staff do; registering
 * as a volunteer offers the other kinds only; the county's 五个一 list counts invited leaders' duties and nobody else's.
 */
import type { LocalCloud } from '../../localcloud'
import { callAs, startTestCloud } from '../support/localcloud'
import { key } from '../support/children'

let cloud: LocalCloud
const CIVIL = 'demo-admin-xu' // 民政局, 青山县
const JIANG = 'demo-vol-jiang' // a leader the county invited (seed)
const db = () => require('wx-server-sdk').database()
const registration = { gender: 'male', townshipIds: ['tw-sq'], capacity: 1, agreedToCode: true }
const leadersOfCounty = async () => (await callAs(cloud, CIVIL, 'oversight', 'overview')).body.data.leaders as Array<{ name: string, items: Array<{ item: string, done: boolean }> }>
const duty = { item: 'meeting', date: '2026-11-20', note: '召开全县留守儿童关爱专题会' }

beforeAll(async () => { cloud = await startTestCloud() }, 60000)
afterAll(async () => { await cloud?.close() })

describe('leaders come only by an admin\'s invitation', () => {
  it('refuses to let anyone register themselves as a leader, and writes nothing', async () => {
    const res = (await callAs(cloud, 'o-self-styled', 'pairing', 'register', { name: '自称领导', kind: 'leader', ...registration })).body
    expect(res.error).toMatchObject({ code: 'INVALID_INPUT', fields: { kind: '领导干部由管理员邀请，不能自己报名。请选择其他身份' } })
    expect((await db().collection('users').where({ _id: 'o-self-styled' }).count()).total).toBe(0)
    // An existing volunteer cannot turn leader either; the other kinds stay open to all (the control).
    expect((await callAs(cloud, 'demo-vol-sun', 'pairing', 'register', { name: '孙丽华', kind: 'leader', ...registration })).body.error.code).toBe('INVALID_INPUT')
    expect((await callAs(cloud, 'o-self-styled', 'pairing', 'register', { name: '自称领导', kind: 'elder', ...registration })).body.data.registered).toBe(true)
  })

  it('counts in the county\'s 五个一 list only the duties of leaders an admin invited', async () => {
    // A "leader" who registered himself before the rule: his grant and duties are in the store, and count for nothing.
    await db().collection('users').add({ data: { _id: 'o-old-leader', name: '老办法领导', roles: [{ role: 'volunteer', volunteerKind: 'leader', agency: 'civilAffairs', status: 'active' }] } })
    await db().collection('volunteerProfiles').add({ data: { _id: 'o-old-leader', kind: 'leader', agency: 'civilAffairs', gender: 'male', townshipIds: ['tw-sq'], capacity: 1 } })
    await db().collection('leaderDuties').add({ data: { _id: 'o-old-leader:meeting', openid: 'o-old-leader', ...duty, at: new Date() } })
    expect((await callAs(cloud, 'o-old-leader', 'oversight', 'recordDuty', duty)).body.error).toEqual({ code: 'FORBIDDEN', message: '“五个一”由领导干部记录' })
    const names = (await leadersOfCounty()).map((l) => l.name)
    expect(names).not.toContain('老办法领导')
    expect(names).toContain('蒋国平') // invited: counts
    expect((await callAs(cloud, JIANG, 'oversight', 'recordDuty', duty)).body.data).toEqual({ saved: true })
    expect((await leadersOfCounty()).find((l) => l.name === '蒋国平')!.items.find((i) => i.item === 'meeting')!.done).toBe(true)
  })

  it('makes a leader of whom an admin invites, at county level, whose duties then count', async () => {
    const options = (await callAs(cloud, CIVIL, 'account', 'inviteOptions')).body.data.options
    const leader = options.find((o: any) => o.role === 'leader')
    expect(leader).toMatchObject({ roleLabel: '领导干部（五个一）', places: [{ id: 'county-qs', name: '青山县', level: 'county' }] })
    const atTownship = (await callAs(cloud, CIVIL, 'account', 'createInvitation', { role: 'leader', scopeId: 'tw-sq', personName: '乡镇领导', idempotencyKey: key() })).body
    expect(atTownship.error.fields).toEqual({ scopeId: '领导干部（五个一）不能设在这一级' })
    const inv = (await callAs(cloud, CIVIL, 'account', 'createInvitation', { role: 'leader', scopeId: 'county-qs', personName: '新来的县长', idempotencyKey: key() })).body.data
    expect(inv).toMatchObject({ roleLabel: '领导干部（五个一）', scopeName: '青山县' })
    expect((await callAs(cloud, 'o-new-leader', 'account', 'acceptInvitation', { code: inv.code, phone: '13900002468' })).body.data).toEqual({ roleLabel: '领导干部（五个一）', scopeName: '青山县' })
    const me = (await callAs(cloud, 'o-new-leader', 'account', 'whoami')).body.data
    expect(me.roles).toEqual([expect.objectContaining({ role: 'volunteer', volunteerKind: 'leader', roleLabel: '领导干部（五个一）', invitedLeader: true, agency: 'civilAffairs' })])
    // Invited, he registers his pairing profile as a leader, and records his duties.
    expect((await callAs(cloud, 'o-new-leader', 'pairing', 'register', { name: '新来的县长', kind: 'leader', ...registration })).body.data.registered).toBe(true)
    expect((await callAs(cloud, 'o-new-leader', 'oversight', 'recordDuty', { ...duty, item: 'forum' })).body.data).toEqual({ saved: true })
    const mine = (await leadersOfCounty()).find((l) => l.name === '新来的县长')
    expect(mine!.items.find((i) => i.item === 'forum')!.done).toBe(true)
    // The admin who invited him can suspend the role; then his duties no longer count.
    const staff = (await callAs(cloud, CIVIL, 'account', 'listStaff')).body.data.staff.find((s: any) => s.openid === 'o-new-leader')
    expect(staff.roles[0].roleLabel).toBe('领导干部（五个一）')
    expect((await callAs(cloud, CIVIL, 'account', 'setRoleStatus', { openid: 'o-new-leader', roleIndex: staff.roles[0].index, status: 'suspended' })).body.data).toEqual({ status: 'suspended' })
    expect((await leadersOfCounty()).map((l) => l.name)).not.toContain('新来的县长')
  })
})
