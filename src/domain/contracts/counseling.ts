import { z } from 'zod'
import { CareRoomSettings } from '../scheduling/settings'
import { HURT_BY, TriageAnswers } from '../counseling/triage'
import { CALLBACK_WHOSE, PhoneNumber } from '../counseling/callback'
import { SESSION_MODES } from '../counseling/hours'
import { HarmKind } from '../safeguarding/reports'
import { IdempotencyKey } from './registry'
import { CalendarDate, instant } from '../calendar/input'

/** 心理援助: triage, the crisis path, sessions with counsellors, confidential notes. */
const SessionMode = z.enum(SESSION_MODES, { message: '请选择怎么聊：打电话、视频通话或当面聊' })
const UrgencySchema = z.enum(['crisis', 'soon', 'routine'])
const RequestState = z.enum(['open', 'booked', 'closed'])

const Numbers = z.array(z.object({ number: z.string(), name: z.string() }))

/** The number the asker left for the call back, and whose it is. */
const CallBack = z.object({ phone: z.string(), whose: z.enum(CALLBACK_WHOSE) })

const CrisisInfo = z.object({
  /** numbers to call with one tap, most urgent first */
  numbers: Numbers,
  message: z.string(),
  acknowledged: z.boolean(),
  acknowledgedAt: z.date().optional(),
  /** the number the counsellor will call: the one the asker left, or the child's own on her file */
  callBack: CallBack.extend({ fromFile: z.boolean() }).optional(),
  /** the asker already told more (who, or a note) */
  toldMore: z.boolean()
})

/** A number that may help reach the child, with one tap; flagged when the home is pointed at (src/domain/counseling/callback.ts). */
export const ContactView = z.object({ phone: z.string(), label: z.string(), kind: z.enum(['chosen', 'child', 'school', 'home', 'police']), caution: z.string().optional(), avoid: z.boolean() })

export const SessionView = z.object({
  id: z.string(),
  requestId: z.string(),
  childName: z.string(),
  counselorName: z.string(),
  start: z.date(),
  end: z.date(),
  mode: SessionMode,
  modeLabel: z.string(),
  /** how it happens, in a sentence for the reader (the number the counsellor calls, or the place) */
  how: z.string(),
  /** the number to call (a phone or video session), for the counsellor's one-tap call */
  phone: z.string().optional(),
  place: z.string().optional(),
  status: z.enum(['booked', 'cancelled', 'done'])
})

export const MyRequest = z.object({
  id: z.string(),
  childName: z.string(),
  /** the child asked for herself: her pages speak to her, and show no urgency level */
  forSelf: z.boolean(),
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
  /** what was answered, in words, one line a question asked */
  answers: z.array(z.string()),
  words: z.string().optional(),
  state: RequestState,
  createdAt: z.date(),
  counselorName: z.string().optional(),
  crisis: z.object({ level: z.number().int(), alertedNames: z.array(z.string()), acknowledgedBy: z.string().optional(), acknowledgedAt: z.date().optional() }).optional(),
  followUpDate: z.string().optional(),
  mine: z.boolean(),
  /** an unbooked soon-request past its follow-up time */
  overdue: z.boolean(),
  /** for a crisis: every number that may reach the child, in the order to try them (reading them is logged) */
  contacts: z.array(ContactView).optional()
})

const NoteView = z.object({ id: z.string(), authorName: z.string(), at: z.date(), text: z.string(), followUpDate: z.string().optional() })

const DateKey = CalendarDate

export const counselingContract = {
  /** The children a caller may ask help for: their own (child), bound (parent, guardian), school (teacher), paired (volunteer). */
  /** `asker`: a child asking for herself is spoken to as 你; a grown-up asking for a child, about the child. */
  children: {
    input: z.object({}).strict(),
    /** `dutyLine`: the station's line for the child's county, so a crisis screen shows it in its first frame */
    output: z.object({ children: z.array(z.object({ id: z.string(), name: z.string(), dutyLine: z.string().optional() })), asker: z.enum(['child', 'adult']) })
  },
  /** Files a request with what was answered so far: the answers stop at the first danger answer (src/domain/counseling/triage.ts). */
  ask: {
    input: z.object({ childId: z.string().min(1, '请选择是为哪个孩子求助'), answers: TriageAnswers, idempotencyKey: IdempotencyKey }).strict(),
    output: z.object({ requestId: z.string(), urgency: UrgencySchema, urgencyLabel: z.string(), crisis: CrisisInfo.optional() })
  },
  /** The asker says which number the counsellor should call (their own, a neighbour's, a teacher's). */
  setCallBack: {
    input: z.object({ requestId: z.string().min(1), phone: PhoneNumber, whose: z.enum(CALLBACK_WHOSE, { message: '请选是谁的电话' }) }).strict(),
    output: z.object({ callBack: CallBack })
  },
  /** After help is on its way, the asker may tell more: who hurts the child, and a note. Both optional, one needed. */
  tellMore: {
    input: z.object({
      requestId: z.string().min(1),
      hurtBy: z.enum(HURT_BY, { message: '请选一个' }).optional(),
      words: z.string().trim().max(500, '最多写500个字').optional(),
      idempotencyKey: IdempotencyKey
    }).strict().refine((t) => t.hurtBy !== undefined || (t.words ?? '').length > 0, { message: '写几个字，或者选一个', path: ['words'] }),
    output: z.object({ saved: z.literal(true) })
  },
  sessionSlots: {
    input: z.object({ requestId: z.string().min(1) }).strict(),
    output: z.object({
      /** `duringSchool`: in class time of a school day; these come after the times outside school */
      slots: z.array(z.object({ start: z.date(), end: z.date(), within48h: z.boolean(), sameCounselor: z.boolean(), duringSchool: z.boolean() })),
      previousCounselorName: z.string().optional(),
      /** where an in-person session is held (the station) */
      place: z.string(),
      /** the number the asker left before, or the child's own: offered for a phone or video session */
      suggestedPhone: z.string().optional()
    })
  },
  bookSession: {
    input: z.object({
      requestId: z.string().min(1), start: instant('请选择时间'), mode: SessionMode,
      /** the number the counsellor calls (a phone or video session) */
      phone: PhoneNumber.optional(),
      idempotencyKey: IdempotencyKey
    }).strict().superRefine((b, ctx) => {
      if ((b.mode === 'voice' || b.mode === 'video') && !b.phone) ctx.addIssue({ code: 'custom', path: ['phone'], message: '请写辅导员打哪个电话' })
    }, { when: (p) => typeof p.value === 'object' && p.value !== null }),
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
  /** One case as its counsellor works it: the request, every number that may help (logged), the session, the report. */
  caseView: {
    input: z.object({ requestId: z.string().min(1) }).strict(),
    output: z.object({
      item: QueueItem.extend({ contacts: z.array(ContactView) }),
      session: SessionView.optional(),
      /** the mandatory report opened for this request, if any */
      report: z.object({ id: z.string(), reference: z.string(), stateLabel: z.string(), dangerNow: z.boolean() }).optional()
    })
  },
  /** Crises nobody has taken yet, for the first thing on a counsellor's home: the child's given name and the minutes waited. */
  crisesWaiting: {
    input: z.object({}).strict(),
    output: z.object({ crises: z.array(z.object({ id: z.string(), firstName: z.string(), createdAt: z.date(), minutes: z.number().int() })) })
  },
  /** From a case, the counsellor files the mandatory report, or adds to the one already opened. */
  reportFromCase: {
    input: z.object({
      requestId: z.string().min(1),
      kinds: z.array(HarmKind).min(1, '请至少选择一种情况').max(10),
      seen: z.string().trim().min(4, '请写下孩子说了什么、看到或听到了什么').max(1000, '最多1000字'),
      dangerNow: z.boolean({ message: '请选择孩子现在是否有危险' }),
      idempotencyKey: IdempotencyKey
    }).strict(),
    output: z.object({ reportId: z.string(), reference: z.string(), added: z.boolean() })
  },
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
