/**
 * Beside the role table (permissions.test.ts): every action that takes an object id, tried on a real object by its
 * rightful caller, by a caller of the same role out of scope (another family, township, station, centre or
 * jurisdiction, a school's other teacher, an unassigned lawyer, an unpaired volunteer) and by the rightful caller
 * with their roles suspended. The rightful caller gets past every scope check (an answer, or a refusal about the
 * object's state); the other two are refused in plain Chinese, and nothing at all is written (every collection
 * compared before and after). Rows run in order, each on the objects made below.
 */
import type { LocalCloud } from '../../localcloud'
import { CONSENT_VERSION } from '../../src/domain'
import { callAs, startTestCloud } from '../support/localcloud'
import { key, newChild } from '../support/children'
import { openRoomAllDay } from '../support/hotline'
import { changed, snapshot } from '../support/store'

let cloud: LocalCloud
const O: Record<string, string> = {} // the objects, by name
const call = async (who: string, fn: string, action: string, data: unknown) => (await callAs(cloud, who, fn, action, data)).body
const today = () => new Date(Date.now() + 8 * 3600000).toISOString().slice(0, 10)
const inDays = (n: number) => new Date(Date.now() + 8 * 3600000 + n * 86400000).toISOString().slice(0, 10)
const must = (body: any, what: string) => { if (!body.ok) throw new Error(`${what}: ${JSON.stringify(body.error)}`); return body.data }

beforeAll(async () => {
  cloud = await startTestCloud()
  await openRoomAllDay(cloud, { maxFutureBookingsPerFamily: 10 })
  const slots = must(await call('demo-parent-wang', 'hotline', 'slots', { childId: 'child-01' }), 'slots').slots
  O.slotA = slots[3].start
  O.slotB = slots[6].start
  O.slotC = slots[9].start
  // Direct calls 王建国 made to grandma's phone two and three hours ago, for home or the teacher to confirm.
  const direct = async (hoursAgo: number) => must(await call('demo-parent-wang', 'hotline', 'recordDirectCall', { childId: 'child-01', at: new Date(Date.now() - hoursAgo * 3600000).toISOString(), minutes: 15, mode: 'video', idempotencyKey: key() }), 'recordDirectCall').call.id
  O.directCall = await direct(2)
  O.directCallSchool = await direct(3)
  O.booking = must(await call('demo-parent-wang', 'hotline', 'book', { childId: 'child-01', start: slots[12].start, mode: 'video', idempotencyKey: key() }), 'book').booking.id
  O.wait = must(await call('demo-parent-wang', 'hotline', 'joinWaitlist', { childId: 'child-01', date: inDays(2), idempotencyKey: key() }), 'wait').id
  O.rule = must(await call('demo-parent-wang', 'hotline', 'setStandingCall', { childId: 'child-01', weekday: 3, time: '20:00', mode: 'video' }), 'standing').rule.id
  // 心理: a routine request of 张桂兰's, handed to 刘心怡; one for handing over and one for closing; a crisis alerting 刘心怡.
  const calm = { safeNow: 'yes', someoneHurts: 'no', selfHarmThoughts: 'no', hardDays: 'few', howLong: 'days' }
  const ask = async () => must(await call('demo-guardian-zhang', 'counseling', 'ask', { childId: 'child-01', answers: calm, idempotencyKey: key() }), 'ask').requestId
  for (const name of ['help', 'helpHand', 'helpClose', 'helpReport']) {
    O[name] = await ask()
    must(await call('demo-counselor-zhang', 'counseling', 'handOver', { requestId: O[name], to: 'demo-counselor-liu' }), 'handOver')
  }
  O.helpBook = await ask()
  O.crisis = must(await call('demo-child-xiaoyu', 'counseling', 'ask', { childId: 'child-01', answers: { ...calm, safeNow: 'no' }, idempotencyKey: key() }), 'crisis').requestId
  const free = must(await call('demo-guardian-zhang', 'counseling', 'sessionSlots', { requestId: O.helpBook }), 'sessionSlots').slots
  O.sessionAt = free[1].start
  O.sessionAt2 = free[4].start
  const booked = must(await call('demo-guardian-zhang', 'counseling', 'bookSession', { requestId: O.helpBook, start: free[0].start, mode: 'voice', phone: '13800001007', idempotencyKey: key() }), 'bookSession')
  O.session = booked.session.id
  O.helpOpen = await ask()
  O.helpAsker = await ask() // for the asker's own follow-ups (a call-back number, telling more)
  // 法律援助: 张桂兰's requests at 青山县 centre: one just submitted, one approved, one with 郑志远 assigned.
  const submit = async () => must(await call('demo-guardian-zhang', 'legalaid', 'submit', { draft: { childId: 'child-01', matter: 'maintenance', people: '孩子的叔叔', story: '抚养费一直没给，想请律师帮忙。', files: [] }, idempotencyKey: key() }), 'submit').requestId
  O.la = await submit()
  O.laApproved = await submit()
  must(await call('demo-officer-wu', 'legalaid', 'decide', { requestId: O.laApproved, decision: 'approved' }), 'decide')
  O.laAssigned = await submit()
  must(await call('demo-officer-wu', 'legalaid', 'decide', { requestId: O.laAssigned, decision: 'approved' }), 'decide')
  must(await call('demo-officer-wu', 'legalaid', 'assignLawyer', { requestId: O.laAssigned, lawyerId: 'demo-lawyer-zheng' }), 'assign')
  O.laStuck = await submit() // for the county justice admin to reassign
  O.draft = must(await call('demo-guardian-zhang', 'legalaid', 'saveDraft', { draft: { childId: 'child-02' } }), 'draft').draftId
  // 结对: 孙丽华 paired with 陈思琪 (石桥镇), and offered 林浩然; 林晓燕 paired with 朱晨阳 (白水乡), whose family uses the app.
  cloud.store.insert('pairings', [
    { _id: 'pair-scope-family', childId: 'child-12', countyId: 'county-qs', townshipId: 'tw-bs', volunteerId: 'demo-teacher-lin', volunteerName: '林晓燕', status: 'active', acceptedAt: new Date() },
    { _id: 'pair-scope', childId: 'child-03', countyId: 'county-qs', townshipId: 'tw-sq', volunteerId: 'demo-vol-sun', volunteerName: '孙丽华', status: 'active', acceptedAt: new Date() },
    { _id: 'pair-scope-2', childId: 'child-06', countyId: 'county-qs', townshipId: 'tw-sq', volunteerId: 'demo-vol-sun', volunteerName: '孙丽华', status: 'active', acceptedAt: new Date() },
    { _id: 'offer-scope', childId: 'child-04', countyId: 'county-qs', townshipId: 'tw-sq', volunteerId: 'demo-vol-sun', volunteerName: '孙丽华', status: 'offered', offeredAt: new Date(), expiresAt: new Date(Date.now() + 86400000) }
  ])
  O.run = must(await call('demo-admin-sq', 'pairing', 'runMatching', {}), 'runMatching').runId
  // 强制报告: 陈丽's report of 王小雨 (石桥派出所), and one of a child she described.
  const report = (child: object) => call('demo-teacher-chen', 'safeguard', 'report', { report: { ...child, kinds: ['neglect'], seen: '连续几天没吃早饭', when: today(), where: '学校', dangerNow: false }, idempotencyKey: key() })
  O.report = must(await report({ childId: 'child-01' }), 'report').id
  O.reportUnlisted = must(await report({ unlistedChild: { name: '小军', townshipId: 'tw-sq' } }), 'report').id
  // 删除申请: a file of its own (carrying the deletion out erases it), bound to 王建国, who asks for it to be deleted.
  const gone = newChild({ name: '申请删除的孩子' })
  O.childGone = must(await call('demo-cwo-zhao', 'registry', 'createChild', { child: gone, confirmNotDuplicate: true, idempotencyKey: key() }), 'createChild').childId
  const code = must(await call('demo-cwo-zhao', 'registry', 'createBindingCode', { childId: O.childGone, role: 'parent', relation: 'father', personName: '王建国', idempotencyKey: key() }), 'createBindingCode').code
  must(await call('demo-parent-wang', 'registry', 'redeemBindingCode', { code, childBirthDate: gone.birthDate }), 'redeemBindingCode')
  O.deletion = must(await call('demo-parent-wang', 'registry', 'requestDeletion', { childId: O.childGone, idempotencyKey: key() }), 'requestDeletion').id
  // The demo has one county: county-level admins of another county (民政, 司法) are the outsiders of county-wide work.
  cloud.store.insert('users', [
    { _id: 'scope-admin-other-mz', name: '外县民政', roles: [{ role: 'admin', agency: 'civilAffairs', scope: { level: 'county', id: 'county-other' }, status: 'active' }], phone: '13800009801', createdAt: new Date() },
    { _id: 'scope-admin-other-sf', name: '外县司法', roles: [{ role: 'admin', agency: 'justice', scope: { level: 'county', id: 'county-other' }, status: 'active' }], phone: '13800009802', createdAt: new Date() }
  ])
}, 120000)
afterAll(async () => { await cloud?.close() })

interface Row { name: string, fn: string, action: string, data: () => unknown, rightful: string, outsider: string, outsiderAnswer?: (body: any) => void }

const ROWS: Row[] = [
  // 一人一档
  { name: 'a child\'s file, by another village\'s officer', fn: 'registry', action: 'getChild', data: () => ({ childId: 'child-01' }), rightful: 'demo-cwo-zhao', outsider: 'demo-cwo-qian' },
  { name: 'a child\'s file, by another family', fn: 'registry', action: 'getChild', data: () => ({ childId: 'child-01' }), rightful: 'demo-parent-wang', outsider: 'demo-parent-zhu' },
  { name: 'a child\'s file, by another school\'s teacher', fn: 'registry', action: 'getChild', data: () => ({ childId: 'child-01' }), rightful: 'demo-teacher-chen', outsider: 'demo-teacher-lin' },
  { name: 'a child\'s file, by another township\'s admin', fn: 'registry', action: 'getChild', data: () => ({ childId: 'child-01' }), rightful: 'demo-admin-sq', outsider: 'demo-admin-bs' },
  { name: 'a whole phone number', fn: 'registry', action: 'reveal', data: () => ({ childId: 'child-01', field: 'guardianPhone' }), rightful: 'demo-cwo-zhao', outsider: 'demo-cwo-qian' },
  { name: 'a binding code', fn: 'registry', action: 'createBindingCode', data: () => ({ childId: 'child-01', role: 'parent', relation: 'mother', personName: '李秀英', idempotencyKey: key() }), rightful: 'demo-cwo-zhao', outsider: 'demo-cwo-qian' },
  { name: 'a status change', fn: 'registry', action: 'changeStatus', data: () => ({ childId: 'child-01', change: { status: 'leftBehind', reason: '核实仍在外务工', effectiveDate: today() } }), rightful: 'demo-cwo-zhao', outsider: 'demo-cwo-qian' },
  { name: 'an edit of the file', fn: 'registry', action: 'updateChild', data: () => ({ childId: 'child-01', child: { ...newChild({ name: '王小雨', birthDate: '2016-04-12' }), idNumber: undefined } }), rightful: 'demo-teacher-chen', outsider: 'demo-teacher-lin' },
  { name: 'the consent form', fn: 'registry', action: 'consentForm', data: () => ({ childId: 'child-01' }), rightful: 'demo-guardian-zhang', outsider: 'demo-guardian-zhu' },
  { name: 'the consent', fn: 'registry', action: 'giveConsent', data: () => ({ childId: 'child-01', decision: 'granted', version: CONSENT_VERSION }), rightful: 'demo-guardian-zhang', outsider: 'demo-guardian-zhu' },
  { name: 'asking for a file to be deleted', fn: 'registry', action: 'requestDeletion', data: () => ({ childId: O.childGone, reason: '孩子转学到外地了', idempotencyKey: key() }), rightful: 'demo-parent-wang', outsider: 'demo-parent-zhu' },
  // Erases O.childGone: after the request above.
  { name: 'carrying out a deletion, by another county\'s 民政 admin', fn: 'registry', action: 'carryOutDeletion', data: () => ({ requestId: O.deletion }), rightful: 'demo-admin-xu', outsider: 'scope-admin-other-mz' },
  {
    name: 'a child\'s access log, by another township\'s admin', fn: 'registry', action: 'accessLog', data: () => ({ childId: 'child-01' }), rightful: 'demo-admin-sq', outsider: 'demo-admin-bs',
    outsiderAnswer: (b) => { expect(b.ok).toBe(true); expect(b.data.items).toEqual([]) }
  },
  // 亲情热线
  { name: 'a child\'s free slots', fn: 'hotline', action: 'slots', data: () => ({ childId: 'child-01' }), rightful: 'demo-parent-wang', outsider: 'demo-parent-zhu' },
  { name: 'a child\'s call history', fn: 'hotline', action: 'history', data: () => ({ childId: 'child-01' }), rightful: 'demo-parent-wang', outsider: 'demo-parent-zhu' },
  { name: 'booking for a child', fn: 'hotline', action: 'book', data: () => ({ childId: 'child-01', start: O.slotA, mode: 'video', idempotencyKey: key() }), rightful: 'demo-parent-wang', outsider: 'demo-parent-zhu' },
  { name: 'moving a booking', fn: 'hotline', action: 'move', data: () => ({ bookingId: O.booking, start: O.slotB, idempotencyKey: key() }), rightful: 'demo-parent-wang', outsider: 'demo-parent-zhu' },
  { name: 'a day sheet', fn: 'hotline', action: 'daySheet', data: () => ({ roomId: 'room-sq', date: today() }), rightful: 'demo-teacher-chen', outsider: 'demo-teacher-lin' },
  { name: 'checking a call in', fn: 'hotline', action: 'checkIn', data: () => ({ bookingId: O.booking, outcome: 'held' }), rightful: 'demo-teacher-chen', outsider: 'demo-teacher-lin' },
  { name: 'cancelling a booking', fn: 'hotline', action: 'cancel', data: () => ({ bookingId: O.booking, reason: '孩子有事' }), rightful: 'demo-parent-wang', outsider: 'demo-parent-zhu' },
  { name: 'joining a waiting list', fn: 'hotline', action: 'joinWaitlist', data: () => ({ childId: 'child-01', date: inDays(3), idempotencyKey: key() }), rightful: 'demo-parent-wang', outsider: 'demo-parent-zhu' },
  { name: 'taking an offered seat', fn: 'hotline', action: 'acceptOffer', data: () => ({ entryId: O.wait, mode: 'video' }), rightful: 'demo-parent-wang', outsider: 'demo-parent-zhu' },
  { name: 'leaving a waiting list', fn: 'hotline', action: 'leaveWaitlist', data: () => ({ entryId: O.wait }), rightful: 'demo-parent-wang', outsider: 'demo-parent-zhu' },
  { name: 'a standing weekly call', fn: 'hotline', action: 'setStandingCall', data: () => ({ childId: 'child-01', weekday: 4, time: '20:00', mode: 'video' }), rightful: 'demo-parent-wang', outsider: 'demo-parent-zhu' },
  { name: 'removing a standing call', fn: 'hotline', action: 'removeStandingCall', data: () => ({ ruleId: O.rule }), rightful: 'demo-parent-wang', outsider: 'demo-parent-zhu' },
  { name: 'recording a direct call', fn: 'hotline', action: 'recordDirectCall', data: () => ({ childId: 'child-01', at: new Date(Date.now() - 3600000).toISOString(), minutes: 10, mode: 'voice', idempotencyKey: key() }), rightful: 'demo-parent-wang', outsider: 'demo-parent-zhu' },
  { name: 'confirming a direct call, by another family\'s guardian', fn: 'hotline', action: 'confirmDirectCall', data: () => ({ callId: O.directCall, decision: 'confirmed' }), rightful: 'demo-guardian-zhang', outsider: 'demo-guardian-zhu' },
  { name: 'confirming a direct call, by another school\'s teacher', fn: 'hotline', action: 'confirmDirectCall', data: () => ({ callId: O.directCallSchool, decision: 'confirmed' }), rightful: 'demo-teacher-chen', outsider: 'demo-teacher-lin' },
  { name: 'a care room\'s settings', fn: 'hotline', action: 'saveRoomSettings', data: () => ({ roomId: 'room-sq', settings: { devices: 2, openHours: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '06:00', end: '23:00' }], slotMinutes: 20, bufferMinutes: 0, closedDates: [], followsSchoolCalendar: false, noticeHours: 0, horizonDays: 14, maxFutureBookingsPerFamily: 10 } }), rightful: 'demo-teacher-chen', outsider: 'demo-teacher-lin' },
  // 心理援助
  { name: 'asking help for a child', fn: 'counseling', action: 'ask', data: () => ({ childId: 'child-01', answers: { safeNow: 'yes', someoneHurts: 'no', selfHarmThoughts: 'no', hardDays: 'few', howLong: 'days' }, idempotencyKey: key() }), rightful: 'demo-parent-wang', outsider: 'demo-parent-zhu' },
  { name: 'leaving a call-back number', fn: 'counseling', action: 'setCallBack', data: () => ({ requestId: O.helpAsker, phone: '13800001007', whose: 'mine' }), rightful: 'demo-guardian-zhang', outsider: 'demo-guardian-zhu' },
  { name: 'telling more after asking', fn: 'counseling', action: 'tellMore', data: () => ({ requestId: O.helpAsker, words: '孩子最近晚上睡不好，总说想妈妈', idempotencyKey: key() }), rightful: 'demo-guardian-zhang', outsider: 'demo-guardian-zhu' },
  { name: 'a request\'s free sessions', fn: 'counseling', action: 'sessionSlots', data: () => ({ requestId: O.helpOpen }), rightful: 'demo-guardian-zhang', outsider: 'demo-guardian-zhu' },
  { name: 'booking a session', fn: 'counseling', action: 'bookSession', data: () => ({ requestId: O.helpOpen, start: O.sessionAt, mode: 'voice', phone: '13800001007', idempotencyKey: key() }), rightful: 'demo-guardian-zhang', outsider: 'demo-guardian-zhu' },
  { name: 'moving a session', fn: 'counseling', action: 'moveSession', data: () => ({ sessionId: O.session, start: O.sessionAt2, idempotencyKey: key() }), rightful: 'demo-guardian-zhang', outsider: 'demo-guardian-zhu' },
  { name: 'cancelling a session', fn: 'counseling', action: 'cancelSession', data: () => ({ sessionId: O.session, reason: '孩子发烧' }), rightful: 'demo-guardian-zhang', outsider: 'demo-guardian-zhu' },
  { name: 'a case\'s notes, by another station\'s counsellor', fn: 'counseling', action: 'readNotes', data: () => ({ requestId: O.help }), rightful: 'demo-counselor-liu', outsider: 'demo-counselor-luo' },
  { name: 'a case\'s notes, by a counsellor of the station it is not handed to', fn: 'counseling', action: 'readNotes', data: () => ({ requestId: O.help }), rightful: 'demo-counselor-zhang', outsider: 'demo-counselor-huang' },
  { name: 'a case with its call-back numbers, by another station\'s counsellor', fn: 'counseling', action: 'caseView', data: () => ({ requestId: O.help }), rightful: 'demo-counselor-liu', outsider: 'demo-counselor-luo' },
  { name: 'a case with its call-back numbers, by a counsellor of the station it is not handed to', fn: 'counseling', action: 'caseView', data: () => ({ requestId: O.help }), rightful: 'demo-counselor-zhang', outsider: 'demo-counselor-huang' },
  { name: 'filing a report from a case', fn: 'counseling', action: 'reportFromCase', data: () => ({ requestId: O.helpReport, kinds: ['neglect'], seen: '孩子说奶奶生病后常常没人做饭', dangerNow: false, idempotencyKey: key() }), rightful: 'demo-counselor-liu', outsider: 'demo-counselor-huang' },
  { name: 'writing a case note', fn: 'counseling', action: 'writeNote', data: () => ({ requestId: O.help, text: '第一次谈话', idempotencyKey: key() }), rightful: 'demo-counselor-liu', outsider: 'demo-counselor-huang' },
  { name: 'taking a crisis, by another station\'s counsellor', fn: 'counseling', action: 'acknowledge', data: () => ({ requestId: O.crisis }), rightful: 'demo-counselor-liu', outsider: 'demo-counselor-luo' },
  { name: 'handing a case over', fn: 'counseling', action: 'handOver', data: () => ({ requestId: O.helpHand, to: 'demo-counselor-huang' }), rightful: 'demo-counselor-liu', outsider: 'demo-counselor-luo' },
  { name: 'closing a case', fn: 'counseling', action: 'closeCase', data: () => ({ requestId: O.helpClose, summary: '情况好转，结案' }), rightful: 'demo-counselor-liu', outsider: 'demo-counselor-huang' },
  // 法律援助
  { name: 'a case, by another centre\'s officer', fn: 'legalaid', action: 'detail', data: () => ({ requestId: O.la }), rightful: 'demo-officer-wu', outsider: 'demo-officer-sz' },
  { name: 'a case, by another family', fn: 'legalaid', action: 'detail', data: () => ({ requestId: O.la }), rightful: 'demo-guardian-zhang', outsider: 'demo-guardian-zhu' },
  { name: 'a case, by an unassigned lawyer', fn: 'legalaid', action: 'detail', data: () => ({ requestId: O.laAssigned }), rightful: 'demo-lawyer-zheng', outsider: 'demo-lawyer-lin' },
  { name: 'filing for a child, by another family', fn: 'legalaid', action: 'submit', data: () => ({ draft: { childId: 'child-01', matter: 'maintenance', people: '孩子的叔叔', story: '抚养费一直没给，想请律师帮忙。', files: [] }, idempotencyKey: key() }), rightful: 'demo-guardian-zhang', outsider: 'demo-guardian-zhu' },
  { name: 'adding evidence', fn: 'legalaid', action: 'addFiles', data: () => ({ requestId: O.la, files: ['cloud://local.bucket/legalaid/demo-guardian-zhang/a1.jpg'] }), rightful: 'demo-guardian-zhang', outsider: 'demo-guardian-zhu' },
  { name: 'a saved draft', fn: 'legalaid', action: 'saveDraft', data: () => ({ draftId: O.draft, draft: { childId: 'child-02', story: '又想起一些事情' } }), rightful: 'demo-guardian-zhang', outsider: 'demo-guardian-zhu' },
  { name: 'acknowledging a request', fn: 'legalaid', action: 'acknowledge', data: () => ({ requestId: O.la }), rightful: 'demo-officer-wu', outsider: 'demo-officer-sz' },
  { name: 'extending a review', fn: 'legalaid', action: 'extendReview', data: () => ({ requestId: O.la, reason: '需要补充调查' }), rightful: 'demo-officer-wu', outsider: 'demo-officer-sz' },
  { name: 'deciding a request', fn: 'legalaid', action: 'decide', data: () => ({ requestId: O.la, decision: 'approved' }), rightful: 'demo-officer-wu', outsider: 'demo-officer-sz' },
  { name: 'proposing lawyers', fn: 'legalaid', action: 'proposeLawyers', data: () => ({ requestId: O.laApproved }), rightful: 'demo-officer-wu', outsider: 'demo-officer-sz' },
  { name: 'assigning a lawyer', fn: 'legalaid', action: 'assignLawyer', data: () => ({ requestId: O.laApproved, lawyerId: 'demo-lawyer-zheng' }), rightful: 'demo-officer-wu', outsider: 'demo-officer-sz' },
  { name: 'answering an assignment', fn: 'legalaid', action: 'respond', data: () => ({ requestId: O.laAssigned, accept: true }), rightful: 'demo-lawyer-zheng', outsider: 'demo-lawyer-lin' },
  { name: 'a case\'s progress', fn: 'legalaid', action: 'update', data: () => ({ requestId: O.laAssigned, step: 'consulted', note: '已约见' }), rightful: 'demo-lawyer-zheng', outsider: 'demo-lawyer-lin' },
  { name: 'asking for documents', fn: 'legalaid', action: 'askDocuments', data: () => ({ requestId: O.laAssigned, what: '户口本复印件' }), rightful: 'demo-lawyer-zheng', outsider: 'demo-lawyer-lin' },
  { name: 'reassigning a stuck request, by another county\'s 司法 admin', fn: 'legalaid', action: 'reassign', data: () => ({ requestId: O.laStuck, centreId: 'centre-sz', reason: '申请人在深圳务工，转深圳办理' }), rightful: 'demo-admin-tang', outsider: 'scope-admin-other-sf' },
  { name: 'a lawyer\'s profile, by another centre\'s officer', fn: 'legalaid', action: 'lawyerProfile', data: () => ({ lawyerId: 'demo-lawyer-zheng' }), rightful: 'demo-officer-wu', outsider: 'demo-officer-sz' },
  { name: 'a lawyer\'s profile, by another lawyer', fn: 'legalaid', action: 'lawyerProfile', data: () => ({ lawyerId: 'demo-lawyer-zheng' }), rightful: 'demo-lawyer-zheng', outsider: 'demo-lawyer-lin' },
  { name: 'changing a lawyer\'s profile, by another centre\'s officer', fn: 'legalaid', action: 'saveLawyerProfile', data: () => ({ lawyerId: 'demo-lawyer-lin', specialties: ['parentWages', 'parentWorkInjury', 'injury', 'bullying'], conflicts: ['刘强'], note: '周三可以出庭' }), rightful: 'demo-officer-wu', outsider: 'demo-officer-sz' },
  // 爱心结对
  { name: 'answering an offer', fn: 'pairing', action: 'respond', data: () => ({ offerId: 'offer-scope', accept: false, reason: '时间不合适' }), rightful: 'demo-vol-sun', outsider: 'demo-vol-qian' },
  { name: 'logging a talk', fn: 'pairing', action: 'logContact', data: () => ({ pairingId: 'pair-scope', kind: 'talk', mode: 'call', date: today(), note: '聊了学习', idempotencyKey: key() }), rightful: 'demo-vol-sun', outsider: 'demo-vol-qian' },
  { name: 'raising a concern', fn: 'pairing', action: 'raiseConcern', data: () => ({ pairingId: 'pair-scope', text: '孩子最近不太说话', harm: false, idempotencyKey: key() }), rightful: 'demo-vol-sun', outsider: 'demo-vol-qian' },
  { name: 'vetting a volunteer, by another township\'s admin', fn: 'pairing', action: 'recordVetting', data: () => ({ volunteerId: 'demo-vol-sun', checkDate: today(), result: 'clear', checkedBy: '青山县公安局' }), rightful: 'demo-admin-sq', outsider: 'demo-admin-bs' },
  { name: 'sending a run\'s offers', fn: 'pairing', action: 'sendOffers', data: () => ({ runId: O.run, childIds: ['child-99'] }), rightful: 'demo-admin-sq', outsider: 'demo-admin-bs' },
  { name: 'relaxing the gender rule, by another township\'s admin', fn: 'pairing', action: 'relaxSafeguard', data: () => ({ childId: 'child-03', volunteerId: 'demo-vol-sun', reason: '孩子的奶奶希望由她陪伴' }), rightful: 'demo-admin-sq', outsider: 'demo-admin-bs' },
  { name: 'relaxing the gender rule, by an admin of another agency', fn: 'pairing', action: 'relaxSafeguard', data: () => ({ childId: 'child-03', volunteerId: 'demo-vol-qian', reason: '钱老师是孩子原来的班主任' }), rightful: 'demo-admin-guan', outsider: 'demo-admin-ma' },
  // Before the pairings end below.
  { name: 'the guardian\'s number, by an unpaired volunteer', fn: 'pairing', action: 'callNumber', data: () => ({ pairingId: 'pair-scope' }), rightful: 'demo-vol-sun', outsider: 'demo-vol-qian' },
  { name: 'the volunteer\'s number, by another family', fn: 'pairing', action: 'callNumber', data: () => ({ pairingId: 'pair-scope-family' }), rightful: 'demo-guardian-zhu', outsider: 'demo-guardian-zhang' },
  { name: 'ending a pairing, by another township\'s admin', fn: 'pairing', action: 'endPairing', data: () => ({ pairingId: 'pair-scope-2', reason: 'childMoved' }), rightful: 'demo-admin-sq', outsider: 'demo-admin-bs' },
  { name: 'ending a pairing, by an unpaired volunteer', fn: 'pairing', action: 'endPairing', data: () => ({ pairingId: 'pair-scope', reason: 'childMoved' }), rightful: 'demo-vol-sun', outsider: 'demo-vol-qian' },
  // 强制报告
  { name: 'a report, by another jurisdiction\'s police', fn: 'safeguard', action: 'detail', data: () => ({ reportId: O.report }), rightful: 'demo-police-zhou', outsider: 'demo-police-yang' },
  { name: 'acknowledging a report', fn: 'safeguard', action: 'acknowledge', data: () => ({ reportId: O.report }), rightful: 'demo-police-zhou', outsider: 'demo-police-yang' },
  { name: 'recording police action', fn: 'safeguard', action: 'recordAction', data: () => ({ reportId: O.report, action: 'visited', note: '已上门' }), rightful: 'demo-police-zhou', outsider: 'demo-police-yang' },
  { name: 'recording an intervention, by a township admin of another agency', fn: 'safeguard', action: 'recordIntervention', data: () => ({ reportId: O.report, intervention: 'guardianWarned' }), rightful: 'demo-admin-xu', outsider: 'demo-admin-sq' },
  { name: 'linking a described child', fn: 'safeguard', action: 'linkChild', data: () => ({ reportId: O.reportUnlisted, childId: 'child-06' }), rightful: 'demo-admin-xu', outsider: 'demo-admin-sq' },
  { name: 'closing a report', fn: 'safeguard', action: 'close', data: () => ({ reportId: O.report, note: '已处理完毕' }), rightful: 'demo-police-zhou', outsider: 'demo-police-yang' },
  // 岗位
  { name: 'suspending a staff role', fn: 'account', action: 'setRoleStatus', data: () => ({ openid: 'demo-cwo-qian', roleIndex: 0, status: 'active' }), rightful: 'demo-admin-xu', outsider: 'demo-admin-sq' }
]

const REFUSED = ['FORBIDDEN', 'NOT_FOUND', 'NOT_REGISTERED']

/** Runs `fn` with every role of `openid` suspended, then gives the roles back. */
async function suspended<T> (openid: string, fn: () => Promise<T>): Promise<T> {
  const user = cloud.store.findById('users', openid)!
  cloud.store.updateById('users', openid, { $set: { roles: user.roles.map((g: any) => ({ ...g, status: 'suspended' })) } })
  try {
    return await fn()
  } finally {
    cloud.store.updateById('users', openid, { $set: { roles: user.roles } })
  }
}

describe.each(ROWS.map((r) => [`${r.fn}.${r.action}: ${r.name}`, r] as const))('%s', (_name, row) => {
  it('refuses the caller out of scope, writing nothing', async () => {
    const before = snapshot(cloud)
    const body = await call(row.outsider, row.fn, row.action, row.data())
    if (row.outsiderAnswer) row.outsiderAnswer(body)
    else {
      expect(body.ok).toBe(false)
      expect(REFUSED).toContain(body.error.code)
      expect(body.error.message).toMatch(/[\u4e00-\u9fff]/)
    }
    expect(changed(before, snapshot(cloud)).filter((c) => !(row.outsiderAnswer && c === 'auditLog'))).toEqual([])
  })

  it('refuses the rightful caller while suspended, writing nothing', async () => {
    await suspended(row.rightful, async () => {
      const before = snapshot(cloud)
      const body = await call(row.rightful, row.fn, row.action, row.data())
      expect(body.ok).toBe(false)
      expect(REFUSED).toContain(body.error.code)
      expect(body.error.message).toMatch(/[\u4e00-\u9fff]/)
      expect(changed(before, snapshot(cloud))).toEqual([])
    })
  })

  it('lets the rightful caller past every scope check', async () => {
    const body = await call(row.rightful, row.fn, row.action, row.data())
    if (!body.ok) {
      // A refusal about the object's state (already done, not yet time) is an answer; a scope refusal is not.
      expect([...REFUSED, 'INTERNAL', 'UNKNOWN_ACTION']).not.toContain(body.error.code)
      expect(body.error.message).toMatch(/[\u4e00-\u9fff]/)
    }
  })
})

it('covers every action that takes an object id', () => {
  const { CONTRACTS } = require('../../src/domain')
  const idFields = /^(childId|bookingId|entryId|ruleId|roomId|requestId|sessionId|reportId|pairingId|offerId|volunteerId|runId|draftId|openid|callId|lawyerId)$/
  const withIds = Object.entries(CONTRACTS).flatMap(([fn, actions]) => Object.entries(actions as Record<string, any>)
    .filter(([, c]) => Object.keys(c.input?.shape ?? c.input?._zod?.def?.in?.shape ?? c.input?._zod?.def?.schema?.shape ?? {}).some((k) => idFields.test(k)))
    .map(([a]) => `${fn}.${a}`))
  const tested = new Set(ROWS.map((r) => `${r.fn}.${r.action}`))
  // Listing actions whose only id is a filter of the caller's own lists (their scope already applies).
  const filters = new Set(['registry.listChildren', 'registry.exportChildren', 'registry.accessLog', 'pairing.runMatching'])
  expect(withIds.filter((a) => !tested.has(a) && !filters.has(a))).toEqual([])
})
