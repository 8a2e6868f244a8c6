import { AppError, RELATION_LABELS, consentText, registryContract } from '../../src/domain'
import { _, db } from '../_server/cloud'
import { COLLECTIONS } from '../_server/collections'
import { audit } from '../_server/audit'
import { action } from '../_server/router'
import type { Caller } from '../_server/caller'
import { dataPolicy } from '../_server/registry/policy'
import { minimumRecordUpdate } from '../_server/registry/erase'
import { childFor, decidesFor } from './access'
import * as clock from '../_server/clock'

/** Either legal guardian bound to the child answers for it: a parent or the guardian at home. */
async function deciderChild (caller: Caller, childId: string) {
  const { child, binding } = await childFor(caller, childId)
  if (!decidesFor(caller, binding)) throw new AppError('FORBIDDEN', '只有孩子的爸爸妈妈或监护人可以做这个决定')
  return { child, binding: binding! }
}

export const consentForm = action({
  contract: registryContract.consentForm,
  allowed: ['guardian', 'parent'],
  async handler (input, caller) {
    const { child } = await deciderChild(caller, input.childId)
    const text = consentText(dataPolicy())
    return { childName: child.name, state: child.consent?.state ?? 'pending', version: text.version, title: text.title, sections: text.sections.map((s) => ({ ...s })) }
  }
})

export const giveConsent = action({
  contract: registryContract.giveConsent,
  allowed: ['guardian', 'parent'],
  async handler (input, caller) {
    const { child, binding } = await deciderChild(caller, input.childId)
    if (input.version !== consentText(dataPolicy()).version) {
      throw new AppError('INVALID_INPUT', '同意书已经更新，请重新阅读后再选择', { version: '同意书已更新' })
    }
    // The file records who decided: either parent or the guardian, the last decision standing.
    const record = { state: input.decision, version: input.version, at: clock.now(), by: caller.openid, byName: caller.user!.name, byRelation: binding.relation }
    const update: Record<string, unknown> = { consent: _.set(record), consentHistory: _.push([record]), updatedAt: db.serverDate() }
    // A refusal is respected: everything but what statutory protection and the fee waivers need is removed (PIPL 第13条).
    if (input.decision === 'refused') Object.assign(update, minimumRecordUpdate(child))
    await db.collection(COLLECTIONS.children).doc(child._id).update({ data: update })
    await audit(caller, { action: 'registry.giveConsent', what: `${RELATION_LABELS[binding.relation]}${input.decision === 'granted' ? '同意登记' : '不同意登记，删除可选信息'}` }, [child])
    return { state: input.decision }
  }
})
