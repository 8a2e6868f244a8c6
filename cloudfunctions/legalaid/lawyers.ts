/**
 * Volunteer lawyers' profiles: the specialties and declared conflicts that lawyer proposals use. A lawyer keeps their
 * own; an officer of the lawyer's centre can change it. Every change is logged and names who made it.
 */
import { AppError, MATTER_LABELS, legalaidContract, type Matter } from '../../src/domain'
import { _, db, findById } from '../_server/cloud'
import * as clock from '../_server/clock'
import { COLLECTIONS } from '../_server/collections'
import { allPages } from '../_server/paging'
import { audit } from '../_server/audit'
import { notify } from '../_server/notify'
import { action } from '../_server/router'
import type { Caller } from '../_server/caller'

interface LawyerUser { _id: string, name: string, roles: Array<{ role: string, status?: string, scope?: { id: string } }> }
interface ProfileDoc { _id: string, centreId: string, specialties: Matter[], conflicts: string[], note?: string, updatedAt?: Date, updatedBy?: string, updatedByName?: string }

const officerCentres = (caller: Caller) => caller.grants.filter((g) => g.role === 'legalAidOfficer' && g.scope?.level === 'centre').map((g) => g.scope!.id)

/** The lawyer whose profile the caller asks for, with their centre; refused unless it is theirs or their centre's. */
async function profileOwner (caller: Caller, lawyerId: string | undefined): Promise<{ lawyer: LawyerUser, centreId: string }> {
  const own = caller.grants.find((g) => g.role === 'lawyer' && g.scope?.level === 'centre')
  const id = lawyerId ?? (own ? caller.openid : undefined)
  if (!id) throw new AppError('INVALID_INPUT', '请选择律师', { lawyerId: '请选择律师' })
  const lawyer = await findById<LawyerUser>(COLLECTIONS.users, id)
  const grant = lawyer?.roles.find((g) => g.role === 'lawyer' && g.scope)
  const refuse = new AppError('FORBIDDEN', '只能查看和修改自己的资料，或本中心律师的资料')
  if (!lawyer || !grant?.scope) throw refuse
  const mine = id === caller.openid && own !== undefined
  if (!mine && !officerCentres(caller).includes(grant.scope.id)) throw refuse
  return { lawyer, centreId: grant.scope.id }
}

export const lawyerProfile = action({
  contract: legalaidContract.lawyerProfile,
  allowed: ['lawyer', 'legalAidOfficer'],
  async handler (input, caller) {
    const { lawyer, centreId } = await profileOwner(caller, input.lawyerId)
    const p = await findById<ProfileDoc>(COLLECTIONS.lawyerProfiles, lawyer._id)
    const centre = await findById<{ name: string }>(COLLECTIONS.places, centreId)
    return {
      id: lawyer._id, name: lawyer.name, centreName: centre?.name ?? '', specialties: p?.specialties ?? [], conflicts: p?.conflicts ?? [], note: p?.note ?? '',
      updatedAt: p?.updatedAt, updatedByName: p?.updatedByName, editable: true
    }
  }
})

export const saveLawyerProfile = action({
  contract: legalaidContract.saveLawyerProfile,
  allowed: ['lawyer', 'legalAidOfficer'],
  async handler (input, caller) {
    const { lawyer, centreId } = await profileOwner(caller, input.lawyerId)
    const now = clock.now()
    const specialties = [...new Set(input.specialties)]
    await db.collection(COLLECTIONS.lawyerProfiles).doc(lawyer._id).set({ data: { centreId, specialties, conflicts: input.conflicts, note: input.note, updatedAt: now, updatedBy: caller.openid, updatedByName: caller.user?.name ?? '' } })
    const byOfficer = lawyer._id !== caller.openid
    await audit(caller, { action: 'legalaid.saveLawyerProfile', what: `${byOfficer ? `修改律师${lawyer.name}的` : '修改自己的'}专长和利益冲突（专长${specialties.length}项，冲突${input.conflicts.length}项）`, targetId: lawyer._id })
    if (byOfficer) {
      await notify({ to: lawyer._id, template: 'caseUpdate', link: 'packages/legalaid/pages/lawyer/index', title: '中心更新了您的专长和利益冲突', at: now, detail: `修改人：${caller.user?.name ?? ''}`, key: `legalaid:profile:${lawyer._id}:${now.getTime()}` })
    }
    return { saved: true as const }
  }
})

export const centreLawyers = action({
  contract: legalaidContract.centreLawyers,
  allowed: ['legalAidOfficer'],
  async handler (_input, caller) {
    const centres = officerCentres(caller)
    if (centres.length === 0) return { lawyers: [] }
    const users = await allPages<LawyerUser>(db.collection(COLLECTIONS.users).where({ 'roles.scope.id': _.in(centres) }))
    const lawyers = users.filter((u) => u.roles.some((g) => g.role === 'lawyer' && g.status !== 'suspended' && g.scope && centres.includes(g.scope.id)))
    const profiles = await allPages<ProfileDoc>(db.collection(COLLECTIONS.lawyerProfiles).where({ centreId: _.in(centres) }))
    const open = await allPages<{ lawyerId: string }>(db.collection(COLLECTIONS.legalAidRequests).where({ centreId: _.in(centres), state: _.in(['lawyerAssigned', 'inProgress']) }).field({ lawyerId: true }))
    return {
      lawyers: lawyers.map((l) => {
        const p = profiles.find((x) => x._id === l._id)
        return { id: l._id, name: l.name, specialtyLabels: (p?.specialties ?? []).map((m) => MATTER_LABELS[m]), conflicts: p?.conflicts.length ?? 0, openCases: open.filter((o) => o.lawyerId === l._id).length }
      }).sort((a, b) => a.name.localeCompare(b.name, 'zh'))
    }
  }
})
