/**
 * Which counsellor takes a request: the one the child saw last, when they are free at the chosen time;
 * otherwise, among the counsellors of the child's county station who are free then, the one with the fewest open
 * cases (ties to the one whose last assignment is oldest, then by id, so work spreads evenly).
 */
interface CounselorLoad { id: string, openCases: number, lastAssignedAt?: Date, free: boolean }

export function chooseCounselor (candidates: readonly CounselorLoad[], previousId?: string): CounselorLoad | undefined {
  const free = candidates.filter((c) => c.free)
  const previous = previousId ? free.find((c) => c.id === previousId) : undefined
  if (previous) return previous
  return [...free].sort((a, b) =>
    a.openCases - b.openCases ||
    (a.lastAssignedAt?.getTime() ?? 0) - (b.lastAssignedAt?.getTime() ?? 0) ||
    a.id.localeCompare(b.id))[0]
}

/**
 * The escalation ladder of a crisis: the on-duty counsellor at once, then the next counsellor of the roster, then
 * the station's supervisor, each after CRISIS_ACK_MINUTES without an acknowledgement; the supervisor is alerted
 * again every further step until someone acknowledges.
 */
export function escalationTarget (roster: readonly string[], supervisor: string | undefined, level: number): string | undefined {
  if (level < roster.length && level < 2) return roster[level]
  return supervisor ?? roster[roster.length - 1]
}

/** The level a crisis should have reached `minutes` after it was raised, with no acknowledgement. */
export function dueLevel (minutesSinceRaised: number, ackMinutes: number): number {
  return Math.max(0, Math.floor(minutesSinceRaised / ackMinutes))
}
