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
 * A function is a thin router: find the action, check the caller (before any other read), parse the input with
 * the shared zod contract, run the handler, and answer {ok, data} or {ok:false, error} (docs/ARCHITECTURE.md,
 * "Adding an action").
 */
export function createRouter (actions: Record<string, ActionDef<any>>) {
  return async function main (event: FunctionEvent): Promise<Result<unknown>> {
    try {
      const name = typeof event?.action === 'string' ? event.action : ''
      const def = Object.prototype.hasOwnProperty.call(actions, name) ? actions[name] : undefined
      if (!def) throw new AppError('UNKNOWN_ACTION', `没有这个操作：${name || '（空）'}`)
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
