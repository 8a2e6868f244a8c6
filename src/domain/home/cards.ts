/**
 * Pure rules behind the cards at the top of a home (what is next, what waits): how deadlines are tallied and when a
 * parent is nudged to call. The account function reads the data; these decide what it means.
 */

/** How a deadline stands at `now`: past it, within `soonMs` of it, or further away. */
export type DueState = 'late' | 'soon' | 'onTime'

export function dueState (due: Date, now: Date, soonMs: number): DueState {
  const left = due.getTime() - now.getTime()
  if (left < 0) return 'late'
  if (left <= soonMs) return 'soon'
  return 'onTime'
}

export interface DeadlineTally { waiting: number, late: number, soon: number }

/**
 * Items waiting for someone, each with the state of its nearest deadline (null: none running): how many wait, how
 * many are past their deadline, how many are near it.
 */
export function tallyDeadlines (items: ReadonlyArray<DueState | null>): DeadlineTally {
  return {
    waiting: items.length,
    late: items.filter((s) => s === 'late').length,
    soon: items.filter((s) => s === 'soon').length
  }
}

/**
 * A parent is nudged when this week has no call home yet: none held (care room or a confirmed direct call) and none
 * booked for the rest of the week (docs/DOMAIN.md, "Contact rhythm").
 */
export function needsCallNudge (week: { held: boolean, bookedStarts: readonly Date[] }, weekEndsAt: Date, now: Date): boolean {
  if (week.held) return false
  return !week.bookedStarts.some((s) => s.getTime() >= now.getTime() && s.getTime() < weekEndsAt.getTime())
}

/** How far ahead a guardian's home looks for the parents' next call. */
export const PARENTS_BOOKING_AHEAD_MS = 7 * 24 * 3600000

/**
 * A guardian is told when the child's parents have no care-room call booked (or under way) in the next seven days:
 * she brings the child to the call, and she can remind them (docs/DOMAIN.md, "Contact rhythm").
 */
export function parentsBookedNothing (booked: ReadonlyArray<{ start: Date, end: Date }>, now: Date): boolean {
  const until = now.getTime() + PARENTS_BOOKING_AHEAD_MS
  return !booked.some((b) => b.end.getTime() > now.getTime() && b.start.getTime() < until)
}
