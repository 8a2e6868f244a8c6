/**
 * Whether staff can be reached (docs/ARCHITECTURE.md, "Notifications"): the alerts of their duty they have no allow
 * left for (the app's mirror of WeChat's count) and whether a phone backs the urgent ones up by SMS. The 接收提醒
 * page, a supervisor's roster and the oversight view read it.
 */
import { ROLE_LABELS, STAFF_ROLES, dutyAlerts, reachOf, type AllowState, type Role, type TemplateKey, type UserDoc } from '../../src/domain'
import { _, db } from './cloud'
import { COLLECTIONS } from './collections'
import { allPages, pieces } from './paging'
import type { Caller } from './caller'

interface AllowDoc { _id: string, openid: string, template: TemplateKey, remaining: number, longTerm?: boolean }

export const activeRoles = (grants: Caller['grants']): Role[] => [...new Set(grants.map((g) => g.role))]

export async function allowsOf (openids: readonly string[]): Promise<Map<string, Map<string, AllowState>>> {
  const out = new Map<string, Map<string, AllowState>>()
  if (openids.length === 0) return out
  for (const some of pieces([...new Set(openids)])) {
    for (const a of await allPages<AllowDoc>(db.collection(COLLECTIONS.allows).where({ openid: _.in(some) }))) {
      if (!out.has(a.openid)) out.set(a.openid, new Map())
      out.get(a.openid)!.set(a.template, { remaining: a.remaining ?? 0, longTerm: a.longTerm === true })
    }
  }
  return out
}

/** Whether each person of `ids` can be reached for their duty. */
export async function reachOfPeople (ids: readonly string[]): Promise<Array<{ id: string, name: string, roleLabel: string, missing: TemplateKey[], hasPhone: boolean, unreachable: boolean }>> {
  if (ids.length === 0) return []
  const users: UserDoc[] = []
  for (const some of pieces([...new Set(ids)])) users.push(...await allPages<UserDoc>(db.collection(COLLECTIONS.users).where({ _id: _.in(some) })))
  const allows = await allowsOf(users.map((u) => u._id))
  const byId = new Map(users.map((u) => [u._id, u]))
  return ids.flatMap((id) => {
    const u = byId.get(id)
    if (!u) return []
    const roles = activeRoles(u.roles.filter((g) => g.status !== 'suspended')).filter((r) => STAFF_ROLES.includes(r))
    const reach = reachOf(dutyAlerts(roles), allows.get(id) ?? new Map(), Boolean(u.phone))
    return [{ id, name: u.name, roleLabel: roles.map((r) => ROLE_LABELS[r]).join('、'), ...reach, hasPhone: Boolean(u.phone) }]
  })
}
