import { z } from 'zod'
import { MATTERS, Matter } from '../legalaid/rules'
import { VOICE_NOTE_EXTENSIONS, VOICE_NOTE_MAX_SECONDS, voiceNoteExtension } from '../legalaid/voice'
import { LEGAL_AID_STATES } from '../legalaid/clocks'
import { IdempotencyKey } from './registry'
import { DateString } from '../registry/fields'

/** 法律援助绿色通道: legal aid for children, held to the law's clocks (docs/DOMAIN.md, "Legal Aid Law"). */
const State = z.enum(LEGAL_AID_STATES)
// Real calendar dates only: 2026-13-01 or 2026-02-30 are refused by name.
const DateKey = DateString
/** A file the applicant uploaded to cloud storage (legalaid/<their openid>/…). */
const FileId = z.string().max(400, '文件不对，请重新上传').regex(/^cloud:\/\/.+\/legalaid\/[^/]+\/.+$/, '文件不对，请重新上传')
/** A saved draft's id, as saveDraft answered it. */
/** The story told by voice: the recording (the applicant's own upload) and how long it is. */
export const VoiceNote = z.object({
  fileId: FileId.refine((id) => voiceNoteExtension(id) !== undefined, `录音的格式不对，只收 ${VOICE_NOTE_EXTENSIONS.join('、')} 文件`),
  seconds: z.number({ error: '录音的长度不对，请重新录' }).int('录音的长度不对，请重新录').min(1, '录音太短了，请至少说1秒')
    .max(VOICE_NOTE_MAX_SECONDS, `录音最长${VOICE_NOTE_MAX_SECONDS / 60}分钟，请录短一点，或者分开写下来`)
}).strict()
/** The story in writing: a few words at least, unless it is told by voice. */
export const STORY_TOO_SHORT = '请简单说说发生了什么（至少5个字）'
export const Story = z.string().trim().min(5, STORY_TOO_SHORT).max(2000, '最多2000字')
const DraftId = z.string().min(1, '草稿编号不对').max(200, '草稿编号不对').regex(/^draft-[^\s/]+$/, '草稿编号不对')

export const DraftInput = z.object({
  childId: z.string().min(1, '请选择是哪个孩子的事'),
  matter: Matter,
  /** The people involved (the other side, witnesses), as the applicant names them. */
  people: z.string().trim().max(200, '最多200字').default(''),
  /** The story in writing; it may be empty when a voice note tells it (SubmitDraft). */
  story: z.string().trim().max(2000, '最多2000字').default(''),
  /** The story told by voice, heard only by the centre's officers and the lawyer. */
  voiceNote: VoiceNote.optional(),
  /** A court date, limitation period or other time limit the applicant knows of. */
  deadline: DateKey.optional(),
  deadlineWhat: z.string().trim().max(50, '最多50字').optional(),
  evidenceUrgent: z.boolean().default(false),
  files: z.array(FileId).max(9, '最多上传9个文件').default([])
}).strict()

/** What is submitted: the draft, with the story told in writing (5 characters at least) or by voice. */
export const SubmitDraft = DraftInput.refine((d) => Boolean(d.voiceNote) || (typeof d.story === 'string' && d.story.trim().length >= 5), {
  path: ['story'],
  message: STORY_TOO_SHORT,
  // Checked even when other fields are wrong, so the person hears of every field at once.
  when: (p) => typeof p.value === 'object' && p.value !== null
})

const TimelineEntry = z.object({ at: z.date(), text: z.string() })
const Clock = z.object({ name: z.string(), label: z.string(), due: z.date(), state: z.enum(['onTime', 'dueSoon', 'late']), stateLabel: z.string(), estimated: z.boolean() })

export const LegalAidView = z.object({
  id: z.string(),
  /** 申请编号, e.g. 2026-0007: what the applicant quotes when calling the centre. */
  reference: z.string(),
  childName: z.string(),
  matter: Matter,
  matterLabel: z.string(),
  state: State,
  stateLabel: z.string(),
  centreName: z.string(),
  /** The centre's phone, when it registered one. */
  centrePhone: z.string().optional(),
  /** Where the request went and why, in the applicant's words. */
  routedWhy: z.string(),
  priority: z.number().int(),
  priorityLabel: z.string(),
  provideFirst: z.boolean(),
  /** A lawyer was assigned first (Art. 44) and the approval has not followed yet. */
  approvalPending: z.boolean(),
  exemptions: z.array(z.object({ label: z.string(), article: z.string() })),
  submittedAt: z.date(),
  deadline: z.string().optional(),
  clocks: z.array(Clock),
  timeline: z.array(TimelineEntry),
  lawyerName: z.string().optional(),
  refusal: z.object({ reason: z.string(), howToObject: z.string() }).optional(),
  documentsAsked: z.string().optional()
})

/** A draft may be saved at any step: only the child is needed; the rest is checked on submit. */
const DraftSave = DraftInput.partial().extend({ childId: z.string().min(1, '请选择是哪个孩子的事') })

const CaseDetail = LegalAidView.extend({
  /** how the reader stands to the case, so the page offers the right actions */
  viewer: z.enum(['applicant', 'officer', 'lawyer']),
  people: z.string(),
  story: z.string(),
  deadlineWhat: z.string().optional(),
  evidenceUrgent: z.boolean(),
  files: z.array(z.object({ fileId: z.string(), url: z.string() })),
  /** The voice note: its length for everyone who reads the case, its link only for the officers and the lawyer. */
  voiceNote: z.object({ seconds: z.number().int(), url: z.string().optional() }).optional(),
  applicantName: z.string()
})

const StuckRequest = z.object({
  id: z.string(),
  reference: z.string(),
  childName: z.string(),
  matterLabel: z.string(),
  centreId: z.string(),
  centreName: z.string(),
  stateLabel: z.string(),
  submittedAt: z.date(),
  /** Why it is stuck, in words: nobody active at the centre, or which clock is late since when. */
  why: z.array(z.string())
})
const CentreOption = z.object({ id: z.string(), name: z.string(), activeOfficers: z.number().int() })

/** Who the lawyer must not act for or against (a name as written in requests), and what they know. */
const ConflictName = z.string().trim().min(1, '请填写姓名或单位').max(30, '最多30字')
export const LawyerProfileInput = z.object({
  /** Absent: my own profile (a lawyer). An officer names a lawyer of their centre. */
  lawyerId: z.string().min(1).optional(),
  specialties: z.array(Matter).max(MATTERS.length, '专长太多'),
  conflicts: z.array(ConflictName).max(30, '最多30个'),
  /** The lawyer's own notes for the centre (languages, days they can go to court). */
  note: z.string().trim().max(200, '最多200字').default('')
}).strict().superRefine((p, ctx) => {
  const seen = new Set<string>()
  p.conflicts.forEach((c, i) => {
    const key = c.trim()
    if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['conflicts', i], message: `“${key}”写了两遍` })
    seen.add(key)
  })
})
const LawyerProfileView = z.object({
  id: z.string(),
  name: z.string(),
  centreName: z.string(),
  specialties: z.array(Matter),
  conflicts: z.array(z.string()),
  note: z.string(),
  /** Who last changed it and when (the lawyer or an officer). */
  updatedAt: z.date().optional(),
  updatedByName: z.string().optional(),
  /** The reader may change it: the lawyer, or an officer of the lawyer's centre. */
  editable: z.boolean()
})
const LawyerRow = z.object({ id: z.string(), name: z.string(), specialtyLabels: z.array(z.string()), conflicts: z.number().int(), openCases: z.number().int() })

export const legalaidContract = {
  children: { input: z.object({}).strict(), output: z.object({ children: z.array(z.object({ id: z.string(), name: z.string() })) }) },
  saveDraft: { input: z.object({ draftId: DraftId.optional(), draft: DraftSave }).strict(), output: z.object({ draftId: z.string() }) },
  drafts: { input: z.object({}).strict(), output: z.object({ drafts: z.array(z.object({ id: z.string(), childName: z.string(), matterLabel: z.string(), savedAt: z.date(), draft: DraftSave })) }) },
  submit: {
    input: z.object({ draft: SubmitDraft, draftId: DraftId.optional(), idempotencyKey: IdempotencyKey }).strict(),
    output: z.object({ requestId: z.string(), nextSteps: z.array(z.string()), view: LegalAidView })
  },
  mine: { input: z.object({}).strict(), output: z.object({ requests: z.array(LegalAidView) }) },
  detail: { input: z.object({ requestId: z.string().min(1) }).strict(), output: CaseDetail },
  addFiles: { input: z.object({ requestId: z.string().min(1), files: z.array(FileId).min(1, '请先上传文件').max(9) }).strict(), output: z.object({ files: z.number().int() }) },

  queue: { input: z.object({}).strict(), output: z.object({ requests: z.array(LegalAidView) }) },
  acknowledge: { input: z.object({ requestId: z.string().min(1) }).strict(), output: z.object({ state: State }) },
  decide: {
    input: z.object({
      requestId: z.string().min(1),
      decision: z.enum(['approved', 'refused'], { message: '请选择批准或不予援助' }),
      reason: z.string().trim().max(500, '最多500字').optional(),
      complex: z.boolean().default(false),
      complexReason: z.string().trim().max(200, '最多200字').optional()
    }).strict().superRefine((d, ctx) => {
      if (d.decision === 'refused' && !d.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: '不予援助要写明理由' })
      if (d.complex && !d.complexReason) ctx.addIssue({ code: 'custom', path: ['complexReason'], message: '案情复杂要延期，请写明原因' })
    }),
    output: z.object({ state: State })
  },
  /** A complex case: the statutory review is extended by 3 working days, with the reason recorded (Art. 43). */
  extendReview: { input: z.object({ requestId: z.string().min(1), reason: z.string().trim().min(4, '请写明案情复杂的原因').max(200, '最多200字') }).strict(), output: z.object({ statutoryReviewBy: z.date() }) },
  proposeLawyers: { input: z.object({ requestId: z.string().min(1) }).strict(), output: z.object({ lawyers: z.array(z.object({ id: z.string(), name: z.string(), specialist: z.boolean(), openCases: z.number().int(), why: z.string() })) }) },
  assignLawyer: { input: z.object({ requestId: z.string().min(1), lawyerId: z.string().min(1, '请选择律师') }).strict(), output: z.object({ state: State }) },

  myCases: { input: z.object({}).strict(), output: z.object({ cases: z.array(LegalAidView) }) },
  respond: {
    input: z.object({ requestId: z.string().min(1), accept: z.boolean(), reason: z.string().trim().max(200).optional() }).strict()
      .refine((r) => r.accept || Boolean(r.reason), { path: ['reason'], message: '不接案请写明原因（如有利益冲突）' }),
    output: z.object({ state: State })
  },
  update: {
    input: z.object({
      requestId: z.string().min(1),
      step: z.enum(['consulted', 'filed', 'hearing', 'closed'], { message: '请选择进展' }),
      hearingDate: DateKey.optional(),
      outcome: z.string().trim().max(300, '最多300字').optional(),
      note: z.string().trim().max(300, '最多300字').optional()
    }).strict().superRefine((u, ctx) => {
      if (u.step === 'hearing' && !u.hearingDate) ctx.addIssue({ code: 'custom', path: ['hearingDate'], message: '请填写开庭日期' })
      if (u.step === 'closed' && !u.outcome) ctx.addIssue({ code: 'custom', path: ['outcome'], message: '结案请写明结果' })
    }),
    output: z.object({ state: State })
  },
  askDocuments: { input: z.object({ requestId: z.string().min(1), what: z.string().trim().min(2, '请写明需要什么材料').max(200, '最多200字') }).strict(), output: z.object({ asked: z.literal(true) }) },

  /** The county justice admin: requests stuck at a centre (nobody there to act, or a clock late), to reassign. */
  stuck: { input: z.object({}).strict(), output: z.object({ requests: z.array(StuckRequest), centres: z.array(CentreOption) }) },
  reassign: {
    input: z.object({
      requestId: z.string().min(1),
      centreId: z.string().min(1, '请选择转给哪个中心'),
      reason: z.string().trim().min(4, '请写明转办的原因（申请人会看到）').max(200, '最多200字')
    }).strict(),
    output: z.object({ centreName: z.string() })
  },

  /** A lawyer's own profile, or (with `lawyerId`) one of the centre's lawyers for its officer. */
  lawyerProfile: { input: z.object({ lawyerId: z.string().min(1).optional() }).strict(), output: LawyerProfileView },
  saveLawyerProfile: { input: LawyerProfileInput, output: z.object({ saved: z.literal(true) }) },
  centreLawyers: { input: z.object({}).strict(), output: z.object({ lawyers: z.array(LawyerRow) }) }
} as const
