// /api/dev/*, in local mode only (docs/LOCALCLOUD.md, "Dev routes"): the persona picker's sign-in, the outbox of
// subscription messages, timers fired at a chosen time, and the clock.
import type http from 'node:http'
import { ClockInputError, parseIsoTime } from '../clock'
import type { Parts } from '../gateway'
import { FunctionNotFoundError } from '../functions/host'
import { MAX_BODY_BYTES, parseJsonObject, readBody, sendApiError, sendJson, sendRawJson } from '../http'
import { NoTriggerError } from '../timers'

export async function handleDev (req: http.IncomingMessage, res: http.ServerResponse, route: string, url: URL, parts: Parts): Promise<void> {
  const { personas, sessions } = parts
  if (req.method === 'GET') {
    if (route === 'personas') return sendJson(res, 200, await personas.list())
    if (route === 'session') {
      const openid = sessions.identify(req)
      return sendJson(res, 200, { ok: true, data: openid ? (await personas.find(openid)) ?? { openid } : null })
    }
    if (route === 'outbox') return sendJson(res, 200, parts.openapi.outbox(url.searchParams.get('openid') ?? url.searchParams.get('to') ?? undefined))
    if (route === 'subscriptions') return sendJson(res, 200, parts.subscriptions.allows(url.searchParams.get('openid') ?? undefined))
    if (route === 'clock') return sendJson(res, 200, parts.clock.read())
    if (route === 'stats') return sendStats(res, url, parts)
  }
  if (req.method !== 'POST') return sendApiError(res, 404, 'NOT_FOUND', `no such route: ${url.pathname}`)
  const read = await readBody(req, res, MAX_BODY_BYTES)
  if (!read.ok) return sendApiError(res, read.reason === 'too-large' ? 413 : 400, 'INVALID_INPUT', '请求内容超过 1 MB 或不完整')
  const body = read.body.length === 0 ? {} : parseJsonObject(read.body)
  if (!body) return sendApiError(res, 400, 'INVALID_INPUT', '请求内容必须是 JSON 对象')

  if (route === 'signin') {
    if (typeof body.openid !== 'string' || body.openid === '') return sendApiError(res, 400, 'INVALID_INPUT', '需要 openid', { openid: '需要 openid' })
    const persona = await personas.find(body.openid)
    if (!persona) return sendApiError(res, 404, 'NOT_FOUND', `没有这个用户：${body.openid}`)
    return sendJson(res, 200, { ok: true, data: persona }, { 'set-cookie': sessions.signIn(body.openid) })
  }
  if (route === 'signout') return sendJson(res, 200, { ok: true, data: null }, { 'set-cookie': sessions.signOut() })
  if (route.startsWith('trigger/')) return await trigger(res, route.slice('trigger/'.length), body, parts)
  if (route === 'clock') return await moveClock(res, body, parts)
  if (route === 'stats') {
    if (body.clear !== true) return sendApiError(res, 400, 'INVALID_INPUT', '只能是 {"clear": true}', { clear: '只能是 true' })
    parts.functions.invocations.clear()
    return sendJson(res, 200, { ok: true, data: null })
  }
  sendApiError(res, 404, 'NOT_FOUND', `no such route: ${url.pathname}`)
}

/** POST /api/dev/trigger/<fn> {now?, trigger?}: fires fn's timer as if the clock read `now` (default: the clock). */
async function trigger (res: http.ServerResponse, fn: string, body: Record<string, unknown>, parts: Parts): Promise<void> {
  const now = body.now === undefined ? parts.clock.now() : new Date(typeof body.now === 'string' ? body.now : NaN)
  if (Number.isNaN(now.getTime())) return sendApiError(res, 400, 'INVALID_INPUT', 'now 必须是 ISO 时间字符串', { now: '必须是 ISO 时间字符串' })
  let outcome
  try {
    outcome = await parts.timers.fire(fn, now, typeof body.trigger === 'string' ? body.trigger : undefined)
  } catch (err) {
    if (err instanceof FunctionNotFoundError || err instanceof NoTriggerError) return sendApiError(res, 404, 'NOT_FOUND', err.message)
    return sendApiError(res, 500, 'INTERNAL', (err as Error).message)
  }
  if (outcome.ok) return sendRawJson(res, 200, outcome.json)
  parts.log(`[localcloud] timer ${fn} (${outcome.requestId}) failed: ${outcome.stack ?? outcome.message}`)
  sendApiError(res, 500, 'INTERNAL', outcome.message)
}

const CLOCK_FIELDS = ['set', 'frozen', 'advance', 'real']

/** POST /api/dev/clock: {set: ISO, frozen?: boolean} | {advance: "P7D" | "PT30M" | ms} | {real: true}. */
async function moveClock (res: http.ServerResponse, body: Record<string, unknown>, parts: Parts): Promise<void> {
  const bad = (field: string, message: string): void => sendApiError(res, 400, 'INVALID_INPUT', message, { [field]: message })
  const unknown = Object.keys(body).find((k) => !CLOCK_FIELDS.includes(k))
  if (unknown !== undefined) return bad(unknown, `${unknown} 不是时钟的字段；可用 set（可加 frozen）、advance 或 real`)
  if (body.frozen !== undefined && body.set === undefined) return bad('frozen', 'frozen 只能和 set 一起用')
  const moves = ['set', 'advance', 'real'].filter((k) => body[k] !== undefined)
  if (moves.length !== 1) {
    const message = moves.length === 0 ? '需要 set、advance 或 real 其中之一' : `一次只能用 set、advance、real 其中之一，收到 ${moves.join('、')}`
    return sendApiError(res, 400, 'INVALID_INPUT', message, Object.fromEntries(moves.map((k) => [k, message])))
  }
  try {
    if (body.set !== undefined) {
      if (parseIsoTime(body.set) === undefined) return bad('set', 'set 必须是带时区的 ISO 时间，如 "2026-03-01T23:50:00+08:00"')
      if (body.frozen !== undefined && typeof body.frozen !== 'boolean') return bad('frozen', 'frozen 必须是 true 或 false')
      return sendJson(res, 200, await parts.clock.set(body.set as string, { frozen: body.frozen === true }))
    }
    if (body.real !== undefined) {
      if (body.real !== true) return bad('real', 'real 只能是 true')
      return sendJson(res, 200, await parts.clock.real())
    }
    return sendJson(res, 200, await parts.clock.advance(body.advance as string | number))
  } catch (err) {
    if (err instanceof ClockInputError) return bad(err.field, err.message)
    throw err
  }
}

/**
 * GET /api/dev/stats?fn=&action=&recent=: round trips and CPU per action over the invocations kept, and the last
 * `recent` invocations (default 20, at most 1000), newest first (docs/LOCALCLOUD.md, "Round trips").
 */
function sendStats (res: http.ServerResponse, url: URL, parts: Parts): void {
  const filter = { fn: url.searchParams.get('fn') ?? undefined, action: url.searchParams.get('action') ?? undefined }
  const recent = Math.min(1000, Math.max(0, Number(url.searchParams.get('recent') ?? 20) || 0))
  const all = parts.functions.invocations.list(filter)
  sendJson(res, 200, { actions: parts.functions.invocations.summary(filter), recent: all.slice(Math.max(0, all.length - recent)).reverse() })
}
