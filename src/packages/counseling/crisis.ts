/** The numbers a crisis page shows, and what the ask page hands it so the page opens at once. */
import { HELP_NUMBERS, type TriageAnswers } from '../../domain'

/** The numbers a crisis shows before anything has loaded: they never wait for the cloud (docs/DOMAIN.md, "Help numbers"). */
export const FIRST_NUMBERS = ['110', '12355'].map((n) => {
  const h = HELP_NUMBERS.find((x) => x.number === n)!
  return { number: h.number, name: h.name }
})

interface CrisisNumbers { numbers: Array<{ number: string, name: string }> }

/**
 * A request not filed yet: at the first danger answer the ask page opens the crisis page at once and hands it the
 * answers, and the crisis page files them (the key makes a retry the same request). Kept in memory for this run of
 * the app only: nothing about a child's crisis is written to the phone.
 */
export interface PendingAsk { childId: string, answers: TriageAnswers, idempotencyKey: string, requestId?: string, numbers?: CrisisNumbers['numbers'] }
const pending = new Map<string, PendingAsk>()
export function rememberAsk (token: string, ask: PendingAsk): void { pending.set(token, ask) }
export function pendingAsk (token: string): PendingAsk | undefined { return pending.get(token) }

/** The station's duty line among a crisis's numbers (not 110, not 12355). */
export function dutyLineOf (numbers: ReadonlyArray<{ number: string }>): string | undefined {
  return numbers.find((n) => n.number !== '110' && n.number !== '12355')?.number
}

/** Honest words: who will know what was said (docs/DOMAIN.md, "Minors Protection Law"). No secrecy is promised. */
export const WHO_WILL_KNOW = {
  child: '你说的话会告诉辅导员；如果有人伤害你，也会告诉警察叔叔阿姨，他们会保护你。',
  adult: '您说的情况会告诉辅导员；如果孩子受到伤害，也会报告公安，他们会保护孩子。'
} as const
