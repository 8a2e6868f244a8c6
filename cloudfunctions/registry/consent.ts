import { AppError, CONSENT_TEXT, CONSENT_VERSION, FIELDS_KEPT_ON_REFUSAL, registryContract } from '../../src/domain'
import { _, db } from '../_server/cloud'
import { COLLECTIONS } from '../_server/collections'
import { audit } from '../_server/audit'
import { action } from '../_server/router'
import type { Caller } from '../_server/caller'
import { childFor } from './access'
import * as clock from '../_server/clock'

/** Only a guardian bound to the child answers for it (儿童个人信息网络保护规定 第九条). */
async function guardianChild (caller: Caller, childId: string) {
  const { child, bound } = await childFor(caller, childId)
  if (!bound || !caller.grants.some((g) => g.role === 'guardian')) throw new AppError('FORBIDDEN', '只有孩子的监护人可以做这个决定')
  return child
}

export const consentForm = action({
  contract: registryContract.consentForm,
  allowed: ['guardian'],
  async handler (input, caller) {
    const child = await guardianChild(caller, input.childId)
    return { childName: child.name, state: child.consent?.state ?? 'pending', version: CONSENT_TEXT.version, title: CONSENT_TEXT.title, sections: CONSENT_TEXT.sections.map((s) => ({ ...s })) }
  }
})

export const giveConsent = action({
  contract: registryContract.giveConsent,
  allowed: ['guardian'],
  async handler (input, caller) {
    const child = await guardianChild(caller, input.childId)
    if (input.version !== CONSENT_VERSION) {
      throw new AppError('INVALID_INPUT', '同意书已经更新，请重新阅读后再选择', { version: '同意书已更新' })
    }
    const record = { state: input.decision, version: input.version, at: clock.now(), by: caller.openid }
    const update: Record<string, unknown> = { consent: _.set(record), consentHistory: _.push([record]), updatedAt: db.serverDate() }
    if (input.decision === 'refused') {
      // A refusal is respected: everything but what statutory protection needs is removed (PIPL 第13条).
      const kept = new Set<string>([...FIELDS_KEPT_ON_REFUSAL, '_id', 'consent', 'consentHistory', 'statusHistory', 'createdBy', 'createdAt', 'updatedAt', 'lastHeldCallAt'])
      for (const key of Object.keys(child)) if (!kept.has(key)) update[key] = _.remove()
    }
    await db.collection(COLLECTIONS.children).doc(child._id).update({ data: update })
    await audit(caller, { action: 'registry.giveConsent', what: input.decision === 'granted' ? '监护人同意登记' : '监护人不同意登记，删除可选信息' }, [child])
    return { state: input.decision }
  }
})
