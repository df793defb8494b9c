import { MAX_PATTERN_LENGTH, patternProblem } from '@sightline/core';
import { z } from 'zod';

const SAFE_SYNTAX = 'patterns use a linear-time regular-expression subset: literals, escapes, ., [classes], groups, |, * + ? {m,n} (n ≤ 100), ^ $ \\b, a leading (?i); no lookaround or backreferences';

/** A string field holding a pattern: refused with the rule it breaks unless the safe matcher can run it. */
const safePattern = (max: number) =>
  z.string().min(1).max(max, `must be at most ${max} characters`).superRefine((pattern, ctx) => {
    const problem = pattern.length <= max ? patternProblem(pattern) : null;
    if (problem) ctx.addIssue({ code: 'custom', message: `${problem}; ${SAFE_SYNTAX}` });
  });

const usageCondition = z.object({
  usageDetailPattern: safePattern(200),
  operator: z.enum(['gt', 'gte', 'lt', 'lte', 'eq', 'neq']),
  value: z.number(),
  caseSensitive: z.boolean().optional(),
});
const attributeCondition = z.object({
  source: z.enum(['model_parameters', 'metadata']),
  key: z.string().min(1),
  operator: z.literal('in'),
  values: z.array(z.string()).min(1),
});
const prices = z.record(z.string(), z.number().nonnegative('prices must be non-negative numbers'));

const tierInput = z.object({
  name: z.string().min(1),
  isDefault: z.boolean(),
  priority: z.number().int().nonnegative(),
  conditions: z.array(z.union([usageCondition, attributeCondition])).default([]),
  prices: prices.refine((p) => Object.keys(p).length > 0, 'each tier must define at least one price'),
});

/** POST /api/public/models body, with the OpenAPI rules on flat prices and tiers. */
export const createModelSchema = z
  .object({
    modelName: z.string().min(1, 'modelName is required').max(200),
    matchPattern: safePattern(MAX_PATTERN_LENGTH),
    startDate: z.iso.datetime({ offset: true }).nullish(),
    unit: z.enum(['CHARACTERS', 'TOKENS', 'MILLISECONDS', 'SECONDS', 'IMAGES', 'REQUESTS']).nullish(),
    inputPrice: z.number().nonnegative().nullish(),
    outputPrice: z.number().nonnegative().nullish(),
    totalPrice: z.number().nonnegative().nullish(),
    pricingTiers: z.array(tierInput).nullish(),
    tokenizerId: z.enum(['openai', 'claude']).nullish(),
    tokenizerConfig: z.record(z.string(), z.unknown()).nullish(),
  })
  .superRefine((m, ctx) => {
    const flat = m.inputPrice != null || m.outputPrice != null || m.totalPrice != null;
    if (flat && m.pricingTiers) ctx.addIssue({ code: 'custom', path: ['pricingTiers'], message: 'give either flat prices or pricingTiers, not both' });
    if (m.totalPrice != null && (m.inputPrice != null || m.outputPrice != null)) {
      ctx.addIssue({ code: 'custom', path: ['totalPrice'], message: 'totalPrice cannot be set together with inputPrice or outputPrice' });
    }
    if (m.pricingTiers) {
      const defaults = m.pricingTiers.filter((t) => t.isDefault);
      if (defaults.length !== 1) ctx.addIssue({ code: 'custom', path: ['pricingTiers'], message: 'exactly one tier must have isDefault=true' });
      else if (defaults[0].priority !== 0 || defaults[0].conditions.length > 0) {
        ctx.addIssue({ code: 'custom', path: ['pricingTiers'], message: 'the default tier must have priority 0 and no conditions' });
      }
      const names = new Set(m.pricingTiers.map((t) => t.name));
      const priorities = new Set(m.pricingTiers.map((t) => t.priority));
      if (names.size !== m.pricingTiers.length || priorities.size !== m.pricingTiers.length) {
        ctx.addIssue({ code: 'custom', path: ['pricingTiers'], message: 'tier names and priorities must be unique within the model' });
      }
    }
  });
