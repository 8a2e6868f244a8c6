/** Legal-aid centres, who can act at each, and who oversees them: what routing, the clocks and reassigning read. */
import { _, db } from '../cloud'
import { COLLECTIONS } from '../collections'
import { allPages } from '../paging'

export interface CentreDoc { _id: string, name: string, countyId: string | null, city?: string, phone?: string, supervisorId?: string }
export interface CentreWithOfficers extends CentreDoc { officers: string[] }

export interface UserRoles { _id: string, roles: Array<{ role: string, agency?: string, status?: string, scope?: { id: string } }> }

/** The officers of these centres whose role is not suspended, by centre. */
export async function activeOfficers (centreIds: readonly string[]): Promise<Map<string, string[]>> {
  if (centreIds.length === 0) return new Map()
  return officersAmong(await allPages<UserRoles>(db.collection(COLLECTIONS.users).where({ 'roles.scope.id': _.in([...centreIds]) })), centreIds)
}

/** The same, among people read already (joined onto another read). */
export function officersAmong (users: readonly UserRoles[], centreIds: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>(centreIds.map((id) => [id, []]))
  for (const u of users) {
    for (const g of u.roles) {
      if (g.role === 'legalAidOfficer' && g.status !== 'suspended' && g.scope && out.has(g.scope.id) && !out.get(g.scope.id)!.includes(u._id)) out.get(g.scope.id)!.push(u._id)
    }
  }
  return out
}

/** Every centre with its active officers. */
export async function loadCentres (): Promise<CentreWithOfficers[]> {
  const centres = await allPages<CentreDoc>(db.collection(COLLECTIONS.places).where({ kind: 'centre' }))
  const officers = await activeOfficers(centres.map((c) => c._id))
  return centres.map((c) => ({ ...c, officers: officers.get(c._id) ?? [] }))
}

/** The county's justice admins (司法局), who see stuck requests and reassign them. */
export async function justiceAdmins (countyId: string): Promise<string[]> {
  const users = await allPages<UserRoles>(db.collection(COLLECTIONS.users).where({ 'roles.scope.id': countyId }))
  return users.filter((u) => u.roles.some((g) => g.role === 'admin' && g.agency === 'justice' && g.status !== 'suspended' && g.scope?.id === countyId)).map((u) => u._id)
}
