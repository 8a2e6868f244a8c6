import { accountContract, ageOn, describeGrants, RELATION_LABELS, type BoundChild, type Relation, type WhoAmI } from '../../src/domain'
import { _, db, rows } from '../_server/cloud'
import { COLLECTIONS } from '../_server/collections'
import { action, createRouter } from '../_server/router'
import { audit } from '../_server/audit'
import * as clock from '../_server/clock'
import { acceptInvitation, createInvitation, inviteOptions, listStaff, setRoleStatus } from './staff'
import { alertSettings, inbox, markAllRead, markRead, recordAllows, setPhone, unreadCount } from './alerts'
import { holidayYears, saveHolidayYear } from './calendar'
import { home } from './home'

interface BindingDoc { _id: string, childId: string, openid: string, relation: Relation, role?: string }
interface ChildDoc { _id: string, name: string, birthDate: string, schoolId: string, className: string, countyId: string, townshipId: string }
interface PlaceDoc { _id: string, name: string }

async function placeNames (ids: string[]): Promise<Record<string, string>> {
  const unique = [...new Set(ids)].filter(Boolean)
  if (unique.length === 0) return {}
  const places = await rows<PlaceDoc>(db.collection(COLLECTIONS.places).where({ _id: _.in(unique) }).field({ name: true }).limit(100))
  return Object.fromEntries(places.map((p) => [p._id, p.name]))
}

const whoami = action({
  contract: accountContract.whoami,
  allowed: 'anyone',
  async handler (_input, caller): Promise<WhoAmI> {
    if (!caller.user) return { registered: false }
    const user = caller.user
    const now = clock.now()
    const bindings = await rows<BindingDoc>(db.collection(COLLECTIONS.bindings).where({ openid: caller.openid }).limit(100))
    const childDocs = bindings.length === 0
      ? []
      : await rows<ChildDoc>(db.collection(COLLECTIONS.children)
        .where({ _id: _.in(bindings.map((b) => b.childId)) })
        .field({ name: true, birthDate: true, schoolId: true, className: true, countyId: true, townshipId: true })
        .limit(100))
    // Scope names and school names in one read.
    const names = await placeNames([...childDocs.map((c) => c.schoolId), ...user.roles.flatMap((g) => (g.scope ? [g.scope.id] : []))])
    const byId = new Map(childDocs.map((c) => [c._id, c]))
    const children: BoundChild[] = bindings.flatMap((b) => {
      const c = byId.get(b.childId)
      if (!c) return []
      return [{ id: c._id, name: c.name, relation: b.relation, relationLabel: RELATION_LABELS[b.relation], age: ageOn(c.birthDate, now), schoolName: names[c.schoolId] ?? '', className: c.className }]
    })
    if (children.length > 0) {
      await audit(caller, { action: 'account.whoami', what: '首页查看绑定的孩子（姓名、学校、班级）' }, childDocs)
    }
    // A guardian's home says how many calls home wait for their word (docs/DOMAIN.md, "Contact rhythm").
    const asGuardian = caller.grants.some((g) => g.role === 'guardian') ? bindings.filter((b) => b.role === 'guardian').map((b) => b.childId) : []
    const callsToConfirm = asGuardian.length > 0
      ? (await db.collection(COLLECTIONS.directCalls).where({ childId: _.in(asGuardian), state: 'pending' }).count() as { total: number }).total
      : undefined
    // Suspended roles are shown too, marked, so a person knows why an area is closed to them.
    return { registered: true, openid: caller.openid, name: user.name, roles: describeGrants(user.roles, names), children, ...(callsToConfirm !== undefined ? { callsToConfirm } : {}) }
  }
})

export const main = createRouter({
  whoami, inviteOptions, createInvitation, acceptInvitation, listStaff, setRoleStatus,
  inbox, unreadCount, markRead, markAllRead, recordAllows, alertSettings, setPhone,
  holidayYears, saveHolidayYear, home
})
