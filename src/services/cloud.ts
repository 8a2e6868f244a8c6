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

/** A fresh key for one submission of a form; keep it for retries of the same submission. */
export function newIdempotencyKey (): string {
  const rand = () => Math.floor(Math.random() * 0x100000000).toString(36)
  return `${Date.now().toString(36)}-${rand()}${rand()}`
}

/**
 * Hands a text file (a CSV export) to the person. h5: the browser downloads it. weapp: it is written to the
 * mini-program's user folder and offered for sending in a WeChat chat (to oneself, or to 文件传输助手), which is
 * how a file leaves a phone in WeChat. CSV gets a UTF-8 BOM so that Excel shows the Chinese.
 */
export async function saveTextFile (filename: string, text: string): Promise<void> {
  const body = /\.csv$/i.test(filename) && !text.startsWith('\uFEFF') ? '\uFEFF' + text : text
  if (process.env.TARO_ENV === 'h5') {
    const blob = new Blob([body], { type: /\.csv$/i.test(filename) ? 'text/csv;charset=utf-8' : 'text/plain;charset=utf-8' })
    const url = URL.createObjectURL(blob)
    const a = document.createElement('a')
    a.href = url
    a.download = filename
    document.body.appendChild(a)
    a.click()
    a.remove()
    setTimeout(() => URL.revokeObjectURL(url), 10000)
    return
  }
  if (process.env.TARO_ENV === 'weapp') {
    const filePath = `${Taro.env.USER_DATA_PATH}/${filename.replace(/[\\/:*?"<>|]/g, '_')}`
    try {
      Taro.getFileSystemManager().writeFileSync(filePath, body, 'utf8')
    } catch {
      throw new CloudError('INTERNAL', '手机存储空间不够，文件没有保存')
    }
    try {
      await Taro.shareFileMessage({ filePath, fileName: filename })
    } catch (err: any) {
      // Closing the chat picker is the person's choice, not a failure.
      if (/cancel/i.test(String(err?.errMsg ?? ''))) return
      throw new CloudError('INTERNAL', '文件没有发出去，请再试一次')
    }
  }
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

/** Subscription messages a page may ask for; their template ids are configuration (.env: TARO_APP_TPL_*). */
export type ReminderKind = 'callReminder' | 'slotOffer' | 'weeklyNudge' | 'sessionReminder'

const TEMPLATE_IDS: Record<ReminderKind, string | undefined> = {
  callReminder: process.env.TARO_APP_TPL_CALL_REMINDER,
  slotOffer: process.env.TARO_APP_TPL_SLOT_OFFER,
  weeklyNudge: process.env.TARO_APP_TPL_WEEKLY_NUDGE,
  sessionReminder: process.env.TARO_APP_TPL_SESSION_REMINDER
}

/**
 * Asks the person to allow these reminders. weapp: Taro.requestSubscribeMessage, which WeChat allows only on a
 * tap, so call this first thing in the tap's handler. h5: nothing to ask. Never throws: saying no is fine, and
 * the action the tap was for goes ahead either way.
 */
export async function askForReminders (kinds: ReminderKind[]): Promise<void> {
  if (process.env.TARO_ENV !== 'weapp') return
  const tmplIds = [...new Set(kinds.map((k) => TEMPLATE_IDS[k]).filter((id): id is string => Boolean(id)))].slice(0, 3)
  if (tmplIds.length === 0) return
  try {
    await Taro.requestSubscribeMessage({ tmplIds } as Taro.requestSubscribeMessage.Option)
  } catch {
    // refused, or an older WeChat: the booking does not depend on it
  }
}

/**
 * Uploads one piece of legal-aid evidence (a photo or PDF the person chose) into their own storage folder,
 * `legalaid/<my openid>/<random>.<ext>`, and returns its fileID for the request. weapp: Taro.cloud.uploadFile.
 * h5: the local cloud's one-time upload URL (same-origin, the signed-in cookie), then a PUT of the file's bytes
 * (the blob: URL Taro.chooseImage gives). Storage checks size (10 MB) and content; a refusal comes back as a
 * CloudError in plain words.
 */
export async function uploadEvidence (filePath: string, ext: string): Promise<string> {
  const type = ext.toLowerCase().replace(/^\./, '')
  if (!['jpg', 'jpeg', 'png', 'webp', 'heic', 'pdf'].includes(type)) throw new CloudError('INVALID_INPUT', '只能上传照片（jpg、png、webp、heic）或 PDF 文件')
  const me = await callCloud('account', 'whoami', {})
  if (!me.registered) throw new CloudError('NOT_REGISTERED', DEFAULT_MESSAGES.NOT_REGISTERED)
  const rand = () => Math.floor(Math.random() * 0x100000000).toString(36)
  const cloudPath = `legalaid/${me.openid}/${Date.now().toString(36)}${rand()}${rand()}.${type}`
  const failed = new CloudError('NETWORK', '文件没有传上去，请检查网络后再试')
  if (process.env.TARO_ENV === 'h5') {
    let bytes: Blob
    try {
      bytes = await (await fetch(filePath)).blob()
    } catch {
      throw new CloudError('INVALID_INPUT', '读不到这个文件，请重新选择')
    }
    if (bytes.size > 10 * 1024 * 1024) throw new CloudError('INVALID_INPUT', '文件太大了，每个文件不能超过10MB')
    let target: { uploadUrl: string, fileID: string }
    try {
      const res = await fetch('/api/storage/upload-url', {
        method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ cloudPath })
      })
      const body = await res.json() as { ok?: boolean, data?: { uploadUrl: string, fileID: string }, error?: { code?: ErrorCode, message?: string } }
      if (!body.ok || !body.data) throw new CloudError(body.error?.code ?? 'INTERNAL', body.error?.code === 'UNAUTHENTICATED' ? DEFAULT_MESSAGES.UNAUTHENTICATED : '文件没有传上去，请再试一次')
      target = body.data
    } catch (err) {
      throw err instanceof CloudError ? err : failed
    }
    let put: Response
    try {
      put = await fetch(target.uploadUrl, { method: 'PUT', body: bytes })
    } catch {
      throw failed
    }
    if (!put.ok) {
      const code = /<Code>([^<]+)<\/Code>/.exec(await put.text().catch(() => ''))?.[1]
      if (code === 'EntityTooLarge') throw new CloudError('INVALID_INPUT', '文件太大了，每个文件不能超过10MB')
      if (code === 'InvalidFileType') throw new CloudError('INVALID_INPUT', '这个文件不是照片或 PDF，请换一个')
      throw failed
    }
    return target.fileID
  }
  try {
    const res = await Taro.cloud.uploadFile({ cloudPath, filePath })
    return res.fileID
  } catch (err: any) {
    const msg = String(err?.errMsg ?? err?.message ?? '')
    if (/size|large|exceed/i.test(msg)) throw new CloudError('INVALID_INPUT', '文件太大了，每个文件不能超过10MB')
    if (/type|format/i.test(msg)) throw new CloudError('INVALID_INPUT', '这个文件不是照片或 PDF，请换一个')
    throw failed
  }
}
