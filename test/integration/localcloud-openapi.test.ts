/** cloud.openapi.subscribeMessage.send through the real wx-server-sdk into the outbox. */
import type { LocalCloud } from '../../localcloud'
import { callFn, count, request, sdk, startFixtureCloud } from './localcloud-support'

let cloud: LocalCloud
let wx: any

beforeAll(async () => {
  cloud = await startFixtureCloud()
  wx = sdk(cloud)
})
afterAll(async () => { await cloud?.close() })

const message = (touser: string, thing1 = '心理辅导预约') => ({
  touser,
  templateId: 'TPL-REMINDER',
  page: 'packages/counseling/pages/booking/index?id=b1',
  data: { thing1: { value: thing1 }, time2: { value: '2026-03-02 15:00' } },
  miniprogramState: 'developer'
})

it('sends from a function with the permission, answers msgid, and records who sent what to whom', async () => {
  const r = await callFn(cloud, 'notifier', { action: 'send', data: message('o-guardian-1') }, { openid: 'o-counsellor' })
  expect(r.status).toBe(200)
  expect(r.body.ok).toBe(true)
  expect(r.body.data).toMatchObject({ errCode: 0, errMsg: 'openapi.subscribeMessage.send:ok' })
  // msgid is a 64-bit number as WeChat's are; the SDK's json-bigint + camelCase conversion hands the function a
  // mangled BigNumber ({s,e,c}) just as the real cloud would, so functions should not rely on it.
  expect(r.body.data.msgid).toBeDefined()

  const [sent] = cloud.outbox('o-guardian-1')
  expect(sent).toEqual({
    msgid: expect.stringMatching(/^\d{19}$/),
    touser: 'o-guardian-1',
    templateId: 'TPL-REMINDER',
    page: 'packages/counseling/pages/booking/index?id=b1',
    data: { thing1: { value: '心理辅导预约' }, time2: { value: '2026-03-02 15:00' } },
    miniprogramState: 'developer',
    fn: 'notifier',
    sentBy: 'o-counsellor',
    sentAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/)
  })
})

it('lists a user’s messages newest first, in the API and over /api/dev/outbox', async () => {
  await callFn(cloud, 'notifier', { action: 'send', data: message('o-parent-9', '第一条') }, { openid: 'o-x' })
  await callFn(cloud, 'notifier', { action: 'send', data: message('o-parent-9', '第二条') }, { openid: 'o-x' })
  await callFn(cloud, 'notifier', { action: 'send', data: message('o-someone-else') }, { openid: 'o-x' })
  expect(cloud.outbox('o-parent-9').map((m) => m.data.thing1.value)).toEqual(['第二条', '第一条'])
  const r = await request(cloud, 'GET', '/api/dev/outbox?openid=o-parent-9')
  expect(r.status).toBe(200)
  expect(r.body.map((m: any) => m.data.thing1.value)).toEqual(['第二条', '第一条'])
  expect(cloud.outbox().length).toBeGreaterThanOrEqual(4)
})

it('refuses what WeChat refuses (47003), recording nothing', async () => {
  const before = await count(cloud, '_outbox')
  const cases = [
    { ...message('o-1'), touser: undefined },
    { ...message('o-1'), templateId: '' },
    message('o-1', '这是一条超过二十个字的很长很长很长的提醒内容啊')
  ]
  for (const data of cases) {
    const r = await callFn(cloud, 'notifier', { action: 'send', data }, { openid: 'o-x' })
    expect(r.body.ok).toBe(false)
    expect(r.body.error.errCode).toBe(47003)
    expect(r.body.error.message).toMatch(/argument invalid/)
  }
  expect(await count(cloud, '_outbox')).toBe(before)
})

it('refuses a function whose config.json does not grant subscribeMessage.send (-604101)', async () => {
  const before = await count(cloud, '_outbox')
  const r = await callFn(cloud, 'noperm', { action: 'send', data: message('o-1') }, { openid: 'o-x' })
  expect(r.body.ok).toBe(false)
  expect(r.body.error.errCode).toBe(-604101)
  expect(await count(cloud, '_outbox')).toBe(before)
})

it('accepts a send from outside any function (no token), and answers APIs it does not emulate with -604100', async () => {
  const res = await wx.openapi.subscribeMessage.send(message('o-admin-target'))
  expect(res.errCode).toBe(0)
  expect(cloud.outbox('o-admin-target')[0]).toMatchObject({ fn: null, sentBy: null })
  const err = await wx.openapi.wxacode.getUnlimited({ scene: 'a=1' }).catch((e: any) => e)
  expect(err.errCode).toBe(-604100)
})

it('lets a timer-triggered function send, tied to that function', async () => {
  const result: any = await cloud.triggerTimer('reminder', new Date('2026-03-01T12:00:00.000Z'))
  expect(result).toEqual({ ok: true, data: { errCode: 0, source: 'wx_trigger' } })
  expect(cloud.outbox('o-reminded')[0]).toMatchObject({
    fn: 'reminder', sentBy: null, templateId: 'TPL-REMINDER', data: { time2: { value: '2026-03-01T12:00:00.000Z' } }
  })
})
