import type { JsonObject, NumberMap } from '../domain/records.js';
import { MATCH_STEP_BUDGET, patternMatcher, warnOverBudget } from './match-model.js';
import type { PricingTier, TierCondition } from './model-price.js';
import type { StepBudget } from './safe-regex/safe-regex.js';

function compare(a: number, op: string, b: number): boolean {
  switch (op) {
    case 'gt': return a > b;
    case 'gte': return a >= b;
    case 'lt': return a < b;
    case 'lte': return a <= b;
    case 'eq': return a === b;
    case 'neq': return a !== b;
    default: return false;
  }
}

function holds(c: TierCondition, usage: NumberMap, modelParameters: JsonObject | null, metadata: JsonObject, budget: StepBudget): boolean {
  if ('usageDetailPattern' in c) {
    const re = patternMatcher(c.usageDetailPattern, c.caseSensitive === true);
    if (!re) return false;
    let sum = 0;
    for (const [key, v] of Object.entries(usage)) {
      const matched = re.testWithin(key, budget);
      if (matched === null) {
        warnOverBudget(c.usageDetailPattern);
        return false;
      }
      if (matched) sum += v;
    }
    return compare(sum, c.operator, c.value);
  }
  const source = c.source === 'metadata' ? metadata : modelParameters;
  const value = source?.[c.key];
  if (value === undefined || value === null) return false;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return c.values.includes(text);
}

/**
 * Picks the pricing tier: non-default tiers by ascending priority, the first whose conditions
 * all hold; else the default tier. With empty usage only the default tier applies.
 */
export function selectTier(tiers: PricingTier[], usage: NumberMap, modelParameters: JsonObject | null, metadata: JsonObject): PricingTier | null {
  const fallback = tiers.find((t) => t.isDefault) ?? null;
  if (Object.keys(usage).length === 0) return fallback;
  const candidates = tiers.filter((t) => !t.isDefault).sort((a, b) => a.priority - b.priority);
  const budget = { steps: MATCH_STEP_BUDGET };
  for (const tier of candidates) {
    if (tier.conditions.every((c) => holds(c, usage, modelParameters, metadata, budget))) return tier;
  }
  return fallback;
}
