/** Who the family is: the parents and guardians bound to a child, and the care room of the child's school. */
import { AppError, type ChildRecord, type WorkCalendar } from '../../src/domain'
import { calendarLookup, calendarOf, type EnteredYearDoc } from '../_server/calendar'
import { db } from '../_server/cloud'
import { COLLECTIONS } from '../_server/collections'
import type { Caller } from '../_server/caller'
import type { QuotaLock } from '../_server/hotline/calls'
import type { BindingDoc } from '../_server/hotline/contact'
import { firstRoomOf, type Room, type RoomWithSchool } from '../_server/hotline/rooms'

export const FAMILY = ['parent', 'guardian'] as const

/** What a family action may read with the child in the same request (a lookup from the child's file). */
export interface FamilyExtras {
  /** the child's locks of the family's limit (`quotaLocks` with its childId) */
  locks?: boolean
  /** the people with a grant scoped to the child's school: its teachers among them */
  schoolStaff?: boolean
  /** everyone bound to the child (parents, guardians, the child) and their names */
  family?: boolean
  /** the work calendar (the entered years, joined on: no request of its own) */
  calendar?: boolean
}

interface Joined {
  child: ChildRecord[]
  rooms?: RoomWithSchool[]
  locks?: QuotaLock[]
  staff?: Array<{ _id: string, roles: Array<{ role: string, status?: string, scope?: { id: string } }> }>
  family?: BindingDoc[]
  familyUsers?: Array<{ _id: string, name: string }>
  calendars?: EnteredYearDoc[]
}

/**
 * The binding of the caller to the child, and through it the child's file, its school's care room (with the school)
 * and what `extras` asks for, in one request: the join starts from the caller's own binding, so nothing of the child
 * is read for someone not bound to it (docs/ARCHITECTURE.md, "Cloud functions").
 */
async function familyJoin (caller: Caller, childId: string, withRoom: boolean, extras: FamilyExtras = {}): Promise<Joined | null> {
  let q = db.collection(COLLECTIONS.bindings).aggregate()
    .match({ _id: `${childId}:${caller.openid}` })
    .limit(1)
    .lookup({ from: COLLECTIONS.children, localField: 'childId', foreignField: '_id', as: 'child' })
  if (withRoom) {
    q = q.lookup({ from: COLLECTIONS.careRooms, localField: 'child.schoolId', foreignField: 'schoolId', as: 'rooms' })
      .lookup({ from: COLLECTIONS.places, localField: 'rooms.schoolId', foreignField: '_id', as: 'schools' })
  }
  if (extras.locks) q = q.lookup({ from: COLLECTIONS.quotaLocks, localField: 'childId', foreignField: 'childId', as: 'locks' })
  if (extras.schoolStaff) q = q.lookup({ from: COLLECTIONS.users, localField: 'child.schoolId', foreignField: 'roles.scope.id', as: 'staff' })
  if (extras.family) {
    q = q.lookup({ from: COLLECTIONS.bindings, localField: 'childId', foreignField: 'childId', as: 'family' })
      .lookup({ from: COLLECTIONS.users, localField: 'family.openid', foreignField: '_id', as: 'familyUsers' })
  }
  if (extras.calendar) q = q.lookup(calendarLookup('calendars'))
  const res = await q.end() as { list: Array<Joined & { schools?: Array<{ _id: string, name?: string }> }> }
  const joined = res.list[0]
  if (!joined) return null
  const schools = new Map((joined.schools ?? []).map((s) => [s._id, s]))
  return { ...joined, rooms: joined.rooms?.map((r) => ({ ...r, school: schools.has(r.schoolId) ? [schools.get(r.schoolId)!] : [] })) }
}

/**
 * The caller's binding to the child with the child's file, the family bound to it (with their names) and the people
 * of the child's school, in one request; null when the caller is not bound to the child.
 */
export async function familyAround (caller: Caller, childId: string): Promise<{ binding: BindingDoc, child?: ChildRecord, family: BindingDoc[], names: Map<string, string>, staff: NonNullable<Joined['staff']> } | null> {
  const joined = await familyJoin(caller, childId, false, { family: true, schoolStaff: true }) as (Joined & BindingDoc) | null
  if (!joined) return null
  const { child, family, familyUsers, staff, ...binding } = joined
  return { binding, child: child[0], family: family ?? [], names: new Map((familyUsers ?? []).map((u) => [u._id, u.name])), staff: staff ?? [] }
}

/** The child, if bound to the caller as parent or guardian; refuses otherwise. */
export async function familyChild (caller: Caller, childId: string): Promise<ChildRecord> {
  const joined = await familyJoin(caller, childId, false)
  if (!joined) throw new AppError('FORBIDDEN', '只能为自己绑定的孩子预约通话')
  const [child] = joined.child
  if (!child) throw new AppError('NOT_FOUND', '没有找到这个孩子的档案')
  return child
}

/** A bound child and the care room of its school: how a family action opens; refuses when either is missing. */
export async function familyRoom<E extends FamilyExtras = FamilyExtras> (caller: Caller, childId: string, extras: E = {} as E): Promise<{ child: ChildRecord, room: Room } & Pick<Joined, 'locks' | 'staff'> & (E['calendar'] extends true ? { cal: WorkCalendar } : unknown)> {
  const joined = await familyJoin(caller, childId, true, extras)
  if (!joined) throw new AppError('FORBIDDEN', '只能为自己绑定的孩子预约通话')
  const [child] = joined.child
  if (!child) throw new AppError('NOT_FOUND', '没有找到这个孩子的档案')
  const room = firstRoomOf((joined.rooms ?? []).filter((r) => r.schoolId === child.schoolId))
  if (!room) throw new AppError('NOT_FOUND', '孩子的学校还没有开通真情关爱室，请联系班主任')
  const found = { child, room, locks: joined.locks, staff: joined.staff }
  return (extras.calendar === true ? { ...found, cal: calendarOf(joined.calendars ?? []) } : found) as typeof found & (E['calendar'] extends true ? { cal: WorkCalendar } : unknown)
}
