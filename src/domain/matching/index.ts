// Volunteer–child matching (爱心结对): pure, no I/O. See match.ts for the method, weights.ts for the costs.
export * from './schema'
export * from './weights'
export { SAFEGUARDING_RULES, isRelaxable, safeguardingRuleLabel } from './rules'
export { type CostParts } from './engine'
export { solveBMatching, type SparseBipartite, type BMatchingSolution } from './flow'
export * from './match'
