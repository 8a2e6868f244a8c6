/**
 * Mandatory reports (强制报告): their hash-chained entries and their delivery to the police at once. The safeguard
 * function files and handles them, other areas open them (fileFromOrigin), the scheduler escalates them.
 */
import crypto from 'node:crypto'
import {
  GENESIS, brokenAt, canonical, originReport, toDateKey, unreachableWhy,
  type CallBackFacts, type ChainEntry, type ChildPlace, type ChildRecord, type Contact, type HarmKind, type HomeConcern, type ReportOrigin, type UnlistedChild
} from '../../src/domain'
import { _, db, findById, rows } from './cloud'
import { COLLECTIONS } from './collections'
import { isDuplicate } from './idempotency'
import { notify, type Notice } from './notify'
import { allPages } from './paging'
import { contactsOf, whereabouts } from './childContacts'
import * as clock from './clock'

export const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex')

export interface ReportDoc {
  _id: string
  reference?: string
  /** '' for a child the reporter described instead of picking (unlistedChild). */
  childId: string
  childName?: string
  unlistedChild?: UnlistedChild
  countyId: string
  townshipId?: string
  jurisdictionId?: string
  kinds: HarmKind[]
  dangerNow?: boolean
  seen?: string
  when?: string
  where?: string
  text?: string
  /** where the child can be found (from her file, when the report was opened from another area) */
  place?: ChildPlace
  /** who to call, in order, and whom not to alert before the child is seen */
  contacts?: Contact[]
  origin?: { kind: string, id: string }
  /** an OPENID, or a station's id when the counselling station reports (never the child) */
  raisedBy: string
  raisedByName?: string
  state: 'awaitingDelivery' | 'delivered' | 'acknowledged' | 'handled' | 'closed'
  createdAt: Date
  filedAt?: Date
  acknowledgedAt?: Date
  escalation?: { level: number, alerts: Array<{ to: string, level: number, at: Date }> }
  /** The trail's head: how many entries it has and the newest one's hash, written with each entry. */
  chain?: ChainHead
}

export interface ChainHead { count: number, hash: string }

const isConflict = (err: unknown) => /TRANSACTION_CONFLICT|-501001|conflict/i.test(`${(err as any)?.code ?? ''} ${(err as any)?.errCode ?? ''} ${(err as any)?.errMsg ?? ''} ${(err as any)?.message ?? ''}`)
const pause = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Appends an entry linked to the one before, and moves the report's head (entry count, newest hash) in the same
 * transaction, so deleting the newest entries shows as surely as editing one (docs/ARCHITECTURE.md, "Cloud
 * functions"). A transaction holds single-document operations (the report, the new entry) and its callback only
 * computes from what it read, so it may run again; two appends at once conflict on the report, and the later retries.
 */
export async function appendEntry (reportId: string, kind: string, by: string, data: Record<string, unknown>, at = clock.now()): Promise<ChainEntry> {
  for (let attempt = 0; ; attempt++) {
    // A report filed before heads were kept: its head is its last entry, read once here (the report's own update in
    // the transaction makes a concurrent first append conflict).
    const [last] = await rows<ChainEntry>(db.collection(COLLECTIONS.reportEntries).where({ reportId }).orderBy('seq', 'desc').limit(1))
    const legacy: ChainHead = last ? { count: last.seq + 1, hash: last.hash } : { count: 0, hash: GENESIS }
    try {
      return await db.runTransaction(async (t: any) => {
        const report = (await t.collection(COLLECTIONS.mandatoryReports).doc(reportId).get()).data as ReportDoc
        const head = report.chain ?? legacy
        const base = { seq: head.count, at: at.toISOString(), kind, by, data, prevHash: head.hash }
        const entry: ChainEntry = { ...base, hash: sha256(canonical(base)) }
        await t.collection(COLLECTIONS.reportEntries).doc(`${reportId}:${entry.seq}`).set({ data: { reportId, ...entry } })
        await t.collection(COLLECTIONS.mandatoryReports).doc(reportId).update({ data: { chain: { count: entry.seq + 1, hash: entry.hash } } })
        return entry
      }) as ChainEntry
    } catch (err) {
      if (!isConflict(err) || attempt >= 8) throw err
      await pause(10 + Math.random() * 40 * (attempt + 1))
    }
  }
}

/** Where a report's trail does not hold: an entry edited or out of place, or newest entries gone (the head says more). */
export function trailBrokenAt (entries: readonly ChainEntry[], head: ChainHead | undefined): number | null {
  const broken = brokenAt(entries, sha256)
  if (broken !== null) return broken
  if (!head) return null
  const newest = [...entries].sort((a, b) => b.seq - a.seq)[0]
  if (entries.length !== head.count) return Math.min(entries.length, head.count)
  if ((newest?.hash ?? GENESIS) !== head.hash) return Math.max(0, entries.length - 1)
  return null
}

export async function entriesOf (reportId: string): Promise<ChainEntry[]> {
  return await allPages<ChainEntry>(db.collection(COLLECTIONS.reportEntries).where({ reportId }).orderBy('seq', 'asc'))
}

type UserRoles = { _id: string, name: string, roles: Array<{ role: string, agency?: string, scope?: { id: string }, status?: string }> }

/** The police liaisons of a jurisdiction. */
async function policeOf (jurisdictionId: string | undefined): Promise<UserRoles[]> {
  if (!jurisdictionId) return []
  const users = await allPages<UserRoles>(db.collection(COLLECTIONS.users).where({ 'roles.scope.id': jurisdictionId }))
  return users.filter((u) => u.roles.some((g) => g.role === 'police' && g.scope?.id === jurisdictionId && g.status !== 'suspended'))
}

/** County admins of the given agencies (copies to 民政 and 教育; the duty officer of 公安). */
async function countyAdmins (countyId: string, agencies: readonly string[]): Promise<UserRoles[]> {
  const users = await allPages<UserRoles>(db.collection(COLLECTIONS.users).where({ 'roles.scope.id': countyId }))
  return users.filter((u) => u.roles.some((g) => g.role === 'admin' && g.agency && agencies.includes(g.agency) && g.scope?.id === countyId && g.status !== 'suspended'))
}

/** The chain a report climbs when nobody acknowledges: the liaison, the county duty officer (公安), then 民政 too. */
export async function escalationChain (r: ReportDoc): Promise<string[][]> {
  return [
    (await policeOf(r.jurisdictionId)).map((u) => u._id),
    (await countyAdmins(r.countyId, ['publicSecurity'])).map((u) => u._id),
    (await countyAdmins(r.countyId, ['publicSecurity', 'civilAffairs'])).map((u) => u._id)
  ]
}

/** One person alerted on a step of the chain, as the trail names them: through which channels, or why nobody was reached. */
export interface Alerted { name: string, via: string[], reached: boolean, why?: string }

/** Alerts each person (urgent: SMS backs up the subscription message) and says how each was reached. */
export async function alertAll (people: ReadonlyArray<{ _id: string, name: string }>, notice: (id: string) => Notice): Promise<Alerted[]> {
  const out: Alerted[] = []
  for (const u of people) {
    const d = await notify(notice(u._id))
    out.push({ name: u.name, via: d.via, reached: d.reached, ...(d.reached ? {} : { why: unreachableWhy(d) }) })
  }
  return out
}

/** The notice of a report to one person of the chain. */
export function reportNotice (r: ReportDoc, to: string, title: string, key: string, reference: string): Notice {
  return { to, template: 'reportAlert', link: `packages/safeguard/pages/report/index?id=${r._id}`, title, detail: `编号 ${reference}，请立即处理`, ref: reference, key, urgent: true }
}

/** The people of a chain level, with their names. */
async function peopleOf (ids: readonly string[]): Promise<Array<{ _id: string, name: string }>> {
  if (ids.length === 0) return []
  const users = await allPages<UserRoles>(db.collection(COLLECTIONS.users).where({ _id: _.in([...ids]) }))
  return ids.flatMap((id) => users.filter((u) => u._id === id))
}

/**
 * Escalates a report at once from `level` while nobody of the level before was reached by any channel: each level's
 * people are alerted and the step goes on the chain, naming who and through which channels, and why it moved on.
 * Returns the level reached.
 */
export async function escalateUnreached (r: ReportDoc, current: number, fromLevel: number, reference: string, now: Date, why: string): Promise<number> {
  const chain = await escalationChain(r)
  let level = fromLevel
  let reason = why
  for (; level < chain.length; level++) {
    // Claimed on the report (conditional on the level it stands at), so a timer running alongside escalates once.
    const moved = await db.collection(COLLECTIONS.mandatoryReports).where({ _id: r._id, state: 'delivered', 'escalation.level': level === fromLevel ? current : level - 1 }).update({ data: { 'escalation.level': level } }) as { stats: { updated: number } }
    if (moved.stats.updated !== 1) return level - 1
    const people = await peopleOf(chain[level])
    const alerted = await alertAll(people, (id) => reportNotice(r, id, `强制报告无人能接收，已升级：${r.childName ?? ''}`, `report:${r._id}:escalation:${level}`, reference))
    await appendEntry(r._id, 'escalated', 'system', { level, minutes: 0, to: people.map((p) => p.name), alerted, why: reason }, now)
    if (alerted.some((a) => a.reached)) return level
    reason = people.length === 0 ? '这一级没有人' : '这一级的人都收不到提醒'
  }
  return level - 1
}

function referenceOf (id: string, at: Date): string {
  const d = toDateKey(at).replace(/-/g, '')
  return `QB${d}-${sha256(id).slice(0, 6).toUpperCase()}`
}

/**
 * Delivers a report at once: to the police liaison of the child's jurisdiction, copies to the county's civil
 * affairs and education; records who got it on the chain. Idempotent: only a report still awaiting delivery moves.
 */
export async function deliver (r: ReportDoc, now: Date): Promise<string[]> {
  const child = r.childId ? await findById<ChildRecord>(COLLECTIONS.children, r.childId) : undefined
  // A described child is placed by the township the reporter chose.
  const townshipId = child?.townshipId ?? r.unlistedChild?.townshipId
  const childName = child?.name ?? r.unlistedChild?.name ?? ''
  const [jurisdiction] = townshipId ? await rows<{ _id: string }>(db.collection(COLLECTIONS.places).where({ kind: 'jurisdiction', townshipId }).limit(1)) : []
  const reference = r.reference ?? referenceOf(r._id, now)
  const moved = await db.collection(COLLECTIONS.mandatoryReports).where({ _id: r._id, state: 'awaitingDelivery' })
    .update({ data: { state: 'delivered', filedAt: r.filedAt ?? now, reference, jurisdictionId: jurisdiction?._id ?? null, townshipId: townshipId ?? null, childName, escalation: { level: 0, alerts: [] } } }) as { stats: { updated: number } }
  if (moved.stats.updated !== 1) return []
  // No liaison in the jurisdiction (or no jurisdiction for the place): the county's 公安 duty officer gets it at once
  // instead of after the first escalation period.
  const liaisons = await policeOf(jurisdiction?._id)
  const police = liaisons.length > 0 ? liaisons : await countyAdmins(r.countyId, ['publicSecurity'])
  const copies = (await countyAdmins(r.countyId, ['civilAffairs', 'education'])).filter((u) => !police.some((p) => p._id === u._id))
  const to = [...police, ...copies]
  const title = (id: string) => police.some((p) => p._id === id) ? `强制报告：${childName}${r.dangerNow ? '（现在有危险）' : ''}` : `强制报告抄送：${childName}`
  const alerted = await alertAll(to, (id) => reportNotice(r, id, title(id), `report:${r._id}:delivered`, reference))
  await appendEntry(r._id, 'delivered', 'system', { to: to.map((u) => u.name), alerted, reference, origin: r.origin ?? null }, now)
  await db.collection(COLLECTIONS.mandatoryReports).doc(r._id).update({ data: { 'escalation.alerts': _.push(police.map((p) => ({ to: p._id, level: 0, at: now }))) } })
  // The police nobody could reach (no allow left, no phone): the chain moves on now, not after the period.
  if (!alerted.slice(0, police.length).some((a) => a.reached)) {
    const why = police.length === 0 ? '没有可接收的公安联络人' : `公安联络人收不到提醒：${alerted.slice(0, police.length).map((a) => `${a.name}（${a.why ?? ''}）`).join('；')}`
    const liaisonsFirst = liaisons.length > 0 ? 1 : 2
    await escalateUnreached({ ...r, childName, reference }, 0, liaisonsFirst, reference, now, why)
  }
  return to.map((u) => u.name)
}

/** What another area knows when it opens a report (docs/DOMAIN.md, "Minors Protection Law"). */
export interface OriginReportInput {
  _id: string
  origin: { kind: ReportOrigin, id: string }
  childId: string
  countyId: string
  kinds: HarmKind[]
  /** what was said or seen, in words, a line each */
  content?: string[]
  /** the same as one text (legal-aid story, volunteer's concern) */
  text?: string
  dangerNow?: boolean
  /** an OPENID, or the counselling station's id: never the child */
  raisedBy: string
  raisedByName?: string
  /** the number the asker left for the call back */
  chosen?: CallBackFacts['chosen']
  /** what points at the child's home: its numbers are flagged and the police do not alert it first */
  concern?: HomeConcern
}

/**
 * Opens a report raised by another capability (a crisis naming abuse, a legal-aid abuse case, a volunteer's concern)
 * and delivers it at once, linked to its origin. It carries what a report typed by hand carries, checked by the
 * same `ReportInput` (src/domain/safeguarding/origin.ts), and where to find the child and who to call. A report
 * already opened for the same origin is left as it is.
 */
export async function fileFromOrigin (input: OriginReportInput, now: Date): Promise<string> {
  const child = (await findById<ChildRecord>(COLLECTIONS.children, input.childId))!
  const where = await whereabouts(child)
  const content = input.content ?? (input.text ? [input.text] : [])
  const fields = originReport({ origin: input.origin.kind, childId: child._id, kinds: input.kinds, content, dangerNow: input.dangerNow ?? false, place: where.place, at: now })
  const contacts = contactsOf(child, where, { chosen: input.chosen, concern: input.concern })
  const full: ReportDoc = {
    _id: input._id, childId: child._id, countyId: input.countyId, kinds: fields.kinds, dangerNow: fields.dangerNow, seen: fields.seen, when: fields.when, where: fields.where,
    place: where.place, contacts, origin: input.origin, raisedBy: input.raisedBy, ...(input.raisedByName ? { raisedByName: input.raisedByName } : {}),
    state: 'awaitingDelivery', createdAt: now
  }
  try {
    await db.collection(COLLECTIONS.mandatoryReports).add({ data: full })
  } catch (err) {
    if (!isDuplicate(err)) throw err
    return input._id
  }
  await appendEntry(input._id, 'filed', input.raisedBy, { kinds: fields.kinds, seen: fields.seen, when: fields.when, where: fields.where, dangerNow: fields.dangerNow, place: where.place, contacts, origin: input.origin }, now)
  await deliver(full, now)
  return input._id
}

/**
 * Adds to a report opened before (a report is never edited, only added to): an entry on its chain, and the fields
 * its readers see changed with it (danger now, once said, stays; the contacts as they now stand).
 */
export async function addToReport (reportId: string, kind: 'added' | 'contact' | 'reporter', by: string, data: Record<string, unknown>, patch: Partial<Pick<ReportDoc, 'contacts' | 'dangerNow' | 'raisedByName' | 'kinds'>> = {}, at = clock.now()): Promise<void> {
  await appendEntry(reportId, kind, by, data, at)
  const fields = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined))
  if (Object.keys(fields).length > 0) await db.collection(COLLECTIONS.mandatoryReports).doc(reportId).update({ data: fields })
}
