// Timer triggers' schedules: WeChat's cron and the event a timer hands its function. When they fire is timers.ts.
//
// WeChat's cron has 7 fields (second minute hour day month weekday year) read in UTC+8. cron-parser takes the
// first six with tz Asia/Shanghai; the year field is matched here. Weekdays follow cron-parser (0 or 7 = Sunday,
// SUN..SAT); names are unambiguous, prefer them in config.json.
import { CronExpressionParser } from 'cron-parser'
import type { TimerTriggerConfig } from './functions/config'

const CRON_TZ = 'Asia/Shanghai'
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
interface TimerEvent {
  Type: 'Timer'
  TriggerName: string
  Time: string
  Message: string
  /** Ours, only when fired at a chosen time (triggerTimer, /api/dev/trigger, advancing the clock): that time. */
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
