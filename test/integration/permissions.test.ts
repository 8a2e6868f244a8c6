/**
 * Every action of every function, allowed and refused, for one person of each role (Primero's ability specs).
 * To cover a new action, add a row: who may call it; everyone else must be refused. Rows that would write use
 * input that fails validation, so an allowed caller gets INVALID_INPUT (past the guard) and nothing is written.
 */
import type { LocalCloud } from '../../localcloud'
import { callAs, startTestCloud } from '../support/localcloud'
import { key, newChild } from '../support/children'

const PEOPLE = {
  parent: 'demo-parent-wang',
  guardian: 'demo-guardian-zhang',
  child: 'demo-child-xiaoyu',
  volunteer: 'demo-vol-sun',
  teacher: 'demo-teacher-chen',
  counselor: 'demo-counselor-liu',
  lawyer: 'demo-lawyer-zheng',
  legalAidOfficer: 'demo-officer-wu',
  police: 'demo-police-zhou',
  childWelfareOfficer: 'demo-cwo-zhao',
  admin: 'demo-admin-xu',
  unregistered: 'o-not-registered'
} as const
type Who = keyof typeof PEOPLE
const EVERYONE = Object.keys(PEOPLE) as Who[]
const REGISTERED = EVERYONE.filter((w) => w !== 'unregistered')

interface Row { fn: string, action: string, data: () => unknown, allowed: readonly Who[] }

// child-01 (王小雨): 石桥镇中心小学, 石桥村; bound to the parent, the guardian and the child accounts.
const TABLE: Row[] = [
  { fn: 'account', action: 'whoami', data: () => ({}), allowed: EVERYONE },
  { fn: 'account', action: 'inviteOptions', data: () => ({}), allowed: ['admin'] },
  { fn: 'account', action: 'createInvitation', data: () => ({ role: 'teacher', scopeId: '', personName: '', idempotencyKey: key() }), allowed: ['admin'] },
  { fn: 'account', action: 'acceptInvitation', data: () => ({ code: 'bad' }), allowed: EVERYONE },
  { fn: 'account', action: 'listStaff', data: () => ({}), allowed: ['admin'] },
  { fn: 'account', action: 'setRoleStatus', data: () => ({ openid: '', roleIndex: -1, status: 'suspended' }), allowed: ['admin'] },
  // 消息 and 接收提醒: every registered person has an inbox and the allows of their duty.
  { fn: 'account', action: 'inbox', data: () => ({}), allowed: REGISTERED },
  { fn: 'account', action: 'unreadCount', data: () => ({}), allowed: REGISTERED },
  { fn: 'account', action: 'markRead', data: () => ({ id: '' }), allowed: REGISTERED },
  { fn: 'account', action: 'markAllRead', data: () => ({ x: 1 }), allowed: REGISTERED },
  { fn: 'account', action: 'recordAllows', data: () => ({ answers: {}, idempotencyKey: key() }), allowed: REGISTERED },
  { fn: 'account', action: 'alertSettings', data: () => ({}), allowed: REGISTERED },
  { fn: 'account', action: 'setPhone', data: () => ({ phone: '123' }), allowed: REGISTERED },
  { fn: 'account', action: 'home', data: () => ({}), allowed: REGISTERED },
  // The national holiday calendar: admins read the years; a county admin enters a year's published arrangement.
  { fn: 'account', action: 'holidayYears', data: () => ({ bad: 1 }), allowed: ['admin'] },
  { fn: 'account', action: 'saveHolidayYear', data: () => ({ year: 'x' }), allowed: ['admin'] },
  { fn: 'registry', action: 'options', data: () => ({}), allowed: ['teacher', 'childWelfareOfficer', 'admin'] },
  { fn: 'registry', action: 'createChild', data: () => ({ child: newChild({ name: '' }), idempotencyKey: key() }), allowed: ['teacher', 'childWelfareOfficer'] },
  { fn: 'registry', action: 'updateChild', data: () => ({ childId: 'child-01', child: newChild({ name: '' }) }), allowed: ['teacher', 'childWelfareOfficer'] },
  { fn: 'registry', action: 'changeStatus', data: () => ({ childId: 'child-01', change: { status: 'agedOut', reason: '', effectiveDate: 'x' } }), allowed: ['teacher', 'childWelfareOfficer'] },
  { fn: 'registry', action: 'getChild', data: () => ({ childId: 'child-01' }), allowed: ['parent', 'guardian', 'child', 'teacher', 'childWelfareOfficer', 'admin'] },
  { fn: 'registry', action: 'reveal', data: () => ({ childId: 'child-01', field: 'guardianPhone' }), allowed: ['teacher', 'childWelfareOfficer', 'admin'] },
  { fn: 'registry', action: 'listChildren', data: () => ({}), allowed: ['teacher', 'childWelfareOfficer', 'admin'] },
  { fn: 'registry', action: 'exportChildren', data: () => ({}), allowed: ['teacher', 'childWelfareOfficer', 'admin'] },
  { fn: 'registry', action: 'createBindingCode', data: () => ({ childId: 'child-01', role: 'parent', relation: 'father', personName: '', idempotencyKey: key() }), allowed: ['teacher', 'childWelfareOfficer'] },
  { fn: 'registry', action: 'redeemBindingCode', data: () => ({ code: 'bad', childBirthDate: '2016-04-12' }), allowed: EVERYONE },
  // Either legal guardian decides on the child's information: a parent or the guardian at home.
  { fn: 'registry', action: 'consentForm', data: () => ({ childId: 'child-01' }), allowed: ['guardian', 'parent'] },
  { fn: 'registry', action: 'giveConsent', data: () => ({ childId: 'child-01', decision: 'maybe', version: '' }), allowed: ['guardian', 'parent'] },
  { fn: 'registry', action: 'requestDeletion', data: () => ({ childId: 'child-01', idempotencyKey: 'x' }), allowed: ['guardian', 'parent'] },
  // The county's 民政 admin carries deletions out (another agency's admin passes the role guard, then the agency check).
  { fn: 'registry', action: 'deletionRequests', data: () => ({ bad: 1 }), allowed: ['admin'] },
  { fn: 'registry', action: 'carryOutDeletion', data: () => ({ requestId: '' }), allowed: ['admin'] },
  { fn: 'registry', action: 'accessLog', data: () => ({}), allowed: ['admin'] },
  // 亲情热线: parents and guardians book for their bound children; teachers run their school's room.
  { fn: 'hotline', action: 'overview', data: () => ({}), allowed: ['parent', 'guardian'] },
  { fn: 'hotline', action: 'slots', data: () => ({ childId: 'child-01' }), allowed: ['parent', 'guardian'] },
  { fn: 'hotline', action: 'book', data: () => ({ childId: 'child-01', start: 'x', mode: 'video', idempotencyKey: key() }), allowed: ['parent', 'guardian'] },
  { fn: 'hotline', action: 'move', data: () => ({ bookingId: 'b', start: 'x', idempotencyKey: key() }), allowed: ['parent', 'guardian'] },
  { fn: 'hotline', action: 'cancel', data: () => ({ bookingId: 'b', reason: '' }), allowed: ['parent', 'guardian'] },
  { fn: 'hotline', action: 'myBookings', data: () => ({}), allowed: ['parent', 'guardian'] },
  { fn: 'hotline', action: 'history', data: () => ({ childId: 'child-01' }), allowed: ['parent', 'guardian'] },
  { fn: 'hotline', action: 'saveFreeHours', data: () => ({ freeHours: 'x' }), allowed: ['parent', 'guardian'] },
  { fn: 'hotline', action: 'joinWaitlist', data: () => ({ childId: 'child-01', date: 'x', idempotencyKey: key() }), allowed: ['parent', 'guardian'] },
  { fn: 'hotline', action: 'leaveWaitlist', data: () => ({ entryId: '' }), allowed: ['parent', 'guardian'] },
  { fn: 'hotline', action: 'acceptOffer', data: () => ({ entryId: '', mode: 'video' }), allowed: ['parent', 'guardian'] },
  { fn: 'hotline', action: 'setStandingCall', data: () => ({ childId: 'child-01', weekday: 9, time: 'x', mode: 'video' }), allowed: ['parent', 'guardian'] },
  { fn: 'hotline', action: 'removeStandingCall', data: () => ({ ruleId: '' }), allowed: ['parent', 'guardian'] },
  { fn: 'hotline', action: 'rooms', data: () => ({}), allowed: ['teacher'] },
  { fn: 'hotline', action: 'saveRoomSettings', data: () => ({ roomId: 'room-sq', settings: {} }), allowed: ['teacher'] },
  { fn: 'hotline', action: 'daySheet', data: () => ({ roomId: 'room-sq', date: '2026-12-01' }), allowed: ['teacher'] },
  { fn: 'hotline', action: 'checkIn', data: () => ({ bookingId: '', outcome: 'held' }), allowed: ['teacher'] },
  // Direct calls: a parent records one; the guardian at home or the child's teacher confirms it.
  { fn: 'hotline', action: 'recordDirectCall', data: () => ({ childId: 'child-01', at: 'x', minutes: 0, mode: 'video', idempotencyKey: key() }), allowed: ['parent'] },
  { fn: 'hotline', action: 'callsToConfirm', data: () => ({ bad: 1 }), allowed: ['guardian', 'teacher'] },
  { fn: 'hotline', action: 'confirmDirectCall', data: () => ({ callId: '', decision: 'x' }), allowed: ['guardian', 'teacher'] },
  // 心理援助: children, families, teachers and volunteers ask; counsellors of the station work the cases.
  { fn: 'counseling', action: 'children', data: () => ({}), allowed: ['child', 'parent', 'guardian', 'teacher', 'volunteer'] },
  { fn: 'counseling', action: 'ask', data: () => ({ childId: 'child-01', answers: {}, idempotencyKey: key() }), allowed: ['child', 'parent', 'guardian', 'teacher', 'volunteer'] },
  { fn: 'counseling', action: 'setCallBack', data: () => ({ requestId: '', phone: 'x', whose: 'mine' }), allowed: ['child', 'parent', 'guardian', 'teacher', 'volunteer'] },
  { fn: 'counseling', action: 'tellMore', data: () => ({ requestId: '', idempotencyKey: key() }), allowed: ['child', 'parent', 'guardian', 'teacher', 'volunteer'] },
  { fn: 'counseling', action: 'sessionSlots', data: () => ({ requestId: '' }), allowed: ['child', 'parent', 'guardian', 'teacher', 'volunteer'] },
  { fn: 'counseling', action: 'bookSession', data: () => ({ requestId: '', start: 'x', mode: 'voice', idempotencyKey: key() }), allowed: ['child', 'parent', 'guardian', 'teacher', 'volunteer'] },
  { fn: 'counseling', action: 'moveSession', data: () => ({ sessionId: '', start: 'x', idempotencyKey: key() }), allowed: ['child', 'parent', 'guardian', 'teacher', 'volunteer'] },
  { fn: 'counseling', action: 'cancelSession', data: () => ({ sessionId: '', reason: '' }), allowed: ['child', 'parent', 'guardian', 'teacher', 'volunteer'] },
  { fn: 'counseling', action: 'myRequests', data: () => ({}), allowed: ['child', 'parent', 'guardian', 'teacher', 'volunteer'] },
  { fn: 'counseling', action: 'queue', data: () => ({}), allowed: ['counselor'] },
  { fn: 'counseling', action: 'caseView', data: () => ({ requestId: '' }), allowed: ['counselor'] },
  { fn: 'counseling', action: 'crisesWaiting', data: () => ({}), allowed: ['counselor'] },
  { fn: 'counseling', action: 'reportFromCase', data: () => ({ requestId: '', kinds: [], seen: '', dangerNow: 'x', idempotencyKey: key() }), allowed: ['counselor'] },
  { fn: 'counseling', action: 'acknowledge', data: () => ({ requestId: '' }), allowed: ['counselor'] },
  { fn: 'counseling', action: 'writeNote', data: () => ({ requestId: '', text: '', idempotencyKey: key() }), allowed: ['counselor'] },
  { fn: 'counseling', action: 'readNotes', data: () => ({ requestId: '' }), allowed: ['counselor'] },
  { fn: 'counseling', action: 'handOver', data: () => ({ requestId: '', to: '' }), allowed: ['counselor'] },
  { fn: 'counseling', action: 'closeCase', data: () => ({ requestId: '', summary: '' }), allowed: ['counselor'] },
  { fn: 'counseling', action: 'roster', data: () => ({}), allowed: ['counselor'] },
  { fn: 'counseling', action: 'saveRoster', data: () => ({ order: [], supervisor: '' }), allowed: ['counselor'] },
  { fn: 'counseling', action: 'availability', data: () => ({}), allowed: ['counselor'] },
  { fn: 'counseling', action: 'saveAvailability', data: () => ({ settings: {} }), allowed: ['counselor'] },
  // 法律援助: guardians, parents and child-welfare officers apply; the centre's officers and its lawyers handle.
  { fn: 'legalaid', action: 'children', data: () => ({}), allowed: ['guardian', 'parent', 'childWelfareOfficer'] },
  { fn: 'legalaid', action: 'saveDraft', data: () => ({ draft: {} }), allowed: ['guardian', 'parent', 'childWelfareOfficer'] },
  { fn: 'legalaid', action: 'drafts', data: () => ({}), allowed: ['guardian', 'parent', 'childWelfareOfficer'] },
  { fn: 'legalaid', action: 'submit', data: () => ({ draft: {}, idempotencyKey: key() }), allowed: ['guardian', 'parent', 'childWelfareOfficer'] },
  { fn: 'legalaid', action: 'mine', data: () => ({}), allowed: ['guardian', 'parent', 'childWelfareOfficer'] },
  { fn: 'legalaid', action: 'detail', data: () => ({ requestId: '' }), allowed: ['guardian', 'parent', 'childWelfareOfficer', 'legalAidOfficer', 'lawyer'] },
  { fn: 'legalaid', action: 'addFiles', data: () => ({ requestId: '', files: [] }), allowed: ['guardian', 'parent', 'childWelfareOfficer'] },
  { fn: 'legalaid', action: 'queue', data: () => ({ bad: 1 }), allowed: ['legalAidOfficer'] },
  { fn: 'legalaid', action: 'acknowledge', data: () => ({ requestId: '' }), allowed: ['legalAidOfficer'] },
  { fn: 'legalaid', action: 'decide', data: () => ({ requestId: '', decision: 'x' }), allowed: ['legalAidOfficer'] },
  { fn: 'legalaid', action: 'extendReview', data: () => ({ requestId: '', reason: '' }), allowed: ['legalAidOfficer'] },
  { fn: 'legalaid', action: 'proposeLawyers', data: () => ({ requestId: '' }), allowed: ['legalAidOfficer'] },
  { fn: 'legalaid', action: 'assignLawyer', data: () => ({ requestId: '', lawyerId: '' }), allowed: ['legalAidOfficer'] },
  { fn: 'legalaid', action: 'myCases', data: () => ({ bad: 1 }), allowed: ['lawyer'] },
  { fn: 'legalaid', action: 'respond', data: () => ({ requestId: '', accept: 'x' }), allowed: ['lawyer'] },
  { fn: 'legalaid', action: 'update', data: () => ({ requestId: '', step: 'x' }), allowed: ['lawyer'] },
  { fn: 'legalaid', action: 'askDocuments', data: () => ({ requestId: '', what: '' }), allowed: ['lawyer'] },
  { fn: 'legalaid', action: 'stuck', data: () => ({ bad: 1 }), allowed: ['admin'] },
  { fn: 'legalaid', action: 'reassign', data: () => ({ requestId: '', centreId: '', reason: '' }), allowed: ['admin'] },
  { fn: 'legalaid', action: 'lawyerProfile', data: () => ({ lawyerId: 1 }), allowed: ['lawyer', 'legalAidOfficer'] },
  { fn: 'legalaid', action: 'saveLawyerProfile', data: () => ({ specialties: 'x' }), allowed: ['lawyer', 'legalAidOfficer'] },
  { fn: 'legalaid', action: 'centreLawyers', data: () => ({ bad: 1 }), allowed: ['legalAidOfficer'] },
  // 爱心结对: anyone may register as a volunteer; volunteers answer offers and keep the rhythm; admins vet and match.
  { fn: 'pairing', action: 'areas', data: () => ({}), allowed: EVERYONE },
  { fn: 'pairing', action: 'register', data: () => ({ name: '' }), allowed: EVERYONE },
  { fn: 'pairing', action: 'myProfile', data: () => ({ bad: 1 }), allowed: ['volunteer'] },
  { fn: 'pairing', action: 'offers', data: () => ({ bad: 1 }), allowed: ['volunteer'] },
  { fn: 'pairing', action: 'respond', data: () => ({ offerId: '', accept: 'x' }), allowed: ['volunteer'] },
  { fn: 'pairing', action: 'myPairings', data: () => ({ bad: 1 }), allowed: ['volunteer'] },
  { fn: 'pairing', action: 'logContact', data: () => ({ pairingId: '', kind: 'x', idempotencyKey: key() }), allowed: ['volunteer'] },
  { fn: 'pairing', action: 'raiseConcern', data: () => ({ pairingId: '', text: '', harm: 'x', idempotencyKey: key() }), allowed: ['volunteer'] },
  { fn: 'pairing', action: 'endPairing', data: () => ({ pairingId: '', reason: 'x' }), allowed: ['volunteer', 'admin'] },
  { fn: 'pairing', action: 'volunteers', data: () => ({ bad: 1 }), allowed: ['admin'] },
  { fn: 'pairing', action: 'recordVetting', data: () => ({ volunteerId: '' }), allowed: ['admin'] },
  { fn: 'pairing', action: 'safeguarding', data: () => ({ bad: 1 }), allowed: ['admin'] },
  { fn: 'pairing', action: 'setSafeguarding', data: () => ({ rules: 'x' }), allowed: ['admin'] },
  { fn: 'pairing', action: 'runMatching', data: () => ({ townshipId: 1 }), allowed: ['admin'] },
  { fn: 'pairing', action: 'sendOffers', data: () => ({ runId: '', childIds: [] }), allowed: ['admin'] },
  { fn: 'pairing', action: 'areaPairings', data: () => ({ bad: 1 }), allowed: ['admin', 'childWelfareOfficer'] },
  { fn: 'pairing', action: 'relaxSafeguard', data: () => ({ childId: '', volunteerId: '', reason: '' }), allowed: ['admin'] },
  { fn: 'pairing', action: 'familyPairings', data: () => ({ bad: 1 }), allowed: ['parent', 'guardian'] },
  { fn: 'pairing', action: 'callNumber', data: () => ({ pairingId: '' }), allowed: ['parent', 'guardian', 'volunteer'] },
  // 强制报告: anyone in close contact reports; the police of the jurisdiction and the county's agencies handle.
  { fn: 'safeguard', action: 'report', data: () => ({ report: {}, idempotencyKey: key() }), allowed: ['teacher', 'volunteer', 'counselor', 'childWelfareOfficer', 'parent', 'guardian', 'admin', 'lawyer', 'legalAidOfficer', 'police'] },
  { fn: 'safeguard', action: 'myReports', data: () => ({ bad: 1 }), allowed: ['teacher', 'volunteer', 'counselor', 'childWelfareOfficer', 'parent', 'guardian', 'admin', 'lawyer', 'legalAidOfficer', 'police'] },
  { fn: 'safeguard', action: 'queue', data: () => ({ bad: 1 }), allowed: ['police', 'admin'] },
  { fn: 'safeguard', action: 'detail', data: () => ({ reportId: '' }), allowed: ['police', 'admin'] },
  { fn: 'safeguard', action: 'acknowledge', data: () => ({ reportId: '' }), allowed: ['police'] },
  { fn: 'safeguard', action: 'recordAction', data: () => ({ reportId: '', action: 'x' }), allowed: ['police'] },
  { fn: 'safeguard', action: 'recordIntervention', data: () => ({ reportId: '', intervention: 'x' }), allowed: ['admin'] },
  { fn: 'safeguard', action: 'close', data: () => ({ reportId: '', note: '' }), allowed: ['police'] },
  { fn: 'safeguard', action: 'linkChild', data: () => ({ reportId: '', childId: '' }), allowed: ['admin'] },
  // 督导: admins see their scope; leaders (volunteers of kind leader) record their 五个一.
  { fn: 'oversight', action: 'overview', data: () => ({ bad: 1 }), allowed: ['admin'] },
  { fn: 'oversight', action: 'list', data: () => ({ key: 'x' }), allowed: ['admin'] },
  { fn: 'oversight', action: 'exportList', data: () => ({ key: 'x' }), allowed: ['admin'] },
  { fn: 'oversight', action: 'recordDuty', data: () => ({ item: 'x' }), allowed: ['volunteer'] },
  { fn: 'oversight', action: 'myDuties', data: () => ({ bad: 1 }), allowed: ['volunteer'] }
]

let cloud: LocalCloud
beforeAll(async () => { cloud = await startTestCloud() }, 60000)
afterAll(async () => { await cloud?.close() })

const cases = TABLE.flatMap((row) => EVERYONE.map((who) => [`${row.fn}.${row.action}`, who, row.allowed.includes(who) ? 'allowed' : 'refused', row] as const))

describe('every action, for every role', () => {
  it.each(cases)('%s by %s: %s', async (_name, who, expected, row) => {
    const writesBefore = await changedDocs()
    const { body } = await callAs(cloud, PEOPLE[who], row.fn, row.action, row.data())
    const refused = !body.ok && ['FORBIDDEN', 'NOT_REGISTERED'].includes(body.error.code)
    expect(refused ? 'refused' : 'allowed').toBe(expected)
    if (refused) {
      expect(body.error.message).toMatch(/[\u4e00-\u9fff]/)
      expect(await changedDocs()).toBe(writesBefore)
    }
  })

  it('covers every action every function declares', () => {
    const { CONTRACTS } = require('../../src/domain')
    const declared = Object.entries(CONTRACTS).flatMap(([fn, actions]) => Object.keys(actions as object).map((a) => `${fn}.${a}`)).sort()
    expect(TABLE.map((r) => `${r.fn}.${r.action}`).sort()).toEqual(declared)
    expect(REGISTERED.length).toBe(11)
  })
})

/**
 * A fingerprint of everything stored: the document count of every collection, read from the local cloud's store
 * in-process (a refused call must change none of them).
 */
async function changedDocs (): Promise<string> {
  const store = (cloud as any).store
  return store.listCollections().sort().map((c: string) => `${c}:${store.count(c)}`).join(',')
}
