// 督导: each agency's oversight view of its scope, its lists and their CSV; leaders' 五个一.
import { AppError, FIVE_ONES, FIVE_ONE_LABELS, isInvitedLeader, oversightContract, toDateKey, type RoleGrant } from '../../src/domain'
import { _, db, rows } from '../_server/cloud'
import { COLLECTIONS } from '../_server/collections'
import { audit } from '../_server/audit'
import { action, createRouter } from '../_server/router'
import { areaOf, computeFigures } from './figures'
import { buildList, toCsv } from './lists'
import * as clock from '../_server/clock'

const overview = action({
  contract: oversightContract.overview,
  allowed: ['admin'],
  async handler (_input, caller) {
    return await computeFigures(await areaOf(caller), clock.now())
  }
})

const list = action({
  contract: oversightContract.list,
  allowed: ['admin'],
  async handler (input, caller) {
    const area = await areaOf(caller)
    const l = await buildList(area, input.key, clock.now())
    if (l.childIds.length > 0) await audit(caller, { action: 'oversight.list', what: `查看督导名单：${l.label}` }, l.childIds.map((id) => ({ _id: id, [area.field]: area.id })))
    return { label: l.label, columns: l.columns, rows: l.rows, opens: l.opens }
  }
})

const exportList = action({
  contract: oversightContract.exportList,
  allowed: ['admin'],
  async handler (input, caller) {
    const area = await areaOf(caller)
    const now = clock.now()
    const l = await buildList(area, input.key, now)
    await audit(caller, { action: 'oversight.exportList', what: `导出督导名单：${l.label}` }, l.childIds.map((id) => ({ _id: id, [area.field]: area.id })))
    return { filename: `${l.label}-${toDateKey(now)}.csv`, csv: toCsv(l.columns, l.rows), rows: l.rows.length }
  }
})

/**
 * A leader an admin invited records the 五个一 items they did; the paired child comes from pairing. Only invited
 * leaders: anyone can call themselves a leader, and the county's list must not count them.
 */
const isLeader = (caller: { grants: RoleGrant[] }) => caller.grants.some(isInvitedLeader)

const recordDuty = action({
  contract: oversightContract.recordDuty,
  allowed: ['volunteer'],
  async handler (input, caller) {
    if (!isLeader(caller)) throw new AppError('FORBIDDEN', '“五个一”由领导干部记录')
    await db.collection(COLLECTIONS.leaderDuties).doc(`${caller.openid}:${input.item}`).set({ data: { openid: caller.openid, ...input, at: clock.now() } })
    return { saved: true as const }
  }
})

const myDuties = action({
  contract: oversightContract.myDuties,
  allowed: ['volunteer'],
  async handler (_input, caller) {
    if (!isLeader(caller)) throw new AppError('FORBIDDEN', '“五个一”由领导干部记录')
    const done = await rows<{ item: string, date: string, note: string }>(db.collection(COLLECTIONS.leaderDuties).where({ openid: caller.openid }).limit(20))
    const paired = await rows(db.collection(COLLECTIONS.pairings).where({ volunteerId: caller.openid, status: _.in(['active', 'review']) }).limit(1))
    return {
      items: FIVE_ONES.map((item) => {
        const d = done.find((x) => x.item === item)
        return { item, label: FIVE_ONE_LABELS[item], done: item === 'pairedChild' ? paired.length > 0 : Boolean(d), date: d?.date, note: d?.note }
      })
    }
  }
})

export const main = createRouter({ overview, list, exportList, recordDuty, myDuties })
