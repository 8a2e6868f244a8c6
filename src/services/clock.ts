/**
 * The time pages read: "today", "this week", whether a call may be marked yet. weapp: the phone's clock. h5 (the
 * local cloud): the phone's clock moved by how far the cloud's clock is from it, learnt from the Date header of
 * each function response, so that a page follows a cloud clock that was set or fast-forwarded
 * (docs/ARCHITECTURE.md, "The clock"; docs/LOCALCLOUD.md).
 */

let offsetMs = 0

/** Now, as the cloud's clock reads it. */
export function now (): Date {
  return new Date(Date.now() + offsetMs)
}

/** Takes the cloud's time from a function response that was sent at `sentAt` and received at `receivedAt` (phone ms). */
export function learnCloudTime (dateHeader: string | null, sentAt: number, receivedAt: number): void {
  if (process.env.TARO_ENV !== 'h5') return
  const offset = cloudOffset(dateHeader, sentAt, receivedAt, offsetMs)
  if (offset !== undefined) offsetMs = offset
}

/**
 * How far the cloud's clock is ahead of the phone's (ms), from a response's Date header, or undefined without one.
 * The header counts whole seconds, and the cloud wrote it somewhere between sending and receiving, so it only
 * says the offset lies in a window about a second wide: the offset known so far is kept while it lies in that
 * window (a phone on the cloud's time keeps 0), otherwise the window's middle is taken.
 */
export function cloudOffset (dateHeader: string | null, sentAt: number, receivedAt: number, current = 0): number | undefined {
  if (!dateHeader) return undefined
  const stamped = Date.parse(dateHeader)
  if (Number.isNaN(stamped) || receivedAt < sentAt) return undefined
  const lowest = stamped - receivedAt
  const highest = stamped + 999 - sentAt
  if (current >= lowest && current <= highest) return current
  return Math.round((lowest + highest) / 2)
}
