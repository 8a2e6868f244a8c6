// Small HTTP helpers shared by the gateway's routes: bounded body reading, JSON replies, cookies, paths.
import type http from 'node:http'

/** The gateway's limit on a JSON or multipart request body. */
export const MAX_BODY_BYTES = 1024 * 1024

type BodyResult =
  | { ok: true, body: Buffer }
  | { ok: false, reason: 'too-large' | 'aborted' }

/**
 * Reads a request body up to `limit` bytes. Past the limit it stops keeping bytes but keeps draining (up to
 * `drainCap`), so the client gets to read our error reply instead of a reset connection; past `drainCap` the
 * connection is marked to close once the reply is written.
 */
export function readBody (req: http.IncomingMessage, res: http.ServerResponse, limit: number, drainCap = 64 * 1024 * 1024): Promise<BodyResult> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length'] ?? NaN)
    if (Number.isFinite(declared) && declared > drainCap) {
      closeAfterReply(req, res)
      resolve({ ok: false, reason: 'too-large' })
      return
    }
    const chunks: Buffer[] = []
    let size = 0
    let tooLarge = false
    let settled = false
    const settle = (r: BodyResult): void => { if (!settled) { settled = true; resolve(r) } }
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        tooLarge = true
        chunks.length = 0
        if (size > drainCap) {
          closeAfterReply(req, res)
          settle({ ok: false, reason: 'too-large' })
        }
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => settle(tooLarge ? { ok: false, reason: 'too-large' } : { ok: true, body: Buffer.concat(chunks) }))
    req.on('error', () => settle({ ok: false, reason: 'aborted' }))
    req.on('aborted', () => settle({ ok: false, reason: 'aborted' }))
  })
}

/** Marks the connection to be closed once the reply is out (used when we stop reading a huge body). */
function closeAfterReply (req: http.IncomingMessage, res: http.ServerResponse): void {
  if (!res.headersSent) res.setHeader('connection', 'close')
  res.once('finish', () => req.socket.destroy())
}

const JSON_TYPE = 'application/json; charset=utf-8'

export function sendJson (res: http.ServerResponse, status: number, value: unknown, headers: http.OutgoingHttpHeaders = {}): void {
  sendRawJson(res, status, JSON.stringify(value) ?? 'null', headers)
}

export function sendRawJson (res: http.ServerResponse, status: number, json: string, headers: http.OutgoingHttpHeaders = {}): void {
  if (res.headersSent) { res.end(); return }
  const body = Buffer.from(json, 'utf8')
  res.writeHead(status, { 'content-type': JSON_TYPE, 'content-length': body.length, 'cache-control': 'no-store', ...headers })
  res.end(body)
}

/** The `{ok:false,error}` shape every /api route answers with; `fields` names what was wrong in the input. */
export function sendApiError (res: http.ServerResponse, status: number, code: string, message: string, fields?: Record<string, string>): void {
  sendJson(res, status, { ok: false, error: { code, message, ...(fields ? { fields } : {}) } })
}

export function parseCookies (header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  if (!header) return out
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq < 0) continue
    const name = part.slice(0, eq).trim()
    const raw = part.slice(eq + 1).trim()
    if (!name || name in out) continue
    try { out[name] = decodeURIComponent(raw) } catch { out[name] = raw }
  }
  return out
}

/** Parses a JSON body that must be an object; undefined when it is not. */
export function parseJsonObject (body: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'))
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : undefined
  } catch {
    return undefined
  }
}

/** decodeURIComponent, or undefined for a malformed escape. */
export function safeDecode (s: string): string | undefined {
  try { return decodeURIComponent(s) } catch { return undefined }
}
