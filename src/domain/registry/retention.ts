import { z } from 'zod'
import { addWorkingDays, type Due, type WorkCalendar } from '../calendar/calendar'
import { toDateKey, type DateKey } from '../calendar/dates'
import { ZONE, dayjs } from '../time'
import type { ChildStatus } from './child'

/**
 * How long a child's information is kept, and how soon a guardian's request to delete it is carried out
 * (docs/DOMAIN.md, "Children's personal information"). The consent text states both from this one policy, so the
 * promise and what the system does cannot drift apart. A deployment may change them (the registry's and the
 * scheduler's RETENTION_YEARS and DELETION_WORKING_DAYS); the consent text then names its own version.
 */
export interface DataPolicy {
  /** years a file is kept after the child stopped being left behind */
  retentionYears: number
  /** working days the county has to carry out a guardian's request to delete */
  deletionWorkingDays: number
}

export const DATA_POLICY: DataPolicy = { retentionYears: 2, deletionWorkingDays: 15 }

const Years = z.coerce.number().int().min(1).max(10)
const Days = z.coerce.number().int().min(1).max(30)

/** The policy a deployment configured, each value within sane bounds, else the default. */
export function dataPolicyFrom (env: Record<string, string | undefined>): DataPolicy {
  const years = Years.safeParse(env.RETENTION_YEARS)
  const days = Days.safeParse(env.DELETION_WORKING_DAYS)
  return {
    retentionYears: env.RETENTION_YEARS && years.success ? years.data : DATA_POLICY.retentionYears,
    deletionWorkingDays: env.DELETION_WORKING_DAYS && days.success ? days.data : DATA_POLICY.deletionWorkingDays
  }
}

/** The national definition of a left-behind child ends at 16. */
const LEFT_BEHIND_UNTIL_AGE = 16

function addYears (day: DateKey, years: number): DateKey {
  return dayjs.tz(day, ZONE).add(years, 'year').format('YYYY-MM-DD')
}

interface KeptChild { status: ChildStatus, birthDate: string, statusHistory?: Array<{ status: ChildStatus, effectiveDate: string }> }

/**
 * The day a child stopped being left behind: the day of the status change that ended it (a parent came home, the
 * child moved to the parent's city, …) or the 16th birthday, whichever came first. For a child still left behind,
 * the 16th birthday (a day that may lie ahead).
 */
export function leftBehindEndedOn (c: KeptChild): DateKey {
  const sixteen = addYears(c.birthDate, LEFT_BEHIND_UNTIL_AGE)
  if (c.status === 'leftBehind') return sixteen
  const last = [...(c.statusHistory ?? [])].reverse().find((h) => h.status === c.status)
  return last && last.effectiveDate < sixteen ? last.effectiveDate : sixteen
}

/** The first day a file may be purged: the retention after the child stopped being left behind. */
export function retainedUntil (c: KeptChild, policy: DataPolicy): DateKey {
  return addYears(leftBehindEndedOn(c), policy.retentionYears)
}

/** True when a file's retention has run out on `now`'s Shanghai day. */
export function purgeDue (c: KeptChild, policy: DataPolicy, now: Date): boolean {
  return retainedUntil(c, policy) <= toDateKey(now)
}

/** A guardian's request to delete is carried out by the close of the policy's last working day. */
export function deletionDue (cal: WorkCalendar, requestedAt: Date, policy: DataPolicy): Due {
  return addWorkingDays(cal, requestedAt, policy.deletionWorkingDays)
}

export const DELETION_STATES = ['open', 'done'] as const
export type DeletionState = (typeof DELETION_STATES)[number]
export const DELETION_STATE_LABELS: Record<DeletionState, string> = { open: '等县民政局处理', done: '已删除' }

/** What the law keeps after a deletion, in words for the guardian and the admin. */
export const KEPT_BY_LAW = [
  '孩子的姓名、性别、出生日期、学校班级、所在村：留守儿童信息台账（未成年人保护法第43条）',
  '困难类别：孩子按规定减免费用要用',
  '已经提交的强制报告：公安处理和追查要用（未成年人保护法第11条）',
  '法律援助案卷：按法律援助的规定保存',
  '谁在什么时候查看过档案的记录（个人信息保护法）'
] as const
