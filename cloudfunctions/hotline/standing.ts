/** The standing weekly call: a parent sets the weekday and time once, and each week is booked as it comes in reach. */
import { AppError, hotlineContract } from '../../src/domain'
import { db, findById, removeDoc } from '../_server/cloud'
import * as clock from '../_server/clock'
import { COLLECTIONS } from '../_server/collections'
import { loadCalendar } from '../_server/calendar'
import { action } from '../_server/router'
import { bookingView } from '../_server/hotline/calls'
import { bookStandingWeeks, type StandingDoc } from '../_server/hotline/standing'
import { FAMILY, familyRoom } from './family'

export function standingView (r: StandingDoc) {
  return { id: r._id, childId: r.childId, childName: r.childName, weekday: r.weekday, time: r.time, mode: r.mode, missedWeeks: [...(r.missedWeeks ?? [])].reverse().slice(0, 8) }
}

export const setStandingCall = action({
  contract: hotlineContract.setStandingCall,
  allowed: FAMILY,
  async handler (input, caller) {
    const { child, room } = await familyRoom(caller, input.childId)
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
