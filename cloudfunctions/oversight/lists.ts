/** The lists behind the figures (within the viewer's rights), masked as in the registry, and their CSV. */
import {
  AppError, CLOCKED_STATES, CLOCK_STATE_LABELS, HARM_KIND_LABELS, MATTER_LABELS, OVERSIGHT_LIST_LABELS, VOLUNTEER_KIND_LABELS, ageOn,
  TEMPLATES, deadlineAt, maskPhone, periodStart, periodsOf, runningClocks, shanghaiWall, startOfShanghaiWeek, toDateKey, vettingState, vettingValidUntil, type OversightList
} from '../../src/domain'
import { _, db } from '../_server/cloud'
import { COLLECTIONS } from '../_server/collections'
import { loadCalendar } from '../_server/calendar'
import { Places } from '../_server/places'
import { mayList, noHeldCallSince, unreachableStaff, type Area } from './figures'
import { Reader } from './reader'
import { pieces } from '../_server/paging'

const DAY = 86400000
const when = (d: Date | undefined) => (d ? shanghaiWall(new Date(d)).format('YYYY-MM-DD HH:mm') : '')

/** Where a row can be followed up. Admins see the children of their area in the registry; reports are handled by county admins. */
const childPage = (id: string) => `/packages/registry/pages/child/index?id=${encodeURIComponent(id)}`
const reportPage = (id: string) => `/packages/safeguard/pages/report/index?id=${encodeURIComponent(id)}`

/** The names of documents (children, people) by id, read a page of ids at a time. */
async function namesOf (r: Reader, collection: string, ids: readonly string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>()
  for (const some of pieces([...new Set(ids)])) {
    for (const d of await r.get<{ _id: string, name: string }>(db.collection(collection).where({ _id: _.in(some) }).field({ name: true }).limit(some.length))) names.set(d._id, d.name)
  }
  return names
}

/** A list: its rows, the children they name (for the read log) and, row by row, the page to follow it up (or null). */
interface BuiltList { label: string, columns: string[], rows: string[][], childIds: string[], opens: Array<string | null> }

export async function buildList (area: Area, key: OversightList, now: Date): Promise<BuiltList> {
  if (!mayList(area, key)) throw new AppError('FORBIDDEN', '这份名单不归您的部门查看')
  const r = new Reader()
  const inArea = { [area.field]: area.id }
  const places = new Places()
  const label = OVERSIGHT_LIST_LABELS[key]
  if (key === 'noCallThisWeek' || key === 'noCall4Weeks' || key === 'unpaired') {
    const weekStart = startOfShanghaiWeek(now)
    const since = key === 'noCall4Weeks' ? new Date(weekStart.getTime() - 21 * DAY) : weekStart
    const where: Record<string, unknown> = { ...inArea, status: 'leftBehind' }
    if (key !== 'unpaired') where.lastHeldCallAt = noHeldCallSince(since, weekStart)
    let kids = await r.all<any>(db.collection(COLLECTIONS.children).where(where).field({ name: true, birthDate: true, schoolId: true, villageId: true, className: true, guardian: true, lastHeldCallAt: true }).orderBy('name', 'asc'))
    if (key === 'unpaired') {
      const locked = new Set<string>()
      for (const some of pieces(kids.map((k) => k._id))) (await r.get<{ _id: string }>(db.collection(COLLECTIONS.pairingLocks).where({ _id: _.in(some) }).limit(some.length))).forEach((l) => locked.add(l._id))
      kids = kids.filter((k) => !locked.has(k._id))
    }
    await places.load(kids.flatMap((k) => [k.schoolId, k.villageId]))
    return {
      label, columns: ['姓名', '年龄', '学校', '班级', '村', '监护人', '监护人电话', '最近通话'], childIds: kids.map((k) => k._id), opens: kids.map((k) => childPage(k._id)),
      rows: kids.map((k) => [k.name, String(ageOn(k.birthDate, now)), places.name(k.schoolId), k.className, places.name(k.villageId), k.guardian?.name ?? '', k.guardian?.phone ? maskPhone(k.guardian.phone) : '', k.lastHeldCallAt ? toDateKey(new Date(k.lastHeldCallAt)) : '从未'])
    }
  }
  if (key === 'pairingsDue') {
    const pairs = await r.all<any>(db.collection(COLLECTIONS.pairings).where({ ...inArea, status: _.in(['active', 'review']) }))
    const monthStart = periodStart(periodsOf(now).month)
    const logs: Array<{ pairingId: string }> = []
    for (const some of pieces(pairs.map((p) => p._id))) logs.push(...await r.all<{ pairingId: string }>(db.collection(COLLECTIONS.contactLogs).where({ pairingId: _.in(some), at: _.gte(monthStart) }).field({ pairingId: true })))
    const talked = new Set(logs.map((l) => l.pairingId))
    const due = pairs.filter((p) => !talked.has(p._id))
    const kids = await namesOf(r, COLLECTIONS.children, due.map((p) => p.childId))
    return { label, columns: ['孩子', '爱心家长', '状态'], childIds: due.map((p) => p.childId), opens: due.map((p) => childPage(p.childId)), rows: due.map((p) => [kids.get(p.childId) ?? '', p.volunteerName, p.status === 'review' ? '待复核' : '本月未谈心']) }
  }
  if (key === 'legalAidLate' || key === 'legalAidDueSoon') {
    const cal = await loadCalendar()
    const open = await r.all<any>(db.collection(COLLECTIONS.legalAidRequests).where({ ...inArea, state: _.in([...CLOCKED_STATES]) }))
    const want = key === 'legalAidLate' ? 'late' : 'dueSoon'
    const rows = open.map((q) => ({ q, c: runningClocks(cal, { ...q, deadlineAt: deadlineAt(q.deadline) }, now)[0] })).filter((x) => x.c?.state === want)
    // Legal-aid files are the centre's and the applicant's (the admin sees the clock, not the case): no page.
    return { label, columns: ['孩子', '事项', '中心', '期限', '到期时间', '状态'], childIds: rows.map((x) => x.q.childId), opens: rows.map(() => null), rows: rows.map(({ q, c }) => [q.childName, MATTER_LABELS[q.matter as keyof typeof MATTER_LABELS], q.centreName, c!.label, when(c!.due), CLOCK_STATE_LABELS[c!.state]]) }
  }
  if (key === 'reportsOpen') {
    const reports = await r.all<any>(db.collection(COLLECTIONS.mandatoryReports).where({ ...inArea, state: _.in(['delivered', 'acknowledged', 'handled']) }))
    return { label, columns: ['编号', '孩子', '情况', '报告时间', '公安接收时间'], childIds: reports.map((x) => x.childId).filter(Boolean), opens: reports.map((x) => area.level === 'county' ? reportPage(x._id) : null), rows: reports.map((x) => [x.reference ?? '', x.childName ?? '', (x.kinds ?? []).map((k: keyof typeof HARM_KIND_LABELS) => HARM_KIND_LABELS[k]).join('、'), when(x.filedAt), when(x.acknowledgedAt) || '未接收']) }
  }
  if (key === 'unreachableStaff') {
    const people = await unreachableStaff(area)
    return { label, columns: ['姓名', '岗位', '单位', '收不到的提醒', '短信号码'], childIds: [], opens: people.map(() => null), rows: people.map((p) => [p.name, p.roleLabel, p.placeNames, p.missing.map((k) => TEMPLATES[k].label).join('、'), p.hasPhone ? '有' : '没有']) }
  }
  // vettingExpiring
  const profiles = await r.all<any>(db.collection(COLLECTIONS.volunteerProfiles).where({ townshipIds: _.in(area.townships), 'vetting.result': 'clear' }))
  const soon = profiles.filter((p) => vettingState(p.vetting, now) === 'expiringSoon')
  const users = await namesOf(r, COLLECTIONS.users, soon.map((p) => p._id))
  return { label, columns: ['志愿者', '类别', '审查有效至'], childIds: [], opens: soon.map(() => null), rows: soon.map((p) => [users.get(p._id) ?? '', VOLUNTEER_KIND_LABELS[p.kind as keyof typeof VOLUNTEER_KIND_LABELS], vettingValidUntil(p.vetting)]) }
}

export function toCsv (columns: string[], rows: string[][]): string {
  const cell = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)
  return '\ufeff' + [columns, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n'
}
