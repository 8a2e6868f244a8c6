import { z } from 'zod'
import { CareRoomSettings, ChosenTimeOfDay, FreeHours, WeekdaySchema } from '../scheduling/settings'
import { IdempotencyKey } from './registry'
import { CalendarDate, instant } from '../calendar/input'
import { CALL_PLACES, DIRECT_CALL_MAX_MINUTES, DIRECT_CALL_STATES, directCallTimeProblem } from '../contact'

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

/**
 * A week of the record: held when a care-room call was held or a direct call confirmed; `places` says where; a week
 * wholly before the system knew the child and a parent is `beforeKnown` (docs/DOMAIN.md, "Contact rhythm").
 */
const WeekRecord = z.object({ weekKey: z.string(), weekStart: z.string(), held: z.boolean(), places: z.array(z.enum(CALL_PLACES)), beforeKnown: z.boolean() })

/** A call a parent made straight to the guardian's phone, as recorded, and whether home has confirmed it. */
export const DirectCallView = z.object({
  id: z.string(),
  childId: z.string(),
  childName: z.string(),
  at: z.date(),
  minutes: z.number().int(),
  mode: CallMode,
  state: z.enum(DIRECT_CALL_STATES),
  stateLabel: z.string(),
  recordedByName: z.string(),
  /** 爸爸 / 妈妈: how the one who recorded it is related to the child */
  recordedByRelation: z.string(),
  confirmedByName: z.string().optional()
})
export type DirectCallView = z.infer<typeof DirectCallView>

/** One call of a child's history, wherever it happened. */
const HistoryCall = z.object({
  id: z.string(),
  place: z.enum(CALL_PLACES),
  placeLabel: z.string(),
  start: z.date(),
  minutes: z.number().int(),
  mode: CallMode,
  /** counts for its week */
  counted: z.boolean(),
  statusLabel: z.string(),
  /** care room: its name; direct: who made it */
  where: z.string(),
  note: z.string().optional()
})

/** A direct call's fields, the time checked against the clock of the request (`at`: not in the future, not too old). */
function directCallInput (now?: Date) {
  const at = z.coerce.date({ message: '请选择通话的时间' })
  return z.object({
    childId: z.string().min(1),
    at: now ? at.superRefine((d, ctx) => { const p = directCallTimeProblem(d, now); if (p) ctx.addIssue({ code: 'custom', message: p }) }) : at,
    minutes: z.number({ message: '请选择通话了多久' }).int('请选择通话了多久').min(1, '通话至少1分钟').max(DIRECT_CALL_MAX_MINUTES, `通话时长不能超过${DIRECT_CALL_MAX_MINUTES}分钟`),
    mode: CallMode,
    idempotencyKey: IdempotencyKey
  }).strict()
}

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
      children: z.array(z.object({ childId: z.string(), childName: z.string(), room: Room.nullable(), thisWeek: z.object({ weekKey: z.string(), held: z.boolean(), booked: z.boolean(), awaitingConfirm: z.boolean() }) })),
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
    output: z.object({ calls: z.array(HistoryCall), weeks: z.array(WeekRecord) })
  },
  /** A parent records a call made straight to the guardian's phone; it counts once home (or the teacher) confirms. */
  recordDirectCall: {
    input: directCallInput(),
    inputAt: (now: Date) => directCallInput(now),
    output: z.object({ call: DirectCallView, askedNames: z.array(z.string()) })
  },
  /** For a guardian: direct calls to their bound children awaiting their word; for a teacher: their school's. */
  callsToConfirm: { input: z.object({}).strict(), output: z.object({ calls: z.array(DirectCallView) }) },
  confirmDirectCall: {
    input: z.object({ callId: z.string().min(1), decision: z.enum(['confirmed', 'declined'], { message: '请选择打过了或没有' }) }).strict(),
    output: z.object({ state: z.enum(DIRECT_CALL_STATES) })
  },
  saveFreeHours: { input: z.object({ freeHours: FreeHours }).strict(), output: z.object({ freeHours: FreeHours }) },
  joinWaitlist: {
    input: z.object({ childId: z.string().min(1), date: DateKey, idempotencyKey: IdempotencyKey }).strict(),
    output: WaitlistView
  },
  leaveWaitlist: { input: z.object({ entryId: z.string().min(1) }).strict(), output: z.object({ left: z.boolean() }) },
  acceptOffer: { input: z.object({ entryId: z.string().min(1), mode: CallMode }).strict(), output: BookOutcome },
  setStandingCall: {
    input: z.object({ childId: z.string().min(1), weekday: WeekdaySchema, time: ChosenTimeOfDay, mode: CallMode }).strict(),
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
      calls: z.array(BookingView.extend({
        className: z.string(),
        /** the whole number of the parent on the call, to ring them (the sheet's read is logged); none once it is over */
        parentPhone: z.string().optional(),
        parentLabel: z.string().optional()
      }))
    })
  },
  checkIn: {
    input: z.object({ bookingId: z.string().min(1), outcome: CheckInOutcome, note: z.string().trim().max(100, '备注最多100字').optional() }).strict(),
    output: z.object({ status: BookingStatus })
  }
} as const
