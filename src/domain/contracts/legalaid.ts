import { z } from 'zod'
import { Matter } from '../legalaid/rules'
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
const DraftId = z.string().min(1, '草稿编号不对').max(200, '草稿编号不对').regex(/^draft-[^\s/]+$/, '草稿编号不对')

export const DraftInput = z.object({
  childId: z.string().min(1, '请选择是哪个孩子的事'),
  matter: Matter,
  /** The people involved (the other side, witnesses), as the applicant names them. */
  people: z.string().trim().max(200, '最多200字').default(''),
  story: z.string().trim().min(5, '请简单说说发生了什么（至少5个字）').max(2000, '最多2000字'),
  /** A court date, limitation period or other time limit the applicant knows of. */
  deadline: DateKey.optional(),
  deadlineWhat: z.string().trim().max(50, '最多50字').optional(),
  evidenceUrgent: z.boolean().default(false),
  files: z.array(FileId).max(9, '最多上传9个文件').default([])
}).strict()

const TimelineEntry = z.object({ at: z.date(), text: z.string() })
const Clock = z.object({ name: z.string(), label: z.string(), due: z.date(), state: z.enum(['onTime', 'dueSoon', 'late']), stateLabel: z.string() })

export const LegalAidView = z.object({
  id: z.string(),
  childName: z.string(),
  matter: Matter,
  matterLabel: z.string(),
  state: State,
  stateLabel: z.string(),
  centreName: z.string(),
  priority: z.number().int(),
  priorityLabel: z.string(),
  provideFirst: z.boolean(),
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
  applicantName: z.string()
})

export const legalaidContract = {
  children: { input: z.object({}).strict(), output: z.object({ children: z.array(z.object({ id: z.string(), name: z.string() })) }) },
  saveDraft: { input: z.object({ draftId: DraftId.optional(), draft: DraftSave }).strict(), output: z.object({ draftId: z.string() }) },
  drafts: { input: z.object({}).strict(), output: z.object({ drafts: z.array(z.object({ id: z.string(), childName: z.string(), matterLabel: z.string(), savedAt: z.date(), draft: DraftSave })) }) },
  submit: {
    input: z.object({ draft: DraftInput, draftId: DraftId.optional(), idempotencyKey: IdempotencyKey }).strict(),
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
  askDocuments: { input: z.object({ requestId: z.string().min(1), what: z.string().trim().min(2, '请写明需要什么材料').max(200, '最多200字') }).strict(), output: z.object({ asked: z.literal(true) }) }
} as const
