/**
 * The legal-aid clocks, run by the scheduler: the officers of the centre are warned before a clock runs out; when
 * it runs out the centre's supervisor and the county's justice admin are told. A lawyer who lets the acceptance
 * time pass is reported to the officers to choose another. Each warning is sent once (a claimed mark).
 */
import { CLOCKED_STATES, CLOCK_LABELS, WARN_BEFORE_MS, deadlineAt, runningClocks } from '../../../src/domain'
import { _, db, findById } from '../cloud'
import { COLLECTIONS } from '../collections'
import { loadCalendar } from '../calendar'
import type { LegalAidDoc } from '../legalaid/records'
import { claimMark } from '../marks'
import { notify } from '../notify'
import { allPages } from '../paging'
import { earliest, type Job } from './job'

const clocked = () => db.collection(COLLECTIONS.legalAidRequests).where({ state: _.in([...CLOCKED_STATES]) })

async function warn (now: Date): Promise<number> {
  const open = await allPages<LegalAidDoc>(clocked())
  if (open.length === 0) return 0
  const cal = await loadCalendar()
  let sent = 0
  for (const r of open) {
    for (const clock of runningClocks(cal, { ...r, deadlineAt: deadlineAt(r.deadline) }, now)) {
      if (clock.state === 'onTime') continue
      const stage = clock.state === 'late' ? 'late' : 'soon'
      if (!(await claimMark(`legalaid:${r._id}:${clock.name}:${stage}:${clock.due.getTime()}`))) continue
      const officers = (await allPages<{ _id: string, roles: Array<{ role: string, scope?: { id: string } }> }>(db.collection(COLLECTIONS.users).where({ 'roles.scope.id': r.centreId })))
        .filter((u) => u.roles.some((g) => g.role === 'legalAidOfficer' && g.scope?.id === r.centreId)).map((u) => u._id)
      const targets = new Set(officers)
      if (stage === 'late') {
        const centre = await findById<{ supervisorId?: string, countyId?: string }>(COLLECTIONS.places, r.centreId)
        if (centre?.supervisorId) targets.add(centre.supervisorId)
        const admins = await allPages<{ _id: string, roles: Array<{ role: string, agency?: string, scope?: { id: string } }> }>(db.collection(COLLECTIONS.users).where({ 'roles.scope.id': r.countyId }))
        admins.filter((u) => u.roles.some((g) => g.role === 'admin' && g.agency === 'justice' && g.scope?.id === r.countyId)).forEach((u) => targets.add(u._id))
      }
      const title = clock.name === 'lawyerAccept'
        ? (stage === 'late' ? `律师超时未接案，请另选律师：${r.childName}` : `律师尚未接案：${r.childName}`)
        : (stage === 'late' ? `已超时：${CLOCK_LABELS[clock.name]}` : `快到期：${CLOCK_LABELS[clock.name]}`)
      for (const to of targets) {
        await notify({ to, template: 'deadlineAlert', link: `packages/legalaid/pages/case/index?id=${r._id}`, title, at: clock.due, detail: `${r.childName}（${r.centreName}）`, key: `legalaid:${r._id}:${clock.name}:${stage}:${clock.due.getTime()}`, urgent: stage === 'late' })
        sent++
      }
    }
  }
  return sent
}

export const legalAidClocks: Job = {
  run: warn,
  // A clock on time warns WARN_BEFORE_MS before it is due; one due soon is late just after it is due.
  async nextDue (now) {
    const open = await allPages<LegalAidDoc>(clocked().field({ state: true, submittedAt: true, deadline: true, evidenceUrgent: true, complex: true, complexReason: true, decidedAt: true, assignedAt: true }))
    if (open.length === 0) return null
    const cal = await loadCalendar()
    let next: Date | null = null
    for (const r of open) {
      for (const clock of runningClocks(cal, { ...r, deadlineAt: deadlineAt(r.deadline) }, now)) {
        const at = clock.state === 'onTime' ? clock.due.getTime() - WARN_BEFORE_MS : clock.state === 'dueSoon' ? clock.due.getTime() + 1 : null
        next = earliest(next, at === null ? null : new Date(at))
      }
    }
    return next
  }
}
