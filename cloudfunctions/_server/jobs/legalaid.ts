/**
 * The legal-aid clocks, run by the scheduler: the officers of the centre are warned before a clock runs out; when
 * it runs out the centre's supervisor and the county's justice admin are told. A lawyer who lets the acceptance
 * time pass is reported to the officers to choose another. A request at a centre with nobody active is reported to the
 * county's justice admin, who can reassign it (the stuck-requests page). Each warning is sent once (a claimed mark).
 */
import { CLOCKED_STATES, CLOCK_LABELS, MATTER_LABELS, WARN_BEFORE_MS, deadlineAt, legalAidClocks as legalAidClocksOf, runningClocks, type WorkCalendar } from '../../../src/domain'
import { _, db, findById } from '../cloud'
import { COLLECTIONS } from '../collections'
import { loadCalendar } from '../calendar'
import { activeOfficers, justiceAdmins } from '../legalaid/centres'
import type { LegalAidDoc } from '../legalaid/records'
import { claimMark, readMoreMarks } from '../marks'
import { notify } from '../notify'
import { allPages } from '../paging'
import { earliest, type Job } from './job'

// Requests a clock runs on: those in a clocked state, and those whose lawyer came first while the review follows (Art. 44).
const clocked = () => db.collection(COLLECTIONS.legalAidRequests).where(_.or([{ state: _.in([...CLOCKED_STATES]) }, { state: 'inProgress', approvalPending: true }]))

/** What the last run read: the requests on a clock and the calendar (the run changes neither; see nextDue). */
let seen: { open: LegalAidDoc[], cal?: WorkCalendar } | undefined

async function warn (now: Date): Promise<number> {
  seen = undefined
  const open = await allPages<LegalAidDoc>(clocked())
  seen = { open }
  if (open.length === 0) return 0
  const cal = await loadCalendar()
  seen.cal = cal
  let sent = 0
  // The marks this run may claim, read in one request with the officers: most were claimed a minute ago.
  const candidates = open.flatMap((r) => [
    `legalaid:${r._id}:nobody:${r.centreId}`,
    ...runningClocks(cal, { ...r, deadlineAt: deadlineAt(r.deadline) }, now).filter((c) => c.state !== 'onTime')
      .map((c) => `legalaid:${r._id}:${c.name}:${c.state === 'late' ? 'late' : 'soon'}:${c.due.getTime()}`)
  ])
  const [officersAt] = await Promise.all([activeOfficers([...new Set(open.map((r) => r.centreId))]), readMoreMarks(candidates)])
  // A new request: every active officer of its centre hears of it, once (the flag claimed first).
  await Promise.all(open.filter((r) => r.officersTold === false).map(async (r) => {
    const res = await db.collection(COLLECTIONS.legalAidRequests).where({ _id: r._id, officersTold: false }).update({ data: { officersTold: true } }) as { stats: { updated: number } }
    if (res.stats.updated !== 1) return
    const submittedAt = new Date(r.submittedAt)
    const first = legalAidClocksOf(cal, { submittedAt, deadlineAt: deadlineAt(r.deadline), evidenceUrgent: r.evidenceUrgent, now: submittedAt }).provideFirst
    await Promise.all((officersAt.get(r.centreId) ?? []).map(async (o) => {
      await notify({ to: o, template: 'caseUpdate', link: 'packages/legalaid/pages/queue/index', title: `新的法律援助申请：${MATTER_LABELS[r.matter]}`, at: submittedAt, detail: first ? '先行援助：期限不足7日或需保全证据' : '绿色通道：当天确认，3个工作日内决定', key: `legalaid:${r._id}:new`, claimed: true })
      sent++
    }))
  }))
  for (const r of open) {
    // A centre with nobody active cannot act on anything: the county's justice admin is told once, to reassign.
    if ((officersAt.get(r.centreId) ?? []).length === 0 && await claimMark(`legalaid:${r._id}:nobody:${r.centreId}`)) {
      for (const to of await justiceAdmins(r.countyId)) {
        await notify({ to, template: 'deadlineAlert', link: 'packages/legalaid/pages/stuck/index', title: `法律援助申请无人受理：${r.centreName}`, at: now, detail: `${r.childName}：中心没有在岗人员，请转办`, key: `legalaid:${r._id}:nobody:${r.centreId}`, urgent: true, claimed: true })
        sent++
      }
    }
    for (const clock of runningClocks(cal, { ...r, deadlineAt: deadlineAt(r.deadline) }, now)) {
      if (clock.state === 'onTime') continue
      const stage = clock.state === 'late' ? 'late' : 'soon'
      if (!(await claimMark(`legalaid:${r._id}:${clock.name}:${stage}:${clock.due.getTime()}`))) continue
      const targets = new Set(officersAt.get(r.centreId) ?? [])
      let admins: string[] = []
      if (stage === 'late') {
        const centre = await findById<{ supervisorId?: string, countyId?: string }>(COLLECTIONS.places, r.centreId)
        if (centre?.supervisorId) targets.add(centre.supervisorId)
        admins = await justiceAdmins(r.countyId)
        for (const a of admins) targets.add(a)
      }
      const title = clock.name === 'lawyerAccept'
        ? (stage === 'late' ? `律师超时未接案，请另选律师：${r.childName}` : `律师尚未接案：${r.childName}`)
        : (stage === 'late' ? `已超时：${CLOCK_LABELS[clock.name]}` : `快到期：${CLOCK_LABELS[clock.name]}`)
      for (const to of targets) {
        // The county's justice admin opens the stuck requests, where a late request can be reassigned.
        const admin = admins.includes(to) && !(officersAt.get(r.centreId) ?? []).includes(to)
        await notify({ to, template: 'deadlineAlert', link: admin ? 'packages/legalaid/pages/stuck/index' : `packages/legalaid/pages/case/index?id=${r._id}`, title, at: clock.due, detail: `${r.childName}（${r.centreName}）`, key: `legalaid:${r._id}:${clock.name}:${stage}:${clock.due.getTime()}`, urgent: stage === 'late', claimed: true })
        sent++
      }
    }
  }
  return sent
}

export const legalAidClocks: Job = {
  run: warn,
  // A clock on time warns WARN_BEFORE_MS before it is due; one due soon is late just after it is due.
  // From what the run read (it only sends warnings: the requests and their clocks are as it found them); asked right
  // after a run of the same invocation (docs/ARCHITECTURE.md, "Timers").
  async nextDue (now) {
    const open = seen?.open ?? await allPages<LegalAidDoc>(clocked())
    if (open.length === 0) return null
    const cal = seen?.cal ?? await loadCalendar()
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
