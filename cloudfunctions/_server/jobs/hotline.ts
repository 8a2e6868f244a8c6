/**
 * The hotline's timers. Each is idempotent: a mark is claimed with a deterministic `_id` (or a conditional update)
 * before anything is sent, so a timer fired twice at the same clock time sends nothing twice.
 */
import crypto from 'node:crypto'
import {
  contactKnownFrom, effectiveStatus, shiftWeek, startOfShanghaiWeek, weekOf, weeklyNudgeFrom, weeksKnown, weeksWithoutCall, type ChildRecord
} from '../../../src/domain'
import { _, db, rows } from '../cloud'
import { COLLECTIONS } from '../collections'
import { loadCalendar } from '../calendar'
import { claimMark, isMarkDone, markDone } from '../marks'
import { notify } from '../notify'
import { allPages, pieces } from '../paging'
import type { BookingDoc } from '../hotline/calls'
import { passOfferOn, type WaitDoc } from '../hotline/offers'
import { loadRoom, loadRooms, type Room } from '../hotline/rooms'
import { bookStandingWeeks, type StandingDoc } from '../hotline/standing'
import { guardiansOf, teachersAmong, tellOfCall, type StaffDoc } from '../hotline/tell'
import type { BindingDoc } from '../hotline/contact'
import { dailyMark, nextDaily, type Job } from './job'
import { nextReminder, sendReminders } from './reminders'
import { ruleOn } from '../switches'
import { sideBySide, TIMER_LANES } from '../sideBySide'

const WEEK_MS = 7 * 24 * 3600000

/**
 * A day before and 30 minutes before each booked call: to the one who booked it, and to the guardians bound to the
 * child, who bring the child to the room.
 */
export const callReminders: Job = {
  async run (now) {
    // The rooms and the families of the bookings due, read once for them all.
    let rooms = new Map<string, Room>()
    let families = new Map<string, BindingDoc[]>()
    const prepare = async (due: BookingDoc[]) => {
      const childIds = [...new Set(due.map((b) => b.childId))]
      const [r, bound] = await Promise.all([
        loadRooms(due.map((b) => b.roomId)),
        allPages<BindingDoc>(db.collection(COLLECTIONS.bindings).where({ childId: _.in(childIds) }).field({ childId: true, openid: true, role: true }))
      ])
      rooms = r
      families = new Map(childIds.map((id) => [id, bound.filter((x) => x.childId === id)]))
    }
    return await sendReminders<BookingDoc>(COLLECTIONS.bookings, now, async (b, which) => {
      const room = (rooms.get(b.roomId) ?? await loadRoom(b.roomId))?.doc.name ?? '真情关爱室'
      const key = `reminder:${b._id}:${which}`
      const when = which === 'day' ? '明天' : '半小时后'
      const booker = { to: b.bookedBy, template: 'callReminder' as const, link: 'packages/hotline/pages/bookings/index', title: `${which === 'day' ? '明天有和孩子的通话' : '半小时后和孩子通话'}：${b.childName}`, at: new Date(b.start), detail: room, key }
      const family = families.get(b.childId)
      const guardians = family ? family.filter((x) => x.role === 'guardian' && x.openid !== b.bookedBy).map((x) => x.openid) : await guardiansOf(b.childId, b.bookedBy)
      return [booker, ...guardians.map((to) => ({
        to, template: 'callReminder' as const, link: 'packages/hotline/pages/bookings/index', title: `${when}请带${b.childName}去关爱室通话`, at: new Date(b.start), detail: `${b.bookedByName}约的，在${room}`, key
      }))]
    }, prepare)
  },
  nextDue: (now) => nextReminder(COLLECTIONS.bookings, now)
}

/** At most this many new calls are told of in one run; more wait for the next minute. */
const NEW_CALLS_PER_RUN = 50
let moreNewCalls = false

type NewCall = BookingDoc & { teachersTold: false, room: Array<{ schoolId: string }>, staff: StaffDoc[] }

/**
 * The room's teachers hear of each new call within a minute of its booking, from here rather than from the booking
 * itself (docs/ARCHITECTURE.md, "Notifications"): a booking writes only what the family waits for, and a booking that
 * crashed after it was written is still told of. Whichever way the call was booked (the family, a standing call, a
 * waiting-list offer), it carries `teachersTold: false` until this job has told the room; a call cancelled or moved
 * before that is told as it stands (a cancelled one not at all).
 */
export const newCallsToRooms: Job = {
  async run () {
    // The new calls, each with its room and the people of its school, in one read.
    const res = await db.collection(COLLECTIONS.bookings).aggregate().match({ teachersTold: false }).limit(NEW_CALLS_PER_RUN)
      .lookup({ from: COLLECTIONS.careRooms, localField: 'roomId', foreignField: '_id', as: 'room' })
      .lookup({ from: COLLECTIONS.users, localField: 'room.schoolId', foreignField: 'roles.scope.id', as: 'staff' })
      .end() as { list: NewCall[] }
    // A full batch may have left more: due again at once (an instance runs one invocation at a time).
    moreNewCalls = res.list.length === NEW_CALLS_PER_RUN
    if (res.list.length === 0) return 0
    // Claimed together under this run's own token, then the ones it got read back: a run overlapping this one gets
    // the others, so each call is told by one run, and its notices go out before their entries are written.
    const token = `run:${crypto.randomBytes(8).toString('hex')}`
    await db.collection(COLLECTIONS.bookings).where({ _id: _.in(res.list.map((b) => b._id)), teachersTold: false }).update({ data: { teachersTold: token } })
    const mine = new Set((await rows<{ _id: string }>(db.collection(COLLECTIONS.bookings).where({ teachersTold: token }).field({ _id: true }).limit(NEW_CALLS_PER_RUN))).map((b) => b._id))
    const told = res.list.filter((b) => mine.has(b._id) && b.status === 'booked' && b.room[0])
    await Promise.all(told.map(async (b) => { await tellOfCall({ doc: { schoolId: b.room[0].schoolId } }, b, { kind: 'booked' }, teachersAmong(b.staff, b.room[0].schoolId), true) }))
    return told.length
  },
  // Nothing left until a booking is written (a write makes the local cloud fire the next minute, docs/LOCALCLOUD.md).
  nextDue: async (now) => moreNewCalls ? now : null
}

/** Offers not taken within their 30 minutes pass to the next family waiting. */
export const waitlistOffers: Job = {
  async run (now) {
    // Every open offer in one read (there are few: each lasts 30 minutes): the lapsed ones pass on, the soonest of the
    // rest is when the job is next due. One that passed on made a new offer: due again next minute, never late.
    const open = await allPages<WaitDoc>(db.collection(COLLECTIONS.waitlist).where({ state: 'offered' }).orderBy('offer.expiresAt', 'asc'))
    let expired = 0
    for (const w of open.filter((x) => x.offer && new Date(x.offer.expiresAt) <= now)) {
      const res = await db.collection(COLLECTIONS.waitlist).where({ _id: w._id, state: 'offered' }).update({ data: { state: 'expired' } }) as { stats: { updated: number } }
      if (res.stats.updated !== 1) continue
      await passOfferOn(w, now)
      expired++
    }
    const soonest = open.find((x) => x.offer && new Date(x.offer.expiresAt) > now)?.offer
    offersDue = expired > 0 ? now : soonest ? new Date(soonest.expiresAt) : null
    return expired
  },
  // What the run saw (an instance runs one invocation at a time; the scheduler asks right after the run).
  nextDue: async () => offersDue
}
let offersDue: Date | null = null

/** Once a day: each standing weekly call books the week that came within reach, and tells of weeks it could not. */
export const standingCalls: Job = {
  marks: (now) => [dailyMark('standing', now)],
  async run (now) {
    if (!(await claimMark(dailyMark('standing', now)))) return 0
    const cal = await loadCalendar()
    let booked = 0
    for (const rule of await allPages<StandingDoc>(db.collection(COLLECTIONS.standingCalls).where({ weekday: _.gte(1) }))) {
      const room = await loadRoom(rule.roomId)
      if (!room) continue
      const res = await bookStandingWeeks(rule, room, cal, now)
      booked += res.booked.length
      for (const m of res.missed) {
        await notify({ to: rule.openid, template: 'bookingProblem', link: 'packages/hotline/pages/bookings/index', title: `${rule.childName}的固定通话这周没约上`, detail: m.reason })
      }
    }
    return booked
  },
  async nextDue (now) {
    const [any] = await rows(db.collection(COLLECTIONS.standingCalls).where({ weekday: _.gte(1) }).limit(1))
    return any ? await nextDaily('standing', now) : null
  }
}

/** Left-behind children (as of `now`), a page of fields at a time. */
async function leftBehindChildren<T extends ChildRecord> (now: Date, fields: Record<string, true>): Promise<T[]> {
  const kids = await allPages<T>(db.collection(COLLECTIONS.children).where({ status: 'leftBehind' }).field({ status: true, birthDate: true, ...fields }))
  return kids.filter((c) => effectiveStatus(c.status, c.birthDate, now) === 'leftBehind')
}

/**
 * From Thursday 10:00 (Shanghai) to the week's end: a gentle nudge to the parents of each left-behind child with no
 * call booked or held this week, once per child and week.
 */
export const weeklyNudges: Job = {
  marks: (now) => [`job:nudge:${weekOf(now).weekKey}`],
  async run (now) {
    if (!ruleOn('NUDGE_ENABLED')) return 0
    if (now < weeklyNudgeFrom(now)) return 0
    const week = weekOf(now)
    // Per-child marks keep a rerun from sending twice; the job's own mark lets later runs of the week skip the scan.
    const mark = `job:nudge:${week.weekKey}`
    if (await isMarkDone(mark)) return 0
    await claimMark(mark, { state: 'running' })
    const from = startOfShanghaiWeek(now)
    const to = new Date(from.getTime() + WEEK_MS)
    let sent = 0
    for (const page of pieces(await leftBehindChildren(now, { name: true }))) {
      const ids = page.map((c) => c._id)
      const withCall = new Set((await allPages<BookingDoc>(db.collection(COLLECTIONS.bookings).where({ childId: _.in(ids), start: _.gte(from).and(_.lt(to)), status: _.in(['booked', 'held']) }).field({ childId: true }))).map((b) => b.childId))
      // A confirmed direct call holds the week too (docs/DOMAIN.md, "Contact rhythm").
      for (const w of await allPages<{ childId: string }>(db.collection(COLLECTIONS.weeklyContacts).where({ childId: _.in(ids), weekKey: week.weekKey }).field({ childId: true }))) withCall.add(w.childId)
      const parents = await allPages<{ childId: string, openid: string }>(db.collection(COLLECTIONS.bindings).where({ childId: _.in(ids), role: 'parent' }))
      // Children side by side, a few at a time; each child's parents side by side.
      await sideBySide(page.filter((c) => !withCall.has(c._id)), TIMER_LANES, async (child) => {
        const mine = parents.filter((p) => p.childId === child._id)
        if (mine.length === 0 || !(await claimMark(`nudge:${child._id}:${week.weekKey}`))) return
        await Promise.all(mine.map(async (p) => {
          await notify({ to: p.openid, template: 'weeklyNudge', link: `packages/hotline/pages/book/index?childId=${child._id}`, title: `这周还没和${child.name}通话`, detail: '点这里，一步约好这周的通话', key: `nudge:${child._id}:${weekOf(now).weekKey}`, claimed: true })
          sent++
        }))
      })
    }
    await markDone(mark)
    return sent
  },
  // This week's Thursday 10:00 until the week's nudges are done, then next week's.
  async nextDue (now) {
    if (!ruleOn('NUDGE_ENABLED')) return null
    const from = weeklyNudgeFrom(now)
    if (now < from) return from
    return (await isMarkDone(`job:nudge:${weekOf(now).weekKey}`)) ? weeklyNudgeFrom(new Date(startOfShanghaiWeek(now).getTime() + WEEK_MS)) : now
  }
}

/**
 * Three finished weeks in a row or more without a held care-room call or a confirmed direct call: the teacher and the
 * child-welfare officer are told, each week it goes on, with the number of weeks. Only weeks since the system knew the
 * child and a parent who could call count (the later of the file's start and the first parent's binding).
 */
const FLAG_AFTER_WEEKS = 3

export const contactFlags: Job = {
  marks: (now) => [`job:flag:${shiftWeek(weekOf(now).weekKey, -1)}`],
  async run (now) {
    const lastWeek = shiftWeek(weekOf(now).weekKey, -1)
    const lookBack = Array.from({ length: 12 }, (_x, i) => shiftWeek(lastWeek, -i))
    const mark = `job:flag:${lastWeek}`
    if (await isMarkDone(mark)) return 0
    await claimMark(mark, { state: 'running' })
    let flagged = 0
    const kids = await leftBehindChildren<ChildRecord>(now, { name: true, schoolId: true, villageId: true, townshipId: true, createdAt: true })
    for (const page of pieces(kids)) {
      const ids = page.map((c) => c._id)
      const contacts = await allPages<{ childId: string, weekKey: string }>(db.collection(COLLECTIONS.weeklyContacts).where({ childId: _.in(ids), weekKey: _.in(lookBack) }).field({ childId: true, weekKey: true }))
      const parents = await allPages<BindingDoc>(db.collection(COLLECTIONS.bindings).where({ childId: _.in(ids), role: 'parent' }).field({ childId: true, createdAt: true }))
      // A call home a parent recorded in the week just finished, still waiting for the family's word (a Sunday
      // night call confirmed on Monday), holds the flag off for that week; unconfirmed, it counts as no call next
      // week (docs/DOMAIN.md, "Contact rhythm").
      const awaiting = new Set((await allPages<{ childId: string }>(db.collection(COLLECTIONS.directCalls).where({ childId: _.in(ids), state: 'pending', weekKey: lastWeek }).field({ childId: true }))).map((d) => d.childId))
      // Children side by side, a few at a time; each child's teacher and officers side by side.
      await sideBySide(page.filter((c) => !awaiting.has(c._id)), TIMER_LANES, async (child) => {
        const held = new Set(contacts.filter((w) => w.childId === child._id).map((w) => w.weekKey))
        const knownFrom = contactKnownFrom(child.createdAt ? new Date(child.createdAt) : undefined, parents.filter((p) => p.childId === child._id).map((p) => (p.createdAt ? new Date(p.createdAt) : undefined)))
        const weeks = Math.min(weeksWithoutCall(held, lastWeek, 12), weeksKnown(knownFrom, lastWeek, lookBack))
        if (weeks < FLAG_AFTER_WEEKS) return
        if (!(await claimMark(`flag3:${child._id}:${lastWeek}`))) return
        const [, staff] = await Promise.all([
          db.collection(COLLECTIONS.children).doc(child._id).update({ data: { contactFlag: { weeks, upToWeek: lastWeek, at: now } } }),
          allPages<{ _id: string, roles: Array<{ role: string, scope?: { id: string }, status?: string }> }>(db.collection(COLLECTIONS.users)
            .where({ 'roles.scope.id': _.in([child.schoolId, child.villageId, child.townshipId]) }))
        ])
        const duty = staff.filter((u) => u.roles.some((g) => g.status !== 'suspended' && ((g.role === 'teacher' && g.scope?.id === child.schoolId) || (g.role === 'childWelfareOfficer' && (g.scope?.id === child.villageId || g.scope?.id === child.townshipId)))))
        await Promise.all(duty.map(async (u) => {
          await notify({ to: u._id, template: 'careAlert', link: `packages/registry/pages/child/index?id=${child._id}`, title: `${child.name}已连续${weeks}周没有和家长通话`, detail: '请联系家长，了解情况', key: `flag3:${child._id}:${lastWeek}`, claimed: true })
        }))
        flagged++
      })
    }
    await markDone(mark)
    return flagged
  },
  // Each week's check runs once, on its first minute (Monday 00:00), for the week just finished.
  async nextDue (now) {
    const lastWeek = shiftWeek(weekOf(now).weekKey, -1)
    return (await isMarkDone(`job:flag:${lastWeek}`)) ? new Date(startOfShanghaiWeek(now).getTime() + WEEK_MS) : now
  }
}
