/**
 * Every collection the functions use, with the indexes their queries need. One setup step (the local cloud's setup
 * locally, `npm run deploy` on CloudBase) creates them; writing to a collection that was never created fails, as in
 * the cloud.
 */
export const COLLECTIONS = {
  users: 'users',
  places: 'places',
  children: 'children',
  bindings: 'bindings',
  careRooms: 'careRooms',
  auditLog: 'auditLog',
  idempotency: 'idempotency',
  /** one-time codes: binding a family member to a child, and staff invitations */
  codes: 'codes',
  /** per-person counters that stop guessing (wrong codes per day) */
  limits: 'limits',
  /** volunteer–child pairings (爱心结对); the registry reads them to let a paired volunteer see the child */
  pairings: 'pairings',
  /** holiday years an admin added (the calendar is data, not code) */
  calendars: 'calendars',
  /** 亲情热线: family calls at the school's care room */
  bookings: 'bookings',
  /** one document per taken seat of a slot: `<roomId>:<YYYYMMDDHHmm>#<n>`; capacity enforced by unique _id */
  seats: 'seats',
  /** one document per future booking a family holds in a room: `<roomId>:<childId>#<n>` */
  quotaLocks: 'quotaLocks',
  waitlist: 'waitlist',
  standingCalls: 'standingCalls',
  familyPrefs: 'familyPrefs',
  /** a held call in a week: `<childId>:<weekKey>`, with where it happened (care room, direct) */
  weeklyContacts: 'weeklyContacts',
  /** calls a parent made straight to the guardian's phone, awaiting or with the guardian's (or teacher's) word: `dc-<childId>-<YYYYMMDDHHmm>` */
  directCalls: 'directCalls',
  /** a guardian's request to delete a child's information, carried out by the county admin: `del-<childId>` */
  deletionRequests: 'deletionRequests',
  /** timers' marks that a weekly nudge or flag was sent: `<kind>:<childId>:<weekKey>` */
  notices: 'notices',
  /** 心理援助: psychological help */
  helpRequests: 'helpRequests',
  counselingSessions: 'counselingSessions',
  sessionNotes: 'sessionNotes',
  counselorProfiles: 'counselorProfiles',
  dutyRosters: 'dutyRosters',
  /** mandatory reports (强制报告); the safeguarding issue delivers them, other areas open them */
  mandatoryReports: 'mandatoryReports',
  /** 法律援助绿色通道: legal aid */
  legalAidRequests: 'legalAidRequests',
  lawyerProfiles: 'lawyerProfiles',
  /** running numbers (legal-aid reference numbers per year: `legalaid-ref:<year>`) */
  counters: 'counters',
  /** 爱心结对: volunteers paired with children */
  volunteerProfiles: 'volunteerProfiles',
  contactLogs: 'contactLogs',
  matchRuns: 'matchRuns',
  /** capacity seats of a volunteer (`<volunteerId>#n`) and one lock per paired child (`<childId>`) */
  pairingLocks: 'pairingLocks',
  safeguardingRules: 'safeguardingRules',
  /** an admin's relaxation of a safeguarding default for one child and volunteer, with the reason: `<childId>:<volunteerId>` */
  safeguardRelaxations: 'safeguardRelaxations',
  /** 强制报告 entries, append-only, hash-chained: `<reportId>:<seq>` */
  reportEntries: 'reportEntries',
  /** 五个一 duties a leader records */
  leaderDuties: 'leaderDuties',
  /** every notice a person was sent, their in-app inbox (消息); a notice with a key has `<key>:<openid>` as _id */
  inbox: 'inbox',
  /** what a paired volunteer saw or heard of a child, kept whole for the child's officers */
  concerns: 'concerns',
  /**
   * the app's mirror of the subscription allows each person gave, per template: `<openid>:<template>` (WeChat keeps
   * the real count; notify() takes one off per delivered message)
   */
  allows: 'allows'
} as const
type CollectionName = (typeof COLLECTIONS)[keyof typeof COLLECTIONS]

/** Fields queried together; each entry becomes one index. */
export const INDEXES: Record<CollectionName, string[][]> = {
  users: [['roles.scope.id']],
  places: [['kind', 'countyId'], ['parentId']],
  children: [['countyId', 'name'], ['townshipId'], ['schoolId'], ['villageId'], ['cityId'], ['idNumber'], ['status']],
  bindings: [['openid'], ['childId']],
  careRooms: [['schoolId']],
  auditLog: [['actor', 'at'], ['childIds', 'at'], ['countyIds', 'at']],
  idempotency: [],
  codes: [['childId'], ['requestRef']],
  limits: [],
  pairings: [['childId', 'status'], ['volunteerId', 'status'], ['status', 'expiresAt'], ['countyId', 'status'], ['familyTold']],
  calendars: [],
  bookings: [['childId', 'start'], ['roomId', 'start'], ['status', 'start'], ['bookedBy', 'start'], ['teachersTold'], ['reminders.day', 'status', 'start'], ['reminders.halfHour', 'status', 'start']],
  seats: [['roomId', 'start'], ['bookingId']],
  quotaLocks: [['roomId', 'childId'], ['childId']],
  waitlist: [['roomId', 'date', 'state'], ['openid', 'state'], ['state', 'offer.expiresAt']],
  standingCalls: [['openid'], ['childId']],
  familyPrefs: [],
  weeklyContacts: [['childId', 'weekKey'], ['countyId', 'weekKey'], ['townshipId', 'weekKey']],
  directCalls: [['childId', 'at'], ['schoolId', 'state'], ['childId', 'state']],
  deletionRequests: [['countyId', 'state'], ['state', 'dueAt']],
  notices: [],
  helpRequests: [['countyId', 'urgency'], ['townshipId', 'urgency'], ['stationId', 'state'], ['requesterOpenid', 'createdAt'], ['childId', 'createdAt'], ['urgency', 'state'], ['counselorId', 'state']],
  counselingSessions: [['counselorId', 'start'], ['requestId'], ['status', 'start'], ['requesterOpenid', 'start'], ['reminders.day', 'status', 'start'], ['reminders.halfHour', 'status', 'start']],
  sessionNotes: [['requestId', 'at']],
  counselorProfiles: [['stationId']],
  dutyRosters: [],
  mandatoryReports: [['childId'], ['countyId', 'state'], ['townshipId', 'state'], ['state', 'filedAt'], ['raisedBy', 'filedAt'], ['jurisdictionId', 'state']],
  legalAidRequests: [['countyId', 'state'], ['townshipId', 'state'], ['applicant', 'updatedAt'], ['centreId', 'state'], ['lawyerId', 'state'], ['state']],
  lawyerProfiles: [['centreId']],
  counters: [],
  volunteerProfiles: [['agency'], ['townshipIds']],
  contactLogs: [['pairingId', 'at'], ['childId', 'at'], ['countyId', 'at'], ['townshipId', 'at']],
  matchRuns: [],
  pairingLocks: [['volunteerId']],
  safeguardingRules: [],
  safeguardRelaxations: [['childId']],
  reportEntries: [['reportId', 'seq']],
  leaderDuties: [['openid']],
  inbox: [['to', 'createdAt'], ['to', 'read']],
  concerns: [['childId', 'at']],
  allows: [['openid']]
}

/**
 * The setup step: creates every collection that does not exist yet, through the SDK, so it runs the same
 * against the local cloud and a real CloudBase env. (CloudBase indexes are made in the console or by the
 * deploy step from INDEXES; the local cloud builds them from the same list.)
 */
export async function ensureCollections (db: { createCollection(name: string): Promise<unknown> }): Promise<string[]> {
  const created: string[] = []
  for (const name of Object.values(COLLECTIONS)) {
    try {
      await db.createCollection(name)
      created.push(name)
    } catch (err: any) {
      // "already exists" is the normal case on every start after the first.
      if (!/exist/i.test(String(err?.errMsg ?? err?.message ?? err))) throw err
    }
  }
  return created
}
