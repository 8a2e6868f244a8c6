import { z } from 'zod'
import { DutyInput, OVERSIGHT_LISTS } from '../oversight/figures'

/** 督导: each agency's view of its scope, computed from the live data. */
const Num = z.number()
const OversightFigures = z.object({
  scopeName: z.string(),
  agencyLabel: z.string(),
  at: z.date(),
  children: z.object({ registered: Num, withConsent: Num, leftBehind: Num, heldThisWeek: Num, heldLast4Weeks: Num, heldThisWeekShare: Num }),
  weekly: z.array(z.object({ weekKey: z.string(), weekStart: z.string(), held: Num, share: Num })),
  pairing: z.object({ active: Num, coverage: Num, talksThisMonth: Num, visitsThisQuarter: Num }),
  legalAid: z.object({ open: Num, onTime: Num, dueSoon: Num, late: Num, medianDaysToDecision: Num.optional() }),
  crises: z.object({ last90Days: Num, medianAckMinutes: Num.optional(), unacknowledged: Num }),
  reports: z.object({ open: Num, medianAckMinutes: Num.optional(), unacknowledged: Num }),
  volunteers: z.object({ vettingExpiringSoon: Num, vettingExpired: Num }),
  leaders: z.array(z.object({ name: z.string(), items: z.array(z.object({ item: z.string(), label: z.string(), done: z.boolean() })) })),
  lists: z.array(z.object({ key: z.enum(OVERSIGHT_LISTS), label: z.string(), count: Num })),
  /** how the figures were read: queries made and the most documents any one returned (cloud limit 100) */
  reads: z.object({ queries: Num, maxDocsPerRead: Num })
})

export const oversightContract = {
  overview: { input: z.object({}).strict(), output: OversightFigures },
  list: {
    input: z.object({ key: z.enum(OVERSIGHT_LISTS, { message: '没有这个名单' }) }).strict(),
    /** opens[i]: the page where row i can be followed up (the child's file, the report), when the viewer may open it. */
    output: z.object({ label: z.string(), columns: z.array(z.string()), rows: z.array(z.array(z.string())), opens: z.array(z.string().nullable()) })
  },
  exportList: {
    input: z.object({ key: z.enum(OVERSIGHT_LISTS, { message: '没有这个名单' }) }).strict(),
    output: z.object({ filename: z.string(), csv: z.string(), rows: Num })
  },
  recordDuty: { input: DutyInput, output: z.object({ saved: z.literal(true) }) },
  myDuties: { input: z.object({}).strict(), output: z.object({ items: z.array(z.object({ item: z.string(), label: z.string(), done: z.boolean(), date: z.string().optional(), note: z.string().optional() })) }) }
} as const
