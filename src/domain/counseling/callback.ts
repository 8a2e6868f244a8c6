import { z } from 'zod'
import type { HomeConcern } from './triage'

/**
 * Calling a child back after a crisis: the numbers that may reach her, in the order a counsellor should try them.
 * The child's own number (or the one she chose: a neighbour, a teacher) first; the school's care room; the family.
 * When what she said points at her home, the family's numbers are flagged and come last, and never stand alone: a
 * number outside the home (at worst 110, for a police visit) is always on the list (docs/DOMAIN.md, "Minors
 * Protection Law").
 */

/** A phone number as people write it: a mobile (11 digits) or a landline with its area code. */
export const PhoneNumber = z.string({ error: '请写电话号码' }).trim()
  .transform((s) => s.replace(/[\s()（）]/g, ''))
  .refine((s) => /^1[3-9]\d{9}$/.test(s) || /^0\d{2,3}-?\d{7,8}$/.test(s), { message: '电话号码不对：手机是11位数字，座机要带区号' })

/** Whose number the asker gave for the call back. */
export const CALLBACK_WHOSE = ['mine', 'neighbour', 'teacher', 'relative', 'other'] as const
export type CallBackWhose = (typeof CALLBACK_WHOSE)[number]
/** As the child chooses it. */
export const CALLBACK_WHOSE_LABELS: Record<CallBackWhose, string> = { mine: '我自己的', neighbour: '邻居的', teacher: '老师的', relative: '亲戚的', other: '别人的' }
/** As the counsellor reads it. */
const WHOSE_FOR_COUNSELOR: Record<CallBackWhose, string> = { mine: '自己的电话', neighbour: '邻居的电话', teacher: '老师的电话', relative: '亲戚的电话', other: '留的电话' }

export type ContactKind = 'chosen' | 'child' | 'school' | 'home' | 'police'
export interface Contact {
  phone: string
  /** who answers, in words: "孩子留的电话（邻居的电话）", "奶奶/外婆 张桂兰（监护人）" */
  label: string
  kind: ContactKind
  /** why to be careful with this number (a person of the home, when the home is pointed at) */
  caution?: string
  /** the police should not alert this person before they have seen the child */
  avoid: boolean
}

interface Person { name: string, relationLabel: string, phone?: string, workCity?: string }

export interface CallBackFacts {
  /** the number the asker gave: whose it is, and whether the child herself gave it */
  chosen?: { phone: string, whose: CallBackWhose, byChild: boolean, askerName: string }
  /** the child's own number on her file (a phone watch) */
  childPhone?: string
  /** the school's care room (真情关爱室): its line, answered by the teacher on duty */
  school?: { name: string, phone?: string }
  guardian?: Person
  parents?: readonly Person[]
  concern?: HomeConcern
}

const CAUTIONS: Record<HomeConcern, string> = {
  said: '孩子说家里有人伤害他（她）：先打上面的号码；下面家里人的电话先别打，也不要让家里人知道',
  words: '孩子的话里提到家里的人：先打上面的号码；打下面家里人的电话前要想清楚',
  unknown: '孩子没说是谁伤害他（她）：先问清楚，再联系下面的家里人'
}

export function callBackNumbers (f: CallBackFacts): Contact[] {
  const out: Contact[] = []
  const seen = new Set<string>()
  const add = (c: Omit<Contact, 'avoid'> & { avoid?: boolean }) => {
    if (!c.phone || seen.has(c.phone)) return
    seen.add(c.phone)
    out.push({ avoid: false, ...c })
  }
  if (f.chosen) {
    const label = f.chosen.byChild
      ? `孩子留的电话（${WHOSE_FOR_COUNSELOR[f.chosen.whose]}）`
      : f.chosen.whose === 'mine' ? `求助人 ${f.chosen.askerName} 的电话` : `求助人 ${f.chosen.askerName} 留的电话（${WHOSE_FOR_COUNSELOR[f.chosen.whose]}）`
    add({ phone: f.chosen.phone, label, kind: 'chosen' })
  }
  if (f.childPhone) add({ phone: f.childPhone, label: '孩子自己的电话（档案里的）', kind: 'child' })
  const school = () => { if (f.school?.phone) add({ phone: f.school.phone, label: `${f.school.name}（值班老师）`, kind: 'school' }) }
  const home = () => {
    const caution = f.concern ? CAUTIONS[f.concern] : undefined
    const avoid = f.concern === 'said' || f.concern === 'words'
    if (f.guardian?.phone) add({ phone: f.guardian.phone, label: `${f.guardian.relationLabel} ${f.guardian.name}（监护人，在家）`, kind: 'home', caution, avoid })
    for (const p of f.parents ?? []) {
      if (p.phone) add({ phone: p.phone, label: `${p.relationLabel} ${p.name}${p.workCity ? `（在${p.workCity}打工）` : ''}`, kind: 'home', caution, avoid })
    }
  }
  if (!f.concern) { home(); school(); return out }
  school()
  // Never only the home's numbers when the home may be what hurts her: the police can go and see her.
  if (out.length === 0) add({ phone: '110', label: '110（找不到孩子时，请民警上门看看孩子）', kind: 'police' })
  home()
  return out
}

/** A Chinese name's given part, for places where the whole name need not show (王小雨 → 小雨). */
const TWO_CHAR_SURNAMES = ['欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '长孙', '宇文', '司徒', '夏侯', '令狐', '端木', '独孤']
export function givenName (name: string): string {
  const n = name.trim()
  if (n.length <= 1) return n
  const surname = TWO_CHAR_SURNAMES.some((s) => n.startsWith(s)) && n.length > 2 ? 2 : 1
  return n.length - surname >= 1 ? n.slice(surname) : n
}
