// Timer triggers (each function's config.json `triggers`), fired when the cloud's clock says they fall due
// (docs/LOCALCLOUD.md, "The clock and fast-forward"):
//   - as time passes, when the clock runs (real or running mode) and timers are on: at the simulated cron times;
//   - while the clock advances: every due time in (from, to], in time order across all triggers, each awaited,
//     with the clock reading that due time during the firing; a frozen clock fires nothing otherwise;
//   - on demand at a chosen time (triggerTimer, /api/dev/trigger), the invocation's clock reading that time.
//
// Fast-forward hint: a timer invocation may return {nextDueAt: ISO | null}. While advancing, that trigger's due
// times earlier than nextDueAt are skipped as long as the store has written nothing since the invocation returned
// (any write may have made new work); null means "nothing until something is written". WeChat ignores what a
// timer returns, so the hint costs a deployed function nothing.
import { ClockInputError, parseDuration, parseIsoTime, type Clock, type ClockReading } from './clock'
import { parseWeChatCron, timerEvent, type WeChatCron } from './cron'
import type { TimerTriggerConfig } from './functions/config'
import type { FunctionHost, InvokeOutcome } from './functions/host'

/** setTimeout holds at most ~24.8 days; longer waits are taken in hops. */
const MAX_WAIT_MS = 2 ** 31 - 1

interface Trigger { fn: string, trigger: TimerTriggerConfig, cron: WeChatCron }

/** A trigger's last hint: skip its due times before `until` while the store's write count is still `writes`. */
interface Hint { until: number, writes: number }

/** A trigger's course through one advance. */
interface Course extends Trigger {
  /** fn/trigger name: what its hint is kept under. */
  key: string
  /** Its last firing (or the start of the advance): the next due time is after this. */
  after: number
  /** The first due time at or after `lower`, kept: the cron search is the costly part of a step. */
  memo?: { lower: number, at: number | undefined }
}

export interface AdvanceResult extends ClockReading {
  /** Timer invocations made while advancing, and how many of them failed (each failure is logged). */
  fired: number
  failed: number
}

/** The clock as tests (`cloud.clock`) and /api/dev/clock move it. */
export interface CloudClock {
  now: () => Date
  read: () => ClockReading
  /** Reads `date` from now on: running on from it, or frozen there. */
  set: (date: Date | string, opts?: { frozen?: boolean }) => Promise<ClockReading>
  /** Moves the clock forward by an ISO duration ("P7D", "PT30M") or ms, firing every timer that falls due. */
  advance: (duration: string | number) => Promise<AdvanceResult>
  /** Back to real time. */
  real: () => Promise<ClockReading>
}

export class NoTriggerError extends Error {
  constructor (fn: string, name?: string) { super(name ? `${fn} has no timer trigger named ${name}` : `${fn} has no timer trigger`) }
}

interface TimersOptions {
  clock: Clock
  functions: FunctionHost
  /** Document writes the store has made so far. */
  writeCount: () => number
  log: (msg: string) => void
}

export class Timers {
  private onTime = false
  private closed = false
  private readonly waits = new Set<NodeJS.Timeout>()
  private queue: Promise<unknown> = Promise.resolve()
  /** Hints by trigger, kept from one advance to the next; setting the clock forgets them (they were relative to
   * the time it read). */
  private readonly hints = new Map<string, Hint>()

  constructor (private readonly opts: TimersOptions) {}

  /** From now on, fire triggers as time passes on a running (or real) clock. */
  runOnTime (): void {
    this.onTime = true
    this.reschedule()
  }

  stop (): void {
    this.closed = true
    this.unschedule()
  }

  /** The clock facade: every change goes through one queue, so a set() asked for during an advance waits for it. */
  control (): CloudClock {
    const { clock } = this.opts
    const change = async (fn: () => void): Promise<ClockReading> => await this.exclusive(() => {
      fn()
      this.hints.clear()
      this.reschedule()
      return clock.read()
    })
    return {
      now: () => clock.now(),
      read: () => clock.read(),
      set: async (date, opts = {}) => {
        const ms = date instanceof Date ? date.getTime() : parseIsoTime(date)
        if (ms === undefined || Number.isNaN(ms)) throw new ClockInputError('set', 'set 必须是带时区的 ISO 时间，如 "2026-03-01T23:50:00+08:00"')
        return await change(() => clock.set(ms, opts.frozen === true))
      },
      advance: async (d) => {
        const ms = parseDuration(d)
        return await this.exclusive(async () => await this.advance(ms))
      },
      real: async () => await change(() => clock.real())
    }
  }

  /** Fires fn's trigger (the first, or the one named) as if the clock read `at`; the invocation's clock reads `at`. */
  async fire (fn: string, at: Date, triggerName?: string): Promise<InvokeOutcome> {
    const config = this.opts.functions.config(fn)
    const trigger = triggerName === undefined ? config.triggers[0] : config.triggers.find((t) => t.name === triggerName)
    if (!trigger) throw new NoTriggerError(fn, triggerName)
    parseWeChatCron(trigger.config) // a trigger WeChat would refuse to deploy should not fire here either
    return await this.invoke(fn, trigger, at.getTime(), true)
  }

  private async exclusive<T> (fn: () => T | Promise<T>): Promise<T> {
    const run = this.queue.then(fn)
    this.queue = run.catch(() => undefined)
    return await run
  }

  /** A timer invocation for due time `atMs`; `pinned` stops the invocation's clock there (else it reads the cloud's). */
  private async invoke (fn: string, trigger: TimerTriggerConfig, atMs: number, pinned: boolean): Promise<InvokeOutcome> {
    return await this.opts.functions.invoke(fn, timerEvent(trigger, new Date(atMs), pinned), {
      source: 'wx_trigger',
      timer: true,
      ...(pinned ? { at: atMs } : {})
    })
  }

  /** Every valid timer trigger of every function, in a stable order (by function, then as configured). */
  private triggers (): Trigger[] {
    const out: Trigger[] = []
    for (const fn of this.opts.functions.list()) {
      let configured: TimerTriggerConfig[]
      try {
        configured = this.opts.functions.config(fn).triggers
      } catch (err) {
        this.opts.log(`[localcloud] ${(err as Error).message}`)
        continue
      }
      for (const trigger of configured) {
        try {
          out.push({ fn, trigger, cron: parseWeChatCron(trigger.config) })
        } catch (err) {
          this.opts.log(`[localcloud] ${fn}: ${(err as Error).message}; trigger ${trigger.name} will not run`)
        }
      }
    }
    return out
  }

  // ---- as time passes ---------------------------------------------------------------------------------------

  /** Drops the waits computed on the old reading and, if the clock runs, waits for each trigger's next due time. */
  private reschedule (): void {
    this.unschedule()
    if (!this.onTime || this.closed || this.opts.clock.mode === 'frozen') return
    const now = this.opts.clock.nowMs()
    for (const t of this.triggers()) this.schedule(t, now)
  }

  private unschedule (): void {
    for (const wait of this.waits) clearTimeout(wait)
    this.waits.clear()
  }

  private schedule (t: Trigger, afterMs: number): void {
    const at = t.cron.next(new Date(afterMs))?.getTime()
    if (at === undefined) return
    const wait = setTimeout(() => {
      this.waits.delete(wait)
      if (this.opts.clock.nowMs() + 5 < at) { this.schedule(t, afterMs); return } // a hop of a long wait
      this.invoke(t.fn, t.trigger, at, false).then((o) => {
        if (!o.ok) this.opts.log(`[localcloud] timer ${t.fn}/${t.trigger.name} at ${new Date(at).toISOString()} failed: ${o.stack ?? o.message}`)
      }, (err: Error) => this.opts.log(`[localcloud] timer ${t.fn}/${t.trigger.name}: ${err.message}`))
      this.schedule(t, at)
    }, Math.max(0, Math.min(at - this.opts.clock.nowMs(), MAX_WAIT_MS)))
    wait.unref()
    this.waits.add(wait)
  }

  // ---- advancing --------------------------------------------------------------------------------------------

  /**
   * Fires every due time in (from, from + ms], earliest first across all triggers (ties in trigger order), each
   * awaited with the clock frozen at it; then leaves the clock at from + ms, frozen if it was, running otherwise.
   */
  private async advance (ms: number): Promise<AdvanceResult> {
    const { clock } = this.opts
    const wasFrozen = clock.mode === 'frozen'
    const from = clock.nowMs()
    const to = from + ms
    this.unschedule()
    let fired = 0
    let failed = 0
    try {
      const courses: Course[] = this.triggers().map((t) => ({ ...t, after: from, key: `${t.fn}/${t.trigger.name}` }))
      // Due times earlier than `floor` were passed over: the last firing happened at `floor`.
      let floor = from
      while (!this.closed) {
        let next: Course | undefined
        let nextAt = Infinity
        for (const c of courses) {
          const at = this.nextDue(c, floor, to)
          if (at !== undefined && at < nextAt) { next = c; nextAt = at }
        }
        if (!next) break
        clock.set(nextAt, true)
        const outcome = await this.invoke(next.fn, next.trigger, nextAt, true)
        fired++
        next.after = nextAt
        floor = nextAt
        const hint = outcome.ok ? hintOf(outcome.json, this.opts.writeCount()) : undefined
        if (hint) this.hints.set(next.key, hint)
        else this.hints.delete(next.key)
        if (!outcome.ok) {
          failed++
          this.opts.log(`[localcloud] timer ${next.fn}/${next.trigger.name} at ${new Date(nextAt).toISOString()} failed: ${outcome.stack ?? outcome.message}`)
        }
      }
    } finally {
      clock.set(to, wasFrozen)
      this.reschedule()
    }
    return { ...clock.read(), fired, failed }
  }

  /** The course's next due time at or after `floor` (and after its last firing), hint applied; none past `to`. */
  private nextDue (c: Course, floor: number, to: number): number | undefined {
    let lower = Math.max(c.after + 1, floor)
    const hint = this.hints.get(c.key)
    if (hint !== undefined && hint.writes === this.opts.writeCount() && hint.until > lower) {
      if (hint.until === Infinity) return undefined
      lower = hint.until
    }
    // The first due time at or after memo.lower is also the first at or after any later bound it does not precede.
    const memo = c.memo
    if (!memo || memo.lower > lower || (memo.at !== undefined && memo.at < lower)) {
      c.memo = { lower, at: c.cron.next(new Date(lower - 1))?.getTime() }
    }
    const at = c.memo?.at
    return at !== undefined && at <= to ? at : undefined
  }
}

/** The hint in a timer's result: `nextDueAt` as ms (null: none until a write); undefined when absent or invalid. */
function hintOf (json: string, writes: number): Hint | undefined {
  let value: unknown
  try { value = JSON.parse(json) } catch { return undefined }
  if (value === null || typeof value !== 'object' || !('nextDueAt' in value)) return undefined
  const next = (value as { nextDueAt: unknown }).nextDueAt
  if (next === null) return { until: Infinity, writes }
  const until = parseIsoTime(next)
  return until === undefined ? undefined : { until, writes }
}
