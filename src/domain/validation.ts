import { z } from 'zod'
import { AppError } from './errors'

/**
 * A type error's message that tells a missing value from a wrong one: 「请填写…」 only when nothing was given, and
 * what is wrong with it otherwise (a filled but invalid value is never told to fill it in).
 */
export function missingOr (missing: string, wrong: string): (issue: { input?: unknown }) => string {
  return (issue) => issue.input === undefined || issue.input === null || issue.input === '' ? missing : wrong
}

/**
 * Turns a zod failure into INVALID_INPUT naming each bad field (dot path), with the schema's own Chinese
 * message. Shared by forms (to mark fields) and functions (to refuse before any write).
 */
export function parseInput<S extends z.ZodTypeAny> (schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input)
  if (parsed.success) return parsed.data
  throw new AppError('INVALID_INPUT', '填写的内容有误，请按提示修改', fieldErrors(parsed.error))
}

export function fieldErrors (error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const issue of error.issues) {
    const base = issue.path.map(String)
    // An unexpected field is named itself, not its parent object.
    const paths = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...base, k].join('.')) : [base.join('.') || '(root)']
    for (const path of paths) if (!(path in fields)) fields[path] = chineseIssue(issue)
  }
  return fields
}

function chineseIssue (issue: z.core.$ZodIssue): string {
  // Schemas carry their own Chinese messages where it matters; these cover the generic cases.
  if (issue.message && /[\u4e00-\u9fff]/.test(issue.message)) return issue.message
  switch (issue.code) {
    // zod 4 leaves `input` out of issues unless asked; its message says what was received.
    case 'invalid_type': return /received undefined/.test(issue.message) ? '必填' : '格式不对'
    case 'too_small': return '太短或太小'
    case 'too_big': return '太长或太大'
    case 'invalid_value': return '不是可选的值'
    case 'unrecognized_keys': return '不认识这个字段'
    default: return '格式不对'
  }
}
