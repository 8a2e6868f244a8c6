import { z } from 'zod'
import type { HarmKind } from '../safeguarding/reports'

/**
 * Triage for psychological help (红烛暖心, 成长助力): a few questions a ten-year-old can answer, or a grown-up on the
 * child's behalf, giving an urgency. The rule errs on the side of the child: any sign of danger, self-harm, suicide
 * or abuse — in an answer or in the child's own words — is a crisis, which reaches a person at once and never waits
 * for a booking. The questions stop at the first answer that means danger: a child in danger is not kept answering
 * (docs/DOMAIN.md, "Contact rhythm": a crisis in minutes).
 */
export type Urgency = 'crisis' | 'soon' | 'routine'
export const URGENCY_LABELS: Record<Urgency, string> = { crisis: '紧急', soon: '尽快', routine: '一般' }

const CHOOSE = '请选一个'

/** The questions, in the order they are asked; their keys are the answers' fields. */
export const QUESTION_KEYS = ['safeNow', 'someoneHurts', 'selfHarmThoughts', 'hardDays', 'howLong'] as const
export type QuestionKey = (typeof QUESTION_KEYS)[number]

/**
 * Who hurts the child, when the child says someone does: someone at home, someone else, or not said. `yes` is the
 * same "someone, not said who" (the answer before the question told them apart).
 */
export const HURT_BY = ['home', 'school', 'elsewhere', 'notSay'] as const
export type HurtBy = (typeof HURT_BY)[number]
export const HURT_BY_LABELS: Record<HurtBy, string> = { home: '家里的人', school: '学校里的人', elsewhere: '别的人', notSay: '不想说' }

const Answers = z.object({
  /** 你现在安全吗？ */
  safeNow: z.enum(['yes', 'no', 'notSure'], { message: CHOOSE }).optional(),
  /** 有没有人伤害你、打你，或者让你害怕？ 'home': someone at home; 'other': someone else; 'yes': not said who. */
  someoneHurts: z.enum(['home', 'other', 'yes', 'no'], { message: CHOOSE }).optional(),
  /** 你有没有想过伤害自己，或者不想活了？ */
  selfHarmThoughts: z.enum(['yes', 'sometimes', 'no'], { message: CHOOSE }).optional(),
  /** 最近睡不好、吃不下、不想上学的日子多吗？ */
  hardDays: z.enum(['most', 'some', 'few'], { message: CHOOSE }).optional(),
  /** 这样难受有多久了？ */
  howLong: z.enum(['days', 'weeks', 'months'], { message: CHOOSE }).optional(),
  /** 想说的话（可以不写） */
  words: z.string().trim().max(500, '最多写500个字').optional()
}).strict()
type AnswersShape = z.infer<typeof Answers>

/** Whether this answer to this question means danger (and so ends the questions). */
export function isDangerAnswer (key: QuestionKey, value: string | undefined): boolean {
  if (value === undefined) return false
  switch (key) {
    // "Not sure" about safety is treated as not safe: a child who cannot say they are safe is asked by a person.
    case 'safeNow': return value === 'no' || value === 'notSure'
    case 'someoneHurts': return value === 'home' || value === 'other' || value === 'yes'
    case 'selfHarmThoughts': return value === 'yes' || value === 'sometimes'
    default: return false
  }
}

/** The first question whose answer means danger, if any (in the order the questions are asked). */
export function firstDanger (a: Partial<Record<QuestionKey, string>>): QuestionKey | undefined {
  return QUESTION_KEYS.find((k) => isDangerAnswer(k, a[k]))
}

/**
 * What comes after these answers: the next question to ask, the crisis screen (an answer meant danger: no more
 * questions), or done (every question answered, none meant danger).
 */
export function nextStep (a: Partial<Record<QuestionKey, string>>): { ask: QuestionKey } | { crisis: QuestionKey } | { done: true } {
  for (const k of QUESTION_KEYS) {
    if (a[k] === undefined) return { ask: k }
    if (isDangerAnswer(k, a[k])) return { crisis: k }
  }
  return { done: true }
}

/**
 * The answers as sent: every question up to the first danger answer, or all of them when none means danger. A
 * request that stops at a danger answer is whole; the questions after it are never asked. Each unanswered question
 * that should have been answered is named.
 */
export const TriageAnswers = Answers.superRefine((a, ctx) => {
  const stop = firstDanger(a)
  const needed = stop ? QUESTION_KEYS.slice(0, QUESTION_KEYS.indexOf(stop) + 1) : QUESTION_KEYS
  for (const k of needed) if (a[k] === undefined) ctx.addIssue({ code: 'custom', path: [k], message: CHOOSE })
  // Run alongside the fields' own errors (zod skips refinements after a type error), so every missing one is named.
}, { when: (p) => typeof p.value === 'object' && p.value !== null })
export type TriageAnswers = AnswersShape

/** The questions in order, for a child asking for herself (`text`) and for a grown-up asking for a child (`adultText`). */
export const TRIAGE_QUESTIONS = [
  { key: 'safeNow', text: '你现在安全吗？', adultText: '孩子现在安全吗？', choices: [['yes', '安全'], ['no', '不安全'], ['notSure', '说不清']] },
  {
    key: 'someoneHurts', text: '有没有人伤害你、打你，或者让你害怕？', adultText: '有没有人伤害孩子、打孩子，或者让孩子害怕？',
    choices: [['home', '有，是家里的人'], ['other', '有，是别的人'], ['yes', '有，不想说是谁'], ['no', '没有']],
    adultChoices: [['home', '有，是家里的人'], ['other', '有，是家外面的人'], ['yes', '有，不清楚是谁'], ['no', '没有']]
  },
  { key: 'selfHarmThoughts', text: '你有没有想过伤害自己，或者不想活了？', adultText: '孩子有没有说过想伤害自己，或者不想活了？', choices: [['yes', '有'], ['sometimes', '有时候会'], ['no', '没有']] },
  { key: 'hardDays', text: '最近睡不好、吃不下、不想上学的日子多吗？', adultText: '孩子最近睡不好、吃不下、不想上学的日子多吗？', choices: [['most', '大多数日子'], ['some', '有一些'], ['few', '很少']] },
  { key: 'howLong', text: '这样难受有多久了？', adultText: '这样有多久了？', choices: [['days', '几天'], ['weeks', '几个星期'], ['months', '一个多月了']] }
] as const satisfies ReadonlyArray<{ key: QuestionKey, text: string, adultText: string, choices: ReadonlyArray<readonly [string, string]>, adultChoices?: ReadonlyArray<readonly [string, string]> }>

/**
 * Words that make a request a crisis whatever the answers say. Kept broad on purpose: a false alarm costs a
 * counsellor a phone call; a missed one can cost a life.
 */
const SELF_HARM = ['自杀', '不想活', '想死', '去死', '活着没意思', '割腕', '割自己', '跳楼', '跳河', '上吊', '吃药死', '伤害自己', '结束生命', '轻生']
const ABUSE = ['打我', '揍我', '虐待', '家暴', '性侵', '猥亵', '摸我', '脱我衣服', '强奸', '不给我饭吃', '关起来', '被拐', '拐卖', '威胁我']
const SEXUAL = ['性侵', '猥亵', '摸我', '脱我衣服', '强奸']
const DANGER = ['危险', '救命', '害怕回家', '不敢回家', '有人跟踪', '离家出走', '被锁', '受伤了', '流血']
/** People of the home, as a child names them; with harm in the same words, the home is pointed at. */
const HOME_PEOPLE = ['爸爸', '妈妈', '爷爷', '奶奶', '外公', '外婆', '姥姥', '姥爷', '继父', '继母', '后爸', '后妈', '叔叔', '婶婶', '伯伯', '舅舅', '哥哥', '姐姐', '家里', '家人', '在家']

export type CrisisReason = 'notSafe' | 'someoneHurts' | 'hurtAtHome' | 'selfHarm' | 'selfHarmWords' | 'abuseWords' | 'dangerWords'
export const CRISIS_REASON_LABELS: Record<CrisisReason, string> = {
  notSafe: '孩子说现在不安全或说不清',
  someoneHurts: '孩子说有人伤害或吓唬他（她）',
  hurtAtHome: '孩子说家里有人伤害或吓唬他（她）',
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

const squeeze = (words: string | undefined) => (words ?? '').replace(/\s+/g, '')

/** What else the child told after help was on its way: who hurts her, and her own words. */
export interface ToldLater { hurtBy?: HurtBy, words?: string }

export function triage (a: TriageAnswers, later: ToldLater = {}): TriageResult {
  const words = squeeze([a.words, later.words].filter(Boolean).join(' '))
  const has = (list: readonly string[]) => list.some((w) => words.includes(w))
  const reasons: CrisisReason[] = []
  if (isDangerAnswer('safeNow', a.safeNow)) reasons.push('notSafe')
  if (a.someoneHurts === 'home' || later.hurtBy === 'home') reasons.push('hurtAtHome')
  else if (isDangerAnswer('someoneHurts', a.someoneHurts) || later.hurtBy !== undefined) reasons.push('someoneHurts')
  if (isDangerAnswer('selfHarmThoughts', a.selfHarmThoughts)) reasons.push('selfHarm')
  if (has(SELF_HARM)) reasons.push('selfHarmWords')
  if (has(ABUSE)) reasons.push('abuseWords')
  if (has(DANGER)) reasons.push('dangerWords')
  const abuseNamed = isDangerAnswer('someoneHurts', a.someoneHurts) || later.hurtBy !== undefined || has(ABUSE)
  if (reasons.length > 0) return { urgency: 'crisis', reasons, abuseNamed }
  // Most days hard, or hard for weeks or more: a session within two days.
  if (a.hardDays === 'most' || (a.hardDays === 'some' && a.howLong === 'months')) return { urgency: 'soon', reasons, abuseNamed }
  return { urgency: 'routine', reasons, abuseNamed }
}

/**
 * Whether what was said points at the child's home, and how surely: `said` (someone at home hurts her: her answer,
 * or whom she named later), `words` (her words name a person of the home together with harm), `unknown` (someone
 * hurts her and she did not say who). The guardians' numbers are then flagged and never the only ones
 * (docs/DOMAIN.md, "Minors Protection Law").
 */
export type HomeConcern = 'said' | 'words' | 'unknown'
export function homeConcern (a: Pick<TriageAnswers, 'someoneHurts' | 'words'>, later: ToldLater = {}): HomeConcern | undefined {
  if (a.someoneHurts === 'home' || later.hurtBy === 'home') return 'said'
  const words = squeeze([a.words, later.words].filter(Boolean).join(' '))
  if (HOME_PEOPLE.some((w) => words.includes(w)) && ABUSE.some((w) => words.includes(w))) return 'words'
  const named = later.hurtBy === 'school' || later.hurtBy === 'elsewhere' || a.someoneHurts === 'other'
  if (!named && (a.someoneHurts === 'yes' || later.hurtBy === 'notSay' || ABUSE.some((w) => words.includes(w)))) return 'unknown'
  return undefined
}

/** Sexual harm named in the words: the report says so, so the police send the right people. */
export function sexualHarmNamed (words: string | undefined): boolean {
  const w = squeeze(words)
  return SEXUAL.some((x) => w.includes(x))
}

/**
 * The answers in words, one line a question ("现在安全吗？不安全"), as a counsellor or the police read them; a
 * question never asked (the questions stopped at a danger answer) is left out.
 */
export function answersInWords (a: TriageAnswers, later: ToldLater = {}): string[] {
  const lines: string[] = []
  for (const q of TRIAGE_QUESTIONS) {
    const v = a[q.key]
    if (v === undefined) continue
    const choices: ReadonlyArray<readonly [string, string]> = q.choices
    const label = choices.find(([k]) => k === v)?.[1] ?? (v === 'other' ? '有，是别的人' : v)
    lines.push(`${q.adultText.replace(/^孩子/, '')}${label}`)
  }
  if (later.hurtBy) lines.push(`是谁：${HURT_BY_LABELS[later.hurtBy]}`)
  const words = [a.words, later.words].map((w) => w?.trim()).filter(Boolean)
  if (words.length > 0) lines.push(`孩子的话：“${words.join(' ')}”`)
  return lines
}

/** What a report opened from a request names: harm to be checked, sexual harm when her words say so, self-harm. */
export function reportKinds (a: TriageAnswers, later: ToldLater = {}): HarmKind[] {
  const kinds: HarmKind[] = []
  if (sexualHarmNamed([a.words, later.words].filter(Boolean).join(' '))) kinds.push('sexualAbuse')
  else kinds.push('abuse')
  if (isDangerAnswer('selfHarmThoughts', a.selfHarmThoughts) || SELF_HARM.some((w) => squeeze([a.words, later.words].join('')).includes(w))) kinds.push('selfHarm')
  return kinds
}

/** Soon-requests are offered sessions within this many hours first. */
export const SOON_WITHIN_HOURS = 48
/**
 * An unbooked soon-request is followed up after this many hours: the on-duty counsellor is alerted and the queue
 * shows it overdue (configurable per deployment: SOON_FOLLOW_UP_HOURS).
 */
export const SOON_FOLLOW_UP_HOURS = 24
/** When an unbooked soon-request raised at `createdAt` falls overdue. */
export function followUpDueAt (createdAt: Date, hours: number = SOON_FOLLOW_UP_HOURS): Date {
  return new Date(createdAt.getTime() + hours * 3600000)
}
/** An on-duty counsellor must acknowledge a crisis within this many minutes, or the next person is alerted. */
export const CRISIS_ACK_MINUTES = 10
