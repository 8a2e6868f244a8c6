import { z } from 'zod'
import type { Agency, RoleGrant, ScopeLevel } from '../roles'
import { ROLE_LABELS, activeGrants } from '../roles'
import { MobilePhone } from './fields'

/**
 * Staff accounts come only by invitation from an admin of the right agency and scope (docs/DOMAIN.md, "Roles and scopes"): each agency
 * invites the staff of its own line (教育局 teachers and counsellors, 司法局 legal-aid officers and lawyers, 公安局
 * police liaisons, 民政局 child-welfare officers), and any admin invites admins of their agency in a smaller or equal
 * scope. Volunteers register themselves and are vetted, so no invitation makes one; but a leader whose 五个一 the
 * county counts (the plan's safeguards) comes only by invitation, from the county admin of the leader's agency.
 */
const INVITABLE = ['teacher', 'counselor', 'legalAidOfficer', 'lawyer', 'police', 'childWelfareOfficer', 'admin', 'leader'] as const
export const InvitableRole = z.enum(INVITABLE, { message: '请选择岗位' })
export type InvitableRole = z.infer<typeof InvitableRole>

export const INVITABLE_BY_AGENCY: Record<Agency, InvitableRole[]> = {
  civilAffairs: ['childWelfareOfficer', 'admin', 'leader'],
  education: ['teacher', 'counselor', 'admin', 'leader'],
  justice: ['legalAidOfficer', 'lawyer', 'admin', 'leader'],
  publicSecurity: ['police', 'admin', 'leader'],
  womensFederation: ['admin', 'leader'],
  youthLeague: ['admin', 'leader'],
  tradeUnion: ['counselor', 'admin', 'leader'],
  disabledPersons: ['admin', 'leader'],
  elderCare: ['admin', 'leader']
}

/** What a position is called where it is offered and granted. */
export const INVITABLE_LABELS: Record<InvitableRole, string> = { ...ROLE_LABELS, leader: '领导干部（五个一）' }

/** The position a grant holds, as invitations name it: a volunteer grant of kind leader is a leader's. */
export function positionOf (g: Pick<RoleGrant, 'role' | 'volunteerKind'>): string {
  return g.role === 'volunteer' && g.volunteerKind === 'leader' ? 'leader' : g.role
}

/** The scope level each invited role is placed at. */
export const SCOPE_LEVELS_OF_ROLE: Partial<Record<InvitableRole, ScopeLevel[]>> = {
  teacher: ['school'],
  counselor: ['station'],
  legalAidOfficer: ['centre'],
  lawyer: ['centre'],
  police: ['jurisdiction'],
  childWelfareOfficer: ['village', 'township'],
  admin: ['county', 'township'],
  // A leader's 五个一 counts in the county's list.
  leader: ['county']
}

export const INVITATION_DAYS = 7

export const CreateInvitationInput = z.object({
  role: InvitableRole,
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
  grants: readonly RoleGrant[], role: InvitableRole, place: { id: string, level: ScopeLevel }, within: (placeId: string, scopeId: string) => boolean
): RoleGrant | undefined {
  if (!(SCOPE_LEVELS_OF_ROLE[role] ?? []).includes(place.level)) return undefined
  return activeGrants(grants).find((g) => g.role === 'admin' && g.agency && g.scope &&
    INVITABLE_BY_AGENCY[g.agency].includes(role) && within(place.id, g.scope.id))
}

/** The grant an accepted invitation gives: a leader is a volunteer of kind leader, of the inviting admin's agency. */
export function invitedGrant (role: InvitableRole, scope: { level: ScopeLevel, id: string }, by: { openid: string, agency?: Agency }): RoleGrant {
  if (role === 'leader') return { role: 'volunteer', volunteerKind: 'leader', agency: by.agency, scope, status: 'active', invitedBy: by.openid }
  return { role, scope, status: 'active', ...(role === 'admin' ? { agency: by.agency } : {}) }
}
