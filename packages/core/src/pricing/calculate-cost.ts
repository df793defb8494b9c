import { getOwn, setOwn } from '../domain/own-keys.js';
import type { JsonObject, Level, NumberMap } from '../domain/records.js';
import { exactSum, fromDecimal, multiplyUnits } from './decimal.js';
import type { ModelPrice } from './model-price.js';
import { selectTier } from './select-tier.js';
import { countTokens } from './tokenize.js';

export interface CostInput {
  providedUsage: NumberMap;
  providedCost: NumberMap;
  level: Level;
  /** Stored JSON text of input/output (used only for tokenisation). */
  input: string | null;
  output: string | null;
  /** Whether the generation has finished (has an end time). */
  ended: boolean;
  modelParameters: JsonObject | null;
  metadata: JsonObject;
}

export interface CostResult {
  usageDetails: NumberMap;
  costDetails: NumberMap;
  totalCost: number | null;
  tierId: string | null;
  tierName: string | null;
}

const parse = (text: string | null): unknown => (text === null ? null : JSON.parse(text));

/**
 * Usage: tokenised when a model matched and nothing was provided; otherwise provided, with
 * `total` as the sum when missing. Tokenising waits until the generation has an output or an
 * end time: SDKs usually send usage with the end, and counting an in-flight generation's input
 * on every update would be wasted work on the ingestion path.
 */
export function resolveUsage(model: ModelPrice | null, c: CostInput): NumberMap {
  const nothingProvided = Object.keys(c.providedUsage).length === 0 && Object.keys(c.providedCost).length === 0;
  const finished = c.output !== null || c.ended;
  if (model && nothingProvided && finished && c.level !== 'ERROR') {
    const input = countTokens(model, parse(c.input));
    const output = countTokens(model, parse(c.output));
    if (input !== null || output !== null) {
      const usage: NumberMap = {};
      if (input !== null) usage.input = input;
      if (output !== null) usage.output = output;
      usage.total = (input ?? 0) + (output ?? 0);
      return usage;
    }
  }
  const keys = Object.keys(c.providedUsage);
  if (keys.length === 0 || c.providedUsage.total !== undefined) return c.providedUsage;
  return { ...c.providedUsage, total: keys.reduce((s, k) => s + c.providedUsage[k], 0) };
}

/**
 * Usage and cost of one generation per docs/compatibility.md §6: provided costs win outright;
 * otherwise every usage key with a price in the selected tier costs price × units, exactly.
 */
export function calculateCost(model: ModelPrice | null, c: CostInput): CostResult {
  const usageDetails = resolveUsage(model, c);
  const provided = c.providedCost;
  const providedKeys = Object.keys(provided);
  if (providedKeys.length > 0) {
    const costDetails = { ...provided };
    if (costDetails.total === undefined && providedKeys.every((k) => k === 'input' || k === 'output')) {
      costDetails.total = exactSum(providedKeys.map((k) => provided[k]));
    }
    return { usageDetails, costDetails, totalCost: costDetails.total ?? null, tierId: null, tierName: null };
  }
  const tier = model ? selectTier(model.pricingTiers, usageDetails, c.modelParameters, c.metadata) : null;
  if (!tier) return { usageDetails, costDetails: {}, totalCost: null, tierId: null, tierName: null };
  const costDetails: NumberMap = {};
  let sum = 0n;
  for (const [key, units] of Object.entries(usageDetails)) {
    const price = getOwn(tier.prices, key);
    if (price === undefined) continue;
    const cost = multiplyUnits(price, units);
    setOwn(costDetails, key, fromDecimal(cost));
    if (key !== 'total') sum += cost;
  }
  if (Object.keys(costDetails).length === 0) return { usageDetails, costDetails, totalCost: null, tierId: tier.id, tierName: tier.name };
  if (costDetails.total === undefined) costDetails.total = fromDecimal(sum);
  return { usageDetails, costDetails, totalCost: costDetails.total, tierId: tier.id, tierName: tier.name };
}


