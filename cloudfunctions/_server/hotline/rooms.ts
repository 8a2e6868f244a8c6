/** Care rooms (真情关爱室) and their open slots: what the hotline function and its timers both read. */
import {
  AppError, careRoomResource, freeSlots, generateSlots, preferredFirst, roomSettings, validateSlotChoice,
  type CareRoomSettings, type ChildRecord, type FreeHours, type ScheduleResource, type WorkCalendar
} from '../../../src/domain'
import { db, findById, rows } from '../cloud'
import { COLLECTIONS } from '../collections'
import { takenSeats } from '../seats'

export interface RoomDoc { _id: string, schoolId: string, countyId: string, townshipId: string, name: string, devices: number, settings?: unknown }

export interface Room { doc: RoomDoc, settings: CareRoomSettings, resource: ScheduleResource, schoolName: string }

export async function loadRoom (roomId: string): Promise<Room | null> {
  const doc = await findById<RoomDoc>(COLLECTIONS.careRooms, roomId)
  if (!doc) return null
  const settings = roomSettings(doc.settings, doc.devices)
  const school = await findById<{ name: string }>(COLLECTIONS.places, doc.schoolId)
  return { doc, settings, resource: careRoomResource(doc._id, settings), schoolName: school?.name ?? '' }
}

/** The care room of a child's school (the first, where a school has several). */
export async function roomOfChild (child: ChildRecord): Promise<Room | null> {
  const [doc] = await rows<RoomDoc>(db.collection(COLLECTIONS.careRooms).where({ schoolId: child.schoolId }).orderBy('_id', 'asc').limit(1))
  return doc ? await loadRoom(doc._id) : null
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
