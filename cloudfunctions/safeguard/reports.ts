/** Filing a report, the reporter's receipt, and the handlers' side (police, civil affairs, education). */
import {
  AppError, HARM_KIND_LABELS, INTERVENTION_LABELS, POLICE_ACTION_LABELS, REPORT_STATE_LABELS, alertedWords, safeguardContract, viewOf, type ChildRecord
} from '../../src/domain'
import { _, db, findById, rows } from '../_server/cloud'
import { Places } from '../_server/places'
import { COLLECTIONS } from '../_server/collections'
import { allPages } from '../_server/paging'
import { audit } from '../_server/audit'
import { addOrFind, once } from '../_server/idempotency'
import { action } from '../_server/router'
import type { Caller } from '../_server/caller'
import { appendEntry, deliver, entriesOf, trailBrokenAt, type ReportDoc } from '../_server/reports'
import { contactsOf, whereabouts } from '../_server/childContacts'
import * as clock from '../_server/clock'

const REPORTERS = ['teacher', 'volunteer', 'counselor', 'childWelfareOfficer', 'parent', 'guardian', 'admin', 'lawyer', 'legalAidOfficer', 'police'] as const

const STATE_LABELS = REPORT_STATE_LABELS

/**
 * Anyone in close contact files for a child they know of. The report goes out even when the reporter's tie to the
 * child cannot be shown: a report that could save a child is never refused for lack of a binding.
 */
export const report = action({
  contract: safeguardContract.report,
  allowed: REPORTERS,
  async handler (input, caller) {
    const r = input.report
    // A picked child must exist; a described one must be placed in a real township (its county gets the copies).
    const child = r.childId !== undefined ? await findById<ChildRecord>(COLLECTIONS.children, r.childId) : undefined
    if (r.childId !== undefined && !child) throw new AppError('INVALID_INPUT', '没有找到这个孩子', { 'report.childId': '没有找到这个孩子，请直接拨打 110' })
    const township = r.unlistedChild ? await new Places().require(r.unlistedChild.townshipId, 'township', 'report.unlistedChild.townshipId') : undefined
    const countyId = child ? child.countyId : township!.countyId!
    return await once(caller, 'safeguard.report', input.idempotencyKey, async ({ ref }) => {
      const now = clock.now()
      const _id = `report-${ref}`
      const fresh: ReportDoc = { _id, childId: child?._id ?? '', ...(r.unlistedChild ? { unlistedChild: r.unlistedChild } : {}), countyId, kinds: r.kinds, dangerNow: r.dangerNow, seen: r.seen, when: r.when, where: r.where, raisedBy: caller.openid, raisedByName: caller.user!.name, state: 'awaitingDelivery', createdAt: now, origin: { kind: 'direct', id: _id } }
      // A retry after a crash finds the report the first run stored and finishes what it may not have done.
      const doc = await addOrFind(COLLECTIONS.mandatoryReports, fresh)
      // The description of a described child is on the chain too, so it cannot be changed unseen.
      if (!doc.chain) await appendEntry(_id, 'filed', caller.openid, { kinds: r.kinds, seen: r.seen, when: r.when, where: r.where, dangerNow: r.dangerNow, ...(r.unlistedChild ? { child: r.unlistedChild } : {}) }, new Date(doc.createdAt))
      let deliveredTo = await deliver(doc, now)
      if (doc.state !== 'awaitingDelivery') {
        const delivered = (await entriesOf(_id)).find((e) => e.kind === 'delivered')
        deliveredTo = (delivered?.data.to as string[] | undefined) ?? []
      }
      const stored = (await findById<ReportDoc>(COLLECTIONS.mandatoryReports, _id))!
      await audit(caller, { action: 'safeguard.report', what: child ? '提交强制报告' : `提交强制报告（未登记的孩子：${r.unlistedChild!.name}）` }, child ? [child] : [])
      return { id: _id, reference: stored.reference ?? '', filedAt: stored.filedAt ?? now, deliveredTo, call110: r.dangerNow }
    })
  }
})

export const myReports = action({
  contract: safeguardContract.myReports,
  allowed: REPORTERS,
  async handler (_input, caller) {
    const list = await rows<ReportDoc>(db.collection(COLLECTIONS.mandatoryReports).where({ raisedBy: caller.openid, state: _.neq('awaitingDelivery') }).orderBy('filedAt', 'desc').limit(50))
    const visible = await childrenVisibleTo(caller, list.map((r) => r.childId).filter(Boolean))
    // The receipt names the child as the reporter gave it: the name they typed for a described child (never the
    // file's name it was linked to later), and a picked child's name only while they may still read that child.
    const named = (r: ReportDoc) => r.unlistedChild?.name ?? visible.get(r.childId) ?? '（您报告的孩子）'
    return { reports: list.map((r) => ({ reference: r.reference ?? '', childName: named(r), filedAt: r.filedAt!, stateLabel: STATE_LABELS[r.state] })) }
  }
})

/** The names of those children the caller may read in the registry (staff of their area, family, paired volunteer). */
async function childrenVisibleTo (caller: Caller, ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)]
  if (unique.length === 0) return new Map()
  const children = await rows<ChildRecord>(db.collection(COLLECTIONS.children).where({ _id: _.in(unique) }).field({ name: true, schoolId: true, villageId: true, townshipId: true, countyId: true, cityId: true }).limit(unique.length))
  const bound = new Set((await rows<{ childId: string }>(db.collection(COLLECTIONS.bindings).where({ openid: caller.openid, childId: _.in(unique) }).limit(100))).map((b) => b.childId))
  const paired = new Set((await rows<{ childId: string }>(db.collection(COLLECTIONS.pairings).where({ volunteerId: caller.openid, childId: _.in(unique), status: 'active' }).limit(100))).map((p) => p.childId))
  return new Map(children.filter((c) => viewOf(caller.grants, c, { bound: bound.has(c._id), paired: paired.has(c._id) })).map((c) => [c._id, c.name]))
}

/** The reports a handler may read: police of the jurisdiction; 民政, 教育 and 公安 admins of the county. */
function handles (caller: Caller, r: ReportDoc): boolean {
  return caller.grants.some((g) => (g.role === 'police' && g.scope?.id === r.jurisdictionId) ||
    (g.role === 'admin' && g.scope?.id === r.countyId && (g.agency === 'civilAffairs' || g.agency === 'education' || g.agency === 'publicSecurity')))
}

async function handledReport (caller: Caller, reportId: string): Promise<ReportDoc> {
  const r = await findById<ReportDoc>(COLLECTIONS.mandatoryReports, reportId)
  if (!r || r.state === 'awaitingDelivery' || !handles(caller, r)) throw new AppError('FORBIDDEN', '只有负责处理的部门能查看这份报告')
  return r
}

function summary (r: ReportDoc) {
  return {
    id: r._id, reference: r.reference ?? '', childName: r.childName ?? '', childUnlisted: !r.childId, kinds: r.kinds.map((code) => ({ code, label: HARM_KIND_LABELS[code] })),
    dangerNow: Boolean(r.dangerNow), state: r.state as 'delivered' | 'acknowledged' | 'handled' | 'closed', stateLabel: STATE_LABELS[r.state],
    filedAt: r.filedAt!, acknowledgedAt: r.acknowledgedAt, origin: r.origin?.kind === 'counseling' ? '心理求助' : r.origin?.kind === 'legalaid' ? '法律援助' : r.origin?.kind === 'pairing' ? '结对志愿者' : '直接报告'
  }
}

export const queue = action({
  contract: safeguardContract.queue,
  allowed: ['police', 'admin'],
  async handler (_input, caller) {
    const jurisdictions = caller.grants.filter((g) => g.role === 'police' && g.scope).map((g) => ({ jurisdictionId: g.scope!.id }))
    const counties = caller.grants.filter((g) => g.role === 'admin' && g.scope && ['civilAffairs', 'education', 'publicSecurity'].includes(g.agency ?? '')).map((g) => ({ countyId: g.scope!.id }))
    if (jurisdictions.length + counties.length === 0) throw new AppError('FORBIDDEN', '您的岗位不处理强制报告')
    const mine = _.or([...jurisdictions, ...counties])
    // Every report still open, however many; of the closed ones, the latest, up to a hundred reports in all.
    const open = await allPages<ReportDoc>(db.collection(COLLECTIONS.mandatoryReports).where(_.and([mine, { state: _.in(['delivered', 'acknowledged', 'handled']) }])))
    const closed = open.length < 100 ? await rows<ReportDoc>(db.collection(COLLECTIONS.mandatoryReports).where(_.and([mine, { state: 'closed' }])).orderBy('filedAt', 'desc').limit(100 - open.length)) : []
    const list = [...open, ...closed]
    const rank = { delivered: 0, acknowledged: 1, handled: 2, closed: 3, awaitingDelivery: 4 }
    list.sort((a, b) => rank[a.state] - rank[b.state] || new Date(b.filedAt!).getTime() - new Date(a.filedAt!).getTime())
    if (list.length > 0) await audit(caller, { action: 'safeguard.queue', what: `查看强制报告列表（${list.length}份）` }, list.filter((r) => r.childId).map((r) => ({ _id: r.childId, countyId: r.countyId })))
    return { reports: list.map(summary) }
  }
})

const ENTRY_TEXT: Record<string, (d: any) => string> = {
  filed: (d) => `报告：${(d.kinds ?? []).map((k: keyof typeof HARM_KIND_LABELS) => HARM_KIND_LABELS[k]).join('、')}`,
  delivered: (d) => d.alerted ? `已送达：${alertedWords(d.alerted)}` : `已送达：${(d.to ?? []).join('、')}`,
  escalated: (d) => (d.minutes === 0 ? `收不到提醒（${d.why ?? ''}），立即上报上一级` : `${d.minutes}分钟无人接收，已上报上一级`) + (d.alerted ? `：${alertedWords(d.alerted)}` : ''),
  acknowledged: () => '公安已接收',
  action: (d) => `公安处理：${POLICE_ACTION_LABELS[d.action as keyof typeof POLICE_ACTION_LABELS] ?? d.action}${d.note ? `（${d.note}）` : ''}`,
  intervention: (d) => `民政干预：${INTERVENTION_LABELS[d.intervention as keyof typeof INTERVENTION_LABELS] ?? d.intervention}${d.note ? `（${d.note}）` : ''}`,
  closed: (d) => `办结：${d.note ?? ''}`,
  linked: (d) => `对应到孩子档案：${d.name ?? ''}`,
  added: (d) => `补充：${d.text ?? ''}`,
  contact: (d) => `回电号码：${d.label ?? ''} ${d.phone ?? ''}`,
  reporter: (d) => `联系人：${d.name ?? ''}`
}

export const detail = action({
  contract: safeguardContract.detail,
  allowed: ['police', 'admin'],
  async handler (input, caller) {
    const r = await handledReport(caller, input.reportId)
    const entries = await entriesOf(r._id)
    const broken = trailBrokenAt(entries, r.chain)
    const names = new Map((await rows<{ _id: string, name: string }>(db.collection(COLLECTIONS.users).where({ _id: _.in([...new Set(entries.map((e) => e.by)), '-']) }).field({ name: true }).limit(100))).map((u) => [u._id, u.name]))
    await audit(caller, { action: 'safeguard.detail', what: r.childId ? '查看强制报告详情' : `查看强制报告详情（未登记的孩子：${r.childName ?? ''}）` }, r.childId ? [{ _id: r.childId, countyId: r.countyId }] : [])
    const places = new Places()
    if (r.unlistedChild) await places.load([r.unlistedChild.townshipId])
    // Where to find the child and whom to call: kept on a report opened from another area; for one typed by hand,
    // from the child's file as it stands (the read is the one logged above).
    const child = r.childId && (!r.place || !r.contacts) ? await findById<ChildRecord>(COLLECTIONS.children, r.childId) : undefined
    const found = child ? await whereabouts(child) : undefined
    const place = r.place ?? found?.place ?? { school: '', className: '', township: places.name(r.unlistedChild?.townshipId), village: '' }
    const contacts = r.contacts ?? (child && found ? contactsOf(child, found) : [])
    const byName = (by: string) => by === 'system' ? '系统' : names.get(by) ?? (by === r.raisedBy ? r.raisedByName ?? '' : '')
    return {
      ...summary(r), seen: r.seen ?? r.text ?? '', when: r.when ?? '', where: r.where ?? '', reporterName: r.raisedByName ?? names.get(r.raisedBy) ?? '',
      childTownship: places.name(r.unlistedChild?.townshipId), childAbout: r.unlistedChild?.about ?? '', place, contacts,
      entries: entries.map((e) => ({ seq: e.seq, at: new Date(e.at), text: (ENTRY_TEXT[e.kind] ?? (() => e.kind))(e.data), byName: byName(e.by) })),
      intact: broken === null, ...(broken !== null ? { brokenAt: broken } : {}),
      ...(r.chain && r.chain.count > entries.length ? { missing: r.chain.count - entries.length } : {}),
      may: mayOn(caller, r)
    }
  }
})

const isPolice = (caller: Caller, r: ReportDoc) => caller.grants.some((g) => g.role === 'police' && g.scope?.id === r.jurisdictionId)
const isCivil = (caller: Caller, r: ReportDoc) => caller.grants.some((g) => g.role === 'admin' && g.agency === 'civilAffairs' && g.scope?.id === r.countyId)

/** The steps a reader may add to a report in its state: the detail's `may`, and each step's own check. */
function mayOn (caller: Caller, r: ReportDoc) {
  const open = r.state !== 'closed'
  return {
    acknowledge: isPolice(caller, r) && r.state === 'delivered',
    recordAction: isPolice(caller, r) && open,
    recordIntervention: isCivil(caller, r) && open,
    close: isPolice(caller, r) && (r.state === 'acknowledged' || r.state === 'handled'),
    linkChild: !r.childId && handles(caller, r) && caller.grants.some((g) => g.role === 'admin')
  }
}

function police (caller: Caller, r: ReportDoc): void {
  if (!isPolice(caller, r)) throw new AppError('FORBIDDEN', '只有辖区公安联络员可以处理')
}

/** A closed report takes no more steps: reopening would be a new report. */
function stillOpen (r: ReportDoc): void {
  if (r.state === 'closed') throw new AppError('CONFLICT', '这份报告已办结，不能再添加处理记录')
}

/** A police step: a report of the caller's jurisdiction, still open. */
async function openReportForPolice (caller: Caller, reportId: string): Promise<ReportDoc> {
  const r = await handledReport(caller, reportId)
  police(caller, r)
  stillOpen(r)
  return r
}

export const acknowledge = action({
  contract: safeguardContract.acknowledge,
  allowed: ['police'],
  async handler (input, caller) {
    const r = await handledReport(caller, input.reportId)
    police(caller, r)
    const res = await db.collection(COLLECTIONS.mandatoryReports).where({ _id: r._id, state: 'delivered' }).update({ data: { state: 'acknowledged', acknowledgedAt: clock.now(), acknowledgedBy: caller.openid } }) as { stats: { updated: number } }
    if (res.stats.updated === 1) await appendEntry(r._id, 'acknowledged', caller.openid, {})
    return { state: res.stats.updated === 1 ? 'acknowledged' as const : summary(r).state }
  }
})

export const recordAction = action({
  contract: safeguardContract.recordAction,
  allowed: ['police'],
  async handler (input, caller) {
    const r = await openReportForPolice(caller, input.reportId)
    if (r.state === 'delivered') {
      await db.collection(COLLECTIONS.mandatoryReports).doc(r._id).update({ data: { state: 'acknowledged', acknowledgedAt: clock.now(), acknowledgedBy: caller.openid } })
      await appendEntry(r._id, 'acknowledged', caller.openid, {})
    }
    await appendEntry(r._id, 'action', caller.openid, { action: input.action, note: input.note ?? '' })
    await db.collection(COLLECTIONS.mandatoryReports).doc(r._id).update({ data: { state: 'handled' } })
    return { state: 'handled' as const }
  }
})

export const recordIntervention = action({
  contract: safeguardContract.recordIntervention,
  allowed: ['admin'],
  async handler (input, caller) {
    const r = await handledReport(caller, input.reportId)
    if (!isCivil(caller, r)) throw new AppError('FORBIDDEN', '监护干预由民政部门记录')
    stillOpen(r)
    await appendEntry(r._id, 'intervention', caller.openid, { intervention: input.intervention, note: input.note ?? '' })
    return { state: summary(r).state }
  }
})

/**
 * A child who was described (not picked) is found in the registry: the report is joined to the child's file, so
 * it counts for that child from now on. Only an admin who handles the report and may see the child in the
 * registry links it; the link is an entry on the chain, and the description stays on it.
 */
export const linkChild = action({
  contract: safeguardContract.linkChild,
  allowed: ['admin'],
  async handler (input, caller) {
    const r = await handledReport(caller, input.reportId)
    if (!mayOn(caller, r).linkChild) throw new AppError(r.childId ? 'CONFLICT' : 'FORBIDDEN', r.childId ? '这份报告已经对应到孩子的档案' : '由县公安、民政、教育部门的管理员对应孩子档案')
    const child = await findById<ChildRecord>(COLLECTIONS.children, input.childId)
    // Not found and not in the caller's registry scope answer alike.
    if (!child || child.countyId !== r.countyId || viewOf(caller.grants, child, { bound: false, paired: false }) !== 'staff') {
      throw new AppError('INVALID_INPUT', '填写的内容有误，请按提示修改', { childId: '在您负责的地区没有找到这个孩子' })
    }
    const res = await db.collection(COLLECTIONS.mandatoryReports).where({ _id: r._id, childId: '' })
      .update({ data: { childId: child._id, childName: child.name, townshipId: child.townshipId } }) as { stats: { updated: number } }
    if (res.stats.updated !== 1) throw new AppError('CONFLICT', '这份报告已经对应到孩子的档案')
    await appendEntry(r._id, 'linked', caller.openid, { childId: child._id, name: child.name })
    await audit(caller, { action: 'safeguard.linkChild', what: `强制报告对应到孩子档案（原描述：${r.childName ?? ''}）` }, [child])
    return { childName: child.name }
  }
})

export const close = action({
  contract: safeguardContract.close,
  allowed: ['police'],
  async handler (input, caller) {
    const r = await openReportForPolice(caller, input.reportId)
    if (r.state === 'delivered') throw new AppError('CONFLICT', '请先接收这份报告，记录处理情况后再办结')
    await appendEntry(r._id, 'closed', caller.openid, { note: input.note })
    await db.collection(COLLECTIONS.mandatoryReports).doc(r._id).update({ data: { state: 'closed', closedAt: clock.now() } })
    return { state: 'closed' as const }
  }
})
