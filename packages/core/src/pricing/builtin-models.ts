import prices from './default-model-prices.json' with { type: 'json' };
import type { ModelPrice, PricingTier } from './model-price.js';

interface RawModel {
  id: string;
  modelName: string;
  matchPattern: string;
  createdAt?: string;
  tokenizerId?: string | null;
  tokenizerConfig?: ModelPrice['tokenizerConfig'];
  pricingTiers: PricingTier[];
}

let cache: ModelPrice[] | undefined;

/** The built-in model price table (167 models), loaded once. */
export function builtinModels(): ModelPrice[] {
  cache ??= (prices as RawModel[]).map((m) => ({
    id: m.id,
    projectId: null,
    modelName: m.modelName,
    matchPattern: m.matchPattern,
    startDate: null,
    tokenizerId: m.tokenizerId === 'openai' || m.tokenizerId === 'claude' ? m.tokenizerId : null,
    tokenizerConfig: m.tokenizerConfig ?? null,
    pricingTiers: m.pricingTiers,
    ...(m.createdAt ? { createdAt: Date.parse(m.createdAt) } : {}),
  }));
  return cache;
}
