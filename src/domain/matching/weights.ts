/**
 * Soft costs of a proposed pair, in integer points (lower is better). One point is about 100 metres of travel, so
 * every weight reads as "worth this many kilometres":
 *
 * | term               | points                               | reads as                                  |
 * |--------------------|--------------------------------------|-------------------------------------------|
 * | distance           | perKm = 10 per km, rounded           | 1 point per 100 m between the two homes   |
 * | dialect mismatch   | dialectMismatch = 60                 | the child's dialect is worth 6 km         |
 * | each need uncovered| uncoveredNeed = 80 (needWeights per need override: counselling 100, disability 120) | 8 to 12 km |
 * | sibling history    | −siblingBonus = −100                 | a volunteer who already knows the family is worth 10 km |
 *
 * Distance is the straight line between the two locations when both have coordinates of the same kind;
 * otherwise an estimate from the areas (fallbackKm): same village 1 km, same grid 2 km, same township 5 km,
 * elsewhere 15 km. A pair's cost can be negative (sibling bonus over a short distance); the solver shifts all
 * costs by one constant, which does not change which maximum matching is cheapest.
 */
export interface CostWeights {
  perKm: number
  dialectMismatch: number
  uncoveredNeed: number
  needWeights: Record<string, number>
  siblingBonus: number
  fallbackKm: { sameVillage: number, sameGrid: number, sameTownship: number, elsewhere: number }
}

const DEFAULT_COST_WEIGHTS: CostWeights = Object.freeze({
  perKm: 10,
  dialectMismatch: 60,
  uncoveredNeed: 80,
  needWeights: Object.freeze({ counselling: 100, disability: 120 }) as Record<string, number>,
  siblingBonus: 100,
  fallbackKm: Object.freeze({ sameVillage: 1, sameGrid: 2, sameTownship: 5, elsewhere: 15 })
})

export function resolveCostWeights (partial?: Partial<CostWeights>): CostWeights {
  if (!partial) return DEFAULT_COST_WEIGHTS
  return {
    ...DEFAULT_COST_WEIGHTS,
    ...partial,
    needWeights: { ...DEFAULT_COST_WEIGHTS.needWeights, ...(partial.needWeights ?? {}) },
    fallbackKm: { ...DEFAULT_COST_WEIGHTS.fallbackKm, ...(partial.fallbackKm ?? {}) }
  }
}
