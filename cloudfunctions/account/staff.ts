import {
  AppError, INVITABLE_BY_AGENCY, INVITABLE_LABELS, INVITATION_DAYS, ROLE_LABELS, SCOPE_LEVELS_OF_ROLE, accountContract, activeGrants, describeGrants,
  invitedGrant, invitingGrant, positionOf, toDateKey, type InvitableRole, type RoleGrant, type UserDoc
} from '../../src/domain'
import { _, db, findById } from '../_server/cloud'
import { COLLECTIONS } from '../_server/collections'
import { allPages, pieces } from '../_server/paging'
import { audit } from '../_server/audit'
import { checkCodeAllowance, claimCode, countWrongCode, issueCode, usedCodeError, type CodeDoc } from '../_server/codes'
import { isDuplicate, once } from '../_server/idempotency'
import { LEVEL_OF_KIND, Places, type PlaceDoc } from '../_server/places'
import { action } from '../_server/router'
import type { Caller } from '../_server/caller'
import * as clock from '../_server/clock'

const DAY_MS = 24 * 3600 * 1000

/** Every place inside the caller's admin scopes (their counties' places, filtered to each scope). */
async function adminPlaces (caller: Caller): Promise<{ places: Places, inScope: PlaceDoc[] }> {
  const places = new Places()
  const scopes = activeGrants(caller.grants).filter((g) => g.role === 'admin' && g.scope).map((g) => g.scope!.id)
  await places.load(scopes)
  const counties = [...new Set(scopes.map((id) => places.get(id)?.countyId).filter((x): x is string => Boolean(x)))]
  const all = (await Promise.all(counties.map((c) => places.loadCounty(c)))).flat()
  return { places, inScope: all.filter((p) => scopes.some((s) => places.within(p._id, s))) }
}

export const inviteOptions = action({
  contract: accountContract.inviteOptions,
  allowed: ['admin'],
  async handler (_input, caller) {
    const { places, inScope } = await adminPlaces(caller)
    const roles = [...new Set(activeGrants(caller.grants).flatMap((g) => (g.role === 'admin' && g.agency ? INVITABLE_BY_AGENCY[g.agency] : [])))]
    return {
      options: roles.map((role) => ({
        role,
        roleLabel: INVITABLE_LABELS[role],
        places: inScope
          .filter((p) => invitingGrant(caller.grants, role, { id: p._id, level: LEVEL_OF_KIND[p.kind] }, (a, b) => places.within(a, b)))
          .map((p) => ({ id: p._id, name: p.name, level: LEVEL_OF_KIND[p.kind] }))
      })).filter((o) => o.places.length > 0)
    }
  }
})

export const createInvitation = action({
  contract: accountContract.createInvitation,
  allowed: ['admin'],
  async handler (input, caller) {
    const { places } = await adminPlaces(caller)
    await places.load([input.scopeId])
    const place = places.get(input.scopeId)
    if (!place) throw new AppError('INVALID_INPUT', '填写的内容有误，请按提示修改', { scopeId: '没有这个单位或地区' })
    const level = LEVEL_OF_KIND[place.kind]
    if (!(SCOPE_LEVELS_OF_ROLE[input.role] ?? []).includes(level)) {
      throw new AppError('INVALID_INPUT', '填写的内容有误，请按提示修改', { scopeId: `${INVITABLE_LABELS[input.role]}不能设在这一级` })
    }
    const by = invitingGrant(caller.grants, input.role, { id: place._id, level }, (a, b) => places.within(a, b))
    if (!by) throw new AppError('FORBIDDEN', '您的部门或管辖范围不能邀请这个岗位')
    return await once(caller, 'account.createInvitation', input.idempotencyKey, async (run) => {
      const grant = invitedGrant(input.role, { level, id: place._id }, { openid: caller.openid, agency: by.agency })
      const expiresAt = new Date(clock.now().getTime() + INVITATION_DAYS * DAY_MS)
      const code = await issueCode('invitation', { grant, personName: input.personName, invitedByAgency: by.agency }, expiresAt, caller.openid, run)
      await audit(caller, { action: 'account.createInvitation', what: `邀请${input.personName}任${INVITABLE_LABELS[input.role]}（${place.name}）` })
      return { code, expiresAt, roleLabel: INVITABLE_LABELS[input.role], scopeName: place.name }
    })
  }
})

interface InvitationCode extends CodeDoc { grant: RoleGrant, personName: string }

export const acceptInvitation = action({
  contract: accountContract.acceptInvitation,
  allowed: 'anyone',
  async handler (input, caller) {
    const now = clock.now()
    const today = toDateKey(now)
    await checkCodeAllowance(caller, today)
    const docId = `invitation-${input.code}`
    const invite = await findById<InvitationCode>(COLLECTIONS.codes, docId)
    if (!invite) {
      await countWrongCode(caller, today)
      throw new AppError('INVALID_INPUT', '邀请码不对，请核对后再输入', { code: '没有这个邀请码，请核对8位数字' })
    }
    const used = usedCodeError('invitation', invite, caller.openid, now, new AppError('INVALID_INPUT', '这个邀请码已经用过了', { code: '这个邀请码已经用过了' }))
    if (used) throw used
    if (now.getTime() >= new Date(invite.expiresAt).getTime()) throw new AppError('INVALID_INPUT', '这个邀请码已过期，请管理员重新邀请', { code: '邀请码已过期' })
    await claimCode('invitation', docId, caller.openid)
    const users = db.collection(COLLECTIONS.users)
    const existing = await findById<UserDoc>(COLLECTIONS.users, caller.openid)
    // The phone backs up urgent alerts by SMS (docs/ARCHITECTURE.md, "Notifications").
    if (existing) {
      await users.doc(caller.openid).update({ data: { roles: _.push([invite.grant]), phone: input.phone } })
    } else {
      try {
        await users.add({ data: { _id: caller.openid, name: invite.personName, roles: [invite.grant], phone: input.phone, createdAt: db.serverDate() } })
      } catch (err) {
        if (!isDuplicate(err)) throw err
        await users.doc(caller.openid).update({ data: { roles: _.push([invite.grant]), phone: input.phone } })
      }
    }
    const places = new Places()
    await places.load([invite.grant.scope!.id])
    const me: Caller = { ...caller, user: existing ?? { _id: caller.openid, name: invite.personName, roles: [invite.grant] } }
    const label = INVITABLE_LABELS[positionOf(invite.grant) as InvitableRole] ?? ROLE_LABELS[invite.grant.role]
    await audit(me, { action: 'account.acceptInvitation', what: `接受邀请，任${label}` })
    return { roleLabel: label, scopeName: places.name(invite.grant.scope!.id) }
  }
})

/** An admin may manage a role when their agency line covers it and its place lies in their scope. */
function manages (caller: Caller, grant: RoleGrant, places: Places): boolean {
  return Boolean(grant.scope) && activeGrants(caller.grants).some((g) => g.role === 'admin' && g.agency && g.scope &&
    INVITABLE_BY_AGENCY[g.agency].includes(positionOf(grant) as InvitableRole) && places.within(grant.scope!.id, g.scope.id) &&
    // An admin or a leader is managed within the agency that invited them.
    ((grant.role !== 'admin' && positionOf(grant) !== 'leader') || grant.agency === g.agency))
}

export const listStaff = action({
  contract: accountContract.listStaff,
  allowed: ['admin'],
  async handler (_input, caller) {
    const { places, inScope } = await adminPlaces(caller)
    const ids = inScope.map((p) => p._id)
    const found: UserDoc[] = []
    for (const some of pieces(ids)) found.push(...await allPages<UserDoc>(db.collection(COLLECTIONS.users).where({ 'roles.scope.id': _.in(some) })))
    const unique = [...new Map(found.map((u) => [u._id, u])).values()]
    const staff = unique.map((u) => ({
      openid: u._id,
      name: u.name,
      roles: describeGrants(u.roles, places.names()).map((r, index) => ({ ...r, index })).filter((r) => manages(caller, u.roles[r.index], places))
    })).filter((s) => s.roles.length > 0).sort((a, b) => a.name.localeCompare(b.name, 'zh'))
    return { staff }
  }
})

export const setRoleStatus = action({
  contract: accountContract.setRoleStatus,
  allowed: ['admin'],
  async handler (input, caller) {
    if (input.openid === caller.openid) throw new AppError('FORBIDDEN', '不能暂停或恢复自己的岗位，请上级管理员处理')
    const user = await findById<UserDoc>(COLLECTIONS.users, input.openid)
    const grant = user?.roles[input.roleIndex]
    if (!user || !grant) throw new AppError('NOT_FOUND', '没有找到这个人的这个岗位')
    const { places } = await adminPlaces(caller)
    if (grant.scope) await places.load([grant.scope.id])
    if (!manages(caller, grant, places)) throw new AppError('FORBIDDEN', '这个岗位不归您的部门管理')
    await db.collection(COLLECTIONS.users).doc(input.openid).update({ data: { [`roles.${input.roleIndex}.status`]: input.status } })
    await audit(caller, { action: 'account.setRoleStatus', what: `${input.status === 'suspended' ? '暂停' : '恢复'}${user.name}的${INVITABLE_LABELS[positionOf(grant) as InvitableRole] ?? ROLE_LABELS[grant.role]}岗位`, targetId: input.openid })
    return { status: input.status }
  }
})
