import { weekOf } from './scheduling/weeks'

/**
 * The weekly call home (docs/DOMAIN.md, "Contact rhythm"): where a call happened, the direct calls a parent records
 * and the guardian (or the teacher) confirms, and the weeks a streak may count.
 */
export const CALL_PLACES = ['careRoom', 'direct'] as const
export type CallPlace = (typeof CALL_PLACES)[number]
export const CALL_PLACE_LABELS: Record<CallPlace, string> = { careRoom: '在关爱室', direct: '直接打到家里' }

/** A direct call may be recorded up to a week after it: later, nobody at home remembers it well enough to confirm. */
export const DIRECT_CALL_DAYS_BACK = 7
export const DIRECT_CALL_MAX_MINUTES = 180

export const DIRECT_CALL_STATES = ['pending', 'confirmed', 'declined'] as const
export type DirectCallState = (typeof DIRECT_CALL_STATES)[number]
export const DIRECT_CALL_STATE_LABELS: Record<DirectCallState, string> = { pending: '等家里确认', confirmed: '已确认', declined: '家里说没有这次通话' }

/**
 * Why the time of a direct call cannot be recorded, or undefined when it can: not in the future (a minute of grace
 * for a phone's clock), not more than DIRECT_CALL_DAYS_BACK days ago.
 */
export function directCallTimeProblem (at: Date, now: Date): string | undefined {
  if (at.getTime() > now.getTime() + 60000) return '这个时间还没到，请选已经打过的通话'
  if (at.getTime() < now.getTime() - DIRECT_CALL_DAYS_BACK * 86400000) return `只能补记${DIRECT_CALL_DAYS_BACK}天以内的通话`
  return undefined
}

/**
 * The moment from which the system knew a child and a parent who could call: the later of the file's start and the
 * first parent's binding (a binding with no date counts from the file's start). Null when no parent is bound: no
 * call can be booked or recorded by a parent, so no week can count against anyone.
 */
export function contactKnownFrom (fileStartedAt: Date | undefined, parentsBoundAt: ReadonlyArray<Date | undefined>): Date | null {
  if (parentsBoundAt.length === 0) return null
  const start = fileStartedAt ? fileStartedAt.getTime() : 0
  const bound = Math.min(...parentsBoundAt.map((d) => (d ? d.getTime() : start)))
  return new Date(Math.max(start, bound))
}

/**
 * How many of the weeks ending with `uptoWeek` may count in a streak without a call: only whole weeks after the one
 * the system came to know the child in (that first week is partial, and not held against anyone).
 */
export function weeksKnown (knownFrom: Date | null, uptoWeek: string, weeks: readonly string[]): number {
  if (!knownFrom) return 0
  const first = weekOf(knownFrom).weekKey
  return weeks.filter((w) => w > first && w <= uptoWeek).length
}

/** True for a week wholly before the system knew the child: shown as such, never as a week without a call. */
export function weekBeforeKnown (knownFrom: Date | null, weekKey: string): boolean {
  return !knownFrom || weekKey < weekOf(knownFrom).weekKey
}
