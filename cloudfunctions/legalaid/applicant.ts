/** The applicant's side: a guardian or parent (or a child-welfare officer on their behalf) files for a child. */
import {
  AppError, MATTER_LABELS, PARENT_MATTERS, deadlineAt, exemptionsFor, legalaidContract, legalAidClocks, priorityOf, raisesMandatoryReport,
  registryScopes, inScope, routeCentre, shanghaiWall, voiceNoteExtension, voiceNoteProblem, type ChildRecord, type WorkCalendar
} from '../../src/domain'
import type { z } from 'zod'
import { _, cloud, db, findById, rows } from '../_server/cloud'
import { COLLECTIONS } from '../_server/collections'
import { allPages } from '../_server/paging'
import { audit } from '../_server/audit'
import { addOrFind, once } from '../_server/idempotency'
import { calendarLookup, calendarOf, loadCalendar, type EnteredYearDoc } from '../_server/calendar'
import { notify } from '../_server/notify'
import { action } from '../_server/router'
import type { Caller } from '../_server/caller'
import type { LegalAidDoc } from '../_server/legalaid/records'
import { view } from './cases'
import { fileFromOrigin } from '../_server/reports'
import { officersAmong, type CentreDoc, type CentreWithOfficers, type UserRoles } from '../_server/legalaid/centres'
import { nextReference, referenceCounterId } from '../_server/legalaid/reference'
import * as clock from '../_server/clock'

const APPLICANTS = ['guardian', 'parent', 'childWelfareOfficer'] as const
type Draft = z.infer<typeof legalaidContract.saveDraft.input>['draft']

/** The child, if the caller may file for it: bound as parent or guardian, or of an officer's area. */
async function fileableChild (caller: Caller, childId: string): Promise<ChildRecord> {
  return (await fileable(caller, childId)).child
}

type Fileable = ChildRecord & { family: Array<{ openid: string, relation?: string }> }
type ForSubmit = { calendars: EnteredYearDoc[], centres: CentreDoc[], centreStaff: UserRoles[], counter: Array<{ n: number }> }

async function fileable (caller: Caller, childId: string): Promise<{ child: ChildRecord, relation?: string }> {
  // The file with the caller's binding to it joined on, in one read; neither is used before the checks below.
  const res = await db.collection(COLLECTIONS.children).aggregate().match({ _id: childId }).limit(1)
    .lookup({ from: COLLECTIONS.bindings, localField: '_id', foreignField: 'childId', as: 'family' })
    .end() as { list: Fileable[] }
  return mayFile(caller, res.list[0])
}

/**
 * What a request needs, in the same one read: the file and the caller's binding, the calendar, the centres with the
 * people of each (their officers among them), and the year's reference counter (docs/ARCHITECTURE.md, "Cloud
 * functions"). Nothing of it is used before the checks of `mayFile`.
 */
async function fileableForSubmit (caller: Caller, childId: string, now: Date) {
  const res = await db.collection(COLLECTIONS.children).aggregate().match({ _id: childId }).limit(1)
    .lookup({ from: COLLECTIONS.bindings, localField: '_id', foreignField: 'childId', as: 'family' })
    .lookup(calendarLookup('calendars'))
    .lookup({ from: COLLECTIONS.places, pipeline: [{ $match: { kind: 'centre' } }, { $limit: 1000 }], as: 'centres' })
    .lookup({ from: COLLECTIONS.users, localField: 'centres._id', foreignField: 'roles.scope.id', as: 'centreStaff' })
    .lookup({ from: COLLECTIONS.counters, pipeline: [{ $match: { _id: referenceCounterId(now) } }, { $limit: 1 }], as: 'counter' })
    .end() as { list: Array<Fileable & ForSubmit> }
  const { calendars = [], centres = [], centreStaff = [], counter = [], ...file } = res.list[0] ?? {}
  const { child, relation } = mayFile(caller, res.list[0] ? file as Fileable : undefined)
  const officers = officersAmong(centreStaff, centres.map((c) => c._id))
  return {
    child, relation, cal: calendarOf(calendars),
    centres: centres.map((c): CentreWithOfficers => ({ ...c, officers: officers.get(c._id) ?? [] })),
    counter: counter[0] ?? null
  }
}

function mayFile (caller: Caller, found: Fileable | undefined): { child: ChildRecord, relation?: string } {
  const refuse = new AppError('FORBIDDEN', '只能为自己的孩子，或您负责地区的孩子申请')
  if (!found) throw refuse
  const { family, ...rest } = found
  const child = rest as ChildRecord
  const bound = family.find((b) => b.openid === caller.openid)
  if (bound && caller.grants.some((g) => g.role === 'parent' || g.role === 'guardian')) return { child, relation: bound.relation }
  const officer = caller.grants.some((g) => g.role === 'childWelfareOfficer') && inScope(registryScopes(caller.grants.filter((g) => g.role === 'childWelfareOfficer')), child)
  if (officer) return { child }
  throw refuse
}

/**
 * True when `fileId` is what the caller's own upload produced: `cloud://<env>/legalaid/<their openid>/<file>`, the
 * whole path compared, not a substring (so `…?x=/legalaid/<them>/` or `../` cannot pass for it).
 */
function ownUpload (caller: Caller, fileId: string): boolean {
  const m = /^cloud:\/\/([A-Za-z0-9._-]+)\/([^?#\s\\]+)$/.exec(fileId)
  if (!m) return false
  // cloud://<env>.<bucket>/…: this environment's storage only.
  const env = String((cloud.getWXContext() as { ENV?: string }).ENV ?? '')
  if (env && !m[1].startsWith(`${env}.`)) return false
  const [area, owner, name, ...rest] = m[2].split('/')
  return rest.length === 0 && area === 'legalaid' && owner === caller.openid && name !== undefined && /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(name)
}

/**
 * The applicant's own work city, for a wage or work-injury claim: the city on the child's file of the parent who
 * is applying (the binding says father or mother; the name tells two of the same apart). Never another parent's.
 */
function ownWorkCity (caller: Caller, child: ChildRecord, relation: string | undefined): string | undefined {
  if (relation !== 'father' && relation !== 'mother') return undefined
  const same = (child.parents ?? []).filter((p) => p.relation === relation)
  const me = same.find((p) => p.name === caller.user?.name) ?? (same.length === 1 ? same[0] : undefined)
  return me?.workCity || undefined
}

/** Evidence must be the caller's own uploads (cloud path legalaid/<openid>/…): nobody attaches another's files. */
function checkFiles (caller: Caller, files: readonly string[], field: string): void {
  const bad = files.findIndex((f) => !ownUpload(caller, f))
  if (bad >= 0) throw new AppError('INVALID_INPUT', '文件不对，请重新上传', { [`${field}.${bad}`]: '只能附上自己上传的文件' })
}

/**
 * A voice note must be the caller's own upload, and its stored bytes the audio its name says, within the size
 * limit: the recorder's name and length come from the phone, so the file itself is looked at here.
 */
async function checkVoiceNote (caller: Caller, note: { fileId: string } | undefined, field: string): Promise<void> {
  if (!note) return
  const refuse = (why: string) => new AppError('INVALID_INPUT', `录音不能用：${why}`, { [`${field}.fileId`]: why })
  if (!ownUpload(caller, note.fileId)) throw refuse('只能附上自己录的语音')
  const ext = voiceNoteExtension(note.fileId)
  if (!ext) throw refuse('这不是录音文件，请重新录一段')
  let bytes: Buffer
  try {
    bytes = (await cloud.downloadFile({ fileID: note.fileId })).fileContent as Buffer
  } catch {
    throw refuse('录音没有传上去，请重新录一段')
  }
  const problem = voiceNoteProblem(ext, bytes.length, bytes.subarray(0, 16))
  if (problem) throw refuse(problem)
}

export const children = action({
  contract: legalaidContract.children,
  allowed: APPLICANTS,
  async handler (_input, caller) {
    const bound = await rows<{ childId: string }>(db.collection(COLLECTIONS.bindings).where({ openid: caller.openid }).limit(100))
    const scopes = registryScopes(caller.grants.filter((g) => g.role === 'childWelfareOfficer'))
    const conds = [...(bound.length ? [{ _id: _.in(bound.map((b) => b.childId)) }] : []), ...scopes.map((r) => ({ [r.field]: r.value }))]
    if (conds.length === 0) return { children: [] }
    const list = await allPages<ChildRecord>(db.collection(COLLECTIONS.children).where(_.or(conds)).field({ name: true }).orderBy('name', 'asc'))
    return { children: list.map((c) => ({ id: c._id, name: c.name })) }
  }
})

export const saveDraft = action({
  contract: legalaidContract.saveDraft,
  allowed: APPLICANTS,
  async handler (input, caller) {
    await fileableChild(caller, input.draft.childId)
    checkFiles(caller, input.draft.files ?? [], 'draft.files')
    await checkVoiceNote(caller, input.draft.voiceNote, 'draft.voiceNote')
    // One draft per applicant and child unless an id is given, so saving twice keeps one draft. A draft's id is
    // the caller's own (draft-<openid>-…), and a request once submitted is never turned back into a draft.
    const draftId = input.draftId ?? `draft-${caller.openid}-${input.draft.childId}`
    if (!draftId.startsWith(`draft-${caller.openid}-`)) throw new AppError('NOT_FOUND', '没有找到这个草稿')
    const existing = await findById<{ applicant: string, state: string }>(COLLECTIONS.legalAidRequests, draftId)
    if (existing && existing.applicant !== caller.openid) throw new AppError('NOT_FOUND', '没有找到这个草稿')
    if (existing && existing.state !== 'draft') throw new AppError('CONFLICT', '这个申请已经提交了，不能再当草稿修改')
    await db.collection(COLLECTIONS.legalAidRequests).doc(draftId).set({ data: { applicant: caller.openid, state: 'draft', draft: input.draft, savedAt: clock.now(), updatedAt: clock.now() } })
    return { draftId }
  }
})

export const drafts = action({
  contract: legalaidContract.drafts,
  allowed: APPLICANTS,
  async handler (_input, caller) {
    const list = await rows<{ _id: string, draft: Draft, savedAt: Date }>(db.collection(COLLECTIONS.legalAidRequests).where({ applicant: caller.openid, state: 'draft' }).orderBy('updatedAt', 'desc').limit(20))
    const names = new Map((await rows<ChildRecord>(db.collection(COLLECTIONS.children).where({ _id: _.in([...new Set(list.map((d) => d.draft.childId)), '-']) }).field({ name: true }).limit(100))).map((c) => [c._id, c.name]))
    return { drafts: list.map((d) => ({ id: d._id, childName: names.get(d.draft.childId) ?? '', matterLabel: d.draft.matter ? MATTER_LABELS[d.draft.matter] : '还没选', savedAt: d.savedAt, draft: d.draft })) }
  }
})

const when = (d: Date) => shanghaiWall(d).format('M月D日 HH:mm')

export const submit = action({
  contract: legalaidContract.submit,
  allowed: APPLICANTS,
  async handler (input, caller) {
    const d = input.draft
    const { child, relation, cal, centres, counter } = await fileableForSubmit(caller, d.childId, clock.now())
    checkFiles(caller, d.files, 'draft.files')
    await checkVoiceNote(caller, d.voiceNote, 'draft.voiceNote')
    return await once(caller, 'legalaid.submit', input.idempotencyKey, async ({ ref, resumed }) => {
      const now = clock.now()
      const workCity = PARENT_MATTERS.includes(d.matter) ? ownWorkCity(caller, child, relation) : undefined
      const route = routeCentre(d.matter, child, workCity, centres.map((c) => ({ id: c._id, name: c.name, countyId: c.countyId, city: c.city, activeOfficers: c.officers.length })))
      if (!route) throw new AppError('NOT_FOUND', '这个县还没有登记法律援助中心，请拨打 12348')
      const centreDoc = centres.find((c) => c._id === route.centre.id)!
      const clocks = legalAidClocks(cal, { submittedAt: now, deadlineAt: deadlineAt(d.deadline), evidenceUrgent: d.evidenceUrgent, now })
      const doc: LegalAidDoc = {
        _id: `la-${ref}`,
        reference: await nextReference(now, resumed ? undefined : counter),
        childId: child._id, childName: child.name, countyId: child.countyId, townshipId: child.townshipId, applicant: caller.openid, applicantName: caller.user!.name,
        matter: d.matter, people: d.people, story: d.story, deadline: d.deadline, deadlineWhat: d.deadlineWhat, evidenceUrgent: d.evidenceUrgent, files: d.files,
        ...(d.voiceNote ? { voiceNote: { fileId: d.voiceNote.fileId, seconds: d.voiceNote.seconds } } : {}),
        centreId: centreDoc._id, centreName: centreDoc.name, ...(centreDoc.phone ? { centrePhone: centreDoc.phone } : {}), routedWhy: route.why,
        exemptions: exemptionsFor(d.matter, child.categories ?? []),
        priority: priorityOf(d.matter, clocks.provideFirst), state: 'submitted', submittedAt: now, updatedAt: now,
        timeline: [{ at: now, text: `已提交到${centreDoc.name}` }],
        officersTold: false
      }
      // A retry after a crash finds the request the first run stored; what follows is safe to do again.
      const stored = await addOrFind(COLLECTIONS.legalAidRequests, doc)
      // The caller's own draft goes, if it is one (the conditions are the check).
      if (input.draftId) await db.collection(COLLECTIONS.legalAidRequests).where({ _id: input.draftId, applicant: caller.openid, state: 'draft' }).remove()
      if (raisesMandatoryReport(d.matter) && !stored.reportId) {
        const reportId = await fileFromOrigin({ _id: `report-legalaid-${doc._id}`, origin: { kind: 'legalaid', id: doc._id }, childId: child._id, countyId: child.countyId, kinds: [d.matter === 'abandonment' ? 'abandonment' : 'physicalAbuse'], text: d.story, raisedBy: caller.openid, raisedByName: caller.user!.name }, now)
        await db.collection(COLLECTIONS.legalAidRequests).doc(doc._id).update({ data: { reportId } })
      }
      // Every officer of the centre hears of it within the minute from the legal-aid timer, which reads the open
      // requests every minute anyway (`officersTold`, jobs/legalaid.ts); with nobody there, the county's justice admin.
      await audit(caller, { action: 'legalaid.submit', what: `提交法律援助申请（${MATTER_LABELS[d.matter]}）` }, [child])
      return submitted(stored, cal, now)
    }, {
      // The request keeps itself (its id comes from the key): a retry reads it back, once what must follow it is
      // done (a harm reported), else it goes the lease's way and the resumed run finishes it.
      keeps: () => true,
      find: async (ref) => {
        const stored = await findById<LegalAidDoc>(COLLECTIONS.legalAidRequests, `la-${ref}`)
        return stored && (!raisesMandatoryReport(stored.matter) || stored.reportId) ? submitted(stored, cal, clock.now()) : undefined
      }
    })
  }
})

/** What the applicant is told once the request is in: its number, where it went and why, and the days it has. */
function submitted (r: LegalAidDoc, cal: WorkCalendar, now: Date) {
  const submittedAt = new Date(r.submittedAt)
  const clocks = legalAidClocks(cal, { submittedAt, deadlineAt: deadlineAt(r.deadline), evidenceUrgent: r.evidenceUrgent, now: submittedAt })
  const nextSteps = [
    `申请编号 ${r.reference}。${r.routedWhy}`,
    `${r.centreName}会在 ${when(clocks.acknowledgeBy.at)} 前确认收到。`,
    `${when(clocks.decideBy.at)} 前告诉您是否给予法律援助（法律规定最迟 ${when(clocks.statutoryReviewBy.at)}）。`,
    '批准后3日内为孩子安排志愿律师，律师会联系您。',
    ...(clocks.provideFirst ? ['您的事情期限很近或需要马上保全证据，中心会先提供法律援助，再补审查。'] : []),
    ...(raisesMandatoryReport(r.matter) ? ['孩子受到伤害的情况，已同时报告公安等部门。有危险请马上打 110。'] : [])
  ]
  return { requestId: r._id, nextSteps, view: view(r, cal, now) }
}

export const mine = action({
  contract: legalaidContract.mine,
  allowed: APPLICANTS,
  async handler (_input, caller) {
    const list = await rows<LegalAidDoc>(db.collection(COLLECTIONS.legalAidRequests).where({ applicant: caller.openid, state: _.neq('draft') }).orderBy('updatedAt', 'desc').limit(50))
    const cal = await loadCalendar()
    const now = clock.now()
    return { requests: list.map((r) => view(r, cal, now)) }
  }
})

/** Who may open a case: its applicant, its lawyer, an officer of its centre. Evidence goes only to them. */
async function caseFor (caller: Caller, requestId: string): Promise<LegalAidDoc> {
  const r = await findById<LegalAidDoc>(COLLECTIONS.legalAidRequests, requestId)
  const refuse = new AppError('FORBIDDEN', '您不能查看这个案件')
  if (!r || (r.state as string) === 'draft') throw refuse
  const officer = caller.grants.some((g) => g.role === 'legalAidOfficer' && g.scope?.id === r.centreId)
  if (r.applicant === caller.openid || (r.lawyerId === caller.openid && caller.grants.some((g) => g.role === 'lawyer')) || officer) return r
  throw refuse
}

export const detail = action({
  contract: legalaidContract.detail,
  allowed: [...APPLICANTS, 'legalAidOfficer', 'lawyer'],
  async handler (input, caller) {
    const r = await caseFor(caller, input.requestId)
    const cal = await loadCalendar()
    const viewer = r.applicant === caller.openid ? 'applicant' as const : r.lawyerId === caller.openid ? 'lawyer' as const : 'officer' as const
    // The voice note is heard by the officers and the lawyer only; its applicant sees that it is attached.
    const hears = viewer !== 'applicant' && r.voiceNote !== undefined
    // Evidence is private in storage; a short-lived link is made for this reader only.
    const wanted = [...r.files, ...(hears ? [r.voiceNote!.fileId] : [])]
    const links = wanted.length > 0 ? (await cloud.getTempFileURL({ fileList: wanted.map((f) => ({ fileID: f, maxAge: 600 })) } as any) as { fileList: Array<{ fileID: string, tempFileURL: string }> }).fileList : []
    await audit(caller, { action: 'legalaid.detail', what: hears ? '查看法律援助案件（含录音）' : '查看法律援助案件' }, [{ _id: r.childId, countyId: r.countyId }])
    const voiceUrl = hears ? links.find((l) => l.fileID === r.voiceNote!.fileId)?.tempFileURL : undefined
    const files = links.filter((l) => r.files.includes(l.fileID)).map((l) => ({ fileId: l.fileID, url: l.tempFileURL }))
    return {
      ...view(r, cal, clock.now()), viewer, people: r.people, story: r.story, deadlineWhat: r.deadlineWhat, evidenceUrgent: r.evidenceUrgent, applicantName: r.applicantName, files,
      ...(r.voiceNote ? { voiceNote: { seconds: r.voiceNote.seconds, ...(voiceUrl ? { url: voiceUrl } : {}) } } : {})
    }
  }
})

export const addFiles = action({
  contract: legalaidContract.addFiles,
  allowed: APPLICANTS,
  async handler (input, caller) {
    const r = await caseFor(caller, input.requestId)
    if (r.applicant !== caller.openid) throw new AppError('FORBIDDEN', '只有申请人可以补交材料')
    checkFiles(caller, input.files, 'files')
    const files = [...new Set([...r.files, ...input.files])]
    await db.collection(COLLECTIONS.legalAidRequests).doc(r._id).update({ data: { files, documentsAsked: _.remove(), timeline: _.push([{ at: clock.now(), text: `已补交${input.files.length}份材料` }]), updatedAt: clock.now() } })
    if (r.lawyerId) await notify({ to: r.lawyerId, template: 'caseUpdate', link: `packages/legalaid/pages/case/index?id=${r._id}`, title: '申请人补交了材料', at: clock.now(), detail: r.childName })
    return { files: files.length }
  }
})
