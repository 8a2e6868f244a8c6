/** The account function through the gateway and the real wx-server-sdk, on a fresh seeded local cloud. */
import type { LocalCloud } from '../../localcloud'
import { callAs, startTestCloud } from '../support/localcloud'

let cloud: LocalCloud
beforeAll(async () => { cloud = await startTestCloud() }, 60000)
afterAll(async () => { await cloud?.close() })

describe('account.whoami', () => {
  it('tells a parent their name, role and both bound children with school and class', async () => {
    const { status, body } = await callAs(cloud, 'demo-parent-wang', 'account', 'whoami')
    expect(status).toBe(200)
    expect(body.ok).toBe(true)
    expect(body.data).toMatchObject({ registered: true, name: '王建国', roles: [{ role: 'parent', roleLabel: '外出务工家长', status: 'active' }] })
    const children = body.data.children.map((c: any) => `${c.name}/${c.schoolName}/${c.className}/${c.relationLabel}`).sort()
    expect(children).toEqual(['王小川/石桥镇中心小学/二年级（1）班/爸爸', '王小雨/石桥镇中心小学/四年级（2）班/爸爸'])
  })

  it('tells a grandmother guardian the same two grandchildren, as their grandmother', async () => {
    const { body } = await callAs(cloud, 'demo-guardian-zhang', 'account', 'whoami')
    expect(body.data.roles.map((r: any) => r.role)).toEqual(['guardian'])
    expect(body.data.children.map((c: any) => c.relationLabel)).toEqual(['奶奶/外婆', '奶奶/外婆'])
  })

  it('names the place a staff role applies to, and shows a suspended role as suspended', async () => {
    const teacher = (await callAs(cloud, 'demo-teacher-chen', 'account', 'whoami')).body
    expect(teacher.data.roles).toEqual([expect.objectContaining({ role: 'teacher', scope: { level: 'school', id: 'sch-sq', name: '石桥镇中心小学' } })])
    expect(teacher.data.children).toEqual([])
    const admin = (await callAs(cloud, 'demo-admin-han', 'account', 'whoami')).body
    expect(admin.data.roles.map((r: any) => `${r.agencyLabel}:${r.status}`)).toEqual(['公安局:active', '教育局:suspended'])
  })

  it('gives a person with several roles all of them', async () => {
    const { body } = await callAs(cloud, 'demo-teacher-lin', 'account', 'whoami')
    expect(body.data.roles.map((r: any) => r.roleLabel)).toEqual(['关爱室老师', '志愿者'])
  })

  it('answers a WeChat user the county has not registered with registered:false, and reads nothing about children', async () => {
    const { status, body } = await callAs(cloud, 'o-stranger-0001', 'account', 'whoami')
    expect(status).toBe(200)
    expect(body).toEqual({ ok: true, data: { registered: false } })
  })

  it('refuses a call without identity', async () => {
    const { status, body } = await callAs(cloud, null, 'account', 'whoami')
    expect(status).toBe(401)
    expect(body.ok).toBe(false)
    expect(body.error.code).toBe('UNAUTHENTICATED')
  })

  it('refuses an unknown action with a clear error and writes nothing', async () => {
    const before = await auditCount()
    const { body } = await callAs(cloud, 'demo-parent-wang', 'account', 'dropEverything')
    expect(body).toEqual({ ok: false, error: { code: 'UNKNOWN_ACTION', message: '没有这个操作：dropEverything' } })
    expect(await auditCount()).toBe(before)
  })

  it('refuses unexpected input fields, naming them, and writes nothing', async () => {
    const before = await auditCount()
    const { body } = await callAs(cloud, 'demo-parent-wang', 'account', 'whoami', { openid: 'demo-admin-xu' })
    expect(body.ok).toBe(false)
    expect(body.error.code).toBe('INVALID_INPUT')
    expect(body.error.fields).toEqual({ openid: '不认识这个字段' })
    expect(await auditCount()).toBe(before)
  })

  it('logs each child a parent saw on the home page, with who and when', async () => {
    const before = await auditCount()
    await callAs(cloud, 'demo-parent-li', 'account', 'whoami')
    const db = require('wx-server-sdk').database()
    const entries = (await db.collection('auditLog').where({ actor: 'demo-parent-li' }).get()).data
    expect(entries.flatMap((e: any) => e.childIds).sort()).toEqual(['child-01', 'child-02'])
    expect(entries[0].at).toBeInstanceOf(Date)
    expect(entries[0].action).toBe('account.whoami')
    expect(await auditCount()).toBe(before + 1)
  })
})

async function auditCount (): Promise<number> {
  const db = require('wx-server-sdk').database()
  return (await db.collection('auditLog').count()).total
}
