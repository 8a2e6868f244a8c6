import { BINDINGS, CARE_ROOMS, COUNSELOR_PROFILES, DUTY_ROSTERS, LAWYER_PROFILES, PEOPLE, VOLUNTEER_PROFILES, PLACES, childDocs } from './demo-county'

/** The part of a wx-server-sdk database the seed needs, so it runs against the local cloud or a real env. */
interface Db {
  collection(name: string): {
    count(): Promise<{ total: number }>
    add(opts: { data: any }): Promise<unknown>
  }
  serverDate(): unknown
}

/**
 * Loads the demo county through the SDK, only into an empty store (no users yet): a restart never duplicates
 * or overwrites what people did in the demo.
 */
export async function seedIfEmpty (db: Db): Promise<boolean> {
  const { total } = await db.collection('users').count()
  if (total > 0) return false
  const now = db.serverDate()
  await db.collection('places').add({ data: PLACES })
  await db.collection('careRooms').add({ data: CARE_ROOMS })
  // The demo files were made on paper in September and entered then.
  await db.collection('children').add({ data: childDocs().map((c) => ({ ...c, createdAt: new Date('2026-09-01T02:00:00Z') })) })
  await db.collection('bindings').add({ data: BINDINGS.map((b) => ({ ...b, createdAt: now })) })
  await db.collection('dutyRosters').add({ data: DUTY_ROSTERS })
  await db.collection('counselorProfiles').add({ data: COUNSELOR_PROFILES })
  await db.collection('lawyerProfiles').add({ data: LAWYER_PROFILES })
  await db.collection('volunteerProfiles').add({ data: VOLUNTEER_PROFILES })
  // Users last: their presence marks the seed as complete.
  await db.collection('users').add({ data: PEOPLE.map((p) => ({ ...p, roles: p.roles.map((r) => ({ status: 'active', ...r })), createdAt: now })) })
  return true
}
