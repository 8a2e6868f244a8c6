import { z } from 'zod'
import { Agency, Role, ScopeLevel, VolunteerKind } from '../roles'
import { Relation } from '../people'
import { AcceptInvitationInput, CreateInvitationInput } from '../registry/invitations'
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
  status: z.enum(['active', 'suspended'])
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
    children: z.array(BoundChild)
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

const InviteOption = z.object({ role: Role, roleLabel: z.string(), places: z.array(z.object({ id: z.string(), name: z.string(), level: ScopeLevel })) })

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

export const accountContract = { ...whoamiContract, ...staffContract, ...calendarContract } as const
