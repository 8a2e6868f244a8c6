/**
 * The hotline's timers, run by the scheduler function. Each is idempotent: a mark is claimed with a
 * deterministic `_id` (or a conditional update) before anything is sent, so a timer fired twice at the same
 * clock time sends nothing twice.
 */
import {
  callTimeLabel, effectiveStatus, isThursdayOrLater, shanghaiWall, shiftWeek, startOfShanghaiWeek, toDateKey, weekOf, weeksWithoutCall, type ChildRecord
} from '../../src/domain'
import { _, db, rows } from '../_server/cloud'
import { COLLECTIONS } from '../_server/collections'
import { isDuplicate } from '../_server/idempotency'
import { send } from '../_server/messages'
import { loadCalendar } from '../_server/calendar'
import { loadRoom, type BookingDoc } from './core'
import { bookStandingWeeks, passOfferOn, type StandingDoc, type WaitDoc } from './waitlist'
import * as clock from '../_server/clock'

const MIN = 60000

/** Claims a mark once; false when it was already claimed (by an earlier or a simultaneous run). */
export async function claimMark (id: string, fields: Record<string, unknown> = {}): Promise<boolean> {
  try {
    await db.collection(COLLECTIONS.notices).add({ data: { _id: id, at: clock.now(), ...fields } })
    return true
  } catch (err) {
    if (isDuplicate(err)) return false
    throw err
  }
}

async function allPages<T> (query: () => any, each: (page: T[]) => Promise<void>, max = 1000): Promise<void> {
  for (let skip = 0, n = 0; n < max; skip += 100, n++) {
    const page = await rows<T>(query().orderBy('_id', 'asc').skip(skip).limit(100))
    if (page.length > 0) await each(page)
    if (page.length < 100) return
  }
}

/** A day before and 30 minutes before each booked call. */
export async function sendReminders (now: Date): Promise<number> {
  let sent = 0
  const windows = [
    { flag: 'reminders.day', within: 24 * 60 * MIN, notBefore: 60 * MIN, words: '明天有和孩子的通话' },
    { flag: 'reminders.halfHour', within: 30 * MIN, notBefore: 0, words: '半小时后和孩子通话' }
  ] as const
  for (const w of windows) {
    await allPages<BookingDoc>(() => db.collection(COLLECTIONS.bookings).where({ status: 'booked', start: _.gt(new Date(now.getTime() + w.notBefore)).and(_.lte(new Date(now.getTime() + w.within))), [w.flag]: false }), async (page) => {
      for (const b of page) {
        const claimed = await db.collection(COLLECTIONS.bookings).where({ _id: b._id, [w.flag]: false }).update({ data: { [w.flag]: true } }) as { stats: { updated: number } }
        if (claimed.stats.updated !== 1) continue
        const room = await loadRoom(b.roomId)
        await send({ touser: b.bookedBy, template: 'callReminder', page: 'packages/hotline/pages/bookings/index', title: `${w.words}：${b.childName}`, time: callTimeLabel(new Date(b.start)), detail: room?.doc.name ?? '真情关爱室' })
        sent++
      }
    })
  }
  return sent
}

/** Offers not taken within their 30 minutes pass to the next family waiting. */
export async function expireOffers (now: Date): Promise<number> {
  let expired = 0
  await allPages<WaitDoc>(() => db.collection(COLLECTIONS.waitlist).where({ state: 'offered', 'offer.expiresAt': _.lte(now) }), async (page) => {
    for (const w of page) {
      const res = await db.collection(COLLECTIONS.waitlist).where({ _id: w._id, state: 'offered' }).update({ data: { state: 'expired' } }) as { stats: { updated: number } }
      if (res.stats.updated !== 1) continue
      await passOfferOn(w, now)
      expired++
    }
  })
  return expired
}

/** Once a day: each standing weekly call books the week that came within reach, and tells of weeks it could not. */
export async function runStandingCalls (now: Date): Promise<number> {
  if (!(await claimMark(`job:standing:${toDateKey(now)}`))) return 0
  const cal = await loadCalendar()
  let booked = 0
  await allPages<StandingDoc>(() => db.collection(COLLECTIONS.standingCalls).where({ weekday: _.gte(1) }), async (page) => {
    for (const rule of page) {
      const room = await loadRoom(rule.roomId)
      if (!room) continue
      const res = await bookStandingWeeks(rule, room, cal, now)
      booked += res.booked.length
      for (const m of res.missed) {
        await send({ touser: rule.openid, template: 'bookingProblem', page: 'packages/hotline/pages/bookings/index', title: `${rule.childName}的固定通话这周没约上`, time: '', detail: m.reason })
      }
    }
  })
  return booked
}

const WEEK_MS = 7 * 24 * 60 * MIN

/**
 * From Thursday 10:00 (Shanghai) to the week's end: a gentle nudge to the parents of each left-behind child with no
 * call booked or held this week, once per child and week.
 */
export async function weeklyNudges (now: Date): Promise<number> {
  const wall = shanghaiWall(now)
  if (!isThursdayOrLater(now) || (wall.isoWeekday() === 4 && wall.hour() < 10)) return 0
  const week = weekOf(now)
  // Per-child marks keep a rerun from sending twice; the job's own mark lets later runs of the week skip the scan.
  if (await jobDone(`job:nudge:${week.weekKey}`)) return 0
  await claimMark(`job:nudge:${week.weekKey}`, { state: 'running' })
  const from = startOfShanghaiWeek(now)
  const to = new Date(from.getTime() + WEEK_MS)
  let sent = 0
  await allPages<ChildRecord>(() => db.collection(COLLECTIONS.children).where({ status: 'leftBehind' }).field({ name: true, status: true, birthDate: true }), async (page) => {
    const ids = page.filter((c) => effectiveStatus(c.status, c.birthDate, now) === 'leftBehind').map((c) => c._id)
    if (ids.length === 0) return
    const withCall = new Set((await rows<BookingDoc>(db.collection(COLLECTIONS.bookings).where({ childId: _.in(ids), start: _.gte(from).and(_.lt(to)), status: _.in(['booked', 'held']) }).field({ childId: true }).limit(1000))).map((b) => b.childId))
    const parents = await rows<{ childId: string, openid: string }>(db.collection(COLLECTIONS.bindings).where({ childId: _.in(ids), role: 'parent' }).limit(1000))
    for (const child of page.filter((c) => ids.includes(c._id) && !withCall.has(c._id))) {
      const mine = parents.filter((p) => p.childId === child._id)
      if (mine.length === 0 || !(await claimMark(`nudge:${child._id}:${week.weekKey}`))) continue
      for (const p of mine) {
        await send({ touser: p.openid, template: 'weeklyNudge', page: `packages/hotline/pages/book/index?childId=${child._id}`, title: `这周还没和${child.name}通话`, time: '', detail: '点这里，一步约好这周的通话' })
        sent++
      }
    }
  })
  await db.collection(COLLECTIONS.notices).doc(`job:nudge:${week.weekKey}`).update({ data: { state: 'done' } })
  return sent
}

async function jobDone (id: string): Promise<boolean> {
  const [doc] = await rows<{ state?: string }>(db.collection(COLLECTIONS.notices).where({ _id: id }).limit(1))
  return doc?.state === 'done'
}

/**
 * Three finished weeks in a row or more without a held call: the teacher and the child-welfare officer are told,
 * each week it goes on, with the number of weeks.
 */
export const FLAG_AFTER_WEEKS = 3

export async function flagMissedWeeks (now: Date): Promise<number> {
  const lastWeek = shiftWeek(weekOf(now).weekKey, -1)
  const lookBack = Array.from({ length: 12 }, (_x, i) => shiftWeek(lastWeek, -i))
  if (await jobDone(`job:flag:${lastWeek}`)) return 0
  await claimMark(`job:flag:${lastWeek}`, { state: 'running' })
  let flagged = 0
  await allPages<ChildRecord & { createdAt?: Date }>(() => db.collection(COLLECTIONS.children).where({ status: 'leftBehind' }).field({ name: true, status: true, birthDate: true, schoolId: true, villageId: true, townshipId: true, createdAt: true }), async (page) => {
    const ids = page.filter((c) => effectiveStatus(c.status, c.birthDate, now) === 'leftBehind').map((c) => c._id)
    if (ids.length === 0) return
    const contacts = await rows<{ childId: string, weekKey: string }>(db.collection(COLLECTIONS.weeklyContacts).where({ childId: _.in(ids), weekKey: _.in(lookBack) }).field({ childId: true, weekKey: true }).limit(1000))
    for (const child of page.filter((c) => ids.includes(c._id))) {
      const held = new Set(contacts.filter((w) => w.childId === child._id).map((w) => w.weekKey))
      // Weeks before the child was registered do not count against anyone.
      const registeredWeek = child.createdAt ? weekOf(new Date(child.createdAt)).weekKey : lookBack[lookBack.length - 1]
      const weeks = Math.min(weeksWithoutCall(held, lastWeek, 12), lookBack.filter((w) => w > registeredWeek).length)
      if (weeks < FLAG_AFTER_WEEKS) continue
      if (!(await claimMark(`flag3:${child._id}:${lastWeek}`))) continue
      await db.collection(COLLECTIONS.children).doc(child._id).update({ data: { contactFlag: { weeks, upToWeek: lastWeek, at: now } } })
      const staff = await rows<{ _id: string, roles: Array<{ role: string, scope?: { id: string }, status?: string }> }>(db.collection(COLLECTIONS.users)
        .where({ 'roles.scope.id': _.in([child.schoolId, child.villageId, child.townshipId]) }).limit(100))
      for (const u of staff) {
        const duty = u.roles.some((g) => g.status !== 'suspended' && ((g.role === 'teacher' && g.scope?.id === child.schoolId) || (g.role === 'childWelfareOfficer' && (g.scope?.id === child.villageId || g.scope?.id === child.townshipId))))
        if (!duty) continue
        await send({ touser: u._id, template: 'careAlert', page: `packages/registry/pages/child/index?id=${child._id}`, title: `${child.name}已连续${weeks}周没有和家长通话`, time: '', detail: '请联系家长，了解情况' })
      }
      flagged++
    }
  })
  await db.collection(COLLECTIONS.notices).doc(`job:flag:${lastWeek}`).update({ data: { state: 'done' } })
  return flagged
}
