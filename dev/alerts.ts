// How 雏燕 reaches people on the local cloud: its subscription-message templates as the WeChat console would hold them
// (declared once in src/domain/notices), and Tencent Cloud SMS with the app's template, served by the local cloud's
// stand-in that the real SDK in the functions talks to (docs/LOCALCLOUD.md, "SMS").
import crypto from 'node:crypto'
import { SMS_URGENT_TEMPLATE, defaultTemplateId, templateDeclarations } from '../src/domain'
import type { LocalCloudOptions } from '../localcloud'

/** The template ids the functions use: their TPL_* variables, or the defaults (as cloudfunctions/_server/messages.ts reads them). */
export const subscriptionTemplates = (): NonNullable<LocalCloudOptions['subscriptionTemplates']> =>
  templateDeclarations((key) => process.env[defaultTemplateId(key)] || defaultTemplateId(key))

const SMS_APP = { secretId: 'AKIDlocalcloudsms', sdkAppId: '1400000001', signName: '雏燕关爱', templateId: '2000001' }

/**
 * The SMS stand-in's configuration and the functions' SMS variables, sharing one API key made for this start.
 * `urgentAlways`: urgent notices go by SMS even when the subscription message was delivered (SMS_URGENT_ALWAYS).
 */
export function smsSetup (opts: { urgentAlways?: boolean } = {}): Pick<LocalCloudOptions, 'sms' | 'functionEnv'> {
  const secretKey = crypto.randomBytes(24).toString('base64url')
  return {
    sms: {
      secretId: SMS_APP.secretId,
      secretKey,
      sdkAppId: SMS_APP.sdkAppId,
      signNames: [SMS_APP.signName],
      templates: [{ id: SMS_APP.templateId, text: SMS_URGENT_TEMPLATE.text, maxParamLength: SMS_URGENT_TEMPLATE.maxParamLength }]
    },
    functionEnv: ({ url }) => ({
      SMS_SECRET_ID: SMS_APP.secretId,
      SMS_SECRET_KEY: secretKey,
      SMS_SDK_APP_ID: SMS_APP.sdkAppId,
      SMS_SIGN_NAME: SMS_APP.signName,
      SMS_TEMPLATE_URGENT: SMS_APP.templateId,
      SMS_ENDPOINT: `${url}/sms/`,
      ...(opts.urgentAlways ? { SMS_URGENT_ALWAYS: '1' } : {})
    })
  }
}
