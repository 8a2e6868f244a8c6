// cloud.openapi.* as the SDK sends it (docs/LOCALCLOUD.md, "Subscription messages"): a multipart `wx.openApi` call
// to /admin whose requestData is a protobuf CommApiData, answered with a protobuf CommOpenApiResp.
//
// subscribeMessage.send is the one API emulated: each message is checked as WeChat checks it (the person's allows
// in subscriptions.ts, the template's keyword rules) and every attempt, delivered or refused, is recorded in the
// `_outbox` collection (who sent it, when, to whom, and WeChat's answer), which local mode shows per user. The SMS
// stand-in (sms.ts) records its messages there too. Other APIs answer
// "API not found" (-604100); an API missing from the calling function's config.json permissions.openapi answers
// -604101, as in the cloud.
import { Root } from 'protobufjs'
import type { DocumentStore } from './db'
import type { Caller } from './functions/host'
import { checkTemplateData, type Subscriptions } from './subscriptions'

/** The messages of wx-server-sdk's openapi.proto, defined here by reflection (field numbers from the SDK). */
const proto = Root.fromJSON({
  nested: {
    KeyValuePair: {
      fields: {
        key: { type: 'string', id: 1 },
        value: { type: 'bytes', id: 2 },
        contenttype: { type: 'string', id: 3 },
        filename: { type: 'string', id: 4 }
      }
    },
    OpenApiData: { fields: { pairs: { rule: 'repeated', type: 'KeyValuePair', id: 1 } } },
    CommApiData: {
      fields: {
        apiType: { type: 'int32', id: 1 }, // 0 OPEN_API, 1 INNER_API, 2 SVRKIT_API, 3 TOKEN_API
        openapiData: { type: 'OpenApiData', id: 2 },
        appid: { type: 'string', id: 6 }
      }
    },
    HttpHeader: { fields: { key: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
    CommOpenApiResp: {
      fields: {
        respData: { type: 'bytes', id: 1 },
        contentType: { type: 'string', id: 2 },
        errorCode: { type: 'int32', id: 3 },
        httpCode: { type: 'uint32', id: 4 },
        headers: { rule: 'repeated', type: 'HttpHeader', id: 5 },
        svrkitErrorCode: { type: 'int32', id: 6 }
      }
    }
  }
})
const CommApiData = proto.lookupType('CommApiData')
const CommOpenApiResp = proto.lookupType('CommOpenApiResp')

export const OUTBOX = '_outbox'
/** wx-server-sdk's codes for a system-level refusal (CommOpenApiResp.errorCode). */
const API_NOT_FOUND = -604100
const NO_PERMISSION = -604101
const SYSTEM_ERROR = -604103

/**
 * One attempt to reach a person, as the outbox keeps it: a subscription message (delivered, or refused with WeChat's
 * errcode) or an SMS (see sms.ts).
 */
export interface OutboxMessage {
  channel: 'subscription' | 'sms'
  /** it reached the person's phone (WeChat's service notice, or the SMS) */
  delivered: boolean
  /** A 64-bit id as WeChat's are, kept as its decimal digits (too big for a JS number); delivered messages only. */
  msgid?: string
  /** the OPENID (subscription messages) */
  touser?: string
  /** the phone number, E.164 (SMS) */
  phone?: string
  templateId: string
  page?: string
  data?: Record<string, { value: string }>
  /** the SMS as the phone shows it, signature first */
  text?: string
  miniprogramState?: string
  lang?: string
  /** WeChat's refusal (43101: no allow left; 47003: data breaks a rule) */
  errcode?: number
  errmsg?: string
  /** Tencent Cloud SMS's status code for that number ("Ok" when sent) */
  code?: string
  /** The function that sent it (null when called from outside any function, or for an SMS). */
  fn: string | null
  /** The OPENID the sending invocation ran as, if any. */
  sentBy: string | null
  sentAt: string
}

type OpenApiReply =
  | { kind: 'protobuf', body: Buffer }
  | { kind: 'json', reply: Record<string, unknown> }

interface OpenApiOptions {
  store: DocumentStore
  subscriptions: Subscriptions
  /** Who holds a WX_API_TOKEN (the calling invocation). */
  caller: (token: unknown) => Caller | undefined
  /** The openapi permissions in a function's config.json. */
  permissions: (fn: string) => string[]
  /** The time a message is sent at, by the sender's clock (ms). */
  now: (caller: Caller | undefined) => number
  log?: (msg: string) => void
}

export class OpenApi {
  private seq = 0

  constructor (private readonly opts: OpenApiOptions) {}

  /** One wx.openApi call; `fields` are the multipart fields (requestData as bytes). */
  handle (fields: { apiName?: string, requestData?: Buffer, wxCloudApiToken?: string }): OpenApiReply {
    const { apiName } = fields
    if (!apiName) return { kind: 'json', reply: { code: 'INVALID_PARAM', message: 'apiName is required' } }
    let params: Record<string, unknown>
    try {
      params = decodeParams(fields.requestData ?? Buffer.alloc(0))
    } catch (err) {
      return { kind: 'json', reply: { code: 'INVALID_PARAM', message: `requestData is not a CommApiData protobuf: ${(err as Error).message}` } }
    }
    const caller = this.opts.caller(fields.wxCloudApiToken)
    if (caller && !this.opts.permissions(caller.fn).includes(apiName)) {
      this.opts.log?.(`[localcloud] ${caller.fn} called openapi.${apiName} without it in config.json permissions.openapi`)
      return pbError(NO_PERMISSION)
    }
    if (apiName !== 'subscribeMessage.send') {
      this.opts.log?.(`[localcloud] openapi.${apiName} is not emulated by the local cloud`)
      return pbError(API_NOT_FOUND)
    }
    return this.sendSubscribeMessage(params, caller)
  }

  /** Every attempt to reach a person, newest first; only those to `to` (an OPENID or a phone number) when given. */
  outbox (to?: string): OutboxMessage[] {
    const query = to === undefined ? {} : { $or: [{ touser: to }, { phone: to }] }
    return this.opts.store.find(OUTBOX, query, { sort: { sentAt: -1, _id: -1 } }).map((doc) => {
      const { _id, ...rest } = doc
      return { ...rest, sentAt: (doc.sentAt as Date).toISOString() } as OutboxMessage
    })
  }

  /** Records one attempt in the outbox (an _id that sorts by time within the same instant). */
  record (attempt: Omit<OutboxMessage, 'sentAt'> & { sentAt: Date }): void {
    const _id = `${attempt.sentAt.getTime().toString().padStart(15, '0')}-${(this.seq++ % 1_000_000).toString().padStart(6, '0')}`
    this.opts.store.insert(OUTBOX, { _id, ...attempt })
  }

  /**
   * subscribeMessage.send as WeChat answers it: the recipient and template must be there (40003, 40037), the data
   * must keep the rules of the template's keywords (47003), and the person must have an allow left for the template
   * (43101), which the send spends unless the template is long-term. Every attempt is recorded.
   */
  private sendSubscribeMessage (p: Record<string, unknown>, caller: Caller | undefined): OpenApiReply {
    const sentAt = new Date(this.opts.now(caller))
    const touser = typeof p.touser === 'string' ? p.touser : ''
    const templateId = typeof p.template_id === 'string' ? p.template_id : ''
    const base = {
      channel: 'subscription' as const,
      touser,
      templateId,
      ...(typeof p.page === 'string' ? { page: p.page } : {}),
      ...(p.data !== null && typeof p.data === 'object' ? { data: p.data as Record<string, { value: string }> } : {}),
      ...(typeof p.miniprogram_state === 'string' ? { miniprogramState: p.miniprogram_state } : {}),
      ...(typeof p.lang === 'string' ? { lang: p.lang } : {}),
      fn: caller?.fn ?? null,
      sentBy: caller?.openid ?? null,
      sentAt
    }
    const refuse = (errcode: number, errmsg: string): OpenApiReply => {
      if (touser !== '') this.record({ ...base, delivered: false, errcode, errmsg })
      return wxReply(JSON.stringify({ errcode, errmsg }))
    }
    if (touser === '') return refuse(40003, 'invalid openid')
    const template = templateId === '' ? undefined : this.opts.subscriptions.template(templateId)
    if (!template) return refuse(40037, 'invalid template id')
    const invalid = checkEnvelope(p) ?? checkTemplateData(template, p.data)
    if (invalid) return refuse(invalid[0], invalid[1])
    if (!this.opts.subscriptions.spend(touser, templateId)) return refuse(43101, 'user refuse to accept the msg')
    // 19 digits like WeChat's: the SDK (json-bigint) hands the function a BigNumber, as the real cloud does.
    const msgid = (BigInt(Date.now()) * BigInt(1_000_000) + BigInt(this.seq % 1_000_000)).toString()
    try {
      this.record({ ...base, delivered: true, msgid })
    } catch (err) {
      this.opts.log?.(`[localcloud] could not record a subscription message: ${(err as Error).message}`)
      return pbError(SYSTEM_ERROR)
    }
    return wxReply(`{"errcode":0,"errmsg":"ok","msgid":${msgid}}`)
  }
}

/** The pairs of a CommApiData, each value JSON text, as an object keyed by (snake_case) parameter name. */
function decodeParams (buf: Buffer): Record<string, unknown> {
  const msg = CommApiData.toObject(CommApiData.decode(buf), { defaults: true }) as {
    openapiData?: { pairs?: Array<{ key: string, value: Uint8Array }> }
  }
  const params: Record<string, unknown> = {}
  for (const { key, value } of msg.openapiData?.pairs ?? []) {
    const text = Buffer.from(value).toString('utf8')
    try { params[key] = JSON.parse(text) } catch { params[key] = text }
  }
  return params
}

/** What WeChat refuses in the fields around the data (47003), or undefined. */
function checkEnvelope (p: Record<string, unknown>): [number, string] | undefined {
  if (p.page !== undefined && typeof p.page !== 'string') return [47003, 'argument invalid! page must be a string']
  if (p.miniprogram_state !== undefined && !['developer', 'trial', 'formal'].includes(p.miniprogram_state as string)) {
    return [47003, 'argument invalid! miniprogram_state must be developer, trial or formal']
  }
  return undefined
}

/** A WeChat API answer (JSON text) wrapped as the SDK expects it. */
function wxReply (json: string): OpenApiReply {
  const body = CommOpenApiResp.encode(CommOpenApiResp.create({
    respData: Buffer.from(json),
    contentType: 'application/json',
    httpCode: 200
  })).finish()
  return { kind: 'protobuf', body: Buffer.from(body) }
}

function pbError (errorCode: number): OpenApiReply {
  const body = CommOpenApiResp.encode(CommOpenApiResp.create({ errorCode, httpCode: 200 })).finish()
  return { kind: 'protobuf', body: Buffer.from(body) }
}
