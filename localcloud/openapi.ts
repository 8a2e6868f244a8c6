// cloud.openapi.* as the SDK sends it (docs/LOCALCLOUD.md, "Subscription messages"): a multipart `wx.openApi` call
// to /admin whose requestData is a protobuf CommApiData, answered with a protobuf CommOpenApiResp.
//
// subscribeMessage.send is the one API emulated: each message is checked as WeChat checks it and recorded in
// the `_outbox` collection (who sent it, when, to whom), which local mode shows per user. Other APIs answer
// "API not found" (-604100); an API missing from the calling function's config.json permissions.openapi answers
// -604101, as in the cloud.
import { EJSON } from 'bson'
import { Root } from 'protobufjs'
import type { DatabaseService } from './db'
import type { Caller } from './functions/host'

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

export interface OutboxMessage {
  /** A 64-bit id as WeChat's are, kept as its decimal digits (too big for a JS number). */
  msgid: string
  touser: string
  templateId: string
  page?: string
  data: Record<string, { value: string }>
  miniprogramState?: string
  lang?: string
  /** The function that sent it (null when called from outside any function). */
  fn: string | null
  /** The OPENID the sending invocation ran as, if any. */
  sentBy: string | null
  sentAt: string
}

type OpenApiReply =
  | { kind: 'protobuf', body: Buffer }
  | { kind: 'json', reply: Record<string, unknown> }

interface OpenApiOptions {
  db: DatabaseService
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

  /** Messages sent, newest first; only those to `openid` when given. */
  outbox (openid?: string): OutboxMessage[] {
    const out: OutboxMessage[] = []
    const page = 100
    for (let offset = 0; ; offset += page) {
      const reply = this.opts.db.handle('database.getDocument', {
        collectionName: OUTBOX,
        queryType: 'WHERE',
        ...(openid !== undefined ? { query: EJSON.stringify({ touser: openid }, { relaxed: false }) } : {}),
        order: EJSON.stringify({ sentAt: -1, msgid: -1 }, { relaxed: false }),
        ...(offset > 0 ? { offset } : {}),
        limit: page
      }) as { code?: string, message?: string, data?: { list?: string[] } }
      if (reply.code) throw new Error(`reading ${OUTBOX}: ${reply.code} ${reply.message ?? ''}`)
      const list = reply.data?.list ?? []
      for (const s of list) {
        const doc = EJSON.parse(s, { relaxed: true }) as Record<string, unknown>
        delete doc._id
        out.push({ ...doc, sentAt: (doc.sentAt as Date).toISOString() } as OutboxMessage)
      }
      if (list.length < page) return out
    }
  }

  private sendSubscribeMessage (p: Record<string, unknown>, caller: Caller | undefined): OpenApiReply {
    const invalid = checkSubscribeMessage(p)
    if (invalid) return wxReply(JSON.stringify({ errcode: 47003, errmsg: `argument invalid! ${invalid}` }))
    // 19 digits like WeChat's: the SDK (json-bigint) hands the function a BigNumber, as the real cloud does.
    const msgid = (BigInt(Date.now()) * BigInt(1_000_000) + BigInt(this.seq++ % 1_000_000)).toString()
    const doc = {
      _id: msgid,
      msgid,
      touser: p.touser as string,
      templateId: p.template_id as string,
      ...(typeof p.page === 'string' ? { page: p.page } : {}),
      data: p.data,
      ...(typeof p.miniprogram_state === 'string' ? { miniprogramState: p.miniprogram_state } : {}),
      ...(typeof p.lang === 'string' ? { lang: p.lang } : {}),
      fn: caller?.fn ?? null,
      sentBy: caller?.openid ?? null,
      sentAt: new Date(this.opts.now(caller))
    }
    const reply = this.opts.db.handle('database.insertDocument', {
      collectionName: OUTBOX,
      data: [EJSON.stringify(doc, { relaxed: false })]
    }) as { code?: string, message?: string }
    if (reply.code) {
      this.opts.log?.(`[localcloud] could not record a subscription message: ${reply.code} ${reply.message ?? ''}`)
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

/** WeChat's limits on template keyword values (characters), by keyword type. */
const VALUE_LIMITS: Record<string, number> = {
  thing: 20, number: 32, letter: 32, symbol: 5, character_string: 32, phone_number: 17, car_number: 8, phrase: 5
}

/** What WeChat would refuse in a subscribeMessage.send (errcode 47003), or undefined. */
function checkSubscribeMessage (p: Record<string, unknown>): string | undefined {
  if (typeof p.touser !== 'string' || p.touser === '') return 'touser is empty'
  if (typeof p.template_id !== 'string' || p.template_id === '') return 'template_id is empty'
  if (p.page !== undefined && typeof p.page !== 'string') return 'page must be a string'
  if (p.miniprogram_state !== undefined && !['developer', 'trial', 'formal'].includes(p.miniprogram_state as string)) {
    return 'miniprogram_state must be developer, trial or formal'
  }
  if (p.data === null || typeof p.data !== 'object' || Array.isArray(p.data)) return 'data is empty'
  for (const [key, entry] of Object.entries(p.data as Record<string, unknown>)) {
    const value = entry !== null && typeof entry === 'object' ? (entry as { value?: unknown }).value : undefined
    if (typeof value !== 'string' && typeof value !== 'number') return `data.${key}.value is empty`
    const text = String(value)
    const type = key.replace(/\d+$/, '')
    const length = [...text].length
    const limit = type === 'name' ? (/[\u4e00-\u9fff]/.test(text) ? 10 : 20) : VALUE_LIMITS[type]
    if (limit !== undefined && length > limit) return `data.${key}.value exceeds ${limit} characters`
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
