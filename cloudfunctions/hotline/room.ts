/** The teacher's side: the room's settings, the day's sheet, and checking each call in. */
import {
  AppError, CareRoomSettings, RELATION_LABELS, addDays, hotlineContract, openingOn, startOfShanghaiDay, toDateKey, type ChildRecord
} from '../../src/domain'
import { _, db, rows } from '../_server/cloud'
import * as clock from '../_server/clock'
import { COLLECTIONS } from '../_server/collections'
import { allPages } from '../_server/paging'
import { audit } from '../_server/audit'
import { loadCalendar } from '../_server/calendar'
import { action } from '../_server/router'
import type { Caller } from '../_server/caller'
import { bookingView, releaseQuota, type BookingDoc } from '../_server/hotline/calls'
import { loadRoom, roomOf, roomView, type Room, type RoomDoc } from '../_server/hotline/rooms'
import { markWeekHeld } from '../_server/hotline/contact'

const teacherSchools = (caller: Caller): string[] => caller.grants.filter((g) => g.role === 'teacher' && g.scope?.level === 'school').map((g) => g.scope!.id)

/** A teacher runs the rooms of their own school only. */
function mustRun (caller: Caller, room: Room | null): Room {
  if (!room || !teacherSchools(caller).includes(room.doc.schoolId)) throw new AppError('FORBIDDEN', '只能管理您学校的关爱室')
  return room
}

async function teacherRoom (caller: Caller, roomId: string): Promise<Room> {
  return mustRun(caller, await loadRoom(roomId))
}

export const rooms = action({
  contract: hotlineContract.rooms,
  allowed: ['teacher'],
  async handler (_input, caller) {
    const schools = caller.grants.filter((g) => g.role === 'teacher' && g.scope?.level === 'school').map((g) => g.scope!.id)
    const docs = await rows<RoomDoc>(db.collection(COLLECTIONS.careRooms).where({ schoolId: _.in(schools) }).limit(20))
    const loaded = (await Promise.all(docs.map((d) => loadRoom(d._id)))).filter((r): r is Room => r !== null)
    return { rooms: loaded.map((r) => ({ ...roomView(r), settings: r.settings })) }
  }
})

export const saveRoomSettings = action({
  contract: hotlineContract.saveRoomSettings,
  allowed: ['teacher'],
  async handler (input, caller) {
    const room = await teacherRoom(caller, input.roomId)
    const settings = CareRoomSettings.parse(input.settings)
    await db.collection(COLLECTIONS.careRooms).doc(room.doc._id).update({ data: { settings: _.set(settings), devices: settings.devices, updatedAt: db.serverDate() } })
    await audit(caller, { action: 'hotline.saveRoomSettings', what: `修改${room.doc.name}的开放设置`, targetId: room.doc._id })
    return { settings }
  }
})

/** The calls whose parent the teacher may need to ring: to come, or missed by the parent. */
const RING_STATUSES = new Set(['booked', 'missedByParent'])

export const daySheet = action({
  contract: hotlineContract.daySheet,
  allowed: ['teacher'],
  async handler (input, caller) {
    const [room, cal] = await Promise.all([teacherRoom(caller, input.roomId), loadCalendar()])
    const opening = openingOn(room.resource, cal, input.date)
    const calls = await allPages<BookingDoc>(db.collection(COLLECTIONS.bookings)
      .where({ roomId: room.doc._id, start: _.gte(startOfShanghaiDay(input.date)).and(_.lt(startOfShanghaiDay(addDays(input.date, 1)))), status: _.neq('cancelled') })
      .orderBy('start', 'asc'))
    // The children's files and the bindings of those who booked, side by side, each in one read for the whole day.
    const bindingIds = [...new Set(calls.map((c) => `${c.childId}:${c.bookedBy}`))]
    const [children, bindings] = await Promise.all([
      allPages<ChildRecord>(db.collection(COLLECTIONS.children).where({ _id: _.in([...new Set(calls.map((c) => c.childId)), '-']) }).field({ className: true, parents: true, countyId: true, townshipId: true })),
      bindingIds.length === 0 ? Promise.resolve([] as Array<{ _id: string, relation: string }>) : allPages<{ _id: string, relation: string }>(db.collection(COLLECTIONS.bindings).where({ _id: _.in(bindingIds) }).field({ relation: true }))
    ])
    const byId = new Map(children.map((c) => [c._id, c]))
    // The parent on each call: the one who booked it (by the binding's relation), else the first with a number.
    const relationByBinding = new Map(bindings.map((b) => [b._id, b.relation]))
    const relationOf = new Map<string, string>()
    for (const c of calls) {
      const relation = relationByBinding.get(`${c.childId}:${c.bookedBy}`)
      if (relation) relationOf.set(c._id, relation)
    }
    const parentOf = (c: BookingDoc) => {
      const parents = (byId.get(c.childId)?.parents ?? []).filter((p) => p.phone)
      return parents.find((p) => p.relation === relationOf.get(c._id)) ?? parents[0]
    }
    const phones = calls.filter((c) => RING_STATUSES.has(c.status) && parentOf(c))
    if (calls.length > 0) {
      // The whole numbers are shown for the teacher to ring the parent: a read of the file, logged.
      await audit(caller, { action: 'hotline.daySheet', what: `查看${input.date}的通话安排${phones.length > 0 ? `（含${phones.length}位家长的电话）` : ''}` }, children)
    }
    const reason = opening.open ? undefined : opening.closedReason === 'holiday' ? `${opening.holidayName ?? '节假日'}，关爱室不开放` : opening.closedReason === 'closedDate' ? '这一天关爱室关闭' : '这一天没有开放时段'
    return {
      room: roomView(room),
      open: opening.open,
      closedReason: reason,
      calls: calls.map((c) => {
        const parent = RING_STATUSES.has(c.status) ? parentOf(c) : undefined
        return { ...bookingView(c, room.doc.name), className: byId.get(c.childId)?.className ?? '', ...(parent ? { parentPhone: parent.phone, parentLabel: `${parent.name}（${RELATION_LABELS[parent.relation]}）` } : {}) }
      })
    }
  }
})

/** A child known to be absent may be marked from half an hour before; held and missed only once the call has begun. */
const ABSENT_FROM_MINUTES = 30

export const checkIn = action({
  contract: hotlineContract.checkIn,
  allowed: ['teacher'],
  async handler (input, caller) {
    // The booking with its room (and school) and the child's file joined on: one read. Nothing of it is used before
    // the room is found to be the teacher's.
    const res = await db.collection(COLLECTIONS.bookings).aggregate().match({ _id: input.bookingId }).limit(1)
      .lookup({ from: COLLECTIONS.careRooms, localField: 'roomId', foreignField: '_id', as: 'room' })
      .lookup({ from: COLLECTIONS.places, localField: 'room.schoolId', foreignField: '_id', as: 'school' })
      .lookup({ from: COLLECTIONS.children, localField: 'childId', foreignField: '_id', as: 'child' })
      .end() as { list: Array<BookingDoc & { room: RoomDoc[], school: Array<{ name?: string }>, child: ChildRecord[] }> }
    const found = res.list[0]
    if (!found) throw new AppError('NOT_FOUND', '没有找到这次预约')
    const { room: [roomDoc], school, child: [child], ...booking } = found
    mustRun(caller, roomDoc ? roomOf({ ...roomDoc, school }) : null)
    if (booking.status === 'cancelled') throw new AppError('CONFLICT', '这次预约已经取消了')
    const start = new Date(booking.start).getTime()
    const now = clock.now().getTime()
    if (input.outcome === 'childAbsent' && start > now + ABSENT_FROM_MINUTES * 60000) throw new AppError('INVALID_INPUT', '通话还没开始，开始前半小时起才能登记', { outcome: '通话还没开始' })
    if (input.outcome !== 'childAbsent' && start > now) {
      const message = input.outcome === 'held' ? '通话还没开始，不能登记“已通话”。开始以后再登记。' : '通话还没开始，开始以后才能登记“家长未接通”'
      throw new AppError('INVALID_INPUT', message, { outcome: message })
    }
    await db.collection(COLLECTIONS.bookings).doc(booking._id).update({ data: { status: input.outcome, note: input.note ?? '', checkedInBy: caller.openid, checkedInAt: db.serverDate() } })
    // What follows the check-in touches other documents, each on its own: side by side.
    await Promise.all([
      releaseQuota(booking.quotaLockId),
      input.outcome === 'held' && child ? markWeekHeld(child, new Date(booking.start), 'careRoom') : undefined,
      audit(caller, { action: 'hotline.checkIn', what: `登记通话结果（${toDateKey(new Date(booking.start))}）` }, [{ _id: booking.childId }])
    ])
    return { status: input.outcome }
  }
})
