/**
 * Acting as one of the seeded people: the local cloud's sign-in page (docs/LOCALCLOUD.md). Only the h5 build has
 * it; in the weapp build these do nothing and the requests they would send are left out (process.env.TARO_ENV is a
 * build-time constant), since in WeChat a person is known by their WeChat identity.
 */
import { DEFAULT_MESSAGES, NETWORK_MESSAGE } from '../domain'
import { CloudError } from './cloud'

/** True where this build can pick a seeded person to act as (the local cloud's h5 build only). */
export const canPickPersona = process.env.TARO_ENV === 'h5'

export interface Persona { openid: string, name: string, roles: Array<{ role: string }> }

export async function listPersonas (): Promise<Persona[]> {
  if (process.env.TARO_ENV !== 'h5') return []
  const res = await fetch('/api/dev/personas', { credentials: 'same-origin' }).catch(() => { throw new CloudError('NETWORK', NETWORK_MESSAGE) })
  if (!res.ok) throw new CloudError('INTERNAL', DEFAULT_MESSAGES.INTERNAL)
  return await res.json()
}

export async function signInAs (openid: string): Promise<void> {
  if (process.env.TARO_ENV !== 'h5') return
  const res = await fetch('/api/dev/signin', {
    method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ openid })
  }).catch(() => { throw new CloudError('NETWORK', NETWORK_MESSAGE) })
  if (!res.ok) throw new CloudError('NOT_FOUND', '没有找到这个人，请刷新后再选')
}

export async function signOut (): Promise<void> {
  if (process.env.TARO_ENV !== 'h5') return
  await fetch('/api/dev/signout', { method: 'POST', credentials: 'same-origin' }).catch(() => undefined)
}
