import { toDateKey } from '../calendar/dates'
import { callTimeLabel } from '../hotline'
import type { z } from 'zod'
import { ReportInput, type HarmKind } from './reports'

/**
 * A report opened by another part of the product (a child's crisis, a legal-aid request naming abuse, a paired
 * volunteer's concern) carries what a report typed by hand carries, so the police can act on it: what was said in
 * words, the time, where the child is (school, class, township, village), whether she is in danger now, and who to
 * call and whom not to alert. It passes the same validation as a report typed by hand (`ReportInput`).
 */
export type ReportOrigin = 'counseling' | 'legalaid' | 'pairing'

export interface ChildPlace { school: string, className: string, township: string, village: string }

export interface OriginFacts {
  origin: ReportOrigin
  childId: string
  kinds: readonly HarmKind[]
  /** what was said or seen, in words, a line each */
  content: readonly string[]
  dangerNow: boolean
  place: ChildPlace
  /** when it was raised */
  at: Date
}

const INTRO: Record<ReportOrigin, string> = {
  counseling: '在雏燕「找人聊聊」里求助，回答：',
  legalaid: '法律援助申请里写的情况：',
  pairing: '结对志愿者反映：'
}

const cut = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s)

/** Where the child can be found, in one line (the report's 地点): her school and class, her township and village. */
export function placeWords (p: ChildPlace): string {
  const school = [p.school, p.className].filter(Boolean).join('')
  const home = [p.township, p.village].filter(Boolean).join('')
  const parts = [school && `在${school}上学`, home && `家在${home}`].filter(Boolean)
  return parts.length > 0 ? `孩子${parts.join('，')}` : '孩子档案里没有写学校和住址'
}

/** The report's fields from what the origin knows; the result is a valid ReportInput. */
export function originReport (f: OriginFacts): z.infer<typeof ReportInput> {
  const lines = [`${callTimeLabel(f.at)} ${INTRO[f.origin]}`, ...f.content.map((l) => l.trim()).filter(Boolean)]
  if (lines.length === 1) lines.push('（没有写更多）')
  return ReportInput.parse({
    childId: f.childId,
    kinds: f.kinds.length > 0 ? [...new Set(f.kinds)] : ['abuse'],
    seen: cut(lines.join('\n'), 1000),
    when: toDateKey(f.at),
    where: cut(placeWords(f.place), 100),
    dangerNow: f.dangerNow
  })
}
