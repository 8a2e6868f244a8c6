import type { RoleView } from './contracts/account'
import { ROLE_LABELS, AGENCY_LABELS, VOLUNTEER_KIND_LABELS, isInvitedLeader, type RoleGrant } from './roles'

/** Turns stored grants into what a person reads: labels, and scope names looked up in `placeNames`. */
export function describeGrants (grants: readonly RoleGrant[], placeNames: Record<string, string>): RoleView[] {
  return grants.map((g) => ({
    role: g.role,
    roleLabel: isInvitedLeader({ ...g, status: 'active' }) ? '领导干部（五个一）' : ROLE_LABELS[g.role],
    scope: g.scope ? { level: g.scope.level, id: g.scope.id, name: placeNames[g.scope.id] ?? g.scope.id } : undefined,
    agency: g.agency,
    agencyLabel: g.agency ? AGENCY_LABELS[g.agency] : undefined,
    volunteerKind: g.volunteerKind,
    volunteerKindLabel: g.volunteerKind ? VOLUNTEER_KIND_LABELS[g.volunteerKind] : undefined,
    status: g.status ?? 'active',
    ...(isInvitedLeader({ ...g, status: 'active' }) ? { invitedLeader: true } : {})
  }))
}
