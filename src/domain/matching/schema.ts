import { z } from 'zod'
import { VolunteerKind } from '../roles'

/**
 * Inputs of the volunteer–child matching (爱心结对). The caller (the matching cloud function) loads the
 * children who need a pair (no active pairing, guardian consent given) and the volunteers with room, and passes
 * plain values: ids, areas, optional coordinates. Nothing here reads a database.
 */

const MATCH_GENDERS = ['female', 'male'] as const
const Gender = z.enum(MATCH_GENDERS)

const DATE = /^\d{4}-\d{2}-\d{2}$/
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/

/**
 * A place on the map: WGS-84/GCJ-02 degrees, or a point on a local plane in kilometres (a county's grid map).
 * Distances are only measured between two points of the same kind; otherwise the area fallback applies.
 */
const MatchLocation = z.union([
  z.object({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) }),
  z.object({ x: z.number().finite(), y: z.number().finite() })
])
type MatchLocation = z.infer<typeof MatchLocation>

/**
 * Needs of a child and skills of a volunteer share one vocabulary: a need is covered by a skill of the same name.
 * These have Chinese labels for the explanations; other words are allowed and shown as they are.
 */
export const MATCH_NEED_LABELS: Record<string, string> = {
  tutoring: '辅导功课',
  counselling: '心理疏导',
  disability: '残疾儿童照护',
  companionship: '日常陪伴',
  reading: '阅读陪伴',
  safety: '安全教育',
  arts: '文体特长'
}
export function matchNeedLabel (need: string): string {
  return MATCH_NEED_LABELS[need] ?? need
}

const Id = z.string().min(1, '必填')
const Ids = z.array(Id)

export const MatchChild = z.object({
  id: Id,
  gender: Gender,
  /** YYYY-MM-DD; the age is counted in Asia/Shanghai at `now`. Either this or `age`. */
  birthDate: z.string().regex(DATE, '日期格式应为YYYY-MM-DD').optional(),
  age: z.number().int().min(0).max(18).optional(),
  townshipId: Id,
  villageId: Id,
  gridId: Id.optional(),
  location: MatchLocation.optional(),
  /** Dialects the child speaks at home, as shown to people (e.g. '客家话'). */
  dialects: z.array(z.string().min(1)).optional(),
  /** e.g. 'tutoring', 'counselling', 'disability' (see MATCH_NEED_LABELS). */
  needs: z.array(z.string().min(1)).optional(),
  /** Brothers and sisters (in this run or not): a volunteer who paired one of them knows the family. */
  siblingIds: Ids.optional(),
  /** Volunteers who declined this child or whose pairing with it was ended for cause: never offered again. */
  declinedVolunteerIds: Ids.optional(),
  /** Volunteers who declared a conflict with this child's family: never paired, never relaxed. */
  conflictVolunteerIds: Ids.optional(),
  /**
   * Volunteers for whom an admin relaxed the relaxable safeguarding rules (the gender rules) for this child, with a
   * reason on record. Vetting, conflicts and declines are never relaxed.
   */
  relaxedVolunteerIds: Ids.optional()
}).refine((c) => c.birthDate !== undefined || c.age !== undefined, { message: '请填写出生日期或年龄', path: ['birthDate'] })
export type MatchChild = z.infer<typeof MatchChild>

/** The most children one volunteer carries at once (the registration form offers 1 to 3). */
const MATCH_MAX_CAPACITY = 3

export const MatchVolunteer = z.object({
  id: Id,
  gender: Gender,
  kind: VolunteerKind,
  /** Room left: how many more children this volunteer can take now (0 = full). */
  capacity: z.number().int().min(0).max(MATCH_MAX_CAPACITY),
  /** Where the volunteer can visit: a child is in reach when its township, village or grid is listed. */
  reachableTownshipIds: Ids.default([]),
  reachableVillageIds: Ids.default([]),
  reachableGridIds: Ids.default([]),
  /** Where the volunteer lives, for the explanation ("同在石桥村") and the distance when no coordinates. */
  townshipId: Id.optional(),
  villageId: Id.optional(),
  gridId: Id.optional(),
  location: MatchLocation.optional(),
  dialects: z.array(z.string().min(1)).optional(),
  skills: z.array(z.string().min(1)).optional(),
  /**
   * End of the criminal-record check's validity (the check date plus one year, Minors Protection Law Art. 62).
   * A date (YYYY-MM-DD) is valid through that day in Asia/Shanghai; a date-time or Date through that instant.
   * When absent, `vetted: true` stands for a check the caller has already found valid at `now`.
   */
  vettingValidUntil: z.union([
    z.date(),
    z.string().regex(DATE, '日期格式应为YYYY-MM-DD'),
    z.string().regex(DATE_TIME, '时间格式不对')
  ]).optional(),
  /** `false` (e.g. a failed check or a suspension) excludes the volunteer whatever the date says. */
  vetted: z.boolean().optional(),
  previouslyPairedChildIds: Ids.optional()
})
export type MatchVolunteer = z.infer<typeof MatchVolunteer>

/**
 * Safeguarding rules for a run: the defaults (DEFAULT_SAFEGUARDING_RULES, always on) and those an admin adds. Each kind is a hard rule: a pair that breaks one is never proposed.
 * To add a kind: add its schema here and its entry in SAFEGUARDING_RULES (rules.ts); the compiler asks for both.
 */
export const SafeguardingRule = z.discriminatedUnion('kind', [
  /** Girls aged `age` or more are paired only with women. */
  z.object({ kind: z.literal('womenOnlyForGirlsFrom'), age: z.number().int().min(0).max(18) }),
  /** Children aged `age` or more are paired only with a volunteer of their own gender. */
  z.object({ kind: z.literal('sameGenderFrom'), age: z.number().int().min(0).max(18) }),
  /** A child with `need` is paired only with a volunteer who has `skill` (default: the need itself). */
  z.object({ kind: z.literal('needRequiresSkill'), need: z.string().min(1), skill: z.string().min(1).optional() }),
  /** Never farther than `km` apart (applies where both places have coordinates of the same kind). */
  z.object({ kind: z.literal('maxDistanceKm'), km: z.number().positive() })
])
export type SafeguardingRule = z.infer<typeof SafeguardingRule>
export type SafeguardingRuleKind = SafeguardingRule['kind']

/**
 * Child-protection practice's defaults, on in every run whatever an admin adds (docs/DOMAIN.md, "Minors Protection
 * Law"): no one-to-one pairing of an adult man with a girl aged 10 or over. An admin may relax it for one child and
 * one volunteer, with a reason on record (relaxedVolunteerIds). The other defaults are built into eligibility and
 * never relaxed: a valid criminal-record check (Art. 62) and no declared conflict.
 */
export const DEFAULT_SAFEGUARDING_RULES: readonly SafeguardingRule[] = Object.freeze([{ kind: 'womenOnlyForGirlsFrom', age: 10 }])

const Instant = z.union([z.date(), z.string().regex(DATE_TIME, '时间格式不对'), z.number().finite()])
  .transform((v) => v instanceof Date ? v : new Date(v))
  .refine((d) => !Number.isNaN(d.getTime()), '时间格式不对')

export const MatchProblem = z.object({
  children: z.array(MatchChild),
  volunteers: z.array(MatchVolunteer),
  rules: z.array(SafeguardingRule).default([]),
  /** The moment of the run: vetting validity and ages are taken at it. */
  now: Instant,
  /** Names of townships, villages and grids for the explanations; an id without a name is shown as it is. */
  placeNames: z.record(z.string(), z.string()).optional()
}).superRefine((p, ctx) => {
  const seen = new Set<string>()
  p.children.forEach((c, i) => {
    if (seen.has(c.id)) ctx.addIssue({ code: 'custom', message: '孩子编号重复', path: ['children', i, 'id'] })
    seen.add(c.id)
  })
  seen.clear()
  p.volunteers.forEach((v, i) => {
    if (seen.has(v.id)) ctx.addIssue({ code: 'custom', message: '志愿者编号重复', path: ['volunteers', i, 'id'] })
    seen.add(v.id)
  })
})
export type MatchProblemInput = z.input<typeof MatchProblem>
export type MatchProblem = z.output<typeof MatchProblem>

export const MatchOptions = z.object({
  /** Candidates kept per child: its k cheapest eligible volunteers. */
  k: z.number().int().min(1).max(1000).default(8),
  /**
   * Also kept: each volunteer's cheapest eligible children, this many (default k; 0 = none). Without them a
   * volunteer who is nobody's top-k choice would get no edge, and their places would be lost to the candidate limit.
   */
  kPerVolunteer: z.number().int().min(0).max(1000).optional(),
  /**
   * After solving on the candidates, every eligible pair left out is checked against the solution's dual prices;
   * pairs that could improve it are added and the problem solved again, at most this many times. 0 = candidates only.
   */
  repairRounds: z.number().int().min(0).max(20).default(5),
  weights: z.object({
    perKm: z.number().int().min(0),
    dialectMismatch: z.number().int().min(0),
    uncoveredNeed: z.number().int().min(0),
    needWeights: z.record(z.string(), z.number().int().min(0)),
    siblingBonus: z.number().int().min(0),
    fallbackKm: z.object({
      sameVillage: z.number().min(0),
      sameGrid: z.number().min(0),
      sameTownship: z.number().min(0),
      elsewhere: z.number().min(0)
    })
  }).partial().optional()
})
export type MatchOptionsInput = z.input<typeof MatchOptions>
