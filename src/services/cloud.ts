/**
 * THE ONLY platform switch. Pages call `callCloud(fn, action, data)` and get a typed, zod-checked result.
 * weapp: Taro.cloud.callFunction (identity is WeChat's OPENID); h5: POST to the local cloud's gateway
 * (identity is the signed-in cookie). The dev persona helpers exist only in the h5 build: the weapp build
 * drops them (process.env.TARO_ENV is a build-time constant).
 */
import Taro from '@tarojs/taro'
import { z } from 'zod'
import {
  AppErrorShape, CONTRACTS, DEFAULT_MESSAGES, NETWORK_MESSAGE, fieldErrors,
  type ActionInput, type ActionName, type ActionOutput, type ErrorCode, type FunctionName
} from '../domain'

/** A failure a page can show as it is: `message` is plain Chinese; `fields` names bad inputs. */
export class CloudError extends Error {
  readonly code: ErrorCode | 'NETWORK'
  readonly fields?: Record<string, string>
  constructor (code: ErrorCode | 'NETWORK', message: string, fields?: Record<string, string>) {
    super(message)
    this.name = 'CloudError'
    this.code = code
    this.fields = fields
  }
}

const Envelope = z.union([
  z.object({ ok: z.literal(true), data: z.unknown() }),
  z.object({ ok: z.literal(false), error: AppErrorShape })
])

async function send (fn: string, payload: { action: string, data: unknown }): Promise<unknown> {
  if (process.env.TARO_ENV === 'h5') {
    let res: Response
    try {
      res = await fetch(`/api/functions/${encodeURIComponent(fn)}`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload)
      })
    } catch {
      throw new CloudError('NETWORK', NETWORK_MESSAGE)
    }
    try {
      return await res.json()
    } catch {
      throw new CloudError('INTERNAL', DEFAULT_MESSAGES.INTERNAL)
    }
  }
  try {
    const res = await Taro.cloud.callFunction({ name: fn, data: payload as any })
    return res.result
  } catch {
    throw new CloudError('NETWORK', NETWORK_MESSAGE)
  }
}

export async function callCloud<F extends FunctionName, A extends ActionName<F>> (
  fn: F, action: A, data: ActionInput<F, A>
): Promise<ActionOutput<F, A>> {
  const contract = (CONTRACTS[fn] as Record<string, { input: z.ZodTypeAny, output: z.ZodTypeAny }>)[action]
  // Check the input here too, so a form can mark its fields without a round trip.
  const input = contract.input.safeParse(data)
  if (!input.success) throw new CloudError('INVALID_INPUT', DEFAULT_MESSAGES.INVALID_INPUT, fieldErrors(input.error))
  const raw = await send(fn, { action, data: input.data })
  const envelope = Envelope.safeParse(raw)
  if (!envelope.success) throw new CloudError('INTERNAL', DEFAULT_MESSAGES.INTERNAL)
  if (!envelope.data.ok) {
    const e = envelope.data.error
    throw new CloudError(e.code, e.message || DEFAULT_MESSAGES[e.code], e.fields)
  }
  const output = contract.output.safeParse(envelope.data.data)
  if (!output.success) throw new CloudError('INTERNAL', DEFAULT_MESSAGES.INTERNAL)
  return output.data as ActionOutput<F, A>
}

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
