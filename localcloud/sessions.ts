// Who is calling through /api: a signed session cookie set by local mode's sign-in, or (local mode only) the
// x-localcloud-openid header that tests and scripts use. In WeChat the caller is known by their WeChat identity;
// this is the local stand-in for it.
import crypto from 'node:crypto'
import type http from 'node:http'
import type { DocumentStore } from './db'
import { parseCookies } from './http'

const SESSION_COOKIE = 'localcloud_openid'
const OPENID_HEADER = 'x-localcloud-openid'

/** One person the sign-in page offers: their OPENID and whatever the page shows of them (JSON). */
export interface Persona { openid: string, [field: string]: unknown }

/**
 * Local mode's people, supplied by the app (its users collection, say): the list the sign-in page shows, and
 * the person behind an OPENID (undefined: that OPENID may not sign in).
 */
export interface Personas {
  list: () => Persona[] | Promise<Persona[]>
  find: (openid: string) => Persona | undefined | Promise<Persona | undefined>
}

/** Without an app's personas nobody is listed and any OPENID may sign in, as the header allows anyway. */
export const anyone = (_store: DocumentStore): Personas => ({
  list: () => [],
  find: (openid) => ({ openid })
})

export class Sessions {
  private readonly key: Buffer

  constructor (secret: Buffer, private readonly localMode: boolean) {
    this.key = crypto.createHmac('sha256', secret).update('session').digest()
  }

  /** The caller's OPENID: the signed session cookie, or (local mode only) the x-localcloud-openid header. */
  identify (req: http.IncomingMessage): string | undefined {
    const header = req.headers[OPENID_HEADER]
    if (this.localMode && typeof header === 'string' && header !== '') return header
    const cookie = parseCookies(req.headers.cookie)[SESSION_COOKIE]
    if (!cookie) return undefined
    const dot = cookie.lastIndexOf('.')
    const openid = cookie.slice(0, dot)
    return dot > 0 && safeEqual(cookie, this.sign(openid)) ? openid : undefined
  }

  /** The Set-Cookie header that signs `openid` in. */
  signIn (openid: string): string {
    return cookie(this.sign(openid))
  }

  signOut (): string {
    return cookie('', 0)
  }

  private sign (openid: string): string {
    return `${openid}.${crypto.createHmac('sha256', this.key).update(openid).digest('base64url')}`
  }
}

function cookie (value: string, maxAge?: number): string {
  return `${SESSION_COOKIE}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Lax${maxAge !== undefined ? `; Max-Age=${maxAge}` : ''}`
}

function safeEqual (a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && crypto.timingSafeEqual(x, y)
}
