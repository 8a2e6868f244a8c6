import { z } from 'zod'
import { CareRoomSettings, FreeHours, WeekdaySchema, TimeOfDay } from '../scheduling/settings'
import { IdempotencyKey } from './registry'
import { CalendarDate, instant } from '../calendar/input'

/** 亲情热线: parents book calls with their child at the school's care room; teachers run the room. */
export const CallMode = z.enum(['video', 'voice'], { message: '请选择视频或语音' })
export type CallMode = z.infer<typeof CallMode>
export const CALL_MODE_LABELS: Record<CallMode, string> = { video: '视频通话', voice: '语音通话' }

const BOOKING_STATUSES = ['booked', 'cancelled', 'held', 'missedByParent', 'childAbsent'] as const
export const BookingStatus = z.enum(BOOKING_STATUSES)
export type BookingStatus = z.infer<typeof BookingStatus>
export const BOOKING_STATUS_LABELS: Record<BookingStatus, string> = {
  booked: '已预约',
  cancelled: '已取消',
  held: '已通话',
  missedByParent: '家长未接通',
  childAbsent: '孩子不在'
}
const CheckInOutcome = z.enum(['held', 'missedByParent', 'childAbsent'], { message: '请选择通话结果' })

const Room = z.object({ id: z.string(), name: z.string(), schoolName: z.string(), devices: z.number().int(), slotMinutes: z.number().int() })

export const SlotView = z.object({
  start: z.date(),
  end: z.date(),
  key: z.string(),
  remaining: z.number().int(),
  /** inside the parent's saved free hours */
  preferred: z.boolean()
})

export const BookingView = z.object({
  id: z.string(),
  childId: z.string(),
  childName: z.string(),
  roomId: z.string(),
  roomName: z.string(),
  start: z.date(),
  end: z.date(),
  mode: CallMode,
  status: BookingStatus,
  statusLabel: z.string(),
  bookedByName: z.string(),
  note: z.string().optional(),
  standing: z.boolean()
})
export type BookingView = z.infer<typeof BookingView>

/** A booking attempt either books or, when someone else was faster, says so with the next free times. */
const BookOutcome = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('booked'), booking: BookingView }),
  z.object({ outcome: z.literal('taken'), message: z.string(), next: z.array(SlotView) })
])

const WeekRecord = z.object({ weekKey: z.string(), weekStart: z.string(), held: z.boolean() })

export const WaitlistView = z.object({ id: z.string(), childId: z.string(), childName: z.string(), date: z.string(), position: z.number().int(), offer: z.object({ id: z.string(), start: z.date(), expiresAt: z.date() }).optional() })

export const StandingCallView = z.object({
  id: z.string(),
  childId: z.string(),
  childName: z.string(),
  weekday: z.number().int(),
  time: z.string(),
  mode: CallMode,
  /** weeks the rule could not book, newest first, so the parent is told */
  missedWeeks: z.array(z.object({ weekKey: z.string(), reason: z.string() }))
})

const DateKey = CalendarDate

export const hotlineContract = {
  /** For a parent: each bound child with its care room, this week's record, and the saved free hours. */
  overview: {
    input: z.object({}).strict(),
    output: z.object({
      children: z.array(z.object({ childId: z.string(), childName: z.string(), room: Room.nullable(), thisWeek: z.object({ weekKey: z.string(), held: z.boolean(), booked: z.boolean() }) })),
      freeHours: FreeHours
    })
  },
  slots: {
    input: z.object({ childId: z.string().min(1), from: DateKey.optional(), days: z.number().int().min(1).max(60).default(14) }).strict(),
    output: z.object({ room: Room, slots: z.array(SlotView), familyLimit: z.object({ max: z.number().int(), used: z.number().int() }) })
  },
  book: {
    input: z.object({ childId: z.string().min(1), start: instant('请选择时间'), mode: CallMode, idempotencyKey: IdempotencyKey }).strict(),
    output: BookOutcome
  },
  move: {
    input: z.object({ bookingId: z.string().min(1), start: instant('请选择新的时间'), reason: z.string().trim().max(100, '原因太长').optional(), idempotencyKey: IdempotencyKey }).strict(),
    output: BookOutcome
  },
  cancel: {
    input: z.object({ bookingId: z.string().min(1), reason: z.string().trim().min(1, '请说一下取消的原因').max(100, '原因太长') }).strict(),
    output: z.object({ status: BookingStatus })
  },
  myBookings: {
    input: z.object({}).strict(),
    output: z.object({ upcoming: z.array(BookingView), waitlist: z.array(WaitlistView), standing: z.array(StandingCallView) })
  },
  history: {
    input: z.object({ childId: z.string().min(1) }).strict(),
    output: z.object({ calls: z.array(BookingView), weeks: z.array(WeekRecord) })
  },
  saveFreeHours: { input: z.object({ freeHours: FreeHours }).strict(), output: z.object({ freeHours: FreeHours }) },
  joinWaitlist: {
    input: z.object({ childId: z.string().min(1), date: DateKey, idempotencyKey: IdempotencyKey }).strict(),
    output: WaitlistView
  },
  leaveWaitlist: { input: z.object({ entryId: z.string().min(1) }).strict(), output: z.object({ left: z.boolean() }) },
  acceptOffer: { input: z.object({ entryId: z.string().min(1), mode: CallMode }).strict(), output: BookOutcome },
  setStandingCall: {
    input: z.object({ childId: z.string().min(1), weekday: WeekdaySchema, time: TimeOfDay, mode: CallMode }).strict(),
    output: z.object({ rule: StandingCallView, booked: z.array(BookingView) })
  },
  removeStandingCall: { input: z.object({ ruleId: z.string().min(1) }).strict(), output: z.object({ removed: z.boolean() }) },

  /** For a teacher: the rooms of their school and each room's settings. */
  rooms: { input: z.object({}).strict(), output: z.object({ rooms: z.array(Room.extend({ settings: CareRoomSettings })) }) },
  saveRoomSettings: { input: z.object({ roomId: z.string().min(1), settings: CareRoomSettings }).strict(), output: z.object({ settings: CareRoomSettings }) },
  daySheet: {
    input: z.object({ roomId: z.string().min(1), date: DateKey }).strict(),
    output: z.object({
      room: Room,
      open: z.boolean(),
      closedReason: z.string().optional(),
      calls: z.array(BookingView.extend({ className: z.string() }))
    })
  },
  checkIn: {
    input: z.object({ bookingId: z.string().min(1), outcome: CheckInOutcome, note: z.string().trim().max(100, '备注最多100字').optional() }).strict(),
    output: z.object({ status: BookingStatus })
  }
} as const
