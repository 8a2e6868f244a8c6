import { z } from 'zod'
import { Agency, Role, ScopeLevel, VolunteerKind } from '../roles'
import { Relation } from '../people'

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

export const accountContract = {
  /** Who am I: any WeChat user may ask; an unregistered one learns how to get registered. */
  whoami: { input: z.object({}).strict(), output: WhoAmI }
} as const
