import { matchNeedLabel, type SafeguardingRule, type SafeguardingRuleKind } from './schema'

/** What a safeguarding rule may look at in a child. */
export interface ChildFacts {
  readonly age: number
  readonly gender: 'female' | 'male'
  readonly needs: readonly string[]
}

/** What a safeguarding rule may look at in a volunteer. */
export interface VolunteerFacts {
  readonly gender: 'female' | 'male'
  readonly skills: ReadonlySet<string>
}

interface RuleDefinition<R> {
  /** The rule as an admin reads it, in Chinese. */
  label: (rule: R) => string
  /** An admin may relax it for one child and one volunteer, with a reason on record. */
  relaxable: boolean
  /** True when the pair is allowed. `km` is the measured distance, or null when it cannot be measured. */
  allows: (rule: R, child: ChildFacts, volunteer: VolunteerFacts, km: number | null) => boolean
}

type RuleOf<K extends SafeguardingRuleKind> = Extract<SafeguardingRule, { kind: K }>

/** One entry per rule kind; adding a kind to SafeguardingRule without an entry here fails to compile. */
export const SAFEGUARDING_RULES: { [K in SafeguardingRuleKind]: RuleDefinition<RuleOf<K>> } = {
  womenOnlyForGirlsFrom: {
    label: (r) => `${r.age}岁及以上的女孩只由女性志愿者结对`,
    relaxable: true,
    allows: (r, c, v) => !(c.gender === 'female' && c.age >= r.age) || v.gender === 'female'
  },
  sameGenderFrom: {
    label: (r) => `${r.age}岁及以上的孩子只由同性别志愿者结对`,
    relaxable: true,
    allows: (r, c, v) => c.age < r.age || v.gender === c.gender
  },
  needRequiresSkill: {
    label: (r) => `有${matchNeedLabel(r.need)}需要的孩子只由有${matchNeedLabel(r.skill ?? r.need)}专长的志愿者结对`,
    relaxable: false,
    allows: (r, c, v) => !c.needs.includes(r.need) || v.skills.has(r.skill ?? r.need)
  },
  maxDistanceKm: {
    label: (r) => `结对双方相距不超过${r.km}公里`,
    relaxable: false,
    allows: (r, _c, _v, km) => km === null || km <= r.km
  }
}

export function safeguardingRuleLabel (rule: SafeguardingRule): string {
  return (SAFEGUARDING_RULES[rule.kind] as RuleDefinition<SafeguardingRule>).label(rule)
}

export function isRelaxable (rule: SafeguardingRule): boolean {
  return (SAFEGUARDING_RULES[rule.kind] as RuleDefinition<SafeguardingRule>).relaxable
}

export type CompiledRule = ((child: ChildFacts, volunteer: VolunteerFacts, km: number | null) => boolean) & { relaxable: boolean }

export function compileRules (rules: readonly SafeguardingRule[]): CompiledRule[] {
  return rules.map((rule) => {
    const def = SAFEGUARDING_RULES[rule.kind] as RuleDefinition<SafeguardingRule>
    return Object.assign((c: ChildFacts, v: VolunteerFacts, km: number | null) => def.allows(rule, c, v, km), { relaxable: def.relaxable })
  })
}
