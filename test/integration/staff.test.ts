/** Staff accounts by invitation from an admin of the right agency and scope; suspending a role. */
import type { LocalCloud } from '../../localcloud'
import { callAs, startTestCloud } from '../support/localcloud'
import { key } from '../support/children'

let cloud: LocalCloud
beforeAll(async () => { cloud = await startTestCloud() }, 60000)
afterAll(async () => { await cloud?.close() })

const invite = async (admin: string, role: string, scopeId: string, personName: string) =>
  (await callAs(cloud, admin, 'account', 'createInvitation', { role, scopeId, personName, idempotencyKey: key() })).body

describe('invitations', () => {
  it('offers each admin only the roles of their agency, at places inside their scope', async () => {
    const civil = (await callAs(cloud, 'demo-admin-xu', 'account', 'inviteOptions')).body.data.options
    expect(civil.map((o: any) => o.role).sort()).toEqual(['admin', 'childWelfareOfficer', 'leader'])
    const cwo = civil.find((o: any) => o.role === 'childWelfareOfficer')
    expect(cwo.places.map((p: any) => p.name)).toEqual(expect.arrayContaining(['石桥村', '白水乡']))
    expect(cwo.places.every((p: any) => ['village', 'township'].includes(p.level))).toBe(true)
    const justice = (await callAs(cloud, 'demo-admin-tang', 'account', 'inviteOptions')).body.data.options
    expect(justice.find((o: any) => o.role === 'lawyer').places.map((p: any) => p.name)).toEqual(['青山县法律援助中心'])
  })

  it('turns an accepted invitation into a staff role that works at once', async () => {
    const inv = await invite('demo-admin-xu', 'childWelfareOfficer', 'vil-lx', '新主任')
    expect(inv.data).toMatchObject({ roleLabel: '儿童主任', scopeName: '岭下村' })
    const openid = 'o-new-cwo'
    const accepted = (await callAs(cloud, openid, 'account', 'acceptInvitation', { code: inv.data.code, phone: '13900001234' })).body
    expect(accepted.data).toEqual({ roleLabel: '儿童主任', scopeName: '岭下村' })
    const me = (await callAs(cloud, openid, 'account', 'whoami')).body.data
    expect(me).toMatchObject({ name: '新主任', roles: [{ role: 'childWelfareOfficer', scope: { name: '岭下村' } }] })
    // The phone given on accepting backs up urgent alerts by SMS; the 接收提醒 page shows it masked.
    expect((await callAs(cloud, openid, 'account', 'alertSettings')).body.data.phone).toBe('139****1234')
    const list = (await callAs(cloud, openid, 'registry', 'listChildren', { pageSize: 50 })).body.data
    expect(list.items.length).toBeGreaterThan(0)
    expect(list.items.every((i: any) => i.villageName === '岭下村')).toBe(true)
    expect((await callAs(cloud, 'o-other', 'account', 'acceptInvitation', { code: inv.data.code, phone: '13900001234' })).body.error.message).toBe('这个邀请码刚刚已被使用，请管理员重新邀请')
  })

  it('asks for a mobile number with the invitation code, naming the field when it is not one', async () => {
    const inv = await invite('demo-admin-xu', 'childWelfareOfficer', 'vil-lx', '又一位主任')
    for (const phone of [undefined, '12345', '2390000123']) {
      const res = (await callAs(cloud, 'o-no-phone', 'account', 'acceptInvitation', { code: inv.data.code, ...(phone ? { phone } : {}) })).body
      expect(res.error).toMatchObject({ code: 'INVALID_INPUT', fields: { phone: expect.any(String) } })
    }
    expect((await callAs(cloud, 'o-no-phone', 'account', 'whoami')).body.data.registered).toBe(false)
  })

  it('adds a role to a person who already has one (a teacher who becomes a child-welfare officer)', async () => {
    const inv = await invite('demo-admin-xu', 'childWelfareOfficer', 'vil-lx', '陈丽')
    await callAs(cloud, 'demo-teacher-chen', 'account', 'acceptInvitation', { code: inv.data.code, phone: '13900001234' })
    const me = (await callAs(cloud, 'demo-teacher-chen', 'account', 'whoami')).body.data
    expect(me.roles.map((r: any) => r.role)).toEqual(['teacher', 'childWelfareOfficer'])
  })

  it('refuses a role outside the admin\'s agency line or at the wrong level, naming why', async () => {
    expect((await invite('demo-admin-xu', 'police', 'jur-sq', '某警官')).error).toMatchObject({ code: 'FORBIDDEN' })
    expect((await invite('demo-admin-ma', 'childWelfareOfficer', 'vil-sq', '某人')).error.code).toBe('FORBIDDEN')
    expect((await invite('demo-admin-xu', 'childWelfareOfficer', 'sch-sq', '某人')).error).toMatchObject({ code: 'INVALID_INPUT', fields: { scopeId: '儿童主任不能设在这一级' } })
    expect((await invite('demo-admin-xu', 'childWelfareOfficer', 'vil-nowhere', '某人')).error.fields).toEqual({ scopeId: '没有这个单位或地区' })
  })

  it('refuses invitations from anyone but an admin', async () => {
    for (const who of ['demo-teacher-chen', 'demo-cwo-zhao', 'demo-parent-wang', 'demo-vol-qian']) {
      const res = (await callAs(cloud, who, 'account', 'createInvitation', { role: 'teacher', scopeId: 'sch-sq', personName: 'x', idempotencyKey: key() })).body
      expect(res.error.code).toBe('FORBIDDEN')
    }
    expect((await callAs(cloud, 'o-stranger', 'account', 'listStaff')).body.error.code).toBe('NOT_REGISTERED')
  })
})

describe('suspending a role', () => {
  it('lets the admin of the line suspend and restore a role; a suspended role opens nothing', async () => {
    const staff = (await callAs(cloud, 'demo-admin-xu', 'account', 'listStaff')).body.data.staff
    const zhao = staff.find((s: any) => s.openid === 'demo-cwo-zhao')
    expect(zhao.roles).toEqual([expect.objectContaining({ role: 'childWelfareOfficer', index: 0, status: 'active' })])
    expect(staff.some((s: any) => s.openid === 'demo-teacher-chen' && s.roles.some((r: any) => r.role === 'teacher'))).toBe(false)

    expect((await callAs(cloud, 'demo-admin-xu', 'account', 'setRoleStatus', { openid: 'demo-cwo-zhao', roleIndex: 0, status: 'suspended' })).body.data).toEqual({ status: 'suspended' })
    expect((await callAs(cloud, 'demo-cwo-zhao', 'registry', 'listChildren', {})).body.error.code).toBe('FORBIDDEN')
    const me = (await callAs(cloud, 'demo-cwo-zhao', 'account', 'whoami')).body.data
    expect(me.roles[0].status).toBe('suspended')
    await callAs(cloud, 'demo-admin-xu', 'account', 'setRoleStatus', { openid: 'demo-cwo-zhao', roleIndex: 0, status: 'active' })
    expect((await callAs(cloud, 'demo-cwo-zhao', 'registry', 'listChildren', {})).body.ok).toBe(true)
  })

  it('refuses suspending a role of another agency\'s line, or one\'s own', async () => {
    expect((await callAs(cloud, 'demo-admin-ma', 'account', 'setRoleStatus', { openid: 'demo-cwo-zhao', roleIndex: 0, status: 'suspended' })).body.error.code).toBe('FORBIDDEN')
    expect((await callAs(cloud, 'demo-admin-xu', 'account', 'setRoleStatus', { openid: 'demo-admin-xu', roleIndex: 0, status: 'suspended' })).body.error.message).toBe('不能暂停或恢复自己的岗位，请上级管理员处理')
  })
})
