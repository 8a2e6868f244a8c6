import { z } from 'zod'

/** Every role (docs/DOMAIN.md, "Roles and scopes"). One person can hold several. */
export const ROLES = [
  'parent', 'guardian', 'child', 'volunteer', 'teacher', 'counselor', 'lawyer',
  'legalAidOfficer', 'police', 'childWelfareOfficer', 'admin'
] as const
export const Role = z.enum(ROLES)
export type Role = z.infer<typeof Role>

/** The kinds of place a staff role can be scoped to, smallest to largest. */
const SCOPE_LEVELS = ['school', 'village', 'township', 'station', 'centre', 'jurisdiction', 'county', 'city'] as const
export const ScopeLevel = z.enum(SCOPE_LEVELS)
export type ScopeLevel = z.infer<typeof ScopeLevel>

/** The agencies of the plan (责任单位); an admin or a volunteer belongs to one. */
const AGENCIES = ['civilAffairs', 'education', 'womensFederation', 'youthLeague', 'justice', 'publicSecurity',
  'tradeUnion', 'disabledPersons', 'elderCare'] as const
export const Agency = z.enum(AGENCIES)
export type Agency = z.infer<typeof Agency>

/** Kinds of volunteer in the one pool (爱心家长, 五老, 青春护雏, 五个一 leaders). */
export const VOLUNTEER_KINDS = ['caringParent', 'elder', 'youth', 'counselor', 'entrepreneur', 'leader'] as const
export const VolunteerKind = z.enum(VOLUNTEER_KINDS)
export type VolunteerKind = z.infer<typeof VolunteerKind>

export const Scope = z.object({ level: ScopeLevel, id: z.string().min(1) })
export type Scope = z.infer<typeof Scope>

export const RoleGrant = z.object({
  role: Role,
  /** Absent for family roles and volunteers (who reach children through bindings and pairings). */
  scope: Scope.optional(),
  agency: Agency.optional(),
  volunteerKind: VolunteerKind.optional(),
  status: z.enum(['active', 'suspended']).default('active'),
  /** who invited this role (staff, and leaders: docs/DOMAIN.md, "Roles and scopes") */
  invitedBy: z.string().optional()
})
export type RoleGrant = z.infer<typeof RoleGrant>

export const ROLE_LABELS: Record<Role, string> = {
  parent: '外出务工家长',
  guardian: '监护人',
  child: '孩子',
  volunteer: '志愿者',
  teacher: '关爱室老师',
  counselor: '心理辅导员',
  lawyer: '志愿律师',
  legalAidOfficer: '法律援助中心',
  police: '公安联络员',
  childWelfareOfficer: '儿童主任',
  admin: '部门管理员'
}

export const AGENCY_LABELS: Record<Agency, string> = {
  civilAffairs: '民政局',
  education: '教育局',
  womensFederation: '妇联',
  youthLeague: '团委',
  justice: '司法局',
  publicSecurity: '公安局',
  tradeUnion: '总工会',
  disabledPersons: '残联',
  elderCare: '关工委'
}

export const VOLUNTEER_KIND_LABELS: Record<VolunteerKind, string> = {
  caringParent: '爱心爸爸/爱心妈妈',
  elder: '五老志愿者',
  youth: '青年志愿者',
  counselor: '心理咨询师',
  entrepreneur: '青年企业家',
  leader: '领导干部结对'
}

/** Kinds a person may choose when registering as a volunteer: leaders come only by an admin's invitation. */
export const SELF_REGISTERED_KINDS = VOLUNTEER_KINDS.filter((k) => k !== 'leader')

/**
 * A leader whose 五个一 counts: one an admin invited (a volunteer grant of kind leader, scoped to a county), active.
 * A "leader" who registered themselves, before leaders came only by invitation, is no leader for the 五个一.
 */
export function isInvitedLeader (g: RoleGrant): boolean {
  return g.role === 'volunteer' && g.volunteerKind === 'leader' && Boolean(g.invitedBy) && Boolean(g.scope) && g.status !== 'suspended'
}

/** Active grants only: a suspended role gives no rights. */
export function activeGrants (grants: readonly RoleGrant[]): RoleGrant[] {
  return grants.filter((g) => g.status !== 'suspended')
}

export function hasAnyRole (grants: readonly RoleGrant[], allowed: readonly Role[]): boolean {
  return activeGrants(grants).some((g) => allowed.includes(g.role))
}
