import { z } from 'zod'
import type { Category } from '../registry/child'

/**
 * 法润童心: the green channel for left-behind children's legal aid. Routing, exemptions from the economic-hardship
 * check and priority, by the Legal Aid Law (法律援助法, in force 2022-01-01).
 */
export const MATTERS = ['maintenance', 'guardianship', 'injury', 'bullying', 'abuseOrViolence', 'abandonment', 'parentWages', 'parentWorkInjury', 'hukou', 'other'] as const
export const Matter = z.enum(MATTERS, { message: '请选择是什么事' })
export type Matter = z.infer<typeof Matter>
export const MATTER_LABELS: Record<Matter, string> = {
  maintenance: '抚养费',
  guardianship: '监护权',
  injury: '孩子受伤赔偿',
  bullying: '校园欺凌',
  abuseOrViolence: '虐待或家庭暴力',
  abandonment: '遗弃',
  parentWages: '家长被拖欠工资',
  parentWorkInjury: '家长工伤',
  hukou: '落户（上户口）',
  other: '其他'
}

/** Matters where the claimant is the migrant-worker parent, not the child. */
export const PARENT_MATTERS: readonly Matter[] = ['parentWages', 'parentWorkInjury']

export interface Exemption { code: 'art32_4' | 'art42_1' | 'art42_2' | 'art42_3', label: string, article: string }

const EXEMPTIONS: Record<Exemption['code'], Exemption> = {
  art32_4: { code: 'art32_4', label: '虐待、遗弃或家庭暴力的受害人，不受经济困难条件限制', article: '法律援助法第三十二条第四项' },
  art42_1: { code: 'art42_1', label: '无固定生活来源的未成年人，免予核查经济困难状况', article: '法律援助法第四十二条第一项' },
  art42_2: { code: 'art42_2', label: '社会救助或优抚对象，免予核查经济困难状况', article: '法律援助法第四十二条第二项' },
  art42_3: { code: 'art42_3', label: '请求支付劳动报酬或工伤赔偿的进城务工人员，免予核查经济困难状况', article: '法律援助法第四十二条第三项' }
}

/**
 * Exemptions set automatically, each with the article that grants it:
 * - Art. 32(4): victims of abuse, abandonment or domestic violence need no hardship condition at all;
 * - Art. 42(1): a minor without fixed income (every child here) is exempt from the hardship check;
 * - Art. 42(2): recipients of social assistance (低保/特困) or of 优抚 are exempt;
 * - Art. 42(3): migrant workers claiming wages or work-injury compensation are exempt.
 */
export function exemptionsFor (matter: Matter, categories: readonly Category[]): Exemption[] {
  const out: Exemption[] = []
  if (matter === 'abuseOrViolence' || matter === 'abandonment') out.push(EXEMPTIONS.art32_4)
  if (PARENT_MATTERS.includes(matter)) out.push(EXEMPTIONS.art42_3)
  else out.push(EXEMPTIONS.art42_1)
  if (categories.includes('lowIncome') || categories.includes('martyrOrEntitled')) out.push(EXEMPTIONS.art42_2)
  return out
}

/** Abuse, violence and abandonment first; then aid-first cases (Art. 44); then the rest by their clocks. */
export function priorityOf (matter: Matter, provideFirst: boolean): 0 | 1 | 2 {
  if (matter === 'abuseOrViolence' || matter === 'abandonment') return 0
  return provideFirst ? 1 : 2
}
export const PRIORITY_LABELS = { 0: '最优先（受虐待或暴力）', 1: '先行援助（期限不足7日或需保全证据）', 2: '绿色通道' } as const

/** Abuse, violence or abandonment is suspected harm: a mandatory report is opened too (未成年人保护法 第十一条). */
export function raisesMandatoryReport (matter: Matter): boolean {
  return matter === 'abuseOrViolence' || matter === 'abandonment'
}

export interface Centre {
  id: string
  name: string
  countyId: string | null
  city?: string
  /** Officers of the centre whose role is not suspended: a centre with none cannot act on anything. */
  activeOfficers: number
}

type RouteReason = 'workCity' | 'childCounty' | 'workCityNobodyThere' | 'workCityNotJoined' | 'notTheWorker' | 'nobodyActive'

export interface Route {
  centre: Centre
  reason: RouteReason
  /** Where the request went and why, in the applicant's words. */
  why: string
}

/**
 * The centre that receives a request (docs/DOMAIN.md, "Legal Aid Law"): the child's county centre; a wage or
 * work-injury claim goes to the centre of the city where the applicant (the worker) works, since the employer is
 * there and the dispute is heard there. `applicantWorkCity` is the applicant's own work city (never another
 * parent's): absent when the applicant is not a parent of the child or the file names no city. A centre with no
 * active officer never receives a request: the child's county centre takes it, and the applicant is told why. When
 * even that centre has nobody, it still goes there (a request is never refused for want of staff) with
 * `nobodyActive`, and the caller alerts the county's justice admin at once. Undefined: the county has no centre.
 */
export function routeCentre (matter: Matter, child: { countyId: string }, applicantWorkCity: string | undefined, centres: readonly Centre[]): Route | undefined {
  const county = centres.find((c) => c.countyId === child.countyId)
  if (!county) return undefined
  const home = (reason: RouteReason, why: string): Route => county.activeOfficers > 0
    ? { centre: county, reason, why }
    : { centre: county, reason: 'nobodyActive', why: `${county.name}暂时没有在岗的工作人员，县司法局已收到提醒，会尽快安排人处理；着急可以先拨打 12348 法律服务热线。` }
  if (!PARENT_MATTERS.includes(matter)) return home('childCounty', `由孩子所在县的${county.name}办理。`)
  if (!applicantWorkCity) {
    return home('notTheWorker', `工资、工伤的事一般由打工的家长本人向打工地申请；这次先由孩子所在县的${county.name}受理，中心会帮着联系。`)
  }
  const there = centres.find((c) => c.city !== undefined && c.city !== '' && applicantWorkCity.includes(c.city))
  if (there && there.activeOfficers > 0) {
    return { centre: there, reason: 'workCity', why: `您在${applicantWorkCity}打工，工资、工伤的事由打工所在地的${there.name}办理，离用人单位近，取证和起诉都方便。` }
  }
  if (there) {
    return home('workCityNobodyThere', `${there.name}在雏燕里还没有能办理的工作人员，先由孩子所在县的${county.name}受理，中心会帮您联系${applicantWorkCity}。`)
  }
  return home('workCityNotJoined', `${applicantWorkCity}的法律援助中心还没有加入雏燕，先由孩子所在县的${county.name}受理，中心会帮您联系${applicantWorkCity}。`)
}

interface LawyerCandidate { id: string, name: string, specialties: readonly Matter[], openCases: number, conflicts: readonly string[] }

/**
 * Lawyers of the centre proposed for a case: those with a declared conflict with anyone involved are left out;
 * the rest ranked by specialty first, then by fewest open cases, then by name.
 */
export function proposeLawyers (matter: Matter, involved: readonly string[], lawyers: readonly LawyerCandidate[]) {
  const names = involved.map((n) => n.trim()).filter(Boolean)
  return lawyers
    .map((l) => ({ ...l, conflict: l.conflicts.some((c) => names.some((n) => n.includes(c.trim()) || c.includes(n))), specialist: l.specialties.includes(matter) }))
    .filter((l) => !l.conflict)
    .sort((a, b) => Number(b.specialist) - Number(a.specialist) || a.openCases - b.openCases || a.name.localeCompare(b.name, 'zh'))
    .map((l) => ({ id: l.id, name: l.name, specialist: l.specialist, openCases: l.openCases, why: `${l.specialist ? `擅长${MATTER_LABELS[matter]}` : '未登记此类专长'}，手上${l.openCases}件` }))
}
