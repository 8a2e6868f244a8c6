/** The admin's side: volunteers of their agency, vetting, safeguarding rules, matching runs and offers. */
import {
  AppError, DEFAULT_SAFEGUARDING_RULES, EXCLUSIONS_SHOWN, OFFER_DAYS, SafeguardingRule, VETTING_STATE_LABELS, VOLUNTEER_KIND_LABELS, activeGrants, effectiveStatus,
  isRelaxable, listExclusions, matchVolunteers, mayBeOffered, pairingContract, safeguardingRuleLabel, toDateKey, vettingState, vettingValidUntil,
  type Agency, type ChildRecord, type MatchChild, type MatchVolunteer
} from '../../src/domain'
import { _, db, findById, rows } from '../_server/cloud'
import * as clock from '../_server/clock'
import { COLLECTIONS } from '../_server/collections'
import { allPages, pieces } from '../_server/paging'
import { audit } from '../_server/audit'
import { notify } from '../_server/notify'
import { Places } from '../_server/places'
import { action } from '../_server/router'
import type { Caller } from '../_server/caller'
import type { PairingDoc, ProfileDoc } from '../_server/pairing/records'
import { pairingViews } from './views'

/** The areas an admin works in (their county or township scopes). */
function adminAreas (caller: Caller): Array<{ level: string, id: string, agency: Agency }> {
  return activeGrants(caller.grants).filter((g) => g.role === 'admin' && g.scope && g.agency).map((g) => ({ level: g.scope!.level, id: g.scope!.id, agency: g.agency! }))
}

async function activeCount (volunteerId: string): Promise<number> {
  return (await rows(db.collection(COLLECTIONS.pairings).where({ volunteerId, status: _.in(['active', 'review']) }).limit(100))).length
}

const OFFER_MS = OFFER_DAYS * 86400000

/** Each of the caller's admin areas with the townships it covers (a county scope covers all of its townships). */
export async function areasWithTownships (caller: Caller, places: Places): Promise<Array<{ agency: Agency, townships: string[], countyId?: string }>> {
  const areas = adminAreas(caller)
  if (areas.length === 0) throw new AppError('FORBIDDEN', '您没有负责的地区')
  await places.load(areas.map((a) => a.id))
  const out: Array<{ agency: Agency, townships: string[], countyId?: string }> = []
  for (const a of areas) {
    if (a.level === 'township') out.push({ agency: a.agency, townships: [a.id], countyId: places.get(a.id)?.countyId ?? undefined })
    if (a.level === 'county') out.push({ agency: a.agency, townships: (await places.loadCounty(a.id)).filter((p) => p.kind === 'township').map((p) => p._id), countyId: a.id })
  }
  return out
}

/** The townships an admin covers (a county scope covers all of its townships). */
async function areaTownships (caller: Caller, places: Places): Promise<{ townships: string[], countyIds: string[] }> {
  const areas = await areasWithTownships(caller, places)
  return { townships: [...new Set(areas.flatMap((a) => a.townships))], countyIds: [...new Set(areas.map((a) => a.countyId).filter((c): c is string => Boolean(c)))] }
}

const agenciesOf = (caller: Caller) => [...new Set(adminAreas(caller).map((a) => a.agency))]

async function volunteersOfArea (caller: Caller, townships: string[]): Promise<ProfileDoc[]> {
  return await allPages<ProfileDoc>(db.collection(COLLECTIONS.volunteerProfiles).where({ agency: _.in(agenciesOf(caller)), townshipIds: _.in(townships) }))
}

export const volunteers = action({
  contract: pairingContract.volunteers,
  allowed: ['admin'],
  async handler (_input, caller) {
    const places = new Places()
    const { townships } = await areaTownships(caller, places)
    const list = await volunteersOfArea(caller, townships)
    const users = list.length > 0 ? await allPages<{ _id: string, name: string }>(db.collection(COLLECTIONS.users).where({ _id: _.in(list.map((v) => v._id)) }).field({ name: true })) : []
    const now = clock.now()
    const out: any[] = []
    for (const v of list) {
      const state = vettingState(v.vetting, now)
      out.push({ id: v._id, name: users.find((u) => u._id === v._id)?.name ?? '', kind: v.kind, kindLabel: VOLUNTEER_KIND_LABELS[v.kind], capacity: v.capacity, active: await activeCount(v._id), vettingState: state, vettingLabel: VETTING_STATE_LABELS[state], validUntil: v.vetting ? vettingValidUntil(v.vetting) : undefined })
    }
    return { volunteers: out }
  }
})

export const recordVetting = action({
  contract: pairingContract.recordVetting,
  allowed: ['admin'],
  async handler (input, caller) {
    const profile = await findById<ProfileDoc>(COLLECTIONS.volunteerProfiles, input.volunteerId)
    if (!profile) throw new AppError('NOT_FOUND', '没有找到这位志愿者的登记')
    if (!agenciesOf(caller).includes(profile.agency)) throw new AppError('FORBIDDEN', '这位志愿者不归您的部门审查')
    // Vetted by the volunteer's agency in an area the volunteer serves (docs/DOMAIN.md, "Roles and scopes").
    const areas = await areasWithTownships(caller, new Places())
    if (!areas.some((a) => a.agency === profile.agency && profile.townshipIds.some((t) => a.townships.includes(t)))) {
      throw new AppError('FORBIDDEN', '这位志愿者不在您负责的地区服务，请由所在地区的管理员审查')
    }
    const now = clock.now()
    if (input.checkDate > toDateKey(now)) throw new AppError('INVALID_INPUT', '审查日期不能晚于今天', { checkDate: '审查日期不能晚于今天' })
    const vetting = { checkDate: input.checkDate, result: input.result, checkedBy: input.checkedBy, trainingDate: input.trainingDate, interviewDate: input.interviewDate, recordedBy: caller.openid, recordedAt: now }
    await db.collection(COLLECTIONS.volunteerProfiles).doc(profile._id).update({ data: { vetting: _.set(vetting) } })
    // A renewed check lifts a review that an expired one started.
    if (vettingState(vetting, now) === 'valid') await db.collection(COLLECTIONS.pairings).where({ volunteerId: profile._id, status: 'review' }).update({ data: { status: 'active' } })
    await audit(caller, { action: 'pairing.recordVetting', what: `记录志愿者审查结果（${input.result === 'clear' ? '无记录' : '有记录'}）`, targetId: profile._id })
    return { vettingState: vettingState(vetting, now), validUntil: vettingValidUntil(vetting) }
  }
})

const rulesId = (caller: Caller) => `rules:${adminAreas(caller)[0]?.id ?? 'none'}`

/** The rules an admin added on top of the defaults. */
async function extraRules (caller: Caller): Promise<SafeguardingRule[]> {
  return ((await findById<{ rules: unknown[] }>(COLLECTIONS.safeguardingRules, rulesId(caller)))?.rules ?? []).map((r) => SafeguardingRule.parse(r))
}

interface RelaxationDoc { _id: string, childId: string, volunteerId: string, reason: string, by: string, byName: string, at: Date, countyId?: string, townshipId?: string }

async function relaxationsOf (childIds: readonly string[]): Promise<RelaxationDoc[]> {
  const out: RelaxationDoc[] = []
  for (const slice of pieces([...childIds])) out.push(...await allPages<RelaxationDoc>(db.collection(COLLECTIONS.safeguardRelaxations).where({ childId: _.in(slice) })))
  return out
}

/**
 * The name a volunteer declared a conflict with, found among the child's family (the child, the guardian, the
 * parents), or undefined. Names match when one contains the other, as people write them ('王建国' and '王建国家').
 */
function conflictWith (v: ProfileDoc, child: ChildRecord): string | undefined {
  const family = [child.name, child.guardian?.name, ...(child.parents ?? []).map((p) => p.name)].filter((n): n is string => Boolean(n && n.trim()))
  return (v.conflicts ?? []).map((c) => c.trim()).filter(Boolean).find((c) => family.some((n) => n.includes(c) || c.includes(n)))
}

export const safeguarding = action({
  contract: pairingContract.safeguarding,
  allowed: ['admin'],
  async handler (_input, caller) {
    const places = new Places()
    const { townships } = await areaTownships(caller, places)
    const kids = await allPages<{ _id: string, name: string }>(db.collection(COLLECTIONS.children).where({ townshipId: _.in(townships) }).field({ name: true }))
    const relaxations = await relaxationsOf(kids.map((k) => k._id))
    const vols = relaxations.length > 0 ? await allPages<{ _id: string, name: string }>(db.collection(COLLECTIONS.users).where({ _id: _.in([...new Set(relaxations.map((r) => r.volunteerId))]) }).field({ name: true })) : []
    return {
      defaults: [
        ...DEFAULT_SAFEGUARDING_RULES.map((r) => ({ words: `${safeguardingRuleLabel(r)}（成年男性不与10岁及以上女孩一对一结对；个别情况可由管理员写明理由后放宽，记录在案）`, relaxable: isRelaxable(r) })),
        { words: '志愿者的无犯罪记录审查必须有效（每年复查，未成年人保护法第六十二条）', relaxable: false },
        { words: '志愿者申报了利益冲突的家庭，不与其结对', relaxable: false }
      ],
      rules: await extraRules(caller),
      relaxations: relaxations.map((r) => ({ childId: r.childId, childName: kids.find((k) => k._id === r.childId)?.name ?? '', volunteerId: r.volunteerId, volunteerName: vols.find((v) => v._id === r.volunteerId)?.name ?? '', reason: r.reason, byName: r.byName, at: r.at }))
    }
  }
})

export const setSafeguarding = action({
  contract: pairingContract.setSafeguarding,
  allowed: ['admin'],
  async handler (input, caller) {
    await db.collection(COLLECTIONS.safeguardingRules).doc(rulesId(caller)).set({ data: { rules: input.rules, by: caller.openid, at: clock.now() } })
    await audit(caller, { action: 'pairing.setSafeguarding', what: '修改结对安全规则' })
    return { rules: input.rules }
  }
})

/**
 * Relaxes the relaxable defaults (the gender rule) for one child and one volunteer, with a reason on record: an
 * admin of the child's area and of the volunteer's agency, logged with the child. A check or a conflict is never
 * relaxed: the volunteer must still be vetted and free of conflict with the family.
 */
export const relaxSafeguard = action({
  contract: pairingContract.relaxSafeguard,
  allowed: ['admin'],
  async handler (input, caller) {
    const places = new Places()
    const { townships } = await areaTownships(caller, places)
    const child = await findById<ChildRecord>(COLLECTIONS.children, input.childId)
    if (!child || !townships.includes(child.townshipId)) throw new AppError('FORBIDDEN', '这个孩子不在您负责的地区')
    const vol = await findById<ProfileDoc>(COLLECTIONS.volunteerProfiles, input.volunteerId)
    if (!vol || !agenciesOf(caller).includes(vol.agency)) throw new AppError('FORBIDDEN', '这位志愿者不归您的部门')
    const conflict = conflictWith(vol, child)
    if (conflict) throw new AppError('CONFLICT', `志愿者申报了与孩子家有利益冲突（${conflict}），不能放宽`)
    const now = clock.now()
    await db.collection(COLLECTIONS.safeguardRelaxations).doc(`${child._id}:${vol._id}`).set({ data: { childId: child._id, volunteerId: vol._id, reason: input.reason, by: caller.openid, byName: caller.user?.name ?? '', at: now, countyId: child.countyId, townshipId: child.townshipId } })
    await audit(caller, { action: 'pairing.relaxSafeguard', what: `放宽结对安全规则（成年男性与10岁及以上女孩）：${input.reason}`, targetId: vol._id }, [child])
    return { relaxed: true as const }
  }
})

export const runMatching = action({
  contract: pairingContract.runMatching,
  allowed: ['admin'],
  async handler (input, caller) {
    const now = clock.now()
    const places = new Places()
    const area = await areaTownships(caller, places)
    const townships = input.townshipId ? area.townships.filter((t) => t === input.townshipId) : area.townships
    if (townships.length === 0) throw new AppError('INVALID_INPUT', '不是您负责的乡镇', { townshipId: '不是您负责的乡镇' })
    // Children who need a pair: left behind, consent given, no active pairing (lock) and no open offer.
    const kids = (await allPages<ChildRecord>(db.collection(COLLECTIONS.children).where({ townshipId: _.in(townships), 'consent.state': 'granted', status: 'leftBehind' })))
      .filter((c) => effectiveStatus(c.status, c.birthDate, now) === 'leftBehind')
    const locked = new Set<string>()
    const open = new Set<string>()
    const declined = new Map<string, string[]>()
    for (const slice of pieces(kids.map((c) => c._id))) {
      for (const l of await rows<{ _id: string }>(db.collection(COLLECTIONS.pairingLocks).where({ _id: _.in(slice) }).limit(100))) locked.add(l._id)
      for (const p of await allPages<PairingDoc>(db.collection(COLLECTIONS.pairings).where({ childId: _.in(slice), status: _.in(['offered', 'declined']) }))) {
        if (p.status === 'offered' && p.expiresAt && new Date(p.expiresAt) > now) open.add(p.childId)
        if (p.status === 'declined') declined.set(p.childId, [...(declined.get(p.childId) ?? []), p.volunteerId])
      }
    }
    const needy = kids.filter((c) => !locked.has(c._id) && !open.has(c._id))
    const sibling = (c: ChildRecord) => needy.filter((o) => o._id !== c._id && o.villageId === c.villageId && o.guardian?.name && o.guardian.name === c.guardian?.name).map((o) => o._id)
    const profiles = await volunteersOfArea(caller, townships)
    const relaxedFor = await relaxationsOf(needy.map((c) => c._id))
    const children: MatchChild[] = needy.map((c) => ({
      id: c._id, gender: c.gender, birthDate: c.birthDate, townshipId: c.townshipId, villageId: c.villageId, needs: c.needs?.includes('disability') ? ['disability'] : [], siblingIds: sibling(c), declinedVolunteerIds: declined.get(c._id),
      conflictVolunteerIds: profiles.filter((v) => conflictWith(v, c) !== undefined).map((v) => v._id),
      relaxedVolunteerIds: relaxedFor.filter((r) => r.childId === c._id).map((r) => r.volunteerId)
    }))
    const vols: MatchVolunteer[] = []
    for (const v of profiles) {
      const offered = (await rows(db.collection(COLLECTIONS.pairings).where({ volunteerId: v._id, status: 'offered', expiresAt: _.gt(now) }).limit(20))).length
      const ended = await allPages<PairingDoc>(db.collection(COLLECTIONS.pairings).where({ volunteerId: v._id, status: 'ended' }))
      vols.push({
        id: v._id, gender: v.gender, kind: v.kind, capacity: Math.max(0, v.capacity - (await activeCount(v._id)) - offered),
        reachableTownshipIds: v.townshipIds, reachableVillageIds: [], reachableGridIds: [], dialects: v.dialects, skills: v.skills,
        vetted: v.vetting ? v.vetting.result === 'clear' : false,
        ...(v.vetting ? { vettingValidUntil: vettingValidUntil(v.vetting) } : {}),
        previouslyPairedChildIds: ended.map((p) => p.childId)
      })
    }
    const rules = [...DEFAULT_SAFEGUARDING_RULES, ...await extraRules(caller)]
    const problem = { children, volunteers: vols, rules, now, placeNames: places.names() }
    const result = matchVolunteers(problem)
    const names = new Map([...kids.map((c) => [c._id, c.name] as const)])
    const users = profiles.length > 0 ? await allPages<{ _id: string, name: string }>(db.collection(COLLECTIONS.users).where({ _id: _.in(profiles.map((p) => p._id)) }).field({ name: true })) : []
    const volName = (id: string) => users.find((u) => u._id === id)?.name ?? ''
    const areaOf = new Map(kids.map((c) => [c._id, { countyId: c.countyId, townshipId: c.townshipId }]))
    const pairs = result.pairs.map((p) => ({ childId: p.childId, childName: names.get(p.childId) ?? '', volunteerId: p.volunteerId, volunteerName: volName(p.volunteerId), cost: p.cost, explanation: p.explanation }))
    // Every exclusion in words: the volunteers left out of the whole run, then the pairs the rules keep apart.
    const excludedVolunteers = profiles.filter((v) => !mayBeOffered(v.vetting, now)).map((v) => ({
      volunteerId: v._id, volunteerName: volName(v._id), why: `${volName(v._id)}：${VETTING_STATE_LABELS[vettingState(v.vetting, now)]}，不参加匹配（未成年人保护法第六十二条）`
    }))
    const kidsById = new Map(needy.map((c) => [c._id, c]))
    const profileById = new Map(profiles.map((v) => [v._id, v]))
    const pairExclusions = listExclusions(problem).filter((e) => e.reason !== 'notVetted').map((e) => {
      const child = kidsById.get(e.childId)!
      const vol = profileById.get(e.volunteerId)!
      const who = `${volName(e.volunteerId)}（${vol.gender === 'male' ? '男' : '女'}）`
      const kid = `${child.name}（${e.childAge}岁${child.gender === 'male' ? '男孩' : '女孩'}）`
      const why = e.reason === 'rule'
        ? `${kid}不配${who}：${e.rule}`
        : e.reason === 'conflict'
          ? `${kid}不配${who}：志愿者申报了与孩子家有利益冲突（${conflictWith(vol, child)}）`
          : `${kid}不配${who}：志愿者曾婉拒这个孩子`
      return { childId: e.childId, childName: child.name, volunteerId: e.volunteerId, volunteerName: volName(e.volunteerId), why, relaxable: e.relaxable }
    })
    const runId = `run-${now.getTime().toString(36)}-${Math.random().toString(36).slice(2, 6)}`
    await db.collection(COLLECTIONS.matchRuns).add({ data: { _id: runId, by: caller.openid, at: now, townships, pairs: pairs.map((p) => ({ ...p, ...areaOf.get(p.childId) })), rules } })
    await audit(caller, { action: 'pairing.runMatching', what: `运行结对匹配（${pairs.length}对）` }, kids.map((c) => ({ _id: c._id, countyId: c.countyId, townshipId: c.townshipId })))
    return {
      runId, pairs,
      unmatched: result.unmatched.map((u) => ({ childId: u.childId, childName: names.get(u.childId) ?? '', explanation: u.explanation })),
      totals: { children: result.totals.children, volunteers: result.totals.volunteers, paired: result.totals.paired, totalCost: result.totals.totalCost },
      excludedVolunteers,
      exclusions: pairExclusions.slice(0, EXCLUSIONS_SHOWN),
      exclusionsTotal: pairExclusions.length
    }
  }
})

export const sendOffers = action({
  contract: pairingContract.sendOffers,
  allowed: ['admin'],
  async handler (input, caller) {
    const run = await findById<{ by: string, pairs: Array<{ childId: string, volunteerId: string, volunteerName: string, explanation: string, countyId?: string, townshipId?: string }> }>(COLLECTIONS.matchRuns, input.runId)
    if (!run || run.by !== caller.openid) throw new AppError('NOT_FOUND', '没有找到这次匹配结果，请重新匹配')
    const now = clock.now()
    let sent = 0
    for (const pair of run.pairs.filter((p) => input.childIds.includes(p.childId))) {
      const _id = `${pair.childId}:${pair.volunteerId}:${input.runId}`
      try {
        await db.collection(COLLECTIONS.pairings).add({ data: { _id, childId: pair.childId, countyId: pair.countyId ?? null, townshipId: pair.townshipId ?? null, volunteerId: pair.volunteerId, volunteerName: pair.volunteerName, status: 'offered', explanation: pair.explanation, offeredAt: now, expiresAt: new Date(now.getTime() + OFFER_MS), runId: input.runId, offeredBy: caller.openid } })
      } catch { continue } // sent already (a retried press)
      await notify({ to: pair.volunteerId, template: 'pairingOffer', link: 'packages/pairing/pages/offers/index', title: '有一个孩子需要您结对关爱', detail: '请在7天内接受或婉拒' })
      sent++
    }
    await audit(caller, { action: 'pairing.sendOffers', what: `发出结对邀请（${sent}个）` }, input.childIds.map((id) => ({ _id: id })))
    return { sent }
  }
})

export const areaPairings = action({
  contract: pairingContract.areaPairings,
  allowed: ['admin', 'childWelfareOfficer'],
  async handler (_input, caller) {
    const officerAreas = caller.grants.filter((g) => g.role === 'childWelfareOfficer' && g.scope).map((g) => ({ [g.scope!.level === 'village' ? 'villageId' : 'townshipId']: g.scope!.id }))
    const adminScopes = caller.grants.filter((g) => g.role === 'admin' && g.scope).map((g) => ({ [g.scope!.level === 'county' ? 'countyId' : 'townshipId']: g.scope!.id }))
    const kids = await allPages<{ _id: string }>(db.collection(COLLECTIONS.children).where(_.or([...officerAreas, ...adminScopes])).field({ _id: true }))
    const list: PairingDoc[] = []
    for (const some of pieces(kids.map((k) => k._id))) list.push(...await allPages<PairingDoc>(db.collection(COLLECTIONS.pairings).where({ childId: _.in(some), status: _.in(['active', 'review']) })))
    const now = clock.now()
    return { pairings: await pairingViews(list, now) }
  }
})
