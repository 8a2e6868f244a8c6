import { z } from 'zod'
import { Agency, Role, ScopeLevel, VolunteerKind } from '../roles'
import { Relation } from '../people'
import { AcceptInvitationInput, CreateInvitationInput, InvitableRole } from '../registry/invitations'
import { MobilePhone } from '../registry/fields'
import { TEMPLATE_KEYS } from '../notices/templates'
import { HolidayYearInput } from '../calendar/data'

/** One of my roles, with the names a person reads instead of ids. */
export const RoleView = z.object({
  role: Role,
  roleLabel: z.string(),
  scope: z.object({ level: ScopeLevel, id: z.string(), name: z.string() }).optional(),
  agency: Agency.optional(),
  agencyLabel: z.string().optional(),
  volunteerKind: VolunteerKind.optional(),
  volunteerKindLabel: z.string().optional(),
  status: z.enum(['active', 'suspended']),
  /** a leader an admin invited: their 五个一 counts */
  invitedLeader: z.boolean().optional()
})
export type RoleView = z.infer<typeof RoleView>

/** A child bound to me, as little as a home page needs. */
export const BoundChild = z.object({
  id: z.string(),
  name: z.string(),
  relation: Relation,
  relationLabel: z.string(),
  age: z.number().int(),
  schoolName: z.string(),
  className: z.string()
})
export type BoundChild = z.infer<typeof BoundChild>

export const WhoAmI = z.discriminatedUnion('registered', [
  z.object({ registered: z.literal(false) }),
  z.object({
    registered: z.literal(true),
    openid: z.string(),
    name: z.string(),
    roles: z.array(RoleView),
    children: z.array(BoundChild),
    /** for a guardian: calls a parent made straight home, waiting for their word */
    callsToConfirm: z.number().int().optional()
  })
])
export type WhoAmI = z.infer<typeof WhoAmI>

const whoamiContract = {
  /** Who am I: any WeChat user may ask; an unregistered one learns how to get registered. */
  whoami: { input: z.object({}).strict(), output: WhoAmI }
} as const

export const StaffMember = z.object({
  openid: z.string(),
  name: z.string(),
  roles: z.array(RoleView.extend({ index: z.number().int() }))
})
export type StaffMember = z.infer<typeof StaffMember>

const InviteOption = z.object({ role: InvitableRole, roleLabel: z.string(), places: z.array(z.object({ id: z.string(), name: z.string(), level: ScopeLevel })) })

/** Staff invitations and roles, served by the account function (docs/DOMAIN.md, "Roles and scopes"). */
const staffContract = {
  inviteOptions: { input: z.object({}).strict(), output: z.object({ options: z.array(InviteOption) }) },
  createInvitation: {
    input: CreateInvitationInput.extend({ idempotencyKey: z.string().min(8).max(64) }),
    output: z.object({ code: z.string(), expiresAt: z.date(), roleLabel: z.string(), scopeName: z.string() })
  },
  acceptInvitation: { input: AcceptInvitationInput, output: z.object({ roleLabel: z.string(), scopeName: z.string() }) },
  listStaff: { input: z.object({}).strict(), output: z.object({ staff: z.array(StaffMember) }) },
  setRoleStatus: {
    input: z.object({ openid: z.string().min(1), roleIndex: z.number().int().min(0), status: z.enum(['active', 'suspended']) }).strict(),
    output: z.object({ status: z.enum(['active', 'suspended']) })
  }
} as const

const TemplateKey = z.enum(TEMPLATE_KEYS, { message: '没有这种提醒' })

/** One entry of my inbox (消息): what happened, what it is about, and whether I opened it. */
export const InboxEntry = z.object({
  id: z.string(),
  template: TemplateKey,
  title: z.string(),
  detail: z.string(),
  /** the time it is about (a call's start, a deadline) */
  at: z.date().nullable(),
  /** the page it opens */
  link: z.string(),
  urgent: z.boolean(),
  read: z.boolean(),
  createdAt: z.date()
})
export type InboxEntry = z.infer<typeof InboxEntry>

/** One alert of my duty on 接收提醒: how many one-time allows I have left (the app's mirror of WeChat's count). */
export const AlertAllow = z.object({
  template: TemplateKey,
  label: z.string(),
  purpose: z.string(),
  remaining: z.number().int(),
  longTerm: z.boolean(),
  canBeLongTerm: z.boolean()
})
export type AlertAllow = z.infer<typeof AlertAllow>

/** A person on a duty roster I supervise, and whether alerts reach them. */
export const DutyPerson = z.object({
  name: z.string(),
  roleLabel: z.string(),
  /** the duty's alerts they have no allow left for (labels) */
  missing: z.array(z.string()),
  hasPhone: z.boolean(),
  /** an alert they miss and no phone to back it up */
  unreachable: z.boolean()
})

const Answer = z.enum(['accept', 'reject', 'ban', 'filter'])

/** 消息 and 接收提醒: every notice lands in the inbox; staff keep the allows their duty needs (docs/ARCHITECTURE.md, "Notifications"). */
const alertsContract = {
  inbox: {
    input: z.object({ before: z.string().max(200).optional(), limit: z.number().int().min(1).max(50).optional() }).strict(),
    output: z.object({ entries: z.array(InboxEntry), next: z.string().nullable() })
  },
  unreadCount: { input: z.object({}).strict(), output: z.object({ unread: z.number().int() }) },
  markRead: {
    input: z.object({ id: z.string().min(1, '缺少消息').max(300) }).strict(),
    output: z.object({ read: z.literal(true) })
  },
  markAllRead: { input: z.object({}).strict(), output: z.object({ marked: z.number().int() }) },
  /** What I answered in the subscription dialog on a tap: the app's mirror counts the allows. */
  recordAllows: {
    input: z.object({
      answers: z.partialRecord(TemplateKey, Answer).refine((a) => Object.keys(a).length >= 1 && Object.keys(a).length <= 3, '一次可以开通1到3种提醒'),
      idempotencyKey: z.string().min(8).max(64)
    }).strict(),
    output: z.object({ alerts: z.array(AlertAllow) })
  },
  alertSettings: {
    input: z.object({}).strict(),
    output: z.object({
      /** the alerts my active roles need */
      alerts: z.array(AlertAllow),
      /** my phone for urgent SMS, masked; null when I gave none */
      phone: z.string().nullable(),
      /** people on the rosters I supervise, grouped by roster */
      team: z.array(z.object({ title: z.string(), people: z.array(DutyPerson) }))
    })
  },
  setPhone: {
    input: z.object({ phone: MobilePhone }).strict(),
    output: z.object({ phone: z.string() })
  }
} as const

const HolidayRangeView = z.object({ name: z.string(), from: z.string(), to: z.string() })
export const HolidayYearView = z.object({
  year: z.number().int(),
  /** published: from the State Council's notice (the kept library); entered: by an admin; estimated: statutory days only */
  status: z.enum(['published', 'entered', 'estimated']),
  source: z.string(),
  holidays: z.array(HolidayRangeView),
  workdays: z.array(z.string()),
  enteredByName: z.string().optional(),
  enteredAt: z.date().optional()
})

/**
 * The national holiday calendar (docs/DOMAIN.md, "Working days and holidays"): each year around now, published,
 * entered or estimated; a county admin enters a year's published arrangement (holidays and adjusted workdays).
 */
const calendarContract = {
  holidayYears: { input: z.object({}).strict(), output: z.object({ years: z.array(HolidayYearView) }) },
  saveHolidayYear: { input: HolidayYearInput, output: z.object({ year: z.number().int(), status: z.literal('entered') }) }
} as const

/**
 * One card at the top of a home: what is next, or what waits for this person, for their active roles only. Each
 * kind carries just what its card says; the page turns it into words and a link.
 */
export const HomeCard = z.discriminatedUnion('kind', [
  /** parent, guardian, child: the next call booked at a care room, per child */
  z.object({ kind: z.literal('nextCall'), childId: z.string(), childName: z.string(), start: z.date(), placeName: z.string() }),
  /** parent: a seat from the waiting list, held until `expiresAt` */
  z.object({ kind: z.literal('waitOffer'), entryId: z.string(), childName: z.string(), start: z.date(), expiresAt: z.date() }),
  /** parent: no call held and none booked this week */
  z.object({ kind: z.literal('noCallThisWeek'), childId: z.string(), childName: z.string() }),
  /** guardian: calls a parent made straight home, waiting for their word */
  z.object({ kind: z.literal('callsToConfirm'), count: z.number().int() }),
  /** guardian: the child's parents have no call booked in the next seven days */
  z.object({ kind: z.literal('parentsNotBooked'), childId: z.string(), childName: z.string() }),
  /** applicant: a legal-aid request still open, and where it stands */
  z.object({ kind: z.literal('legalAid'), requestId: z.string(), reference: z.string(), childName: z.string(), stateLabel: z.string() }),
  /** volunteer: offers to pair, waiting for an answer */
  z.object({ kind: z.literal('pairingOffers'), count: z.number().int() }),
  /** volunteer: a paired child still owed this month's talk or this quarter's home visit */
  z.object({ kind: z.literal('contactDue'), pairingId: z.string(), childName: z.string(), talk: z.boolean(), visit: z.boolean(), monthEndsAt: z.date(), quarterEndsAt: z.date() }),
  /** teacher: today's calls at their care rooms */
  z.object({ kind: z.literal('daySheet'), calls: z.number().int(), rooms: z.number().int() }),
  /** counsellor: open requests theirs to handle (crises have their own card) */
  z.object({ kind: z.literal('counselQueue'), open: z.number().int() }),
  /** officer, lawyer, police, admin: items waiting, how many are past their deadline and how many near it */
  z.object({ kind: z.literal('deadlines'), area: z.enum(['legalAid', 'lawyerCases', 'reports', 'stuckLegalAid', 'deletions']), waiting: z.number().int(), late: z.number().int(), soon: z.number().int() })
])
export type HomeCard = z.infer<typeof HomeCard>

const homeContract = {
  /** The cards of my home, for my active roles, each read within my own scope. */
  home: { input: z.object({}).strict(), output: z.object({ cards: z.array(HomeCard) }) }
} as const

export const accountContract = { ...whoamiContract, ...staffContract, ...alertsContract, ...calendarContract, ...homeContract } as const
