import { z } from 'zod'

/** Error codes every function may answer with. Pages map them to plain Chinese (see messageFor). */
const ERROR_CODES = [
  'INVALID_INPUT', // bad input; `fields` names each bad field; nothing was written
  'UNAUTHENTICATED', // no identity (h5 without sign-in)
  'NOT_REGISTERED', // a WeChat user the county has not registered yet
  'FORBIDDEN', // the caller's roles or scope do not allow this
  'NOT_FOUND',
  'CONFLICT', // someone else changed it first (e.g. the slot was just taken)
  'UNKNOWN_ACTION',
  'INTERNAL'
] as const
export const ErrorCode = z.enum(ERROR_CODES)
export type ErrorCode = z.infer<typeof ErrorCode>

export const AppErrorShape = z.object({
  code: ErrorCode,
  message: z.string(),
  /** field path -> what is wrong with it, in Chinese */
  fields: z.record(z.string(), z.string()).optional()
})
export type AppErrorShape = z.infer<typeof AppErrorShape>

export type Result<T> = { ok: true, data: T } | { ok: false, error: AppErrorShape }

/** Thrown by handlers and guards; the router turns it into `{ok:false, error}`. */
export class AppError extends Error {
  readonly code: ErrorCode
  readonly fields?: Record<string, string>
  constructor (code: ErrorCode, message: string, fields?: Record<string, string>) {
    super(message)
    this.name = 'AppError'
    this.code = code
    this.fields = fields
  }

  toShape (): AppErrorShape {
    return this.fields ? { code: this.code, message: this.message, fields: this.fields } : { code: this.code, message: this.message }
  }
}

/** What a grandparent reads when something goes wrong and the server sent no better words. */
export const DEFAULT_MESSAGES: Record<ErrorCode, string> = {
  INVALID_INPUT: '填写的内容有误，请按提示修改',
  UNAUTHENTICATED: '请先登录',
  NOT_REGISTERED: '您还没有登记，请联系村里的儿童主任或学校老师',
  FORBIDDEN: '您没有权限做这件事',
  NOT_FOUND: '没有找到相关信息',
  CONFLICT: '刚刚有人抢先了一步，请再选一次',
  UNKNOWN_ACTION: '这个功能暂时用不了，请更新小程序',
  INTERNAL: '服务暂时出错，请稍后再试'
}

/** Messages for failures that never reached a function (no network, gateway down). */
export const NETWORK_MESSAGE = '网络不好，请检查网络后再试'
