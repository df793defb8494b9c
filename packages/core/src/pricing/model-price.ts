/** A model with its match pattern and pricing tiers, as in default-model-prices.json. */
export interface ModelPrice {
  id: string;
  /** Null for built-in models. */
  projectId: string | null;
  modelName: string;
  /** A pattern in the linear-time regex subset of `compileSafeRegex`, optionally prefixed with `(?i)`; always matched case-insensitively. */
  matchPattern: string;
  /** Epoch ms or null; newer models win among equal matches. */
  startDate: number | null;
  tokenizerId: 'openai' | 'claude' | null;
  tokenizerConfig: { tokenizerModel?: string; tokensPerMessage?: number; tokensPerName?: number } | null;
  pricingTiers: PricingTier[];
  /** Epoch ms; the table's date for built-ins (Langfuse's API returns it, its schema requires it). */
  createdAt?: number;
}

export interface UsageCondition {
  /** Same syntax as `matchPattern`; case-insensitive unless `caseSensitive` (a leading `(?i)` still folds case). */
  usageDetailPattern: string;
  operator: 'gt' | 'gte' | 'lt' | 'lte' | 'eq' | 'neq';
  value: number;
  caseSensitive?: boolean;
}

export interface AttributeCondition {
  source: 'model_parameters' | 'metadata';
  key: string;
  operator: 'in';
  values: string[];
}

export type TierCondition = UsageCondition | AttributeCondition;

export interface PricingTier {
  id: string;
  name: string;
  isDefault: boolean;
  priority: number;
  conditions: TierCondition[];
  /** USD per unit, keyed by usage type. */
  prices: Record<string, number>;
}
