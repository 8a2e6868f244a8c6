// What the h5 build calls: GET /api/health, POST /api/functions/<fn> (callFunction as the signed-in caller) and
// POST /api/storage/upload-url (the counterpart of wx.cloud.uploadFile).
import type http from 'node:http'
import type { Parts } from '../gateway'
import { MAX_BODY_BYTES, parseJsonObject, readBody, sendApiError, sendJson, sendRawJson, safeDecode } from '../http'
import { checkCloudPath } from '../storage'
import { jsonTextTooDeep } from '../json-depth'
import { SubscriptionError } from '../subscriptions'

export const INTERNAL_MESSAGE = '服务暂时出错，请稍后再试'

/** Answers an /api route other than /api/dev/*; false when `pathname` is none of them. */
export async function handleApi (req: http.IncomingMessage, res: http.ServerResponse, pathname: string, parts: Parts): Promise<boolean> {
  const method = req.method ?? 'GET'
  if (pathname === '/api/health') {
    sendJson(res, 200, { ok: true, env: parts.envId, localMode: parts.localMode, functions: parts.functions.list() })
    return true
  }
  if (pathname.startsWith('/api/functions/')) {
    if (method !== 'POST') sendApiError(res, 405, 'METHOD_NOT_ALLOWED', 'POST only')
    else await callFunction(req, res, safeDecode(pathname.slice('/api/functions/'.length)) ?? '', parts)
    return true
  }
  if (pathname === '/api/subscriptions') {
    if (method === 'POST') await recordSubscription(req, res, parts)
    else if (method === 'GET') {
      const openid = parts.sessions.identify(req)
      if (!openid) sendApiError(res, 401, 'UNAUTHENTICATED', '请先登录')
      else sendJson(res, 200, { ok: true, data: { allows: parts.subscriptions.allows(openid) } })
    } else sendApiError(res, 405, 'METHOD_NOT_ALLOWED', 'GET or POST only')
    return true
  }
  if (pathname === '/api/storage/upload-url') {
    if (method !== 'POST') sendApiError(res, 405, 'METHOD_NOT_ALLOWED', 'POST only')
    else await uploadUrl(req, res, parts)
    return true
  }
  return false
}

async function callFunction (req: http.IncomingMessage, res: http.ServerResponse, fn: string, parts: Parts): Promise<void> {
  const openid = parts.sessions.identify(req)
  if (!openid) return sendApiError(res, 401, 'UNAUTHENTICATED', '请先登录')
  if (!parts.functions.has(fn)) return sendApiError(res, 404, 'NOT_FOUND', `没有这个云函数：${fn}`)
  const read = await readBody(req, res, MAX_BODY_BYTES)
  if (!read.ok) {
    return read.reason === 'too-large'
      ? sendApiError(res, 413, 'PAYLOAD_TOO_LARGE', '请求内容超过 1 MB')
      : sendApiError(res, 400, 'INVALID_INPUT', '请求内容不完整')
  }
  // Before parsing: a body nested thousands deep must never reach anything recursive (docs/LOCALCLOUD.md, "Invocations").
  if (jsonTextTooDeep(read.body, parts.maxJsonDepth)) {
    return sendApiError(res, 400, 'INVALID_INPUT', `请求内容嵌套太深（最多 ${parts.maxJsonDepth} 层）`, { data: `嵌套超过 ${parts.maxJsonDepth} 层` })
  }
  const body = parseJsonObject(read.body)
  if (!body || typeof body.action !== 'string' || body.action === '') {
    return sendApiError(res, 400, 'INVALID_INPUT', '请求格式不对：需要 JSON {action, data}')
  }
  // Only {action, data} reaches the function: a client cannot dress its call up as a timer or another user.
  const outcome = await parts.functions.invoke(fn, { action: body.action, data: body.data }, {
    openid, source: 'wx_client', clientIp: clientIp(req)
  })
  if (outcome.ok) return sendRawJson(res, 200, outcome.json)
  parts.log(`[localcloud] ${fn}.${body.action} (${outcome.requestId}) failed: ${outcome.stack ?? outcome.message}`)
  sendApiError(res, 500, 'INTERNAL', INTERNAL_MESSAGE)
}

/**
 * A signed-in caller gets a one-time upload URL for a path in their own folder of an area
 * (`<area>/<their openid>/<file>`), then PUTs the bytes there (size and type checked on the PUT). Functions
 * accept only files under the caller's own folder.
 */
async function uploadUrl (req: http.IncomingMessage, res: http.ServerResponse, parts: Parts): Promise<void> {
  const openid = parts.sessions.identify(req)
  if (!openid) return sendApiError(res, 401, 'UNAUTHENTICATED', '请先登录')
  const body = await readBody(req, res, 4096)
  if (!body.ok) return sendApiError(res, 413, 'INVALID_INPUT', '请求太大')
  const parsed = parseJsonObject(body.body)
  const cloudPath = typeof parsed?.cloudPath === 'string' ? parsed.cloudPath : ''
  const segments = cloudPath.split('/')
  if (segments.length !== 3 || !/^[a-z]+$/.test(segments[0]) || segments[1] !== openid || checkCloudPath(cloudPath)) {
    return sendApiError(res, 400, 'INVALID_INPUT', '文件路径不对')
  }
  const meta = parts.storage.getUploadMetadata({ path: cloudPath }) as { data: { url: string, fileId: string } }
  sendJson(res, 200, { ok: true, data: { uploadUrl: meta.data.url, fileID: meta.data.fileId } })
}

/**
 * POST /api/subscriptions {answers: {<templateId>: 'accept' | 'reject'}}: what the signed-in person answered in a
 * requestSubscribeMessage dialog. In WeChat the client tells WeChat itself; here the h5 build's stand-in dialog and
 * the weapp runtime tell the local cloud, which then allows or refuses sends (43101) by it.
 */
async function recordSubscription (req: http.IncomingMessage, res: http.ServerResponse, parts: Parts): Promise<void> {
  const openid = parts.sessions.identify(req)
  if (!openid) return sendApiError(res, 401, 'UNAUTHENTICATED', '请先登录')
  const read = await readBody(req, res, 16 * 1024)
  if (!read.ok) return sendApiError(res, 413, 'INVALID_INPUT', '请求太大')
  const body = parseJsonObject(read.body)
  const answers = body?.answers
  if (answers === null || typeof answers !== 'object' || Array.isArray(answers)) {
    return sendApiError(res, 400, 'INVALID_INPUT', '需要 answers：{模板ID: "accept" | "reject"}', { answers: '需要 {模板ID: "accept" | "reject"}' })
  }
  try {
    sendJson(res, 200, { ok: true, data: { allows: parts.subscriptions.record(openid, answers as Record<string, unknown>) } })
  } catch (err) {
    if (err instanceof SubscriptionError) return sendApiError(res, 400, 'INVALID_INPUT', err.message, { [err.field]: err.message })
    throw err
  }
}

function clientIp (req: http.IncomingMessage): string {
  return (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '')
}
