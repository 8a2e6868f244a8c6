import { z } from 'zod'
import { Agency, Role, ScopeLevel, VolunteerKind } from '../roles'
import { Relation } from '../people'
import { AcceptInvitationInput, CreateInvitationInput, InvitableRole } from '../registry/invitations'

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

export const accountContract = { ...whoamiContract, ...staffContract } as const
