/** The county's psychological help station (心理健康辅导站): its counsellors, and who works on its cases. */
import {
  AppError, DEFAULT_COUNSELOR_SETTINGS, activeGrants, careRoomResource, roomSettings, type CareRoomSettings, type ScheduleResource
} from '../../src/domain'
import { db, rows } from '../_server/cloud'
import { COLLECTIONS } from '../_server/collections'
import type { Caller } from '../_server/caller'
import { allPages } from '../_server/paging'
import { namesOf, type StationDoc } from '../_server/counseling/records'

export async function stationOf (countyId: string): Promise<StationDoc> {
  const [station] = await rows<StationDoc>(db.collection(COLLECTIONS.places).where({ kind: 'station', countyId }).orderBy('_id', 'asc').limit(1))
  if (!station) throw new AppError('NOT_FOUND', '这个县还没有心理健康辅导站，请拨打 12355')
  return station
}

/** The stations whose cases a counsellor works on. */
export function stationsOf (caller: Caller): string[] {
  return activeGrants(caller.grants).filter((g) => g.role === 'counselor' && g.scope?.level === 'station').map((g) => g.scope!.id)
}

export function requireStation (caller: Caller, stationId: string): void {
  if (!stationsOf(caller).includes(stationId)) throw new AppError('FORBIDDEN', '只有本辅导站的辅导员可以处理')
}

interface Counselor { id: string, name: string, settings: CareRoomSettings, resource: ScheduleResource }

export async function counselorsOf (stationId: string): Promise<Counselor[]> {
  const profiles = await allPages<{ _id: string, settings?: unknown }>(db.collection(COLLECTIONS.counselorProfiles).where({ stationId }))
  const names = await namesOf(profiles.map((p) => p._id))
  return profiles.map((p) => {
    const settings = roomSettings(p.settings ?? DEFAULT_COUNSELOR_SETTINGS, 1)
    // A counsellor sees one family at a time, whatever was stored.
    const resource = { ...careRoomResource(p._id, settings), capacity: 1 }
    return { id: p._id, name: names.get(p._id) ?? '', settings: { ...settings, devices: 1 }, resource }
  })
}
