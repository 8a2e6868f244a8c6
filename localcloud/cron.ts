// Timer triggers: each function's config.json `triggers` ({name, type:'timer', config}) fired on the real clock,
// or on demand at a chosen clock time (tests, /api/dev/trigger).
//
// WeChat's cron has 7 fields (second minute hour day month weekday year) read in UTC+8. cron-parser takes the
// first six with tz Asia/Shanghai; the year field is matched here. Weekdays follow cron-parser (0 or 7 = Sunday,
// SUN..SAT); names are unambiguous, prefer them in config.json.
import { CronExpressionParser } from 'cron-parser'
import type { TimerTriggerConfig } from './functions/config'

export const CRON_TZ = 'Asia/Shanghai'
const UTC8_MS = 8 * 3600_000
const MAX_YEAR = 2099

export interface WeChatCron {
  /** The first fire time strictly after `after`, or undefined if the year field allows none. */
  next: (after: Date) => Date | undefined
}

export function parseWeChatCron (expr: string): WeChatCron {
  const fields = expr.trim().split(/\s+/)
  if (fields.length !== 7) {
    throw new Error(`timer trigger "${expr}": WeChat cron needs 7 fields (second minute hour day month weekday year), got ${fields.length}`)
  }
  const six = fields.slice(0, 6).join(' ')
  const yearOk = parseYearField(fields[6], expr)
  // Validate now, so a bad expression fails at load and not at the first fire.
  try {
    CronExpressionParser.parse(six, { tz: CRON_TZ })
  } catch (err) {
    throw new Error(`timer trigger "${expr}": ${(err as Error).message}`)
  }
  return {
    next (after: Date): Date | undefined {
      let from = after
      for (let guard = 0; guard < 200; guard++) {
        const d = CronExpressionParser.parse(six, { currentDate: from, tz: CRON_TZ }).next().toDate()
        const year = new Date(d.getTime() + UTC8_MS).getUTCFullYear()
        if (yearOk(year)) return d
        let y = year + 1
        while (y <= MAX_YEAR && !yearOk(y)) y++
        if (y > MAX_YEAR) return undefined
        // Just before 00:00 on 1 January of that year, UTC+8.
        from = new Date(Date.UTC(y, 0, 1) - UTC8_MS - 1)
      }
      return undefined
    }
  }
}

/** The year field: *, ?, n, a-b, with /step, comma lists; years 1970..2099. */
function parseYearField (field: string, expr: string): (year: number) => boolean {
  if (field === '*' || field === '?') return () => true
  const parts = field.split(',').map((part) => {
    const m = /^(\*|\d{4})(?:-(\d{4}))?(?:\/(\d+))?$/.exec(part)
    if (!m) throw new Error(`timer trigger "${expr}": bad year field "${field}"`)
    const lo = m[1] === '*' ? 1970 : Number(m[1])
    const hi = m[2] !== undefined ? Number(m[2]) : (m[1] === '*' || m[3] !== undefined ? MAX_YEAR : lo)
    const step = m[3] !== undefined ? Number(m[3]) : 1
    if (lo < 1970 || hi > MAX_YEAR || lo > hi || step < 1) throw new Error(`timer trigger "${expr}": bad year field "${field}"`)
    return (y: number) => y >= lo && y <= hi && (y - lo) % step === 0
  })
  return (year) => parts.some((p) => p(year))
}

/** The event SCF hands a function fired by a timer trigger; Time is UTC without milliseconds. */
export interface TimerEvent {
  Type: 'Timer'
  TriggerName: string
  Time: string
  Message: string
  /** Ours, only when fired on demand (triggerTimer, /api/dev/trigger): the clock time to compute with. */
  now?: string
}

export function timerEvent (trigger: TimerTriggerConfig, time: Date, onDemand: boolean): TimerEvent {
  const event: TimerEvent = {
    Type: 'Timer',
    TriggerName: trigger.name,
    Time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    Message: ''
  }
  if (onDemand) event.now = time.toISOString()
  return event
}

export interface ScheduledTrigger {
  fn: string
  trigger: TimerTriggerConfig
}

/** Fires triggers on the real clock; `fire` is called with the trigger and its scheduled time. */
export class TimerScheduler {
  private readonly timers = new Set<NodeJS.Timeout>()
  private stopped = false

  constructor (private readonly fire: (t: ScheduledTrigger, at: Date) => void, private readonly log: (msg: string) => void = console.warn) {}

  start (triggers: ScheduledTrigger[]): void {
    for (const t of triggers) {
      let cron: WeChatCron
      try {
        cron = parseWeChatCron(t.trigger.config)
      } catch (err) {
        this.log(`[localcloud] ${t.fn}: ${(err as Error).message}; trigger ${t.trigger.name} will not run`)
        continue
      }
      this.schedule(t, cron, new Date())
    }
  }

  stop (): void {
    this.stopped = true
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
  }

  private schedule (t: ScheduledTrigger, cron: WeChatCron, after: Date): void {
    if (this.stopped) return
    const at = cron.next(after)
    if (!at) return
    // setTimeout holds at most ~24.8 days; longer waits are taken in hops.
    const wait = Math.min(at.getTime() - Date.now(), 2 ** 31 - 1)
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      if (Date.now() + 5 < at.getTime()) { this.schedule(t, cron, after); return }
      this.fire(t, at)
      this.schedule(t, cron, at)
    }, Math.max(0, wait))
    timer.unref()
    this.timers.add(timer)
  }
}
