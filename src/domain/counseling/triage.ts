import { z } from 'zod'

/**
 * Triage for psychological help (红烛暖心, 成长助力): a few questions a ten-year-old can answer, or a grown-up on the
 * child's behalf, giving an urgency. The rule errs on the side of the child: any sign of danger, self-harm, suicide
 * or abuse — in an answer or in the child's own words — is a crisis, which reaches a person at once and never waits
 * for a booking.
 */
const URGENCIES = ['crisis', 'soon', 'routine'] as const
export type Urgency = (typeof URGENCIES)[number]
export const URGENCY_LABELS: Record<Urgency, string> = { crisis: '紧急', soon: '尽快', routine: '一般' }

export const TriageAnswers = z.object({
  /** 你现在安全吗？ */
  safeNow: z.enum(['yes', 'no', 'notSure'], { message: '请选一个' }),
  /** 有没有人伤害你、打你，或者让你害怕？ */
  someoneHurts: z.enum(['yes', 'no'], { message: '请选一个' }),
  /** 你有没有想过伤害自己，或者不想活了？ */
  selfHarmThoughts: z.enum(['yes', 'sometimes', 'no'], { message: '请选一个' }),
  /** 最近睡不好、吃不下、不想上学的日子多吗？ */
  hardDays: z.enum(['most', 'some', 'few'], { message: '请选一个' }),
  /** 这样难受有多久了？ */
  howLong: z.enum(['days', 'weeks', 'months'], { message: '请选一个' }),
  /** 想说的话（可以不写） */
  words: z.string().trim().max(500, '最多写500个字').optional()
}).strict()
export type TriageAnswers = z.infer<typeof TriageAnswers>

/** The questions as a child sees them, in order, with their choices. */
export const TRIAGE_QUESTIONS = [
  { key: 'safeNow', text: '你现在安全吗？', choices: [['yes', '安全'], ['no', '不安全'], ['notSure', '说不清']] },
  { key: 'someoneHurts', text: '有没有人伤害你、打你，或者让你害怕？', choices: [['yes', '有'], ['no', '没有']] },
  { key: 'selfHarmThoughts', text: '你有没有想过伤害自己，或者不想活了？', choices: [['yes', '有'], ['sometimes', '有时候会'], ['no', '没有']] },
  { key: 'hardDays', text: '最近睡不好、吃不下、不想上学的日子多吗？', choices: [['most', '大多数日子'], ['some', '有一些'], ['few', '很少']] },
  { key: 'howLong', text: '这样难受有多久了？', choices: [['days', '几天'], ['weeks', '几个星期'], ['months', '一个多月了']] }
] as const

/**
 * Words that make a request a crisis whatever the answers say. Kept broad on purpose: a false alarm costs a
 * counsellor a phone call; a missed one can cost a life.
 */
const SELF_HARM = ['自杀', '不想活', '想死', '去死', '活着没意思', '割腕', '割自己', '跳楼', '跳河', '上吊', '吃药死', '伤害自己', '结束生命', '轻生']
const ABUSE = ['打我', '揍我', '虐待', '家暴', '性侵', '猥亵', '摸我', '脱我衣服', '强奸', '不给我饭吃', '关起来', '被拐', '拐卖', '威胁我']
const DANGER = ['危险', '救命', '害怕回家', '不敢回家', '有人跟踪', '离家出走', '被锁', '受伤了', '流血']

export type CrisisReason = 'notSafe' | 'someoneHurts' | 'selfHarm' | 'selfHarmWords' | 'abuseWords' | 'dangerWords'
export const CRISIS_REASON_LABELS: Record<CrisisReason, string> = {
  notSafe: '孩子说现在不安全或说不清',
  someoneHurts: '孩子说有人伤害或吓唬他（她）',
  selfHarm: '孩子有伤害自己或不想活的念头',
  selfHarmWords: '孩子的话里提到伤害自己或轻生',
  abuseWords: '孩子的话里提到被打、被虐待或被侵害',
  dangerWords: '孩子的话里提到危险'
}

interface TriageResult {
  urgency: Urgency
  reasons: CrisisReason[]
  /** abuse is named: a mandatory report must be opened too (未成年人保护法 第十一条) */
  abuseNamed: boolean
}

export function triage (a: TriageAnswers): TriageResult {
  const words = (a.words ?? '').replace(/\s+/g, '')
  const has = (list: readonly string[]) => list.some((w) => words.includes(w))
  const reasons: CrisisReason[] = []
  // "Not sure" about safety is treated as not safe: a child who cannot say they are safe is asked by a person.
  if (a.safeNow !== 'yes') reasons.push('notSafe')
  if (a.someoneHurts === 'yes') reasons.push('someoneHurts')
  if (a.selfHarmThoughts !== 'no') reasons.push('selfHarm')
  if (has(SELF_HARM)) reasons.push('selfHarmWords')
  if (has(ABUSE)) reasons.push('abuseWords')
  if (has(DANGER)) reasons.push('dangerWords')
  const abuseNamed = a.someoneHurts === 'yes' || has(ABUSE)
  if (reasons.length > 0) return { urgency: 'crisis', reasons, abuseNamed }
  // Most days hard, or hard for weeks or more: a session within two days.
  if (a.hardDays === 'most' || (a.hardDays === 'some' && a.howLong === 'months')) return { urgency: 'soon', reasons, abuseNamed }
  return { urgency: 'routine', reasons, abuseNamed }
}

/** Soon-requests are offered sessions within this many hours first. */
export const SOON_WITHIN_HOURS = 48
/** An on-duty counsellor must acknowledge a crisis within this many minutes, or the next person is alerted. */
export const CRISIS_ACK_MINUTES = 10
