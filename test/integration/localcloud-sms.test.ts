/**
 * The local cloud's stand-in for Tencent Cloud SMS, driven by the official SDK (tencentcloud-sdk-nodejs-sms) pointed
 * at it: the TC3-HMAC-SHA256 signature is checked, the app id, signature and template are checked as the console
 * approved them, the answer has the API's shape, and each message is recorded in the outbox with its number and text.
 */
import { sms } from 'tencentcloud-sdk-nodejs-sms'
import type { LocalCloud } from '../../localcloud'
import { request, startFixtureCloud } from './localcloud-support'

const KEY = { secretId: 'AKIDtest', secretKey: 'test-secret-key' }
let cloud: LocalCloud

beforeAll(async () => {
  cloud = await startFixtureCloud({
    sms: { ...KEY, sdkAppId: '1400000009', signNames: ['雏燕关爱'], templates: [{ id: '300001', text: '雏燕紧急提醒：{1}。{2}。', maxParamLength: 20 }] }
  })
})
afterAll(async () => { await cloud?.close() })

function client (credential = KEY) {
  return new sms.v20210111.Client({ credential, region: 'ap-guangzhou', profile: { httpProfile: { protocol: 'http://', endpoint: `127.0.0.1:${cloud.port}/sms`, reqTimeout: 10 } } })
}
const req = (over: Record<string, unknown> = {}) => ({
  PhoneNumberSet: ['+8613800009003'], SmsSdkAppId: '1400000009', SignName: '雏燕关爱', TemplateId: '300001',
  TemplateParamSet: ['紧急求助：王小雨', '请马上打电话'], SessionContext: 'notice-1', ...over
})

it('sends a signed request, answers with a status per number, and records the text in the outbox', async () => {
  const res = await client().SendSms(req({ PhoneNumberSet: ['+8613800009003', '13800009004'] }))
  expect(res.RequestId).toEqual(expect.any(String))
  expect(res.SendStatusSet).toEqual([
    expect.objectContaining({ PhoneNumber: '+8613800009003', Code: 'Ok', Message: 'send success', Fee: 1, SessionContext: 'notice-1', IsoCode: 'CN' }),
    expect.objectContaining({ PhoneNumber: '+8613800009004', Code: 'Ok' })
  ])
  expect(cloud.outbox('+8613800009003')).toEqual([expect.objectContaining({
    channel: 'sms', delivered: true, phone: '+8613800009003', templateId: '300001', code: 'Ok',
    text: '【雏燕关爱】雏燕紧急提醒：紧急求助：王小雨。请马上打电话。'
  })])
})

it('refuses a request signed with the wrong secret, or by an unknown key', async () => {
  const wrong = await client({ secretId: KEY.secretId, secretKey: 'not-the-key' }).SendSms(req()).catch((e: any) => e)
  expect(wrong.code).toBe('AuthFailure.SignatureFailure')
  const unknown = await client({ secretId: 'AKIDother', secretKey: KEY.secretKey }).SendSms(req()).catch((e: any) => e)
  expect(unknown.code).toBe('AuthFailure.SecretIdNotFound')
})

it('refuses a request that was tampered with after signing', async () => {
  const body = JSON.stringify(req())
  const res = await request(cloud, 'POST', '/sms/', body, {
    'content-type': 'application/json',
    'x-tc-action': 'SendSms',
    'x-tc-version': '2021-01-11',
    'x-tc-timestamp': String(Math.floor(Date.now() / 1000)),
    authorization: `TC3-HMAC-SHA256 Credential=${KEY.secretId}/${new Date().toISOString().slice(0, 10)}/sms/tc3_request, SignedHeaders=content-type;host, Signature=${'0'.repeat(64)}`
  })
  expect(res.body.Response.Error.Code).toBe('AuthFailure.SignatureFailure')
})

it('refuses what the console did not approve: app id, signature, template, its variables', async () => {
  const code = async (over: Record<string, unknown>) => (await client().SendSms(req(over)).catch((e: any) => e)).code
  expect(await code({ SmsSdkAppId: '1400000000' })).toBe('InvalidParameterValue.SdkAppIdNotExist')
  expect(await code({ SignName: '别的签名' })).toBe('FailedOperation.SignatureIncorrectOrUnapproved')
  expect(await code({ TemplateId: '999' })).toBe('FailedOperation.TemplateIncorrectOrUnapproved')
  expect(await code({ TemplateParamSet: ['只有一个'] })).toBe('InvalidParameterValue.TemplateParameterFormatError')
  expect(await code({ TemplateParamSet: ['一'.repeat(21), '好'] })).toBe('InvalidParameterValue.TemplateParameterLengthLimit')
  expect(await code({ TemplateParamSet: ['看这里 https://x.cn', '好'] })).toBe('InvalidParameterValue.ProhibitedUseUrlInTemplateParameter')
  expect(cloud.outbox('+8613800009003')).toHaveLength(1)
})

it('answers a number that is not a mainland mobile with its own status, and records it as not delivered', async () => {
  const res = await client().SendSms(req({ PhoneNumberSet: ['12345'] }))
  expect(res.SendStatusSet?.[0]).toMatchObject({ Code: 'InvalidParameterValue.IncorrectPhoneNumber' })
  expect(cloud.outbox('12345')).toEqual([expect.objectContaining({ channel: 'sms', delivered: false })])
})
