/** Care rooms (真情关爱室) and their open slots: what the hotline function and its timers both read. */
import {
  AppError, careRoomResource, freeSlots, generateSlots, preferredFirst, roomSettings, validateSlotChoice,
  type CareRoomSettings, type ChildRecord, type FreeHours, type ScheduleResource, type WorkCalendar
} from '../../../src/domain'
import { _, db } from '../cloud'
import { COLLECTIONS } from '../collections'
import { takenSeats } from '../seats'

export interface RoomDoc { _id: string, schoolId: string, countyId: string, townshipId: string, name: string, devices: number, settings?: unknown }

export interface Room { doc: RoomDoc, settings: CareRoomSettings, resource: ScheduleResource, schoolName: string }

/** A room as read with its school joined on (`school`: the places document, as a lookup gives it). */
export type RoomWithSchool = RoomDoc & { school?: Array<{ name?: string }> }

/** The room from its document and its school's, without reading anything. */
export function roomOf (joined: RoomWithSchool): Room {
  const { school, ...doc } = joined
  const settings = roomSettings(doc.settings, doc.devices)
  return { doc, settings, resource: careRoomResource(doc._id, settings), schoolName: school?.[0]?.name ?? '' }
}

/** The school joined on each room: one request for rooms and schools (docs/ARCHITECTURE.md, "Cloud functions"). */
export const WITH_SCHOOL = { from: COLLECTIONS.places, localField: 'schoolId', foreignField: '_id', as: 'school' }

/** Rooms matching `where`, with their schools, in one request. */
async function roomsWhere (where: Record<string, unknown>, limit: number): Promise<Room[]> {
  const res = await db.collection(COLLECTIONS.careRooms).aggregate().match(where).sort({ _id: 1 }).limit(limit).lookup(WITH_SCHOOL).end() as { list: RoomWithSchool[] }
  return res.list.map(roomOf)
}

export async function loadRoom (roomId: string): Promise<Room | null> {
  return (await roomsWhere({ _id: roomId }, 1))[0] ?? null
}

/** Several rooms by id, in one request. */
export async function loadRooms (roomIds: readonly string[]): Promise<Map<string, Room>> {
  const ids = [...new Set(roomIds)]
  if (ids.length === 0) return new Map()
  return new Map((await roomsWhere({ _id: _.in(ids) }, ids.length)).map((r) => [r.doc._id, r]))
}

/** The rooms of some schools, in one request. */
export async function roomsOfSchools (schoolIds: readonly string[], limit = 20): Promise<Room[]> {
  return schoolIds.length === 0 ? [] : await roomsWhere({ schoolId: _.in([...new Set(schoolIds)]) }, limit)
}

/** The care room of a child's school (the first, where a school has several). */
export async function roomOfChild (child: ChildRecord): Promise<Room | null> {
  return (await roomsWhere({ schoolId: child.schoolId }, 1))[0] ?? null
}

/** The first room of a school among rooms read together (what roomOfChild answers). */
export function firstRoomOf (rooms: readonly RoomWithSchool[]): Room | null {
  const [first] = [...rooms].sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0))
  return first ? roomOf(first) : null
}

export function roomView (room: Room) {
  return { id: room.doc._id, name: room.doc.name, schoolName: room.schoolName, devices: room.settings.devices, slotMinutes: room.settings.slotMinutes }
}

/** Free slots of a room from `now` over `days`, the parent's free hours first. */
export async function openSlots (room: Room, cal: WorkCalendar, now: Date, days: number, freeHours: FreeHours = [], fromDay?: Date) {
  const from = fromDay && fromDay > now ? fromDay : now
  const to = new Date(from.getTime() + days * 86400000)
  const slots = generateSlots(room.resource, cal, { from, to, now })
  const taken = await takenSeats(room.doc._id, from, to)
  const free = freeSlots(slots, taken, room.resource.capacity).filter((s) => s.remaining > 0)
  return preferredFirst(free, freeHours).map((s) => ({ start: s.start, end: s.end, key: s.key, remaining: s.remaining, preferred: s.preferred }))
}

/** A start checked against the room's hours, notice and horizon: the slot it begins. */
export interface CheckedSlot { start: Date, end: Date, key: string }

/**
 * The one check of a chosen start (hours, notice, horizon, holidays); a bad one is refused with the reason, naming
 * the field. A booking takes the slot this returns, so the start is checked once, before anything is claimed.
 */
export function checkStart (room: Room, cal: WorkCalendar, start: Date, now: Date): CheckedSlot {
  const choice = validateSlotChoice(room.resource, cal, start, now)
  if (!choice.ok) throw new AppError('INVALID_INPUT', choice.message, { start: choice.message })
  return { start: choice.slot.start, end: choice.slot.end, key: choice.slot.key }
}
