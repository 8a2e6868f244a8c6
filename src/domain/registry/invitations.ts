import { z } from 'zod'
import type { Agency, Role, RoleGrant, ScopeLevel } from '../roles'
import { activeGrants } from '../roles'
import { MobilePhone } from './fields'

/**
 * Staff accounts come only by invitation from an admin of the right agency and scope (docs/DOMAIN.md, "Roles and scopes"): each agency
 * invites the staff of its own line (教育局 teachers and counsellors, 司法局 legal-aid officers and lawyers, 公安局
 * police liaisons, 民政局 child-welfare officers), and any admin invites admins of their agency in a smaller or equal
 * scope. Volunteers register themselves and are vetted, so no invitation makes one.
 */
export const INVITABLE_BY_AGENCY: Record<Agency, Role[]> = {
  civilAffairs: ['childWelfareOfficer', 'admin'],
  education: ['teacher', 'counselor', 'admin'],
  justice: ['legalAidOfficer', 'lawyer', 'admin'],
  publicSecurity: ['police', 'admin'],
  womensFederation: ['admin'],
  youthLeague: ['admin'],
  tradeUnion: ['counselor', 'admin'],
  disabledPersons: ['admin'],
  elderCare: ['admin']
}

/** The scope level each invited role is placed at. */
export const SCOPE_LEVELS_OF_ROLE: Partial<Record<Role, ScopeLevel[]>> = {
  teacher: ['school'],
  counselor: ['station'],
  legalAidOfficer: ['centre'],
  lawyer: ['centre'],
  police: ['jurisdiction'],
  childWelfareOfficer: ['village', 'township'],
  admin: ['county', 'township']
}

export const INVITATION_DAYS = 7

export const CreateInvitationInput = z.object({
  role: z.enum(['teacher', 'counselor', 'legalAidOfficer', 'lawyer', 'police', 'childWelfareOfficer', 'admin'], { message: '请选择岗位' }),
  scopeId: z.string().min(1, '请选择单位或地区'),
  personName: z.string().trim().min(1, '请填写对方姓名').max(20, '姓名太长')
}).strict()

export const AcceptInvitationInput = z.object({
  code: z.string().trim().regex(/^\d{8}$/, '邀请码是8位数字'),
  /** urgent alerts reach staff by SMS when WeChat cannot deliver them (docs/ARCHITECTURE.md, "Notifications") */
  phone: MobilePhone
}).strict()

/**
 * Whether `admin` may invite `role` at a place: the admin's agency line allows the role, the level fits the role,
 * and the place lies inside one of the admin's active scopes (`within(placeId, scopeId)` answers that from the
 * places tree). Returns the admin grant that authorises it, so the invitation records the agency.
 */
export function invitingGrant (
  grants: readonly RoleGrant[], role: Role, place: { id: string, level: ScopeLevel }, within: (placeId: string, scopeId: string) => boolean
): RoleGrant | undefined {
  if (!(SCOPE_LEVELS_OF_ROLE[role] ?? []).includes(place.level)) return undefined
  return activeGrants(grants).find((g) => g.role === 'admin' && g.agency && g.scope &&
    INVITABLE_BY_AGENCY[g.agency].includes(role) && within(place.id, g.scope.id))
}
