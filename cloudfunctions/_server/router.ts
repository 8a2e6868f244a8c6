import type { z } from 'zod'
import { AppError, parseInput, type ActionContract, type Result } from '../../src/domain'
import { authorize, loadCaller, type Allowed, type Caller } from './caller'
import * as clock from './clock'

interface ActionDef<C extends ActionContract> {
  contract: C
  allowed: Allowed
  handler: (input: z.output<C['input']>, caller: Caller) => Promise<z.input<C['output']>>
}

/** Keeps `contract`, `allowed` and `handler` type-tied without repeating generics at each action. */
export function action<C extends ActionContract> (def: ActionDef<C>): ActionDef<C> {
  return def
}

interface FunctionEvent { action?: unknown, data?: unknown }

/**
 * No action's input nests deeper than a few levels or runs past a few kilobytes; anything beyond these is refused
 * before it is parsed or anything is read, so a hostile body cannot exhaust the stack or the instance
 * (docs/ARCHITECTURE.md, "Cloud functions").
 */
export const MAX_INPUT_DEPTH = 16
export const MAX_INPUT_CHARS = 100_000

/** Walks the input without recursion, stopping at the first limit it passes; null when within both. */
function inputTooBig (data: unknown): 'depth' | 'size' | null {
  const stack: Array<[unknown, number]> = [[data, 1]]
  let chars = 0
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!
    if (typeof value === 'string') chars += value.length + 2
    else if (value !== null && typeof value === 'object') {
      if (depth > MAX_INPUT_DEPTH) return 'depth'
      const entries = Array.isArray(value) ? value.map((v) => ['', v] as const) : Object.entries(value)
      for (const [k, v] of entries) {
        chars += k.length + 4
        if (chars > MAX_INPUT_CHARS) return 'size'
        stack.push([v, depth + 1])
      }
    } else chars += 8
    if (chars > MAX_INPUT_CHARS) return 'size'
  }
  return null
}

/**
 * A function is a thin router: find the action, check the caller (before any other read), parse the input with
 * the shared zod contract, run the handler, and answer {ok, data} or {ok:false, error} (docs/ARCHITECTURE.md,
 * "Adding an action").
 */
export function createRouter (actions: Record<string, ActionDef<any>>) {
  return async function main (event: FunctionEvent): Promise<Result<unknown>> {
    try {
      const name = typeof event?.action === 'string' ? event.action : ''
      const def = Object.prototype.hasOwnProperty.call(actions, name) ? actions[name] : undefined
      if (!def) throw new AppError('UNKNOWN_ACTION', `没有这个操作：${name.slice(0, 40) || '（空）'}`)
      const tooBig = inputTooBig(event.data)
      if (tooBig) {
        const message = tooBig === 'depth' ? `提交的内容层级太多（最多${MAX_INPUT_DEPTH}层）` : '提交的内容太长'
        throw new AppError('INVALID_INPUT', message, { data: message })
      }
      const caller = await loadCaller()
      authorize(caller, def.allowed)
      const input = parseInput(def.contract.inputAt?.(clock.now()) ?? def.contract.input, event.data ?? {})
      const data = await def.handler(input, caller)
      return { ok: true, data }
    } catch (err) {
      if (err instanceof AppError) return { ok: false, error: err.toShape() }
      console.error('[chuyan] unhandled error', err)
      return { ok: false, error: { code: 'INTERNAL', message: '服务暂时出错，请稍后再试' } }
    }
  }
}
