/**
 * Who hears of a care-room call besides the parent who booked it (docs/ARCHITECTURE.md, "Notifications"): the
 * teachers of the room's school when it is booked, moved or cancelled, so the sheet holds no surprise; the guardian
 * who brings the child when it is moved or cancelled (their reminders come from the scheduler).
 */
import { CALL_MODE_LABELS, callTimeLabel, toDateKey } from '../../../src/domain'
import { db, rows } from '../cloud'
import { COLLECTIONS } from '../collections'
import { notify } from '../notify'
import type { BookingDoc } from './calls'
import { familyOf } from './contact'
import type { Room } from './rooms'

type Change = { kind: 'booked' } | { kind: 'moved', from: Date } | { kind: 'cancelled', reason: string }

export type StaffDoc = { _id: string, roles: Array<{ role: string, status?: string, scope?: { id: string } }> }

/** The active teachers of a school among people with a grant scoped to it (read by the caller, e.g. joined on). */
export function teachersAmong (users: readonly StaffDoc[], schoolId: string): string[] {
  return users.filter((u) => u.roles.some((g) => g.role === 'teacher' && g.scope?.id === schoolId && g.status !== 'suspended')).map((u) => u._id)
}

/** The active teachers of a school. */
export async function teachersOf (schoolId: string): Promise<string[]> {
  return teachersAmong(await rows<StaffDoc>(db.collection(COLLECTIONS.users).where({ 'roles.scope.id': schoolId }).limit(100)), schoolId)
}

/** The guardians bound to a child (who bring the child to the room), but not `except`. */
export async function guardiansOf (childId: string, except?: string): Promise<string[]> {
  return (await familyOf(childId)).filter((b) => b.role === 'guardian' && b.openid !== except).map((b) => b.openid)
}

const sheetLink = (start: Date) => `packages/hotline/pages/sheet/index?date=${toDateKey(start)}`

/**
 * Tells the room's teachers, and on a move or a cancellation the child's guardians, what changed; `teachers` when the
 * caller has them already; `claimed` when the caller made the call's notices its own (Notice.claimed). Each person's
 * notice goes out beside the others', not after them.
 */
export async function tellOfCall (room: { doc: Pick<Room['doc'], 'schoolId'> }, b: Pick<BookingDoc, '_id' | 'childId' | 'childName' | 'bookedBy' | 'bookedByName' | 'mode' | 'start' | 'teachersTold'>, change: Change, teachers?: string[], claimed = false): Promise<void> {
  const start = new Date(b.start)
  // A call the room has not been told of yet (jobs/hotline.ts, newCallsToRooms): its first notice will say how it
  // stands, so the teachers hear of no change to a call they never heard of.
  const teachersKnow = b.teachersTold !== false
  const teacherNotice = change.kind === 'booked'
    ? { title: `${b.childName}的家长约了通话`, detail: `${b.bookedByName}约的，${CALL_MODE_LABELS[b.mode]}`, key: `room:booked:${b._id}` }
    : change.kind === 'moved'
      ? { title: `${b.childName}的通话改了时间`, detail: `原来是${callTimeLabel(change.from)}`, key: `room:moved:${b._id}:${start.getTime()}` }
      : { title: `${b.childName}的通话取消了`, detail: change.reason || `${b.bookedByName}取消的`, key: `room:cancelled:${b._id}` }
  if (teachersKnow || change.kind === 'booked') {
    await Promise.all((teachers ?? await teachersOf(room.doc.schoolId)).map(async (to) =>
      await notify({ to, template: 'staffBooking', link: sheetLink(start), at: start, ...teacherNotice, claimed })))
  }
  if (change.kind === 'booked') return
  await Promise.all((await guardiansOf(b.childId, b.bookedBy)).map(async (to) => await notify(change.kind === 'moved'
    ? { to, template: 'callReminder', link: 'packages/hotline/pages/bookings/index', at: start, title: `${b.childName}的通话改到了新时间`, detail: `原来是${callTimeLabel(change.from)}`, key: `guardian:moved:${b._id}:${start.getTime()}` }
    : { to, template: 'callReminder', link: 'packages/hotline/pages/bookings/index', at: start, title: `${b.childName}的通话取消了`, detail: '这次不用带孩子去关爱室了', key: `guardian:cancelled:${b._id}` })))
}
