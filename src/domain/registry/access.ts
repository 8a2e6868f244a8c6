import type { RoleGrant } from '../roles'
import { activeGrants } from '../roles'

/**
 * Who sees which children in the registry, and how much (未成年人保护法, PIPL, 儿童个人信息网络保护规定: only
 * what the duty needs). Staff see the children of their scope; family members only their bound children;
 * volunteers only the children paired with them and only the fields a volunteer needs.
 */
export type ChildView = 'staff' | 'family' | 'volunteer'

/** The child fields a scope level filters on. */
type ScopeField = 'schoolId' | 'villageId' | 'townshipId' | 'countyId' | 'cityId'
interface ScopeRule { field: ScopeField, value: string }

const FIELD_OF_LEVEL: Record<string, ScopeField | undefined> = {
  school: 'schoolId', village: 'villageId', township: 'townshipId', county: 'countyId', city: 'cityId'
}

/** Roles that keep the registry (一人一档) and so see children by area. */
const REGISTRY_ROLES = ['teacher', 'childWelfareOfficer', 'admin'] as const

/** The areas whose children a person may see in the registry: one rule per active staff grant. */
export function registryScopes (grants: readonly RoleGrant[]): ScopeRule[] {
  const rules: ScopeRule[] = []
  for (const g of activeGrants(grants)) {
    if (!(REGISTRY_ROLES as readonly string[]).includes(g.role) || !g.scope) continue
    // A teacher's scope is their school only, whatever level was recorded.
    if (g.role === 'teacher' && g.scope.level !== 'school') continue
    const field = FIELD_OF_LEVEL[g.scope.level]
    if (field) rules.push({ field, value: g.scope.id })
  }
  return rules
}

/** Where a child is: the fields scope rules look at. */
type ChildPlace = Partial<Record<ScopeField, string>>

export function inScope (rules: readonly ScopeRule[], child: ChildPlace): boolean {
  return rules.some((r) => child[r.field] === r.value)
}

/** Roles that may register a child in their area (儿童主任 of the village/township, or the child's school). */
export function canRegisterIn (grants: readonly RoleGrant[], place: ChildPlace): boolean {
  return activeGrants(grants).some((g) => g.scope && (
    (g.role === 'teacher' && g.scope.level === 'school' && place.schoolId === g.scope.id) ||
    (g.role === 'childWelfareOfficer' && ((g.scope.level === 'village' && place.villageId === g.scope.id) || (g.scope.level === 'township' && place.townshipId === g.scope.id)))
  ))
}

/**
 * How much of a child's file this person sees, or null for nothing. `bound`: the child is bound to them as
 * parent/guardian/self; `paired`: an active pairing with them as volunteer.
 */
export function viewOf (grants: readonly RoleGrant[], child: ChildPlace, rel: { bound: boolean, paired: boolean }): ChildView | null {
  if (inScope(registryScopes(grants), child)) return 'staff'
  const active = activeGrants(grants)
  if (rel.bound && active.some((g) => g.role === 'parent' || g.role === 'guardian' || g.role === 'child')) return 'family'
  if (rel.paired && active.some((g) => g.role === 'volunteer')) return 'volunteer'
  return null
}

/**
 * Whole ID numbers and phone numbers are shown only on an explicit, logged "show", and only to roles whose duty
 * needs them: a child-welfare officer or an admin of the scope sees both; a teacher sees phone numbers (to arrange
 * calls) but never ID numbers.
 */
export function canReveal (grants: readonly RoleGrant[], child: ChildPlace, what: 'idNumber' | 'phone'): boolean {
  return activeGrants(grants).some((g) => {
    if (!g.scope || !inScope(registryScopes([g]), child)) return false
    if (g.role === 'childWelfareOfficer' || g.role === 'admin') return true
    return g.role === 'teacher' && what === 'phone'
  })
}
