/** 雏燕 on the local cloud (dev/): the sign-in page offers the people of the users collection, and only them. */
import type { LocalCloud } from '../../localcloud'
import { PEOPLE } from '../../dev/seed/demo-county'
import { startTestCloud } from '../support/localcloud'

let cloud: LocalCloud
beforeAll(async () => { cloud = await startTestCloud() })
afterAll(async () => { await cloud?.close() })

const post = async (p: string, body: unknown) => await fetch(`${cloud.url}${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

it('lists every seeded person with their name and active roles, in OPENID order', async () => {
  const personas = await (await fetch(`${cloud.url}/api/dev/personas`)).json()
  expect(personas.map((p: any) => p.openid)).toEqual(PEOPLE.map((p) => p._id).sort())
  expect(personas.find((p: any) => p.openid === 'demo-teacher-chen')).toEqual({
    openid: 'demo-teacher-chen', name: '陈丽', roles: [{ status: 'active', role: 'teacher', scope: { level: 'school', id: 'sch-sq' } }]
  })
})

it('signs in a seeded person, whom functions then see as the caller, and refuses anyone else', async () => {
  const r = await post('/api/dev/signin', { openid: 'demo-parent-wang' })
  expect(r.status).toBe(200)
  expect((await r.json()).data).toMatchObject({ openid: 'demo-parent-wang', name: '王建国' })
  const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0]
  const session = await (await fetch(`${cloud.url}/api/dev/session`, { headers: { cookie } })).json()
  expect(session.data).toMatchObject({ openid: 'demo-parent-wang', name: '王建国', roles: [{ role: 'parent', status: 'active' }] })
  const me = await fetch(`${cloud.url}/api/functions/account`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ action: 'whoami', data: {} }) })
  expect((await me.json()).data).toMatchObject({ registered: true, openid: 'demo-parent-wang', name: '王建国' })

  const stranger = await post('/api/dev/signin', { openid: 'o-not-in-users' })
  expect(stranger.status).toBe(404)
  expect(stranger.headers.get('set-cookie')).toBeNull()
})
