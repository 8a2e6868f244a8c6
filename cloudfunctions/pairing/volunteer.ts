/** The volunteer's side: registering, offers, the pairing page (logs and rhythm), concerns, ending. */
import {
  AppError, END_REASON_LABELS, atShanghai, periodStart, periodsOf, VETTING_STATE_LABELS, VOLUNTEER_CODE, VOLUNTEER_KIND_LABELS, pairingContract,
  isInvitedLeader, rhythmOf, shanghaiWall, toDateKey, vettingState, vettingValidUntil, type Agency, type ChildRecord, type UserDoc, type VolunteerKind
} from '../../src/domain'
import { _, db, findById, removeDoc, rows } from '../_server/cloud'
import * as clock from '../_server/clock'
import { COLLECTIONS } from '../_server/collections'
import { allPages } from '../_server/paging'
import { audit } from '../_server/audit'
import { addOrFind, isDuplicate, once } from '../_server/idempotency'
import { notify } from '../_server/notify'
import { action } from '../_server/router'
import type { Caller } from '../_server/caller'
import { fileFromOrigin } from '../_server/reports'
import { contactsSince, pairingStart, type PairingDoc, type ProfileDoc } from '../_server/pairing/records'
import { childForVolunteer, pairingViews } from './views'
import { areasWithTownships } from './admin'
import { Places } from '../_server/places'

/** The agency that recruits and vets each kind of volunteer (the plan's 责任单位). */
const AGENCY_OF_KIND: Record<VolunteerKind, Agency> = {
  caringParent: 'womensFederation', // 爱心家长: 市妇联
  elder: 'elderCare', // 五老关爱: 市关工委
  youth: 'youthLeague', // 青春护雏: 团市委
  counselor: 'youthLeague',
  entrepreneur: 'youthLeague',
  leader: 'civilAffairs' // 五个一: leaders' own pairing, kept by 民政
}

/** Claims a lock document; false when it is held. */
async function claimLock (_id: string, fields: Record<string, unknown>): Promise<boolean> {
  try {
    await db.collection(COLLECTIONS.pairingLocks).add({ data: { _id, ...fields } })
    return true
  } catch (err) {
    if (isDuplicate(err)) return false
    throw err
  }
}

/** A volunteer's seat among their capacity, or null when every seat is taken. */
async function claimSeat (volunteerId: string, capacity: number, pairingId: string): Promise<string | null> {
  for (let n = 1; n <= capacity; n++) {
    if (await claimLock(`${volunteerId}#${n}`, { volunteerId, pairingId })) return `${volunteerId}#${n}`
  }
  return null
}

export const areas = action({
  contract: pairingContract.areas,
  allowed: 'anyone',
  async handler () {
    const list = await allPages<{ _id: string, name: string, kind: string, parentId: string | null }>(db.collection(COLLECTIONS.places).where({ kind: _.in(['county', 'township']) }))
    const counties = list.filter((p) => p.kind === 'county')
    return { counties: counties.map((c) => ({ id: c._id, name: c.name, townships: list.filter((t) => t.kind === 'township' && t.parentId === c._id).map((t) => ({ id: t._id, name: t.name })) })) }
  }
})

/**
 * Anyone may register as a volunteer (a new WeChat user too); nothing is offered before the vetting. A leader (五个一)
 * comes only by an admin's invitation, and then registers here as a leader to be paired with a child.
 */
export const register = action({
  contract: pairingContract.register,
  allowed: 'anyone',
  async handler (input, caller) {
    if (input.kind === 'leader' && !caller.grants.some(isInvitedLeader)) {
      throw new AppError('INVALID_INPUT', '领导干部由管理员邀请，不能自己报名', { kind: '领导干部由管理员邀请，不能自己报名。请选择其他身份' })
    }
    const agency = AGENCY_OF_KIND[input.kind]
    const grant = { role: 'volunteer' as const, volunteerKind: input.kind, agency, status: 'active' as const }
    const users = db.collection(COLLECTIONS.users)
    const existing = await findById<UserDoc>(COLLECTIONS.users, caller.openid)
    if (!existing) {
      try { await users.add({ data: { _id: caller.openid, name: input.name, roles: [grant], createdAt: clock.now() } }) } catch (err) { if (!isDuplicate(err)) throw err }
    } else if (!existing.roles.some((g) => g.role === 'volunteer')) {
      await users.doc(caller.openid).update({ data: { roles: _.push([grant]) } })
    }
    const prior = await findById<ProfileDoc>(COLLECTIONS.volunteerProfiles, caller.openid)
    const { name: _name, agreedToCode: _agreed, ...profile } = input
    await db.collection(COLLECTIONS.volunteerProfiles).doc(caller.openid).set({ data: { ...profile, agency, codeAgreedAt: clock.now(), ...(prior?.vetting ? { vetting: prior.vetting } : {}) } })
    return { registered: true as const, vettingLabel: VETTING_STATE_LABELS[vettingState(prior?.vetting, clock.now())] }
  }
})

async function myProfileDoc (caller: Caller): Promise<ProfileDoc> {
  const p = await findById<ProfileDoc>(COLLECTIONS.volunteerProfiles, caller.openid)
  if (!p) throw new AppError('NOT_FOUND', '请先填写志愿者登记')
  return p
}

export const myProfile = action({
  contract: pairingContract.myProfile,
  allowed: ['volunteer'],
  async handler (_input, caller) {
    const p = await myProfileDoc(caller)
    const state = vettingState(p.vetting, clock.now())
    return { name: caller.user!.name, kindLabel: VOLUNTEER_KIND_LABELS[p.kind], capacity: p.capacity, vettingState: state, vettingLabel: VETTING_STATE_LABELS[state], validUntil: p.vetting ? vettingValidUntil(p.vetting) : undefined, code: VOLUNTEER_CODE }
  }
})

export const offers = action({
  contract: pairingContract.offers,
  allowed: ['volunteer'],
  async handler (_input, caller) {
    const now = clock.now()
    const list = await rows<PairingDoc>(db.collection(COLLECTIONS.pairings).where({ volunteerId: caller.openid, status: 'offered', expiresAt: _.gt(now) }).limit(20))
    const out: any[] = []
    for (const p of list) {
      const child = await findById<ChildRecord>(COLLECTIONS.children, p.childId)
      if (child) out.push({ id: p._id, child: await childForVolunteer(child, true, now), explanation: p.explanation ?? '', offeredAt: p.offeredAt!, expiresAt: p.expiresAt! })
    }
    return { offers: out }
  }
})

/**
 * Accepting takes the child's lock (one active pairing per child) and a seat of the volunteer's capacity, then
 * turns the offer active with a conditional update: pressing twice, or two offers racing for the last seat, make
 * exactly one pairing; the loser's locks are given back.
 */
export const respond = action({
  contract: pairingContract.respond,
  allowed: ['volunteer'],
  async handler (input, caller) {
    if (!input.accept) {
      const p = await findById<PairingDoc>(COLLECTIONS.pairings, input.offerId)
      if (!p || p.volunteerId !== caller.openid) throw new AppError('NOT_FOUND', '没有找到这个结对邀请')
      const now = clock.now()
      if (p.status !== 'offered' || !p.expiresAt || new Date(p.expiresAt) <= now) throw new AppError('CONFLICT', '这个邀请已经过期或处理过了')
      await db.collection(COLLECTIONS.pairings).where({ _id: p._id, status: 'offered' }).update({ data: { status: 'declined', declinedAt: now, declineReason: input.reason ?? '' } })
      return { status: 'declined' as const }
    }
    // The caller's own offer, and through it their profile and the seats of their capacity they hold, in one read.
    const { p, profile, seats } = await offerToAccept(caller, input.offerId)
    const now = clock.now()
    if (p.status === 'active') return { status: 'active' as const }
    if (p.status !== 'offered' || !p.expiresAt || new Date(p.expiresAt) <= now) throw new AppError('CONFLICT', '这个邀请已经过期或处理过了')
    if (!profile) throw new AppError('NOT_FOUND', '请先填写志愿者登记')
    const state = vettingState(profile.vetting, now)
    if (state !== 'valid' && state !== 'expiringSoon') throw new AppError('FORBIDDEN', '您的无犯罪记录审查已过期或未完成，请先复查（未成年人保护法第六十二条）')
    const seatId = await claimChildAndSeat(p, profile.capacity, seats)
    if (!seatId) {
      await removeDoc(COLLECTIONS.pairingLocks, p.childId)
      throw new AppError('CONFLICT', `您已经结对了${profile.capacity}个孩子，满了。如要多结对，请先修改登记。`)
    }
    // The family hears who the volunteer is from the scheduler, within the minute (jobs/pairing.ts, `familyTold`).
    const res = await db.collection(COLLECTIONS.pairings).where({ _id: p._id, status: 'offered' }).update({ data: { status: 'active', acceptedAt: now, seatId, familyTold: false } }) as { stats: { updated: number } }
    if (res.stats.updated !== 1) {
      await removeDoc(COLLECTIONS.pairingLocks, seatId)
      await removeDoc(COLLECTIONS.pairingLocks, p.childId)
      throw new AppError('CONFLICT', '这个邀请已经处理过了')
    }
    await audit(caller, { action: 'pairing.respond', what: '接受结对' }, [{ _id: p.childId }])
    return { status: 'active' as const }
  }
})

interface OfferJoined extends PairingDoc {
  profile: ProfileDoc[]
  seats: Array<{ _id: string }>
}

/** The offer, if it is the caller's, with what accepting it needs: the volunteer's profile and the seats they hold. */
async function offerToAccept (caller: Caller, offerId: string) {
  const res = await db.collection(COLLECTIONS.pairings).aggregate().match({ _id: offerId, volunteerId: caller.openid }).limit(1)
    .lookup({ from: COLLECTIONS.volunteerProfiles, localField: 'volunteerId', foreignField: '_id', as: 'profile' })
    .lookup({ from: COLLECTIONS.pairingLocks, localField: 'volunteerId', foreignField: 'volunteerId', as: 'seats' })
    .end() as { list: OfferJoined[] }
  const joined = res.list[0]
  if (!joined) throw new AppError('NOT_FOUND', '没有找到这个结对邀请')
  const { profile, seats, ...p } = joined
  return { p: p as PairingDoc, profile: profile[0] as ProfileDoc | undefined, seats }
}

/**
 * The child's lock (one active pairing per child) and a free seat of the volunteer's capacity, in one write when the
 * seats read show one free; the lock first, so a refused write leaves at most the lock, which the step-by-step path
 * treats as its own. The seat's id, or null when every seat is taken; a child already paired is refused.
 */
async function claimChildAndSeat (p: PairingDoc, capacity: number, held: ReadonlyArray<{ _id: string }>): Promise<string | null> {
  const taken = new Set(held.map((x) => x._id))
  const free = Array.from({ length: capacity }, (_x, i) => `${p.volunteerId}#${i + 1}`).find((id) => !taken.has(id))
  if (free) {
    try {
      await db.collection(COLLECTIONS.pairingLocks).add({ data: [{ _id: p.childId, pairingId: p._id }, { _id: free, volunteerId: p.volunteerId, pairingId: p._id }] })
      return free
    } catch (err) {
      if (!isDuplicate(err)) throw err
    }
    const [lock] = await rows<{ pairingId?: string }>(db.collection(COLLECTIONS.pairingLocks).where({ _id: p.childId }).limit(1))
    if (lock?.pairingId !== p._id) throw new AppError('CONFLICT', '这个孩子已经有结对的爱心家长了')
  } else if (!(await claimLock(p.childId, { pairingId: p._id }))) throw new AppError('CONFLICT', '这个孩子已经有结对的爱心家长了')
  return await claimSeat(p.volunteerId, capacity, p._id)
}

async function myPairing (caller: Caller, pairingId: string): Promise<PairingDoc> {
  const p = await findById<PairingDoc>(COLLECTIONS.pairings, pairingId)
  if (!p || p.volunteerId !== caller.openid || (p.status !== 'active' && p.status !== 'review')) throw new AppError('NOT_FOUND', '没有找到这个结对')
  return p
}

export const myPairings = action({
  contract: pairingContract.myPairings,
  allowed: ['volunteer'],
  async handler (_input, caller) {
    const list = await rows<PairingDoc>(db.collection(COLLECTIONS.pairings).where({ volunteerId: caller.openid, status: _.in(['active', 'review']) }).limit(20))
    const now = clock.now()
    const views = await pairingViews(list, now)
    if (list.length > 0) await audit(caller, { action: 'pairing.myPairings', what: '志愿者查看结对的孩子' }, list.map((p) => ({ _id: p.childId })))
    return { pairings: views }
  }
})

export const logContact = action({
  contract: pairingContract.logContact,
  allowed: ['volunteer'],
  async handler (input, caller) {
    const p = await myPairing(caller, input.pairingId)
    const at = atShanghai(input.date, 12 * 60) // noon of the day: the day is what counts
    const now = clock.now()
    if (at.getTime() > now.getTime() + 12 * 3600000) throw new AppError('INVALID_INPUT', '不能记录以后的日子', { date: '不能记录以后的日子' })
    // Contacts count only within the pairing (docs/DOMAIN.md, "Contact rhythm"): none before the day it began.
    const start = pairingStart(p)
    if (start && input.date < toDateKey(start)) {
      throw new AppError('INVALID_INPUT', '不能记在结对开始以前', { date: `结对是${shanghaiWall(start).format('M月D日')}开始的，不能记在那以前` })
    }
    return await once(caller, 'pairing.logContact', input.idempotencyKey, async ({ ref }) => {
      await addOrFind(COLLECTIONS.contactLogs, { _id: `contact-${ref}`, pairingId: p._id, childId: p.childId, countyId: p.countyId ?? null, townshipId: p.townshipId ?? null, volunteerId: caller.openid, kind: input.kind, mode: input.mode, at, note: input.note, ...(input.photo ? { photo: input.photo } : {}), createdAt: now })
      return { rhythm: rhythmOf(await contactsSince(p._id, periodStart(periodsOf(now).quarter)), now, start) }
    })
  }
})

/** A concern becomes a mandatory report when it is suspected harm (未成年人保护法 第十一条); otherwise the officer hears. */
export const raiseConcern = action({
  contract: pairingContract.raiseConcern,
  allowed: ['volunteer'],
  async handler (input, caller) {
    const p = await myPairing(caller, input.pairingId)
    const child = (await findById<ChildRecord>(COLLECTIONS.children, p.childId))!
    return await once(caller, 'pairing.raiseConcern', input.idempotencyKey, async ({ ref }) => {
      const now = clock.now()
      let reportId: string | undefined
      if (input.harm) {
        reportId = await fileFromOrigin({ _id: `report-pairing-${ref}`, origin: { kind: 'pairing', id: p._id }, childId: child._id, countyId: child.countyId, kinds: ['other'], text: input.text, raisedBy: caller.openid, raisedByName: caller.user!.name }, now)
      }
      // Kept whole with the child's file, where its officers read it; the notice only points there.
      const concernId = `concern-${ref}`
      await addOrFind(COLLECTIONS.concerns, { _id: concernId, childId: child._id, pairingId: p._id, countyId: child.countyId, townshipId: child.townshipId, villageId: child.villageId, by: caller.openid, byName: caller.user!.name, text: input.text, harm: input.harm, ...(reportId ? { reportId } : {}), at: now })
      const officers = await allPages<{ _id: string, roles: Array<{ role: string, scope?: { id: string } }> }>(db.collection(COLLECTIONS.users).where({ 'roles.scope.id': _.in([child.villageId, child.townshipId]) }))
      for (const o of officers.filter((u) => u.roles.some((g) => g.role === 'childWelfareOfficer'))) {
        await notify({ to: o._id, template: 'careAlert', link: `packages/registry/pages/child/index?id=${child._id}`, title: `结对志愿者反映：${child.name}`, detail: input.harm ? '可能受到伤害，已强制报告' : `${input.text}（全文见孩子档案）`, urgent: input.harm, key: `concern:${concernId}` })
      }
      await audit(caller, { action: 'pairing.raiseConcern', what: input.harm ? '志愿者报告孩子可能受到伤害' : '志愿者反映情况' }, [child])
      return { reported: Boolean(reportId), reportId }
    })
  }
})

async function adminCoversChild (caller: Caller, childId: string): Promise<boolean> {
  const child = await findById<ChildRecord>(COLLECTIONS.children, childId)
  if (!child) return false
  const areas = await areasWithTownships(caller, new Places())
  return areas.some((a) => a.townships.includes(child.townshipId))
}

export const endPairing = action({
  contract: pairingContract.endPairing,
  allowed: ['volunteer', 'admin'],
  async handler (input, caller) {
    const p = await findById<PairingDoc>(COLLECTIONS.pairings, input.pairingId)
    const mine = p?.volunteerId === caller.openid && caller.grants.some((g) => g.role === 'volunteer')
    // An admin ends a pairing of a child of their own area only (docs/DOMAIN.md, "Roles and scopes").
    const admin = !mine && p && caller.grants.some((g) => g.role === 'admin') && await adminCoversChild(caller, p.childId)
    if (!p || (!mine && !admin) || (p.status !== 'active' && p.status !== 'review')) throw new AppError('NOT_FOUND', '没有找到这个结对')
    await db.collection(COLLECTIONS.pairings).doc(p._id).update({ data: { status: 'ended', endedAt: clock.now(), endReason: input.reason, endNote: input.note ?? '', endedBy: caller.openid } })
    // The child goes back to the pool; the volunteer's seat frees.
    await removeDoc(COLLECTIONS.pairingLocks, p.childId)
    if (p.seatId) await removeDoc(COLLECTIONS.pairingLocks, p.seatId)
    await audit(caller, { action: 'pairing.endPairing', what: `结束结对：${END_REASON_LABELS[input.reason]}` }, [{ _id: p.childId }])
    return { status: 'ended' as const }
  }
})
