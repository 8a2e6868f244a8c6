import type { z } from 'zod'
import { accountContract } from './account'
import { registryContract } from './registry'
import { hotlineContract } from './hotline'
import { counselingContract } from './counseling'
import { legalaidContract } from './legalaid'
import { pairingContract } from './pairing'
import { safeguardContract } from './safeguard'
import { oversightContract } from './oversight'

export * from './account'
export * from './registry'
export * from './hotline'
export * from './counseling'
export * from './legalaid'
export * from './pairing'
export * from './safeguard'
export * from './oversight'

/** Every function and its actions: the single source of truth for pages (services/cloud.ts) and functions. */
export const CONTRACTS = {
  account: accountContract,
  registry: registryContract,
  hotline: hotlineContract,
  counseling: counselingContract,
  legalaid: legalaidContract,
  pairing: pairingContract,
  safeguard: safeguardContract,
  oversight: oversightContract
} as const

export type FunctionName = keyof typeof CONTRACTS
export type ActionName<F extends FunctionName> = keyof (typeof CONTRACTS)[F] & string
type ActionOf<F extends FunctionName, A extends ActionName<F>> = (typeof CONTRACTS)[F][A] extends { input: z.ZodTypeAny, output: z.ZodTypeAny } ? (typeof CONTRACTS)[F][A] : never
export type ActionInput<F extends FunctionName, A extends ActionName<F>> = z.input<ActionOf<F, A>['input']>
export type ActionOutput<F extends FunctionName, A extends ActionName<F>> = z.output<ActionOf<F, A>['output']>
export interface ActionContract {
  input: z.ZodTypeAny
  output: z.ZodTypeAny
  /** The input as the function checks it when a rule needs the day of the request (pages check `input`). */
  inputAt?: (now: Date) => z.ZodTypeAny
}
