/**
 * The family's side of a pairing, and a call between the two sides (docs/DOMAIN.md, "Children's personal
 * information"). After the volunteer accepts, the child's parents and guardians learn who the volunteer is (name,
 * kind, agency) and can call them; the volunteer can call the guardian at home. Numbers: WeChat has no number relay
 * (a masked "privacy number" needs a carrier's paid service outside WeChat), so each side gets the other's real
 * number for one call, through a tap that is logged and dials at once; the page never shows or keeps the number.
 */
import {
  AGENCY_LABELS, AppError, VOLUNTEER_KIND_LABELS, pairingContract, type ActionOutput, type ChildRecord
} from '../../src/domain'
import { _, db, findById, rows } from '../_server/cloud'
import { COLLECTIONS } from '../_server/collections'
import { allPages, pieces } from '../_server/paging'
import { audit } from '../_server/audit'
import { action } from '../_server/router'
import type { Caller } from '../_server/caller'
import type { PairingDoc, ProfileDoc } from '../_server/pairing/records'

const FAMILY = ['parent', 'guardian'] as const

/** The children the caller is bound to as a parent or guardian. */
async function familyChildren (caller: Caller): Promise<string[]> {
  if (!caller.grants.some((g) => g.role === 'parent' || g.role === 'guardian')) return []
  const bound = await rows<{ childId: string, role?: string }>(db.collection(COLLECTIONS.bindings).where({ openid: caller.openid }).limit(100))
  return bound.filter((b) => b.role === 'parent' || b.role === 'guardian').map((b) => b.childId)
}

const live = ['active', 'review']

export const familyPairings = action({
  contract: pairingContract.familyPairings,
  allowed: FAMILY,
  async handler (_input, caller) {
    const kids = await familyChildren(caller)
    const list: PairingDoc[] = []
    for (const slice of pieces(kids)) list.push(...await allPages<PairingDoc>(db.collection(COLLECTIONS.pairings).where({ childId: _.in(slice), status: _.in(live) })))
    if (list.length === 0) return { pairings: [] }
    const children = await allPages<{ _id: string, name: string, countyId: string, townshipId: string }>(db.collection(COLLECTIONS.children).where({ _id: _.in(list.map((p) => p.childId)) }).field({ name: true, countyId: true, townshipId: true }))
    const profiles = await allPages<ProfileDoc>(db.collection(COLLECTIONS.volunteerProfiles).where({ _id: _.in([...new Set(list.map((p) => p.volunteerId))]) }))
    const out: Array<ActionOutput<'pairing', 'familyPairings'>['pairings'][number]> = []
    for (const p of list) {
      const profile = profiles.find((v) => v._id === p.volunteerId)
      const [last] = await rows<{ at: Date }>(db.collection(COLLECTIONS.contactLogs).where({ pairingId: p._id }).orderBy('at', 'desc').field({ at: true }).limit(1))
      out.push({
        id: p._id,
        childName: children.find((c) => c._id === p.childId)?.name ?? '',
        volunteerName: p.volunteerName,
        kindLabel: profile ? VOLUNTEER_KIND_LABELS[profile.kind] : '',
        agencyLabel: profile ? AGENCY_LABELS[profile.agency] : '',
        since: p.acceptedAt ?? p.offeredAt!,
        status: p.status as 'active' | 'review',
        canCall: Boolean(profile?.phone),
        ...(last ? { lastContactAt: last.at } : {})
      })
    }
    await audit(caller, { action: 'pairing.familyPairings', what: '家人查看孩子结对的志愿者' }, children)
    return { pairings: out }
  }
})

export const callNumber = action({
  contract: pairingContract.callNumber,
  allowed: ['parent', 'guardian', 'volunteer'],
  async handler (input, caller) {
    const p = await findById<PairingDoc>(COLLECTIONS.pairings, input.pairingId)
    const refuse = new AppError('NOT_FOUND', '没有找到这个结对')
    if (!p || !live.includes(p.status)) throw refuse
    // Whose pairing it is is settled before the child's file is read.
    const asVolunteer = p.volunteerId === caller.openid && caller.grants.some((g) => g.role === 'volunteer')
    if (!asVolunteer && !(await familyChildren(caller)).includes(p.childId)) throw refuse
    const child = await findById<ChildRecord>(COLLECTIONS.children, p.childId)
    if (!child) throw refuse
    if (asVolunteer) {
      const phone = child.guardian?.phone
      if (!phone) throw new AppError('NOT_FOUND', '孩子的档案里没有监护人电话，请联系儿童主任')
      await audit(caller, { action: 'pairing.callNumber', what: '结对志愿者拨打监护人电话（查看号码）', targetId: p._id }, [child])
      return { name: child.guardian!.name, phone }
    }
    const profile = await findById<ProfileDoc>(COLLECTIONS.volunteerProfiles, p.volunteerId)
    if (!profile?.phone) throw new AppError('NOT_FOUND', '志愿者还没有登记电话，请联系村里的儿童主任')
    await audit(caller, { action: 'pairing.callNumber', what: `家人拨打结对志愿者${p.volunteerName}的电话（查看号码）`, targetId: p._id }, [child])
    return { name: p.volunteerName, phone: profile.phone }
  }
})
