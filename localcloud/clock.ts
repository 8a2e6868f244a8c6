// The local cloud's one clock (docs/LOCALCLOUD.md, "The clock and fast-forward"). It reads real time by default;
// local mode can set it running from another time (an offset from real time) or frozen at one time. Every
// invocation gets it through its environment (LOCALCLOUD_NOW when frozen, LOCALCLOUD_CLOCK_OFFSET_MS when
// running), the store's serverDate and the gateway's Date header read it, and timers follow it (timers.ts).
import dayjs from 'dayjs'
import duration from 'dayjs/plugin/duration'

dayjs.extend(duration)

type ClockMode = 'real' | 'running' | 'frozen'

/** What GET /api/dev/clock answers. `offsetMs` is the reading minus real time. */
export interface ClockReading { now: string, mode: ClockMode, offsetMs: number }

/** The variables an invocation reads its clock from; null removes one from the environment. */
interface ClockEnv {
  LOCALCLOUD_NOW: string | null
  LOCALCLOUD_CLOCK_OFFSET_MS: string | null
}

export class Clock {
  private current: ClockMode = 'real'
  /** running: the reading minus real time. */
  private offsetMs = 0
  /** frozen: the reading. */
  private frozenMs = 0

  get mode (): ClockMode { return this.current }

  nowMs (): number {
    if (this.current === 'frozen') return this.frozenMs
    return Date.now() + (this.current === 'running' ? this.offsetMs : 0)
  }

  now (): Date { return new Date(this.nowMs()) }

  read (): ClockReading {
    const now = this.nowMs()
    return { now: new Date(now).toISOString(), mode: this.current, offsetMs: now - Date.now() }
  }

  /** Reads `atMs` from now on: frozen there, or running on from it. */
  set (atMs: number, frozen: boolean): void {
    if (frozen) {
      this.current = 'frozen'
      this.frozenMs = atMs
    } else {
      this.current = 'running'
      this.offsetMs = atMs - Date.now()
    }
  }

  real (): void {
    this.current = 'real'
    this.offsetMs = 0
  }

  /**
   * The clock an invocation sees: `pinnedMs` (a timer fired at a chosen time) freezes it there; otherwise it is
   * this clock, as of the moment the invocation starts.
   */
  env (pinnedMs?: number): ClockEnv {
    if (pinnedMs !== undefined) return { LOCALCLOUD_NOW: new Date(pinnedMs).toISOString(), LOCALCLOUD_CLOCK_OFFSET_MS: null }
    switch (this.current) {
      case 'frozen': return { LOCALCLOUD_NOW: new Date(this.frozenMs).toISOString(), LOCALCLOUD_CLOCK_OFFSET_MS: null }
      case 'running': return { LOCALCLOUD_NOW: null, LOCALCLOUD_CLOCK_OFFSET_MS: String(this.offsetMs) }
      case 'real': return { LOCALCLOUD_NOW: null, LOCALCLOUD_CLOCK_OFFSET_MS: null }
    }
  }
}

/** Bad input to the clock: `field` names what was wrong, for the 400 reply of /api/dev/clock. */
export class ClockInputError extends Error {
  constructor (readonly field: string, message: string) { super(message) }
}

const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,3})?)?(Z|[+-]\d\d:\d\d)$/

/**
 * An ISO time with its zone (Z or ±hh:mm), as milliseconds; undefined for anything else. A time without a zone
 * would be read in the server's zone, which is how a test ends up depending on the machine.
 */
export function parseIsoTime (value: unknown): number | undefined {
  if (typeof value !== 'string' || !ISO_TIME.test(value)) return undefined
  const ms = Date.parse(value)
  return Number.isNaN(ms) ? undefined : ms
}

const ISO_DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/

/**
 * A forward step of the clock: an ISO-8601 duration of weeks, days, hours, minutes and seconds ("P7D",
 * "PT30M", "P1DT2H") or a number of milliseconds. Years and months are refused: they have no fixed length.
 */
export function parseDuration (value: unknown, field = 'advance'): number {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) throw new ClockInputError(field, `${field} 必须是不小于 0 的整数毫秒数，或 ISO 时长如 "P7D"、"PT30M"`)
    return value
  }
  if (typeof value !== 'string') throw new ClockInputError(field, `${field} 必须是 ISO 时长如 "P7D"、"PT30M"，或毫秒数`)
  if (/^P(\d+Y|\d+M)/.test(value)) throw new ClockInputError(field, `${field} 不能用年或月（长度不固定），请用天，如 "P30D"`)
  if (value === 'P' || !ISO_DURATION.test(value)) throw new ClockInputError(field, `${field} 不是 ISO 时长：${JSON.stringify(value)}；例如 "P7D"、"PT30M"、"P1DT2H"`)
  return Math.round(dayjs.duration(value).asMilliseconds())
}
