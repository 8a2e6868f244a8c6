/**
 * Calling cloud functions. Pages call `callCloud(fn, action, data)` and get a typed, zod-checked result.
 * weapp: Taro.cloud.callFunction (identity is WeChat's OPENID); h5: POST to the local cloud's gateway (identity is
 * the signed-in cookie). Which one is a build-time constant (process.env.TARO_ENV); such platform switches live
 * only under src/services: here, clock.ts, files.ts, personas.ts, subscriptions.ts and upload.ts
 * (docs/ARCHITECTURE.md, "Layers").
 */
import Taro from '@tarojs/taro'
import { z } from 'zod'
import {
  AppErrorShape, CONTRACTS, DEFAULT_MESSAGES, NETWORK_MESSAGE, fieldErrors,
  type ActionInput, type ActionName, type ActionOutput, type ErrorCode, type FunctionName
} from '../domain'
import { learnCloudTime } from './clock'

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
    const sentAt = Date.now()
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
    // The local cloud dates its answers by its own clock, which tests set and fast-forward.
    learnCloudTime(res.headers.get('date'), sentAt, Date.now())
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

/** True for a failure that never reached the function: the same request may be sent again. */
export function isNetworkError (err: unknown): boolean {
  return err instanceof CloudError && err.code === 'NETWORK'
}

/** Connects the weapp to its CloudBase environment; the env id is configuration (.env), so the same code deploys anywhere. */
export function initCloud (): void {
  if (process.env.TARO_ENV === 'weapp') Taro.cloud.init({ env: process.env.TARO_APP_CLOUD_ENV, traceUser: true })
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
  const output = parseOutput(contract.output, envelope.data.data)
  if (!output.success) throw new CloudError('INTERNAL', DEFAULT_MESSAGES.INTERNAL)
  return output.data as ActionOutput<F, A>
}

/**
 * Results travel as JSON (wx.cloud.callFunction and the gateway alike), so a Date the function returned arrives
 * as an ISO string. Where the contract expects a date and got such a string, it is turned back into a Date and
 * the result checked again; nothing else is coerced.
 */
function parseOutput (schema: z.ZodTypeAny, raw: unknown): ReturnType<z.ZodTypeAny['safeParse']> {
  let data = raw
  for (let round = 0; round < 3; round++) {
    const parsed = schema.safeParse(data)
    if (parsed.success) return parsed
    const dates = parsed.error.issues.filter((i) => i.code === 'invalid_type' && i.expected === 'date')
    if (dates.length === 0) return parsed
    let changed = false
    for (const issue of dates) {
      if (round === 0 && data === raw) data = JSON.parse(JSON.stringify(raw))
      changed = reviveAt(data, issue.path) || changed
    }
    if (!changed) return parsed
  }
  return schema.safeParse(data)
}

function reviveAt (root: unknown, path: ReadonlyArray<PropertyKey>): boolean {
  if (path.length === 0) return false
  let node: any = root
  for (const key of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return false
    node = node[key as any]
  }
  const last = path[path.length - 1] as any
  const value = node?.[last]
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(value)) return false
  const date = new Date(value)
  if (Number.isNaN(date.getTime())) return false
  node[last] = date
  return true
}

/** Unique enough to name one request or one upload: the time and 64 random bits, in base 36. */
export function uniqueId (): string {
  const rand = () => Math.floor(Math.random() * 0x100000000).toString(36)
  return `${Date.now().toString(36)}${rand()}${rand()}`
}
