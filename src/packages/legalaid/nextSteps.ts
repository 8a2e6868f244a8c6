/** What happens next on a legal-aid request, in the applicant's words: the clocks the law sets, as sentences. */
import type { z } from 'zod'
import type { LegalAidView } from '../../domain'
import { dueWords } from '../../services/format'

export type RequestView = z.infer<typeof LegalAidView>
export type Clock = RequestView['clocks'][number]

/** A running clock as the applicant reads it, in a sentence (docs/DOMAIN.md, "Legal Aid Law"). */
export function clockWords (clock: Clock, lawyerName?: string): string {
  const by = dueWords(clock.due)
  const late = (clock.state === 'late' ? '（已经晚了，中心会加紧办理；也可以打 12348 问问）' : '') + estimatedWords(clock)
  switch (clock.name) {
    case 'acknowledge': return `法律援助中心会在 ${by} 前确认收到${late}`
    case 'decide': return `${by} 前告诉您是否给予法律援助${late}`
    case 'statutoryReview': return `法律规定最迟 ${by} 前作出决定${late}`
    case 'assignLawyer': return `${by} 前为孩子安排好律师${late}`
    case 'lawyerAccept': return `${lawyerName ? `${lawyerName}律师` : '律师'}会在 ${by} 前回复是否接案${late}`
    default: return `${clock.label}：${by} 前${late}`
  }
}

/** A due time counted over a year whose holiday arrangement is not published yet (docs/DOMAIN.md, "Working days and holidays"). */
export function estimatedWords (clock: Clock): string {
  return clock.estimated ? '（按法定假日推算，放假安排公布后可能变动）' : ''
}

/** The clock the sentence of `nextWords` tells of, if any. */
export function mainClock (v: RequestView): Clock | undefined {
  if (v.state === 'acknowledged') return v.clocks.find((c) => c.name === 'decide') ?? v.clocks[0]
  if (v.state === 'submitted' || v.state === 'approved') return v.clocks[0]
  return undefined
}

/** What happens next, in plain words, for the applicant. */
export function nextWords (v: RequestView): string {
  const clock = mainClock(v)
  const by = clock ? `${clockWords(clock, v.lawyerName)}。` : ''
  switch (v.state) {
    case 'submitted': return by || '等法律援助中心确认收到。'
    case 'acknowledged': return `中心正在审查。${by}`
    case 'approved': return `已经批准了，正在为孩子安排志愿律师。${by}`
    case 'lawyerAssigned': return `已安排${v.lawyerName ?? ''}律师，等律师接案。律师接案后会联系您。${v.approvalPending ? '情况紧急，律师先帮您，审查随后补办。' : ''}`
    case 'inProgress': return `${v.lawyerName ?? ''}律师正在办理，会和您联系。律师要材料时，这里会告诉您。`
    case 'refused': return '中心决定不予法律援助。下面写了理由，不同意可以提出异议。'
    case 'closed': return '案件已经办完了。'
    default: return ''
  }
}
