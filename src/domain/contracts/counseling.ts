import { z } from 'zod'
import { CareRoomSettings } from '../scheduling/settings'
import { TriageAnswers } from '../counseling/triage'
import { IdempotencyKey } from './registry'
import { CalendarDate, instant } from '../calendar/input'

/** 心理援助: triage, the crisis path, sessions with counsellors, confidential notes. */
const SessionMode = z.enum(['video', 'voice', 'inPerson'], { message: '请选择视频、语音或到辅导站见面' })
export const SESSION_MODE_LABELS = { video: '视频', voice: '语音', inPerson: '到辅导站见面' } as const
const UrgencySchema = z.enum(['crisis', 'soon', 'routine'])
const RequestState = z.enum(['open', 'booked', 'closed'])

const Numbers = z.array(z.object({ number: z.string(), name: z.string() }))

const CrisisInfo = z.object({
  /** numbers to call with one tap, most urgent first */
  numbers: Numbers,
  message: z.string(),
  acknowledged: z.boolean(),
  acknowledgedAt: z.date().optional()
})

export const SessionView = z.object({
  id: z.string(),
  requestId: z.string(),
  childName: z.string(),
  counselorName: z.string(),
  start: z.date(),
  end: z.date(),
  mode: SessionMode,
  modeLabel: z.string(),
  status: z.enum(['booked', 'cancelled', 'done'])
})

export const MyRequest = z.object({
  id: z.string(),
  childName: z.string(),
  urgency: UrgencySchema,
  urgencyLabel: z.string(),
  state: RequestState,
  createdAt: z.date(),
  crisis: CrisisInfo.optional(),
  session: SessionView.optional()
})

export const QueueItem = z.object({
  id: z.string(),
  childName: z.string(),
  childAge: z.number().int(),
  schoolName: z.string(),
  requesterName: z.string(),
  requesterRoleLabel: z.string(),
  urgency: UrgencySchema,
  urgencyLabel: z.string(),
  reasons: z.array(z.string()),
  words: z.string().optional(),
  state: RequestState,
  createdAt: z.date(),
  counselorName: z.string().optional(),
  crisis: z.object({ level: z.number().int(), alertedNames: z.array(z.string()), acknowledgedBy: z.string().optional(), acknowledgedAt: z.date().optional() }).optional(),
  followUpDate: z.string().optional(),
  mine: z.boolean(),
  /** for a crisis: who to call back, and the number (the guardian at home, from the child's file) */
  callBack: z.object({ name: z.string(), relation: z.string(), phone: z.string() }).optional()
})

const NoteView = z.object({ id: z.string(), authorName: z.string(), at: z.date(), text: z.string(), followUpDate: z.string().optional() })

const DateKey = CalendarDate

export const counselingContract = {
  /** The children a caller may ask help for: their own (child), bound (parent, guardian), school (teacher), paired (volunteer). */
  children: { input: z.object({}).strict(), output: z.object({ children: z.array(z.object({ id: z.string(), name: z.string() })) }) },
  ask: {
    input: z.object({ childId: z.string().min(1, '请选择是为哪个孩子求助'), answers: TriageAnswers, idempotencyKey: IdempotencyKey }).strict(),
    output: z.object({ requestId: z.string(), urgency: UrgencySchema, urgencyLabel: z.string(), crisis: CrisisInfo.optional() })
  },
  sessionSlots: {
    input: z.object({ requestId: z.string().min(1) }).strict(),
    output: z.object({ slots: z.array(z.object({ start: z.date(), end: z.date(), within48h: z.boolean(), sameCounselor: z.boolean() })), previousCounselorName: z.string().optional() })
  },
  bookSession: {
    input: z.object({ requestId: z.string().min(1), start: instant('请选择时间'), mode: SessionMode, idempotencyKey: IdempotencyKey }).strict(),
    output: z.discriminatedUnion('outcome', [
      z.object({ outcome: z.literal('booked'), session: SessionView }),
      z.object({ outcome: z.literal('taken'), message: z.string() })
    ])
  },
  moveSession: {
    input: z.object({ sessionId: z.string().min(1), start: instant('请选择新的时间'), idempotencyKey: IdempotencyKey }).strict(),
    output: z.discriminatedUnion('outcome', [
      z.object({ outcome: z.literal('booked'), session: SessionView }),
      z.object({ outcome: z.literal('taken'), message: z.string() })
    ])
  },
  cancelSession: { input: z.object({ sessionId: z.string().min(1), reason: z.string().trim().min(1, '请说一下原因').max(100, '原因太长') }).strict(), output: z.object({ status: z.literal('cancelled') }) },
  myRequests: { input: z.object({}).strict(), output: z.object({ requests: z.array(MyRequest) }) },

  queue: { input: z.object({}).strict(), output: z.object({ crises: z.array(QueueItem), open: z.array(QueueItem), sessions: z.array(SessionView) }) },
  acknowledge: { input: z.object({ requestId: z.string().min(1) }).strict(), output: z.object({ acknowledgedAt: z.date(), by: z.string() }) },
  writeNote: {
    input: z.object({ requestId: z.string().min(1), text: z.string().trim().min(1, '请写下记录').max(2000, '最多2000字'), followUpDate: DateKey.optional(), idempotencyKey: IdempotencyKey }).strict(),
    output: z.object({ noteId: z.string() })
  },
  readNotes: { input: z.object({ requestId: z.string().min(1) }).strict(), output: z.object({ notes: z.array(NoteView) }) },
  /** The case's counsellor or the station's supervisor gives the case to another counsellor of the station. */
  handOver: { input: z.object({ requestId: z.string().min(1), to: z.string().min(1, '请选择接手的辅导员').max(128) }).strict(), output: z.object({ counselorName: z.string() }) },
  closeCase: { input: z.object({ requestId: z.string().min(1), summary: z.string().trim().min(2, '请写一句结案说明').max(500, '最多500字') }).strict(), output: z.object({ state: z.literal('closed') }) },
  roster: { input: z.object({}).strict(), output: z.object({ stationName: z.string(), dutyLine: z.string(), order: z.array(z.object({ id: z.string(), name: z.string() })), supervisor: z.object({ id: z.string(), name: z.string() }).optional(), counselors: z.array(z.object({ id: z.string(), name: z.string() })) }) },
  saveRoster: { input: z.object({ order: z.array(z.string().min(1)).min(1, '至少安排一位值班辅导员').max(20), supervisor: z.string().min(1, '请选择站长或督导') }).strict(), output: z.object({ saved: z.literal(true) }) },
  availability: { input: z.object({}).strict(), output: z.object({ settings: CareRoomSettings }) },
  saveAvailability: { input: z.object({ settings: CareRoomSettings }).strict(), output: z.object({ settings: CareRoomSettings }) }
} as const
