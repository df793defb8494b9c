export * from './model-price.js';
export * from './decimal.js';
export { builtinModels } from './builtin-models.js';
export { matchModel, patternMatcher } from './match-model.js';
export { compileSafeRegex, patternProblem, MAX_PATTERN_LENGTH, type SafeRegex } from './safe-regex/safe-regex.js';
export { selectTier } from './select-tier.js';
export { countTokens } from './tokenize.js';
export { calculateCost, resolveUsage, type CostInput, type CostResult } from "./calculate-cost.js";
export { priceObservation } from './price-observation.js';
