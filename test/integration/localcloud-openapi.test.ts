/**
 * cloud.openapi.subscribeMessage.send through the real wx-server-sdk, as strict as WeChat: the person's allows
 * (given through requestSubscribeMessage, recorded by POST /api/subscriptions), one spent per message unless the
 * template is long-term (43101 with none left), the template's keyword rules (47003), and every attempt in the outbox.
 */
import type { LocalCloud } from '../../localcloud'
import { callFn, count, request, sdk, startFixtureCloud } from './localcloud-support'

let cloud: LocalCloud
let declared: LocalCloud
let wx: any

beforeAll(async () => {
  cloud = await startFixtureCloud()
  declared = await startFixtureCloud({
    subscriptionTemplates: [
      { id: 'TPL-ALERT', keywords: { thing1: 'thing', time2: 'time', phrase3: 'phrase' } },
      { id: 'TPL-STANDING', keywords: { thing1: 'thing' }, longTerm: true }
    ]
  })
  wx = sdk(cloud)
})
afterAll(async () => { await cloud?.close(); await declared?.close() })

const message = (touser: string, thing1 = '心理辅导预约') => ({
  touser,
  templateId: 'TPL-REMINDER',
  page: 'packages/counseling/pages/booking/index?id=b1',
  data: { thing1: { value: thing1 }, time2: { value: '2026年3月2日 15:00' } },
  miniprogramState: 'developer'
})

/** The person taps "allow" (or not) in WeChat's dialog: the answers reach the cloud as the h5 stand-in and the weapp runtime send them. */
async function answer (c: LocalCloud, openid: string, answers: Record<string, string>) {
  return await request(c, 'POST', '/api/subscriptions', JSON.stringify({ answers }), { 'content-type': 'application/json', 'x-localcloud-openid': openid })
}
const send = async (c: LocalCloud, data: unknown) => await callFn(c, 'notifier', { action: 'send', data }, { openid: 'o-sender' })

it('refuses a message the person never allowed (43101), and records the refusal', async () => {
  const r = await send(cloud, message('o-never-asked'))
  expect(r.body.ok).toBe(false)
  expect(r.body.error.errCode).toBe(43101)
  expect(cloud.outbox('o-never-asked')).toEqual([expect.objectContaining({ channel: 'subscription', delivered: false, errcode: 43101, templateId: 'TPL-REMINDER', fn: 'notifier' })])
})

it('sends one message per allow: answers msgid, records who sent what to whom, and spends the allow', async () => {
  expect((await answer(cloud, 'o-guardian-1', { 'TPL-REMINDER': 'accept' })).body.data.allows).toEqual([expect.objectContaining({ templateId: 'TPL-REMINDER', remaining: 1, longTerm: false })])
  const r = await send(cloud, message('o-guardian-1'))
  expect(r.status).toBe(200)
  expect(r.body.ok).toBe(true)
  expect(r.body.data).toMatchObject({ errCode: 0, errMsg: 'openapi.subscribeMessage.send:ok' })
  // msgid is a 64-bit number as WeChat's are; the SDK's json-bigint + camelCase conversion hands the function a
  // mangled BigNumber ({s,e,c}) just as the real cloud would, so functions should not rely on it.
  expect(r.body.data.msgid).toBeDefined()
  const [sent] = cloud.outbox('o-guardian-1')
  expect(sent).toEqual({
    channel: 'subscription',
    delivered: true,
    msgid: expect.stringMatching(/^\d{19}$/),
    touser: 'o-guardian-1',
    templateId: 'TPL-REMINDER',
    page: 'packages/counseling/pages/booking/index?id=b1',
    data: { thing1: { value: '心理辅导预约' }, time2: { value: '2026年3月2日 15:00' } },
    miniprogramState: 'developer',
    fn: 'notifier',
    sentBy: 'o-sender',
    sentAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/)
  })
  expect(cloud.subscriptions.allows('o-guardian-1')).toEqual([expect.objectContaining({ remaining: 0 })])
  // The allow is spent: the next message is refused until the person allows again.
  expect((await send(cloud, message('o-guardian-1', '第二条'))).body.error.errCode).toBe(43101)
  await answer(cloud, 'o-guardian-1', { 'TPL-REMINDER': 'accept' })
  await answer(cloud, 'o-guardian-1', { 'TPL-REMINDER': 'accept' })
  expect((await send(cloud, message('o-guardian-1', '第三条'))).body.ok).toBe(true)
  expect((await send(cloud, message('o-guardian-1', '第四条'))).body.ok).toBe(true)
  expect((await send(cloud, message('o-guardian-1', '第五条'))).body.error.errCode).toBe(43101)
  expect(cloud.outbox('o-guardian-1').map((m) => [m.data?.thing1.value, m.delivered])).toEqual([
    ['第五条', false], ['第四条', true], ['第三条', true], ['第二条', false], ['心理辅导预约', true]
  ])
})

it('keeps a "no" as no: a rejected template gives no allow', async () => {
  await answer(cloud, 'o-says-no', { 'TPL-REMINDER': 'reject' })
  expect((await send(cloud, message('o-says-no'))).body.error.errCode).toBe(43101)
})

it('lists a person\'s messages newest first, in the API and over /api/dev/outbox and /api/dev/subscriptions', async () => {
  await answer(cloud, 'o-parent-9', { 'TPL-REMINDER': 'accept' })
  await answer(cloud, 'o-parent-9', { 'TPL-REMINDER': 'accept' })
  await send(cloud, message('o-parent-9', '第一条'))
  await send(cloud, message('o-parent-9', '第二条'))
  expect(cloud.outbox('o-parent-9').map((m) => m.data?.thing1.value)).toEqual(['第二条', '第一条'])
  const r = await request(cloud, 'GET', '/api/dev/outbox?openid=o-parent-9')
  expect(r.status).toBe(200)
  expect(r.body.map((m: any) => m.data.thing1.value)).toEqual(['第二条', '第一条'])
  expect((await request(cloud, 'GET', '/api/dev/subscriptions?openid=o-parent-9')).body).toEqual([expect.objectContaining({ templateId: 'TPL-REMINDER', remaining: 0 })])
})

it('refuses what WeChat refuses (40003, 40037, 47003) before spending an allow', async () => {
  await answer(cloud, 'o-1', { 'TPL-REMINDER': 'accept' })
  const cases: Array<[unknown, number, RegExp]> = [
    [{ ...message('o-1'), touser: undefined }, 40003, /invalid openid/],
    [{ ...message('o-1'), templateId: '' }, 40037, /invalid template id/],
    [message('o-1', '这是一条超过二十个字的很长很长很长的提醒内容啊'), 47003, /data\.thing1\.value invalid/],
    [{ ...message('o-1'), data: { thing1: { value: '约好了' }, time2: { value: '' } } }, 47003, /data\.time2\.value is empty/],
    [{ ...message('o-1'), data: { thing1: { value: '约好了' }, time2: { value: '3月2日 周一 15:00' } } }, 47003, /data\.time2\.value invalid/]
  ]
  for (const [data, errCode, msg] of cases) {
    const r = await send(cloud, data)
    expect(r.body.ok).toBe(false)
    expect(r.body.error.errCode).toBe(errCode)
    expect(r.body.error.message).toMatch(msg)
  }
  expect(cloud.subscriptions.allows('o-1')).toEqual([expect.objectContaining({ remaining: 1 })])
  expect((await send(cloud, message('o-1'))).body.ok).toBe(true)
})

it('checks a declared template by its keyword types: unknown ids, missing keywords and a 25-character thing are refused', async () => {
  await answer(declared, 'o-staff', { 'TPL-ALERT': 'accept' })
  const alert = (data: Record<string, { value: string }>, templateId = 'TPL-ALERT') => ({ touser: 'o-staff', templateId, page: 'pages/home/index', data })
  const ok = { thing1: { value: '紧急求助：王小雨' }, time2: { value: '2026年3月2日 15:00' }, phrase3: { value: '紧急' } }
  const refused = async (data: unknown) => (await send(declared, data)).body.error
  expect((await refused(alert(ok, 'TPL-NOT-CONFIGURED'))).errCode).toBe(40037)
  expect(await refused(alert({ ...ok, thing1: { value: '一'.repeat(25) } }))).toMatchObject({ errCode: 47003, message: expect.stringMatching(/data\.thing1\.value invalid/) })
  expect(await refused(alert({ thing1: ok.thing1, time2: ok.time2 }))).toMatchObject({ errCode: 47003, message: expect.stringMatching(/data\.phrase3\.value is empty/) })
  expect(await refused(alert({ ...ok, phrase3: { value: '非常非常紧急' } }))).toMatchObject({ errCode: 47003, message: expect.stringMatching(/phrase3/) })
  expect((await send(declared, alert(ok))).body.ok).toBe(true)
  expect(declared.outbox('o-staff').map((m) => m.errcode ?? 0)).toEqual([0, 47003, 47003, 47003, 40037])
})

it('lets one allow of a long-term template last, and refuses a request mixing one-time and long-term templates', async () => {
  await answer(declared, 'o-officer', { 'TPL-STANDING': 'accept' })
  for (const n of [1, 2, 3]) {
    expect((await send(declared, { touser: 'o-officer', templateId: 'TPL-STANDING', data: { thing1: { value: `第${n}条` } } })).body.ok).toBe(true)
  }
  const mixed = await answer(declared, 'o-officer', { 'TPL-STANDING': 'accept', 'TPL-ALERT': 'accept' })
  expect(mixed.status).toBe(400)
  expect(mixed.body.error.message).toMatch(/one-time and long-term/)
  const unknown = await answer(declared, 'o-officer', { 'TPL-NOPE': 'accept' })
  expect(unknown.status).toBe(400)
  expect(unknown.body.error.fields).toHaveProperty(['answers.TPL-NOPE'])
})

it('takes answers only from a signed-in person, at most three templates at a time, each accept or reject', async () => {
  expect((await request(cloud, 'POST', '/api/subscriptions', JSON.stringify({ answers: { 'TPL-REMINDER': 'accept' } }), { 'content-type': 'application/json' })).status).toBe(401)
  expect((await answer(cloud, 'o-2', { A: 'accept', B: 'accept', C: 'accept', D: 'accept' })).status).toBe(400)
  expect((await answer(cloud, 'o-2', { A: 'yes' })).status).toBe(400)
  expect((await request(cloud, 'POST', '/api/subscriptions', '{}', { 'content-type': 'application/json', 'x-localcloud-openid': 'o-2' })).body.error.fields).toHaveProperty('answers')
  expect(cloud.subscriptions.allows('o-2')).toEqual([])
})

it('refuses a function whose config.json does not grant subscribeMessage.send (-604101)', async () => {
  const before = await count(cloud, '_outbox')
  const r = await callFn(cloud, 'noperm', { action: 'send', data: message('o-1') }, { openid: 'o-x' })
  expect(r.body.ok).toBe(false)
  expect(r.body.error.errCode).toBe(-604101)
  expect(await count(cloud, '_outbox')).toBe(before)
})

it('accepts a send from outside any function (no token), and answers APIs it does not emulate with -604100', async () => {
  cloud.subscriptions.record('o-admin-target', { 'TPL-REMINDER': 'accept' })
  const res = await wx.openapi.subscribeMessage.send(message('o-admin-target'))
  expect(res.errCode).toBe(0)
  expect(cloud.outbox('o-admin-target')[0]).toMatchObject({ fn: null, sentBy: null, delivered: true })
  const err = await wx.openapi.wxacode.getUnlimited({ scene: 'a=1' }).catch((e: any) => e)
  expect(err.errCode).toBe(-604100)
})

it('lets a timer-triggered function send, tied to that function', async () => {
  cloud.subscriptions.record('o-reminded', { 'TPL-REMINDER': 'accept' })
  const result: any = await cloud.triggerTimer('reminder', new Date('2026-03-01T12:00:00.000Z'))
  expect(result).toEqual({ ok: true, data: { errCode: 0, source: 'wx_trigger' } })
  expect(cloud.outbox('o-reminded')[0]).toMatchObject({
    fn: 'reminder', sentBy: null, templateId: 'TPL-REMINDER', delivered: true, data: { time2: { value: '2026年3月1日 20:00' } }
  })
})
