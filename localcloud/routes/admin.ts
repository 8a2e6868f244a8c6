// POST /admin: the CloudBase admin API that wx-server-sdk speaks (docs/LOCALCLOUD.md, "The wire protocol").
// Every reply is HTTP 200 with JSON: results under `data`, errors as a top-level string `code` plus `message`
// (the SDK maps the name). The one exception is wx.openApi: multipart in, protobuf out.
import Busboy from 'busboy'
import crypto from 'node:crypto'
import type http from 'node:http'
import type { DatabaseService } from '../db'
import { FunctionNotFoundError, type FunctionHost } from '../functions/host'
import { readBody, sendJson, parseJsonObject, MAX_BODY_BYTES } from '../http'
import type { OpenApi } from '../openapi'
import type { LocalStorage } from '../storage'

interface AdminDeps {
  db: DatabaseService
  functions: FunctionHost
  storage: LocalStorage
  openapi: OpenApi
  log: (msg: string) => void
}

type Reply = Record<string, unknown>

export async function handleAdmin (req: http.IncomingMessage, res: http.ServerResponse, deps: AdminDeps): Promise<void> {
  const read = await readBody(req, res, MAX_BODY_BYTES)
  if (!read.ok) {
    if (read.reason === 'too-large') return sendJson(res, 413, { code: 'INVALID_PARAM', message: `request body exceeds ${MAX_BODY_BYTES / 1024 / 1024} MB` })
    return sendJson(res, 400, { code: 'INVALID_PARAM', message: 'request body was not received' })
  }
  const contentType = req.headers['content-type'] ?? ''
  if (/^multipart\/form-data/i.test(contentType)) return await handleMultipart(req, res, read.body, deps)

  const body = parseJsonObject(read.body)
  if (!body) return reply(res, { code: 'INVALID_PARAM', message: 'request body must be a JSON object' })
  const action = body.action
  if (typeof action !== 'string' || action === '') return reply(res, { code: 'INVALID_PARAM', message: 'action is required' })
  // Each request is a round trip of the invocation that made it (docs/LOCALCLOUD.md, "Round trips").
  deps.functions.countRequest(body.wxCloudApiToken, action)
  reply(res, await dispatch(action, body, deps))
}

async function dispatch (action: string, body: Reply, deps: AdminDeps): Promise<Reply> {
  try {
    if (action.startsWith('database.')) return deps.db.handle(action, body) as Reply
    switch (action) {
      case 'functions.invokeFunction': return await invokeFunction(body, deps)
      case 'storage.getUploadMetadata': return deps.storage.getUploadMetadata(body)
      case 'storage.batchGetDownloadUrl': return deps.storage.batchGetDownloadUrl(body)
      case 'storage.batchDeleteFile': return deps.storage.batchDeleteFile(body)
      case 'wx.openApi': return { code: 'INVALID_PARAM', message: 'wx.openApi must be sent as multipart/form-data' }
      default: return { code: 'INVALID_PARAM', message: `unknown action ${action}` }
    }
  } catch (err) {
    deps.log(`[localcloud] ${action} failed: ${(err as Error).stack ?? String(err)}`)
    return { code: 'SYS_ERR', message: (err as Error).message }
  }
}

/**
 * functions.invokeFunction (cloud.callFunction). The SDK sends no OPENID; the caller's WX_API_TOKEN
 * (wxCloudApiToken) names the invocation that called, so the callee runs as the same user, with SOURCE
 * extended by ",scf" as WeChat does.
 */
async function invokeFunction (body: Reply, deps: AdminDeps): Promise<Reply> {
  const name = body.function_name
  if (typeof name !== 'string' || name === '') return { code: 'INVALID_PARAM', message: 'function_name is required' }
  let event: unknown = {}
  if (typeof body.request_data === 'string' && body.request_data !== '') {
    try {
      event = JSON.parse(body.request_data)
    } catch {
      return { code: 'INVALID_PARAM', message: 'request_data is not JSON' }
    }
  }
  const caller = deps.functions.caller(body.wxCloudApiToken)
  try {
    const outcome = await deps.functions.invoke(name, event, {
      openid: caller?.openid,
      source: caller ? `${caller.source},scf` : 'wx_unknown',
      at: caller?.at // a call from a timer fired at a chosen time happens at that time too
    })
    if (outcome.ok) return { requestId: outcome.requestId, data: { response_data: outcome.json } }
    deps.log(`[localcloud] ${name} (${outcome.requestId}) failed: ${outcome.stack ?? outcome.message}`)
    return { code: 'FUNCTIONS_EXECUTE_FAIL', message: outcome.message, requestId: outcome.requestId }
  } catch (err) {
    if (err instanceof FunctionNotFoundError) return { code: 'FUNCTIONS_EXECUTE_FAIL', message: `FunctionName parameter could not be found: ${name}` }
    throw err
  }
}

/** wx.openApi: form fields plus requestData (bytes); answered with a protobuf, or JSON for a malformed call. */
async function handleMultipart (req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer, deps: AdminDeps): Promise<void> {
  let fields: Record<string, string>
  let files: Record<string, Buffer>
  try {
    ({ fields, files } = await parseMultipart(req.headers, raw))
  } catch (err) {
    return reply(res, { code: 'INVALID_PARAM', message: `malformed multipart body: ${(err as Error).message}` })
  }
  deps.functions.countRequest(fields.wxCloudApiToken, fields.action ?? '')
  if (fields.action !== 'wx.openApi') {
    return reply(res, { code: 'INVALID_PARAM', message: fields.action ? `unknown action ${fields.action}` : 'action is required' })
  }
  const requestData = files.requestData ?? (fields.requestData !== undefined ? Buffer.from(fields.requestData, 'latin1') : undefined)
  let out
  try {
    out = deps.openapi.handle({ apiName: fields.apiName, requestData, wxCloudApiToken: fields.wxCloudApiToken })
  } catch (err) {
    deps.log(`[localcloud] wx.openApi failed: ${(err as Error).stack ?? String(err)}`)
    return reply(res, { code: 'SYS_ERR', message: (err as Error).message })
  }
  if (out.kind === 'json') return reply(res, out.reply)
  // Anything but exactly "application/json; charset=utf-8", or the SDK JSON-parses the protobuf.
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': out.body.length })
  res.end(out.body)
}

async function parseMultipart (headers: http.IncomingHttpHeaders, raw: Buffer): Promise<{ fields: Record<string, string>, files: Record<string, Buffer> }> {
  return await new Promise((resolve, reject) => {
    const fields: Record<string, string> = {}
    const files: Record<string, Buffer> = {}
    let bb: Busboy.Busboy
    try {
      bb = Busboy({ headers, limits: { fieldSize: MAX_BODY_BYTES, fileSize: MAX_BODY_BYTES } })
    } catch (err) {
      reject(err); return
    }
    bb.on('field', (name, value) => { fields[name] = value })
    bb.on('file', (name, stream) => {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => { files[name] = Buffer.concat(chunks) })
    })
    bb.on('error', reject)
    bb.on('close', () => resolve({ fields, files }))
    bb.end(raw)
  })
}

/** Every JSON reply carries a requestId, as CloudBase's do. */
function reply (res: http.ServerResponse, body: Reply): void {
  sendJson(res, 200, body.requestId === undefined ? { ...body, requestId: crypto.randomUUID() } : body)
}
