import {
  AppError, BINDING_CODE_DAYS, BINDING_MAX_TRIES, BINDING_STATE_MESSAGES, bindingCodeState, canRegisterIn, registryContract,
  toDateKey, type ChildRecord, type RoleGrant
} from '../../src/domain'
import { _, db, findById } from '../_server/cloud'
import { COLLECTIONS } from '../_server/collections'
import { audit } from '../_server/audit'
import { checkCodeAllowance, claimCode, countWrongCode, issueCode, usedCodeError, type CodeDoc } from '../_server/codes'
import { isDuplicate, once } from '../_server/idempotency'
import { action } from '../_server/router'
import type { Caller } from '../_server/caller'
import { childFor } from './access'
import * as clock from '../_server/clock'

const DAY_MS = 24 * 3600 * 1000

export const createBindingCode = action({
  contract: registryContract.createBindingCode,
  allowed: ['teacher', 'childWelfareOfficer'],
  async handler (input, caller) {
    const { child } = await childFor(caller, input.childId)
    if (!canRegisterIn(caller.grants, child)) throw new AppError('FORBIDDEN', '只能为您负责的孩子生成绑定码')
    return await once(caller, 'registry.createBindingCode', input.idempotencyKey, async (run) => {
      const expiresAt = new Date(clock.now().getTime() + BINDING_CODE_DAYS * DAY_MS)
      const code = await issueCode('binding', { childId: child._id, role: input.role, relation: input.relation, personName: input.personName }, expiresAt, caller.openid, run)
      await audit(caller, { action: 'registry.createBindingCode', what: `为${input.personName}生成绑定码` }, [child])
      return { code, expiresAt, childName: child.name }
    })
  }
})

interface BindingCode extends CodeDoc { childId: string, role: 'parent' | 'guardian' | 'child', relation: string, personName: string }

/** Gives `openid` a family role, creating their account on their first code. */
async function grantFamilyRole (openid: string, name: string, role: RoleGrant['role']): Promise<void> {
  const users = db.collection(COLLECTIONS.users)
  const existing = await findById<{ roles: RoleGrant[] }>(COLLECTIONS.users, openid)
  if (existing) {
    if (!existing.roles.some((g) => g.role === role)) await users.doc(openid).update({ data: { roles: _.push([{ role, status: 'active' }]) } })
    return
  }
  try {
    await users.add({ data: { _id: openid, name, roles: [{ role, status: 'active' }], createdAt: db.serverDate() } })
  } catch (err) {
    if (!isDuplicate(err)) throw err
    await grantFamilyRole(openid, name, role) // created by a simultaneous request: add the role to it
  }
}

/**
 * A parent, guardian or child links their WeChat account to a child with the code an officer or teacher gave
 * them, answering the check question (the child's birth date). Anyone may try, registered or not; wrong answers
 * are counted per code and per person per day.
 */
export const redeemBindingCode = action({
  contract: registryContract.redeemBindingCode,
  allowed: 'anyone',
  async handler (input, caller) {
    const now = clock.now()
    const today = toDateKey(now)
    await checkCodeAllowance(caller, today)
    const docId = `binding-${input.code}`
    const code = await findById<BindingCode>(COLLECTIONS.codes, docId)
    if (!code) {
      await countWrongCode(caller, today)
      throw new AppError('INVALID_INPUT', '绑定码不对，请核对后再输入', { code: '没有这个绑定码，请核对8位数字' })
    }
    const used = usedCodeError('binding', code, caller.openid, now, new AppError('INVALID_INPUT', BINDING_STATE_MESSAGES.used, { code: BINDING_STATE_MESSAGES.used }))
    if (used) throw used
    const state = bindingCodeState(code, now)
    if (state !== 'valid') throw new AppError('INVALID_INPUT', BINDING_STATE_MESSAGES[state], { code: BINDING_STATE_MESSAGES[state] })
    const child = await findById<ChildRecord>(COLLECTIONS.children, code.childId)
    if (!child) throw new AppError('NOT_FOUND', '这个孩子的档案已不存在，请联系老师或儿童主任')
    if (child.birthDate !== input.childBirthDate) {
      await db.collection(COLLECTIONS.codes).doc(docId).update({ data: { failedTries: _.inc(1) } })
      await countWrongCode(caller, today)
      const left = BINDING_MAX_TRIES - code.failedTries - 1
      const message = left > 0 ? `孩子的出生日期不对，还可以再试${left}次` : BINDING_STATE_MESSAGES.locked
      throw new AppError('INVALID_INPUT', message, { childBirthDate: message })
    }
    await claimCode('binding', docId, caller.openid)
    await grantFamilyRole(caller.openid, code.personName, code.role)
    try {
      await db.collection(COLLECTIONS.bindings).add({ data: { _id: `${child._id}:${caller.openid}`, childId: child._id, openid: caller.openid, relation: code.relation, role: code.role, createdAt: db.serverDate() } })
    } catch (err) {
      if (!isDuplicate(err)) throw err // already bound: the code still counts as used
    }
    const me: Caller = { ...caller, user: caller.user ?? { _id: caller.openid, name: code.personName, roles: [] } }
    await audit(me, { action: 'registry.redeemBindingCode', what: '用绑定码绑定孩子' }, [child])
    return { childId: child._id, childName: child.name, role: code.role, needsConsent: (code.role === 'guardian' || code.role === 'parent') && (child.consent?.state ?? 'pending') === 'pending' }
  }
})
