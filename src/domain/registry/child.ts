import { z } from 'zod'
import { ageOn } from '../time'
import { Relation } from '../people'
import { DateString, IdNumber, MobilePhone, birthDateOfId, childBirthDate, genderOfId } from './fields'

/** The plan's categories that waive fees (工作方案 三(二)): 建档立卡、低保（含特困）、孤儿、残疾、烈士或优抚家庭. */
export const CATEGORIES = ['registeredPoor', 'lowIncome', 'orphan', 'disabled', 'martyrOrEntitled'] as const
export const Category = z.enum(CATEGORIES)
export type Category = z.infer<typeof Category>
export const CATEGORY_LABELS: Record<Category, string> = {
  registeredPoor: '建档立卡',
  lowIncome: '低保（含特困）',
  orphan: '孤儿',
  disabled: '残疾',
  martyrOrEntitled: '烈士或优抚家庭'
}

/** Special needs that change how others help (送教上门, 落户, 劝返复学). */
export const NEEDS = ['disability', 'noHukou', 'outOfSchool'] as const
export const Need = z.enum(NEEDS)
export type Need = z.infer<typeof Need>
export const NEED_LABELS: Record<Need, string> = {
  disability: '残疾（需送教上门或康复）',
  noHukou: '无户籍',
  outOfSchool: '失学辍学'
}

/**
 * Left-behind status and why it changes. A child stops being "left behind" when a parent comes home, when the
 * child moves to the parent's city, or at 16 (the national definition covers children under 16).
 */
export const STATUSES = ['leftBehind', 'parentReturned', 'movedToParentCity', 'agedOut', 'other'] as const
export const ChildStatus = z.enum(STATUSES)
export type ChildStatus = z.infer<typeof ChildStatus>
export const STATUS_LABELS: Record<ChildStatus, string> = {
  leftBehind: '留守中',
  parentReturned: '父母已返乡',
  movedToParentCity: '已随父母进城',
  agedOut: '已满16周岁',
  other: '其他'
}
const LEFT_BEHIND_AGE_LIMIT = 16

export const Gender = z.enum(['male', 'female'], { message: '请选择性别' })
export type Gender = z.infer<typeof Gender>

const Name = z.string().trim().min(1, '请填写姓名').max(20, '姓名太长')

const GuardianInput = z.object({
  name: Name,
  relation: Relation,
  phone: MobilePhone
}).strict()

const ParentInput = z.object({
  name: Name,
  relation: z.enum(['father', 'mother'], { message: '请选择爸爸或妈妈' }),
  workCity: z.string().trim().min(1, '请填写在哪个城市打工').max(30, '城市名太长'),
  phone: MobilePhone.optional()
}).strict()

/** What an officer or teacher fills in to register a child, with the birth date checked by `birthDate`. */
function childFields (birthDate: z.ZodType<string>) {
  return z.object({
    name: Name,
    gender: Gender,
    birthDate,
    idNumber: IdNumber.optional(),
    schoolId: z.string().min(1, '请选择学校'),
    className: z.string().trim().min(1, '请填写班级').max(20, '班级名太长'),
    villageId: z.string().min(1, '请选择村'),
    grid: z.string().trim().max(30, '网格名太长').optional(),
    guardian: GuardianInput,
    parents: z.array(ParentInput).min(1, '至少填写一位在外务工的家长').max(2, '最多两位家长'),
    categories: z.array(Category).max(CATEGORIES.length).default([]),
    needs: z.array(Need).max(NEEDS.length).default([])
  }).strict().superRefine((c, ctx) => {
    // The ID number carries the birth date and gender: a mismatch is a typo in one of them.
    if (!c.idNumber) return
    if (birthDateOfId(c.idNumber) !== c.birthDate) ctx.addIssue({ code: 'custom', path: ['idNumber'], message: '身份证号里的出生日期和填写的出生日期不一致' })
    else if (genderOfId(c.idNumber) !== c.gender) ctx.addIssue({ code: 'custom', path: ['idNumber'], message: '身份证号里的性别和填写的性别不一致' })
  })
}

/**
 * A child's fields as a contract carries them: the birth date a real date. Whether it makes a minor today needs the
 * day, which a contract does not know; `childInput(now)` adds that check (the form with its day, the function with
 * the request's).
 */
export const ChildFields = childFields(DateString)

/** What an officer or teacher fills in to register a child, the birth date checked against `now`. Shared by the form and the function. */
export function childInput (now: Date) {
  return childFields(childBirthDate(now))
}
export type ChildInput = z.infer<typeof ChildFields>

/** A fee waiver and the plan's words that grant it. */
interface Waiver { code: 'studyTrip' | 'practice' | 'afterSchoolCare', label: string, basis: string }

const FEE_WAIVERS: Waiver[] = [
  { code: 'studyTrip', label: '学校研学活动费用减免', basis: '工作方案 三(二)：对建档立卡、低保（含特困）、孤儿或残疾、烈士或优抚家庭贫困留守儿童，减免参加学校研学、综合实践等活动费用' },
  { code: 'practice', label: '综合实践活动费用减免', basis: '工作方案 三(二)：同上' },
  { code: 'afterSchoolCare', label: '校内课后托管优先、免费', basis: '工作方案 二(二)“红烛暖心”：优先、免费为贫困留守儿童提供校内课后托管服务' }
]

/** Waivers follow from the categories alone: any one of the five grants all of them. */
export function waiversFor (categories: readonly Category[]): Waiver[] {
  return categories.length > 0 ? FEE_WAIVERS : []
}

/** The status a child should have today: age 16 ends left-behind status whatever else is recorded. */
export function effectiveStatus (status: ChildStatus, birthDate: string, now: Date): ChildStatus {
  if (status === 'leftBehind' && ageOn(birthDate, now) >= LEFT_BEHIND_AGE_LIMIT) return 'agedOut'
  return status
}

export const StatusChangeInput = z.object({
  status: ChildStatus,
  reason: z.string().trim().min(2, '请写明原因').max(200, '原因太长'),
  effectiveDate: DateString
}).strict()

/** Same name and birth date in the county, or the same ID number: shown before a second file is made. */
interface DuplicateCandidate { _id: string, name: string, birthDate: string, idNumber?: string, countyId: string }
export function likelyDuplicates<T extends DuplicateCandidate> (c: { name: string, birthDate: string, idNumber?: string, countyId: string }, existing: readonly T[]): T[] {
  const name = c.name.trim()
  const seen = new Set<string>()
  return existing.filter((e) => !seen.has(e._id) && Boolean(seen.add(e._id))).filter((e) => (c.idNumber && e.idNumber === c.idNumber) || (e.countyId === c.countyId && e.name.trim() === name && e.birthDate === c.birthDate))
}
