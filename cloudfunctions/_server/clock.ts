/**
 * The one clock of the functions (docs/ARCHITECTURE.md, "The clock"). In WeChat cloud it is the real time. The local
 * cloud passes each invocation its own clock through the environment, as it passes the caller's OPENID:
 * `LOCALCLOUD_NOW` (an ISO time with its zone: the clock stands at it) or `LOCALCLOUD_CLOCK_OFFSET_MS` (the clock
 * runs, that many milliseconds from real time). Both are read at each call, so a warm instance follows a moved
 * clock; a value that cannot be read leaves the real time.
 */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/

export function now (): Date {
  const frozen = process.env.LOCALCLOUD_NOW
  if (frozen && ISO_TIME.test(frozen)) {
    const at = Date.parse(frozen)
    if (Number.isFinite(at)) return new Date(at)
  }
  const offset = process.env.LOCALCLOUD_CLOCK_OFFSET_MS
  if (offset && /^-?\d+$/.test(offset.trim())) return new Date(Date.now() + Number(offset))
  return new Date()
}
