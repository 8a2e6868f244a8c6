import { z } from 'zod'
import { HarmKind, INTERVENTIONS, POLICE_ACTIONS, ReportInput } from '../safeguarding/reports'
import { IdempotencyKey } from './registry'
import { ContactView } from './counseling'

/** 守护: mandatory reports that reach the police at once. */
const ReportState = z.enum(['delivered', 'acknowledged', 'handled', 'closed'])

const ReportSummary = z.object({
  id: z.string(),
  reference: z.string(),
  childName: z.string(),
  /** Described by the reporter rather than picked from the registry: the police find the child from the description. */
  childUnlisted: z.boolean(),
  kinds: z.array(z.object({ code: HarmKind, label: z.string() })),
  dangerNow: z.boolean(),
  state: ReportState,
  stateLabel: z.string(),
  filedAt: z.date(),
  acknowledgedAt: z.date().optional(),
  origin: z.string()
})

export const safeguardContract = {
  report: {
    input: z.object({ report: ReportInput, idempotencyKey: IdempotencyKey }).strict(),
    output: z.object({ id: z.string(), reference: z.string(), filedAt: z.date(), deliveredTo: z.array(z.string()), call110: z.boolean() })
  },
  /** The reporter sees that it is being handled, not the details. */
  myReports: { input: z.object({}).strict(), output: z.object({ reports: z.array(z.object({ reference: z.string(), childName: z.string(), filedAt: z.date(), stateLabel: z.string() })) }) },
  queue: { input: z.object({}).strict(), output: z.object({ reports: z.array(ReportSummary) }) },
  detail: {
    input: z.object({ reportId: z.string().min(1) }).strict(),
    output: ReportSummary.extend({
      seen: z.string(), when: z.string(), where: z.string(), reporterName: z.string(),
      /** For a child described rather than picked: the township given and what else the reporter said of the child. */
      childTownship: z.string(), childAbout: z.string(),
      /** Where to find the child: school, class, township and village (from the child's file; empty when unknown). */
      place: z.object({ school: z.string(), className: z.string(), township: z.string(), village: z.string() }),
      /** Who to call, in order, and whom not to alert before the child is seen (`avoid`). */
      contacts: z.array(ContactView),
      entries: z.array(z.object({ seq: z.number().int(), at: z.date(), text: z.string(), byName: z.string() })),
      intact: z.boolean(), brokenAt: z.number().int().optional(),
      /** entries the report's head counts that are not there (the newest deleted) */
      missing: z.number().int().optional(),
      /** What this reader may add now (the server checks again on each step). */
      may: z.object({ acknowledge: z.boolean(), recordAction: z.boolean(), recordIntervention: z.boolean(), close: z.boolean(), linkChild: z.boolean() })
    })
  },
  acknowledge: { input: z.object({ reportId: z.string().min(1) }).strict(), output: z.object({ state: ReportState }) },
  recordAction: { input: z.object({ reportId: z.string().min(1), action: z.enum(POLICE_ACTIONS, { message: '请选择处理情况' }), note: z.string().trim().max(300, '最多300字').optional() }).strict(), output: z.object({ state: ReportState }) },
  recordIntervention: { input: z.object({ reportId: z.string().min(1), intervention: z.enum(INTERVENTIONS, { message: '请选择干预措施' }), note: z.string().trim().max(300, '最多300字').optional() }).strict(), output: z.object({ state: ReportState }) },
  /** A described child found in the registry: the report joins the child's file (county admins who keep the registry). */
  linkChild: { input: z.object({ reportId: z.string().min(1), childId: z.string().min(1, '请选择是哪个孩子') }).strict(), output: z.object({ childName: z.string() }) },
  close: { input: z.object({ reportId: z.string().min(1), note: z.string().trim().min(2, '请写一句结案说明').max(300, '最多300字') }).strict(), output: z.object({ state: ReportState }) }
} as const
