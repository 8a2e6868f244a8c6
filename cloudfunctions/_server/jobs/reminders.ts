/**
 * Reminders of booked appointments (a family call, a counselling session): a day before and half an hour before, each
 * sent once. The flag on the booking is claimed with a conditional update before the message goes, so two runs at
 * once send one.
 *
 * One allow, one message (docs/ARCHITECTURE.md, "Notifications"): the booking tap asks for one reminder allow, so
 * only the first reminder due goes out as a subscription message — the day before, or half an hour before when the
 * booking came later than that. The other lands in 消息 only: sending it would spend an allow the person gave for
 * another booking.
 */
import { _, db, rows } from '../cloud'
import { notify, type Notice } from '../notify'
import { allPages } from '../paging'
import { earliest } from './job'
import { sideBySide, TIMER_LANES } from '../sideBySide'

const MIN = 60000

/** The two reminders: within a day (but not inside the last hour, where the half-hour one comes) and within 30 minutes. */
const WINDOWS = [
  { which: 'day', flag: 'reminders.day', within: 24 * 60 * MIN, notBefore: 60 * MIN },
  { which: 'halfHour', flag: 'reminders.halfHour', within: 30 * MIN, notBefore: 0 }
] as const

type ReminderKind = (typeof WINDOWS)[number]['which']

interface Booked { _id: string, start: Date, reminders?: { day?: boolean, halfHour?: boolean } }

/** Sends the reminders due at `now` for the booked documents of a collection (each to one or more people); how many bookings were reminded. */
export async function sendReminders<T extends Booked> (
  collection: string, now: Date, notice: (doc: T, which: ReminderKind) => Promise<Notice | Notice[]> | Notice | Notice[],
  /** reads what the notices of these bookings need in one go (their rooms, their families), before any is sent */
  prepare?: (due: T[]) => Promise<void>
): Promise<number> {
  let sent = 0
  for (const w of WINDOWS) {
    const due = await allPages<T>(db.collection(collection).where({ status: 'booked', start: _.gt(new Date(now.getTime() + w.notBefore)).and(_.lte(new Date(now.getTime() + w.within))), [w.flag]: false }))
    if (due.length > 0) await prepare?.(due)
    // The bookings due side by side, a few at a time (calls cluster at the same start times).
    await sideBySide(due, TIMER_LANES, async (doc) => {
      const claimed = await db.collection(collection).where({ _id: doc._id, [w.flag]: false }).update({ data: { [w.flag]: true } }) as { stats: { updated: number } }
      if (claimed.stats.updated !== 1) return
      // The day-before reminder was claimed for this booking: it took the booking's allow.
      const second = w.which === 'halfHour' && doc.reminders?.day === true
      const notices = await notice(doc, w.which)
      // The people of one booking are told side by side; the flag claimed above makes the notices this run's own.
      await Promise.all((Array.isArray(notices) ? notices : [notices]).map((n) => notify({ ...n, ...(second ? { inboxOnly: true } : {}), claimed: true })))
      sent++
    })
  }
  return sent
}

/**
 * When the next reminder of a collection falls due: the soonest booking not yet reminded, less the window. Each
 * window's read goes by the index on (flag, status, start), which holds the bookings in start order: the first one
 * is read, not every booking to come (docs/LOCALCLOUD.md, "Its parts").
 */
export async function nextReminder (collection: string, now: Date): Promise<Date | null> {
  const soonest = await Promise.all(WINDOWS.map(async (w) => {
    // Bookings inside `notBefore` never get this reminder; the soonest one after it gets it first.
    const [first] = await rows<Booked>(db.collection(collection).where({ status: 'booked', start: _.gt(new Date(now.getTime() + w.notBefore)), [w.flag]: false }).field({ start: true }).orderBy('start', 'asc').limit(1))
    return first ? new Date(new Date(first.start).getTime() - w.within) : null
  }))
  return soonest.reduce<Date | null>((a, b) => earliest(a, b), null)
}
