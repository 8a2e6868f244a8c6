/**
 * The registry's timers (docs/DOMAIN.md, "Children's personal information"): files past their retention are purged,
 * and a family's request to delete that runs past its working days alerts the county's 民政 admins.
 */
import { purgeDue, toDateKey, type ChildRecord } from '../../../src/domain'
import { _, db, rows } from '../cloud'
import { COLLECTIONS } from '../collections'
import { auditByCount } from '../audit'
import { claimMark, isMarkDone, markDone } from '../marks'
import { notify } from '../notify'
import { allPages } from '../paging'
import { dataPolicy } from '../registry/policy'
import { eraseChild } from '../registry/erase'
import { dailyMark, nextDaily, type Job } from './job'

/** Years after birth past which a child is no longer left behind whatever the file says (the national definition). */
const LEFT_BEHIND_UNTIL_AGE = 16

/**
 * Once a day: every file whose retention ran out (the policy's years after the child stopped being left behind) is
 * erased with all its records but those another law keeps. The log says how many, per county, never whose.
 */
export const retentionPurge: Job = {
  marks: (now) => [dailyMark('retention', now)],
  async run (now) {
    const mark = dailyMark('retention', now)
    // A run cut short leaves the mark `running`, and the next run goes on (each erasure is safe to repeat).
    if (await isMarkDone(mark)) return 0
    await claimMark(mark, { state: 'running' })
    const policy = dataPolicy()
    const today = toDateKey(now)
    // Files that can be due: no longer left behind, or old enough that the 16th birthday plus the retention has passed.
    const bornBy = `${Number(today.slice(0, 4)) - LEFT_BEHIND_UNTIL_AGE - policy.retentionYears}${today.slice(4)}`
    const candidates = await allPages<ChildRecord>(db.collection(COLLECTIONS.children)
      .where(_.or([{ status: _.neq('leftBehind') }, { birthDate: _.lte(bornBy) }]))
      .field({ status: true, statusHistory: true, birthDate: true, countyId: true, townshipId: true }))
    const byCounty = new Map<string, { files: number, records: number }>()
    for (const child of candidates.filter((c) => purgeDue(c, policy, now))) {
      const erased = await eraseChild(child, false, now)
      const t = byCounty.get(child.countyId) ?? { files: 0, records: 0 }
      byCounty.set(child.countyId, { files: t.files + 1, records: t.records + erased.deleted - 1 })
    }
    for (const [countyId, t] of byCounty) {
      await auditByCount({ action: 'scheduler.retentionPurge', what: `保存期满（不再留守${policy.retentionYears}年）自动删除：${t.files}份档案，相关记录${t.records}条` }, { countyId })
    }
    await markDone(mark)
    return [...byCounty.values()].reduce((n, t) => n + t.files, 0)
  },
  // A file falls due on a Shanghai day: the first run of each day finds all of that day's.
  nextDue: (now) => nextDaily('retention', now)
}

interface OpenRequest { _id: string, childName: string, countyId: string, dueAt: Date }

/** A family's request to delete not carried out by its due time: the county's 民政 admins are alerted, once, urgently. */
export const deletionDeadlines: Job = {
  async run (now) {
    let alerted = 0
    // Every open request not yet alerted, in one read (they are few): the overdue ones are alerted now, the soonest of
    // the rest is when the job is next due (asked right after this run, docs/ARCHITECTURE.md "Timers").
    const open = await allPages<OpenRequest>(db.collection(COLLECTIONS.deletionRequests).where({ state: 'open', overdueAlerted: false }).orderBy('dueAt', 'asc'))
    const waiting = open.find((r) => new Date(r.dueAt) > now)
    deletionsDue = waiting ? new Date(waiting.dueAt) : null
    for (const r of open.filter((x) => new Date(x.dueAt) <= now)) {
      const claimed = await db.collection(COLLECTIONS.deletionRequests).where({ _id: r._id, state: 'open', overdueAlerted: false }).update({ data: { overdueAlerted: true } }) as { stats: { updated: number } }
      if (claimed.stats.updated !== 1) continue
      const users = await rows<{ _id: string, roles: Array<{ role: string, agency?: string, scope?: { level: string, id: string }, status?: string }> }>(db.collection(COLLECTIONS.users).where({ 'roles.scope.id': r.countyId }).limit(100))
      const admins = users.filter((u) => u.roles.some((g) => g.role === 'admin' && g.agency === 'civilAffairs' && g.scope?.level === 'county' && g.scope.id === r.countyId && g.status !== 'suspended'))
      for (const u of admins) {
        await notify({ to: u._id, template: 'deadlineAlert', link: 'packages/admin/pages/deletions/index', at: new Date(r.dueAt), title: `删除申请已超时：${r.childName}`, detail: '请尽快按家人的申请删除', key: `deletion:overdue:${r._id}`, urgent: true })
      }
      alerted++
    }
    return alerted
  },
  nextDue: async () => deletionsDue
}
let deletionsDue: Date | null = null
