/**
 * Standing weekly calls (e.g. every Sunday 19:00): a rule a parent sets once, which books each week as it comes within
 * the room's horizon: when the parent sets it, and then by the scheduler once a day.
 */
import { AppError, nextOccurrences, shanghaiWall, validateSlotChoice, weekOf, type CallMode, type WorkCalendar } from '../../../src/domain'
import { _, db, rows } from '../cloud'
import { COLLECTIONS } from '../collections'
import { bookCall, type BookingDoc } from './calls'
import type { Room } from './rooms'

export interface StandingDoc { _id: string, childId: string, childName: string, openid: string, openidName: string, roomId: string, weekday: number, time: string, mode: CallMode, bookedWeeks: string[], missedWeeks: Array<{ weekKey: string, reason: string }> }

/** The child's live booking of a slot, if any. */
async function bookingOfChildAt (childId: string, slotKey: string): Promise<BookingDoc | null> {
  const [b] = await rows<BookingDoc>(db.collection(COLLECTIONS.bookings).where({ childId, slotKey, status: _.in(['booked', 'held']) }).limit(1))
  return b ?? null
}

/**
 * Books each week of a standing rule that has come within the room's horizon and is not yet booked or missed.
 * A week that cannot be booked (taken, closed, holiday, the family's limit) is recorded so the parent is told.
 */
export async function bookStandingWeeks (rule: StandingDoc, room: Room, cal: WorkCalendar, now: Date) {
  const horizonEnd = new Date(now.getTime() + room.resource.horizonDays * 86400000)
  const done = new Set([...(rule.bookedWeeks ?? []), ...(rule.missedWeeks ?? []).map((m) => m.weekKey)])
  const booked: BookingDoc[] = []
  const missed: Array<{ weekKey: string, reason: string }> = []
  for (const start of nextOccurrences({ weekday: rule.weekday as any, time: rule.time }, now, Math.ceil(room.resource.horizonDays / 7) + 1)) {
    if (start > horizonEnd) break
    const weekKey = weekOf(start).weekKey
    if (done.has(weekKey)) continue
    const choice = validateSlotChoice(room.resource, cal, start, now)
    if (!choice.ok) {
      // Too soon this week is not a miss: the rule starts with the next bookable week.
      if (choice.code !== 'INSIDE_NOTICE' && choice.code !== 'IN_PAST') missed.push({ weekKey, reason: `${shanghaiWall(start).format('M月D日')}：${choice.message}` })
      continue
    }
    try {
      const res = await bookCall({ room, cal, child: { _id: rule.childId, name: rule.childName }, slot: choice.slot, mode: rule.mode, by: { openid: rule.openid, name: rule.openidName }, now, standingRuleId: rule._id })
      if (res.outcome === 'booked') booked.push(res.booking)
      else missed.push({ weekKey, reason: `${shanghaiWall(start).format('M月D日 HH:mm')}已被约满` })
    } catch (err) {
      if (!(err instanceof AppError)) throw err
      // The child already has this very time booked (by hand, or by the other parent's rule): the week is booked.
      const existing = err.code === 'CONFLICT' ? await bookingOfChildAt(rule.childId, choice.slot.key) : null
      if (existing) booked.push(existing)
      else missed.push({ weekKey, reason: `${shanghaiWall(start).format('M月D日')}：${err.message}` })
    }
  }
  if (booked.length || missed.length) {
    await db.collection(COLLECTIONS.standingCalls).doc(rule._id).update({
      data: { bookedWeeks: _.push(booked.map((b) => weekOf(b.start).weekKey)), missedWeeks: _.push(missed) }
    })
  }
  return { booked, missed }
}
