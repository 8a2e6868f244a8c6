/**
 * Runs `work` over `items` with at most `limit` of them under way at once. A timer that tells hundreds of people
 * (the Thursday nudge, the Monday flags) would otherwise wait for each one's round trips in turn and could run past its
 * minute (docs/ARCHITECTURE.md, "Timers"); each item is independent (its own mark or conditional update), so their
 * order does not matter. The first failure is thrown once every started item has ended.
 */
export async function sideBySide<T> (items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  let failed: { err: unknown } | undefined
  const lane = async (): Promise<void> => {
    while (next < items.length && !failed) {
      const item = items[next++]
      try {
        await work(item)
      } catch (err) {
        failed ??= { err }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane))
  if (failed) throw failed.err
}

/** How many of a timer's people are told at once: enough to finish a county's week in seconds, few enough for the database. */
export const TIMER_LANES = 8
