import { z } from 'zod'
import { DateString } from '../registry/fields'

/** 五个一 (工作方案 三(一)): each leader holds one meeting, one field visit, one forum, links one school, pairs one child. */
export const FIVE_ONES = ['meeting', 'fieldVisit', 'forum', 'linkedSchool', 'pairedChild'] as const
export type FiveOne = (typeof FIVE_ONES)[number]
export const FIVE_ONE_LABELS: Record<FiveOne, string> = { meeting: '召开一次专题会议', fieldVisit: '开展一次实地调研', forum: '组织一次座谈会', linkedSchool: '挂钩一所学校', pairedChild: '结对帮扶一名儿童' }

export const DutyInput = z.object({
  item: z.enum(['meeting', 'fieldVisit', 'forum', 'linkedSchool'], { message: '请选择是哪一项' }),
  date: DateString,
  note: z.string().trim().min(2, '请简单写一句').max(200, '最多200字')
}).strict()

/** The middle value (mean of the two middle ones for an even count); undefined for none. */
export function median (values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined
  const s = [...values].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

export function share (part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10
}

/** The lists behind the figures, each readable by the agencies whose duty it is. */
export const OVERSIGHT_LISTS = ['noCallThisWeek', 'noCall4Weeks', 'unpaired', 'pairingsDue', 'legalAidLate', 'legalAidDueSoon', 'reportsOpen', 'vettingExpiring', 'unreachableStaff'] as const
export type OversightList = (typeof OVERSIGHT_LISTS)[number]
export const OVERSIGHT_LIST_LABELS: Record<OversightList, string> = {
  noCallThisWeek: '本周还没和家长通话的孩子',
  noCall4Weeks: '近4周没有通话的孩子',
  unpaired: '还没有结对的孩子',
  pairingsDue: '本月未谈心或本季未上门的结对',
  legalAidLate: '已超时的法律援助申请',
  legalAidDueSoon: '即将到期的法律援助申请',
  reportsOpen: '未办结的强制报告',
  vettingExpiring: '一个月内审查到期的志愿者',
  unreachableStaff: '收不到提醒的工作人员'
}
/** Who may open which list: all admins see children and pairings; legal aid is 司法's; reports are 公安/民政/教育's. */
export const LIST_AGENCIES: Partial<Record<OversightList, readonly string[]>> = {
  legalAidLate: ['justice', 'civilAffairs'],
  legalAidDueSoon: ['justice', 'civilAffairs'],
  reportsOpen: ['publicSecurity', 'civilAffairs', 'education']
}
