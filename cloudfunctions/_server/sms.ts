/**
 * SMS for what cannot wait (docs/ARCHITECTURE.md, "Notifications"), through Tencent Cloud SMS with its official Node
 * SDK. Configured by the functions' environment (set in the CloudBase console; the local cloud passes its stand-in's):
 *   SMS_SECRET_ID, SMS_SECRET_KEY   an API key allowed to send SMS
 *   SMS_SDK_APP_ID                  the SMS application (SdkAppId)
 *   SMS_SIGN_NAME                   the approved signature (签名)
 *   SMS_TEMPLATE_URGENT             the approved template of urgent alerts (SMS_URGENT_TEMPLATE's text)
 *   SMS_REGION                      default ap-guangzhou
 *   SMS_ENDPOINT                    default Tencent's; an URL (http://127.0.0.1:8787/sms/) points the SDK elsewhere
 * Without a key, app id, signature and template, no SMS is sent and notices say so.
 */
import type { sms as SmsSdk } from 'tencentcloud-sdk-nodejs-sms'
import { ruleOn } from './switches'

export interface SmsResult {
  ok: boolean
  /** Tencent's status code for the number ("Ok" when sent), or why nothing was sent */
  code: string
}

interface SmsConfig { secretId: string, secretKey: string, sdkAppId: string, signName: string, templateId: string, region: string, endpoint?: string }

function config (): SmsConfig | undefined {
  const e = process.env
  if (!e.SMS_SECRET_ID || !e.SMS_SECRET_KEY || !e.SMS_SDK_APP_ID || !e.SMS_SIGN_NAME || !e.SMS_TEMPLATE_URGENT) return undefined
  return { secretId: e.SMS_SECRET_ID, secretKey: e.SMS_SECRET_KEY, sdkAppId: e.SMS_SDK_APP_ID, signName: e.SMS_SIGN_NAME, templateId: e.SMS_TEMPLATE_URGENT, region: e.SMS_REGION || 'ap-guangzhou', endpoint: e.SMS_ENDPOINT || undefined }
}

/** SMS can be sent (it is configured, and not switched off: SMS_ENABLED, `_server/switches.ts`). */
export const smsConfigured = (): boolean => ruleOn('SMS_ENABLED') && config() !== undefined

/** The SDK's http profile for an endpoint URL: its protocol, and host and path (the SDK adds the final "/"). */
function httpProfile (endpoint: string | undefined): { protocol?: string, endpoint?: string, reqTimeout: number } {
  if (!endpoint) return { reqTimeout: 10 }
  const u = new URL(endpoint)
  return { protocol: `${u.protocol}//`, endpoint: `${u.host}${u.pathname.replace(/\/+$/, '')}`, reqTimeout: 10 }
}

/**
 * Sends the urgent template to one mainland mobile number. Never throws: a refusal or a network failure is returned,
 * so a timer's other work goes on.
 */
export async function sendUrgentSms (phone: string, params: string[], sessionContext: string): Promise<SmsResult> {
  const c = config()
  if (!c) return { ok: false, code: 'NotConfigured' }
  try {
    // Loaded on the first SMS only: most invocations never send one.

    const { sms } = require('tencentcloud-sdk-nodejs-sms') as { sms: typeof SmsSdk }
    const client = new sms.v20210111.Client({ credential: { secretId: c.secretId, secretKey: c.secretKey }, region: c.region, profile: { httpProfile: httpProfile(c.endpoint) } })
    const res = await client.SendSms({ PhoneNumberSet: [phone], SmsSdkAppId: c.sdkAppId, SignName: c.signName, TemplateId: c.templateId, TemplateParamSet: params, SessionContext: sessionContext })
    const status = res.SendStatusSet?.[0]
    return { ok: status?.Code === 'Ok', code: status?.Code ?? 'NoStatus' }
  } catch (err: any) {
    console.warn('[chuyan] SendSms failed', err?.code ?? err?.message)
    return { ok: false, code: String(err?.code || 'RequestFailed') }
  }
}
