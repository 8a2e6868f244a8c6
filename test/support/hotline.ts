import type { LocalCloud } from '../../localcloud'
import { callAs } from './localcloud'

/** Opens 石桥镇中心小学's room every day 06:00–23:00 with no notice, so a test finds slots whenever it runs. */
export async function openRoomAllDay (cloud: LocalCloud, over: Record<string, unknown> = {}) {
  const settings = {
    devices: 2,
    openHours: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '06:00', end: '23:00' }],
    slotMinutes: 20,
    bufferMinutes: 0,
    closedDates: [],
    followsSchoolCalendar: false,
    noticeHours: 0,
    horizonDays: 14,
    maxFutureBookingsPerFamily: 2,
    ...over
  }
  const res = await callAs(cloud, 'demo-teacher-chen', 'hotline', 'saveRoomSettings', { roomId: 'room-sq', settings })
  if (!res.body.ok) throw new Error(JSON.stringify(res.body))
  return settings
}

/** Opens the room round the clock, so its first free slot starts within 20 minutes whatever the hour (check-in needs a call about to start). */
export const ROUND_THE_CLOCK = { openHours: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '24:00' }] }

/** Binds a new parent account to a demo child (as an officer's binding code would). */
export async function bindParent (openid: string, childId: string, name = `家长-${openid}`) {
  const db = require('wx-server-sdk').database()
  await db.collection('users').add({ data: { _id: openid, name, roles: [{ role: 'parent', status: 'active' }] } })
  await db.collection('bindings').add({ data: { _id: `${childId}:${openid}`, childId, openid, relation: 'mother', role: 'parent' } })
}

/**
 * The teacher marks a call held, as she can only once it has begun: the cloud's clock stands a minute after the call's
 * start for the check-in, then runs on real time again. Answers the check-in's reply.
 */
export async function markHeld (cloud: LocalCloud, teacher: string, bookingId: string, start: Date | string, note?: string) {
  await cloud.clock.set(new Date(new Date(start).getTime() + 60000).toISOString(), { frozen: true })
  try {
    return await callAs(cloud, teacher, 'hotline', 'checkIn', { bookingId, outcome: 'held', ...(note ? { note } : {}) })
  } finally {
    await cloud.clock.real()
  }
}
