/** The waiting list of a full day, and the standing weekly call. */
import {
  AppError, hotlineContract, nextOccurrences, shanghaiWall, toDateKey, validateSlotChoice, weekOf, type CallMode
} from '../../src/domain'
import { _, db, findById, removeDoc, rows } from '../_server/cloud'
import { COLLECTIONS } from '../_server/collections'
import { isDuplicate, once } from '../_server/idempotency'
import { loadCalendar } from '../_server/calendar'
import { action } from '../_server/router'
import type { Caller } from '../_server/caller'
import { FAMILY, childRoom, familyChild } from './family'
import { bookCall, bookingView, loadRoom, offerFreedSeat, releaseSeat, type BookingDoc, type Room } from './core'
import type { WorkCalendar } from '../../src/domain'
import * as clock from '../_server/clock'

export interface WaitDoc {
  _id: string, roomId: string, date: string, childId: string, childName: string, openid: string, state: 'waiting' | 'offered' | 'booked' | 'left' | 'expired'
  createdAt: Date, offer?: { seatId: string, slotKey: string, start: Date, expiresAt: Date }
}

async function waitView (w: WaitDoc) {
  const ahead = w.state === 'waiting'
    ? (await db.collection(COLLECTIONS.waitlist).where({ roomId: w.roomId, date: w.date, state: 'waiting', createdAt: _.lt(w.createdAt) }).count() as { total: number }).total
    : 0
  return {
    id: w._id, childId: w.childId, childName: w.childName, date: w.date, position: ahead + 1,
    ...(w.state === 'offered' && w.offer ? { offer: { id: w._id, start: w.offer.start, expiresAt: w.offer.expiresAt } } : {})
  }
}

export const joinWaitlist = action({
  contract: hotlineContract.joinWaitlist,
  allowed: FAMILY,
  async handler (input, caller) {
    const child = await familyChild(caller, input.childId)
    const room = await childRoom(child)
    const today = toDateKey(clock.now())
    if (input.date < today) throw new AppError('INVALID_INPUT', '不能排过去的日子', { date: '不能排过去的日子' })
    return await once(caller, 'hotline.joinWaitlist', input.idempotencyKey, async () => {
      // One entry per child, room and day: pressing twice does not jump the queue.
      const _id = `${room.doc._id}:${input.date}:${child._id}`
      const doc: WaitDoc = { _id, roomId: room.doc._id, date: input.date, childId: child._id, childName: child.name, openid: caller.openid, state: 'waiting', createdAt: clock.now() }
      try {
        await db.collection(COLLECTIONS.waitlist).add({ data: doc })
      } catch (err) {
        if (!isDuplicate(err)) throw err
        const existing = await findById<WaitDoc>(COLLECTIONS.waitlist, _id)
        if (existing && (existing.state === 'waiting' || existing.state === 'offered')) return await waitView(existing)
        await db.collection(COLLECTIONS.waitlist).doc(_id).set({ data: { ...doc, _id: undefined } })
      }
      return await waitView(doc)
    })
  }
})

async function ownEntry (caller: Caller, entryId: string): Promise<WaitDoc> {
  const entry = await findById<WaitDoc>(COLLECTIONS.waitlist, entryId)
  if (!entry) throw new AppError('NOT_FOUND', '没有找到这个排队')
  await familyChild(caller, entry.childId)
  return entry
}

export const leaveWaitlist = action({
  contract: hotlineContract.leaveWaitlist,
  allowed: FAMILY,
  async handler (input, caller) {
    const entry = await ownEntry(caller, input.entryId)
    if (entry.state !== 'waiting' && entry.state !== 'offered') return { left: false }
    const res = await db.collection(COLLECTIONS.waitlist).where({ _id: entry._id, state: entry.state }).update({ data: { state: 'left' } }) as { stats: { updated: number } }
    if (res.stats.updated === 1 && entry.state === 'offered' && entry.offer) await passOfferOn(entry, clock.now())
    return { left: res.stats.updated === 1 }
  }
})

/** A declined or expired offer: free the held seat and offer it to the next family waiting. */
export async function passOfferOn (entry: WaitDoc, now: Date): Promise<void> {
  if (!entry.offer) return
  await releaseSeat(entry.offer.seatId)
  const room = await loadRoom(entry.roomId)
  if (room) await offerFreedSeat(room, { key: entry.offer.slotKey, start: new Date(entry.offer.start) }, entry.date, now)
}

export const acceptOffer = action({
  contract: hotlineContract.acceptOffer,
  allowed: FAMILY,
  async handler (input, caller) {
    const entry = await ownEntry(caller, input.entryId)
    const now = clock.now()
    if (entry.state !== 'offered' || !entry.offer || new Date(entry.offer.expiresAt) <= now) {
      throw new AppError('CONFLICT', '这个空位已经过时，让给下一位了。您还在排队的话，有空位会再通知您。')
    }
    const claimed = await db.collection(COLLECTIONS.waitlist).where({ _id: entry._id, state: 'offered' }).update({ data: { state: 'booked' } }) as { stats: { updated: number } }
    if (claimed.stats.updated !== 1) throw new AppError('CONFLICT', '这个空位已经处理过了')
    const room = await loadRoom(entry.roomId)
    const child = await familyChild(caller, entry.childId)
    const cal = await loadCalendar()
    try {
      const res = await bookCall({ room: room!, cal, child, start: new Date(entry.offer.start), mode: input.mode, by: { openid: caller.openid, name: caller.user!.name }, now, heldSeatId: entry.offer.seatId })
      return res.outcome === 'booked' ? { outcome: 'booked' as const, booking: bookingView(res.booking, room!.doc.name) } : res
    } catch (err) {
      // The family's limit or a closed day: give the seat to the next family rather than lose it.
      await db.collection(COLLECTIONS.waitlist).doc(entry._id).update({ data: { state: 'left' } })
      await passOfferOn(entry, now)
      throw err
    }
  }
})

export interface StandingDoc { _id: string, childId: string, childName: string, openid: string, openidName: string, roomId: string, weekday: number, time: string, mode: CallMode, bookedWeeks: string[], missedWeeks: Array<{ weekKey: string, reason: string }> }

function standingView (r: StandingDoc) {
  return { id: r._id, childId: r.childId, childName: r.childName, weekday: r.weekday, time: r.time, mode: r.mode, missedWeeks: [...(r.missedWeeks ?? [])].reverse().slice(0, 8) }
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
      const res = await bookCall({ room, cal, child: { _id: rule.childId, name: rule.childName }, start, mode: rule.mode, by: { openid: rule.openid, name: rule.openidName }, now, standingRuleId: rule._id })
      if (res.outcome === 'booked') booked.push(res.booking)
      else missed.push({ weekKey, reason: `${shanghaiWall(start).format('M月D日 HH:mm')}已被约满` })
    } catch (err) {
      if (!(err instanceof AppError)) throw err
      missed.push({ weekKey, reason: `${shanghaiWall(start).format('M月D日')}：${err.message}` })
    }
  }
  if (booked.length || missed.length) {
    await db.collection(COLLECTIONS.standingCalls).doc(rule._id).update({
      data: { bookedWeeks: _.push(booked.map((b) => weekOf(b.start).weekKey)), missedWeeks: _.push(missed) }
    })
  }
  return { booked, missed }
}

export const setStandingCall = action({
  contract: hotlineContract.setStandingCall,
  allowed: FAMILY,
  async handler (input, caller) {
    const child = await familyChild(caller, input.childId)
    const room = await childRoom(child)
    // One standing call per child and parent: setting it again replaces the old rule (its bookings stay).
    const rule: StandingDoc = { _id: `${child._id}:${caller.openid}`, childId: child._id, childName: child.name, openid: caller.openid, openidName: caller.user!.name, roomId: room.doc._id, weekday: input.weekday, time: input.time, mode: input.mode, bookedWeeks: [], missedWeeks: [] }
    await removeDoc(COLLECTIONS.standingCalls, rule._id)
    await db.collection(COLLECTIONS.standingCalls).add({ data: rule })
    const cal = await loadCalendar()
    const { booked, missed } = await bookStandingWeeks(rule, room, cal, clock.now())
    return { rule: standingView({ ...rule, missedWeeks: missed }), booked: booked.map((b) => bookingView(b, room.doc.name)) }
  }
})

export const removeStandingCall = action({
  contract: hotlineContract.removeStandingCall,
  allowed: FAMILY,
  async handler (input, caller) {
    const rule = await findById<StandingDoc>(COLLECTIONS.standingCalls, input.ruleId)
    if (!rule || rule.openid !== caller.openid) throw new AppError('NOT_FOUND', '没有找到这个每周固定通话')
    await removeDoc(COLLECTIONS.standingCalls, rule._id)
    return { removed: true }
  }
})

export const myBookings = action({
  contract: hotlineContract.myBookings,
  allowed: FAMILY,
  async handler (_input, caller) {
    const bindings = await rows<{ childId: string }>(db.collection(COLLECTIONS.bindings).where({ openid: caller.openid }).limit(100))
    const childIds = bindings.map((b) => b.childId)
    const now = clock.now()
    if (childIds.length === 0) return { upcoming: [], waitlist: [], standing: [] }
    const upcoming = await rows<any>(db.collection(COLLECTIONS.bookings).where({ childId: _.in(childIds), status: 'booked', end: _.gt(now) }).orderBy('start', 'asc').limit(50))
    const names = new Map<string, string>()
    for (const id of new Set(upcoming.map((b) => b.roomId))) names.set(id, (await loadRoom(id))?.doc.name ?? '')
    const waits = await rows<WaitDoc>(db.collection(COLLECTIONS.waitlist).where({ childId: _.in(childIds), state: _.in(['waiting', 'offered']), date: _.gte(toDateKey(now)) }).orderBy('date', 'asc').limit(20))
    const standing = await rows<StandingDoc>(db.collection(COLLECTIONS.standingCalls).where({ openid: caller.openid }).limit(20))
    return {
      upcoming: upcoming.map((b) => bookingView(b, names.get(b.roomId) ?? '')),
      waitlist: await Promise.all(waits.map(waitView)),
      standing: standing.map(standingView)
    }
  }
})
