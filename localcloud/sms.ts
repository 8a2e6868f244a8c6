// A stand-in for Tencent Cloud SMS's SendSms (API 3.0, version 2021-01-11) that the official Node SDK
// (tencentcloud-sdk-nodejs-sms) talks to unchanged once its endpoint points here (docs/LOCALCLOUD.md, "SMS").
//
// The SDK posts JSON to its endpoint, signed with TC3-HMAC-SHA256 (Authorization: "TC3-HMAC-SHA256
// Credential=<SecretId>/<date>/<service>/tc3_request, SignedHeaders=content-type;host, Signature=<hex>", with
// X-TC-Action, X-TC-Version and X-TC-Timestamp). The stand-in checks the signature with the secret it was given,
// the timestamp (5 minutes either way, by real time, as the signature is made from the sender's own clock), the
// SDK app id, the signature name and the template with its variables, then answers in the API's shape:
// {Response: {SendStatusSet: [...], RequestId}} or {Response: {Error: {Code, Message}, RequestId}}. Each number's
// message is recorded in the outbox with its text.
import crypto from 'node:crypto'
import type http from 'node:http'
import { readBody } from './http'
import type { OpenApi } from './openapi'

export interface SmsTemplate {
  /** the template's id in the SMS console */
  id: string
  /** its approved text, variables as {1}, {2} */
  text: string
  /** the longest value a variable may have (set when the template is approved) */
  maxParamLength?: number
}

export interface SmsOptions {
  /** the API key the app's functions sign with */
  secretId: string
  secretKey: string
  /** the SMS application's SdkAppId */
  sdkAppId: string
  /** approved signature names (签名), shown in 【】 before the text */
  signNames: string[]
  templates: SmsTemplate[]
}

const API_VERSION = '2021-01-11'
const MAX_SKEW_S = 300
const MAX_NUMBERS = 200

type Reply = { status: number, body: Record<string, unknown> }

export class SmsStandIn {
  constructor (private readonly opts: SmsOptions | undefined, private readonly openapi: OpenApi, private readonly now: () => number) {}

  async handle (req: http.IncomingMessage, res: http.ServerResponse, pathname: string): Promise<void> {
    const read = await readBody(req, res, 64 * 1024)
    const requestId = crypto.randomUUID()
    const out = read.ok ? this.answer(req, pathname, read.body, requestId) : error('InvalidParameter', 'the request body was not received', requestId)
    const body = Buffer.from(JSON.stringify(out.body))
    res.writeHead(out.status, { 'content-type': 'application/json', 'content-length': body.length, 'x-tc-traceid': requestId })
    res.end(body)
  }

  private answer (req: http.IncomingMessage, pathname: string, raw: Buffer, requestId: string): Reply {
    const opts = this.opts
    if (!opts) return error('UnsupportedOperation', 'this local cloud was started without SMS', requestId)
    if (req.method !== 'POST') return error('UnsupportedProtocol', 'POST only', requestId)
    const h = (name: string): string => String(req.headers[name] ?? '')
    const action = h('x-tc-action')
    if (action !== 'SendSms') return error('InvalidAction', `the stand-in answers SendSms only, not ${action || 'nothing'}`, requestId)
    if (h('x-tc-version') !== API_VERSION) return error('NoSuchVersion', `version ${h('x-tc-version')} is not ${API_VERSION}`, requestId)

    const auth = verifySignature(req, pathname, raw, opts)
    if (auth) return error(auth[0], auth[1], requestId)

    let p: Record<string, any>
    try {
      p = JSON.parse(raw.toString('utf8'))
    } catch {
      return error('InvalidParameter', 'the body is not JSON', requestId)
    }
    if (p.SmsSdkAppId !== opts.sdkAppId) return error('InvalidParameterValue.SdkAppIdNotExist', `SmsSdkAppId ${String(p.SmsSdkAppId)} does not exist`, requestId)
    if (typeof p.SignName !== 'string' || !opts.signNames.includes(p.SignName)) return error('FailedOperation.SignatureIncorrectOrUnapproved', 'the signature is not approved', requestId)
    const template = opts.templates.find((t) => t.id === String(p.TemplateId))
    if (!template) return error('FailedOperation.TemplateIncorrectOrUnapproved', `template ${String(p.TemplateId)} is not approved`, requestId)
    const params: unknown[] = Array.isArray(p.TemplateParamSet) ? p.TemplateParamSet : []
    const wanted = new Set([...template.text.matchAll(/\{(\d+)\}/g)].map((m) => m[1])).size
    if (params.length !== wanted || params.some((x) => typeof x !== 'string' || x.trim() === '')) {
      return error('InvalidParameterValue.TemplateParameterFormatError', `the template takes ${wanted} non-empty variables, ${params.length} were given`, requestId)
    }
    const max = template.maxParamLength
    if (max !== undefined && params.some((x) => [...(x as string)].length > max)) {
      return error('InvalidParameterValue.TemplateParameterLengthLimit', `a variable is longer than ${max} characters`, requestId)
    }
    if (params.some((x) => /https?:\/\/|www\./i.test(x as string))) return error('InvalidParameterValue.ProhibitedUseUrlInTemplateParameter', 'a variable holds a link', requestId)
    const phones: unknown[] = Array.isArray(p.PhoneNumberSet) ? p.PhoneNumberSet : []
    if (phones.length === 0) return error('MissingParameter', 'PhoneNumberSet is empty', requestId)
    if (phones.length > MAX_NUMBERS) return error('LimitExceeded.PhoneNumberCountLimit', `at most ${MAX_NUMBERS} numbers in one request`, requestId)

    const text = `【${p.SignName}】` + template.text.replace(/\{(\d+)\}/g, (_m, i: string) => String(params[Number(i) - 1] ?? ''))
    const sentAt = new Date(this.now())
    const session = typeof p.SessionContext === 'string' ? p.SessionContext : ''
    const statuses = phones.map((raw) => {
      const phone = e164(raw)
      const ok = phone !== undefined
      const status = ok
        ? { SerialNo: `${sentAt.getTime()}:${crypto.randomInt(1e9)}`, PhoneNumber: phone, Fee: fee(text), SessionContext: session, Code: 'Ok', Message: 'send success', IsoCode: 'CN' }
        : { SerialNo: '', PhoneNumber: String(raw), Fee: 0, SessionContext: session, Code: 'InvalidParameterValue.IncorrectPhoneNumber', Message: 'the phone number is not a mainland mobile number', IsoCode: 'DEF' }
      this.openapi.record({
        channel: 'sms', delivered: ok, phone: phone ?? String(raw), templateId: template.id, text, code: status.Code,
        fn: null, sentBy: null, sentAt
      })
      return status
    })
    return { status: 200, body: { Response: { SendStatusSet: statuses, RequestId: requestId } } }
  }
}

function error (code: string, message: string, requestId: string): Reply {
  return { status: 200, body: { Response: { Error: { Code: code, Message: message }, RequestId: requestId } } }
}

/** A mainland mobile number as E.164 (+86 and 11 digits starting with 1), from the forms SendSms takes; or undefined. */
function e164 (raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined
  const m = /^(?:\+86|0086|86)?(1[3-9]\d{9})$/.exec(raw.trim())
  return m ? `+86${m[1]}` : undefined
}

/** Billed parts: 70 characters in one message, 67 a part beyond that. */
function fee (text: string): number {
  const n = [...text].length
  return n <= 70 ? 1 : Math.ceil(n / 67)
}

const hex = (data: crypto.BinaryLike): string => crypto.createHash('sha256').update(data).digest('hex')
const hmac = (key: crypto.BinaryLike, data: string): Buffer => crypto.createHmac('sha256', key).update(data).digest()

/**
 * Checks a TC3-HMAC-SHA256 signature the way Tencent Cloud API 3.0 does: [code, message] of the failure, or
 * undefined. The canonical request is rebuilt from what arrived (method, path, query, the signed headers, the
 * body's hash), signed with a key derived from the secret, the date and the service of the credential scope.
 */
function verifySignature (req: http.IncomingMessage, pathname: string, body: Buffer, opts: SmsOptions): [string, string] | undefined {
  const m = /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([^/]+)\/tc3_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(String(req.headers.authorization ?? ''))
  if (!m) return ['AuthFailure.InvalidAuthorization', 'the Authorization header is not TC3-HMAC-SHA256']
  const [, secretId, date, service, signedHeaders, signature] = m
  if (secretId !== opts.secretId) return ['AuthFailure.SecretIdNotFound', 'the SecretId does not exist']
  const timestamp = Number(req.headers['x-tc-timestamp'])
  if (!Number.isInteger(timestamp)) return ['AuthFailure.InvalidAuthorization', 'X-TC-Timestamp is missing']
  if (Math.abs(Date.now() / 1000 - timestamp) > MAX_SKEW_S) return ['AuthFailure.SignatureExpire', 'the signature has expired (its timestamp is more than 5 minutes off)']
  if (new Date(timestamp * 1000).toISOString().slice(0, 10) !== date) return ['AuthFailure.SignatureFailure', 'the credential date is not the day of the timestamp']
  const names = signedHeaders.split(';')
  if (!names.includes('content-type') || !names.includes('host')) return ['AuthFailure.SignatureFailure', 'content-type and host must be signed']
  const headerValue = (name: string): string => name === 'host'
    ? String(req.headers.host ?? '').replace(/:\d+$/, '') // the SDK signs the host name without the port
    : String(req.headers[name] ?? '').trim()
  const canonicalHeaders = names.map((n) => `${n}:${headerValue(n)}\n`).join('')
  const query = (req.url ?? '').includes('?') ? (req.url ?? '').slice((req.url ?? '').indexOf('?') + 1) : ''
  const canonical = [req.method, pathname, query, canonicalHeaders, signedHeaders, hex(body)].join('\n')
  const toSign = ['TC3-HMAC-SHA256', String(timestamp), `${date}/${service}/tc3_request`, hex(canonical)].join('\n')
  const key = hmac(hmac(hmac('TC3' + opts.secretKey, date), service), 'tc3_request')
  const expected = crypto.createHmac('sha256', key).update(toSign).digest('hex')
  if (!crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(signature))) return ['AuthFailure.SignatureFailure', 'the signature does not match']
  return undefined
}
