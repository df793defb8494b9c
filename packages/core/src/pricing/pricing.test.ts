import { describe, expect, it } from 'vitest';
import { builtinModels } from './builtin-models.js';
import { calculateCost, type CostInput } from './calculate-cost.js';
import { exactSum, fromDecimal, multiplyUnits, toDecimal } from './decimal.js';
import { matchModel } from './match-model.js';
import type { ModelPrice } from './model-price.js';

const base: CostInput = { providedUsage: {}, providedCost: {}, level: 'DEFAULT', input: null, output: null, ended: true, modelParameters: null, metadata: {} };
const custom = (over: Partial<ModelPrice>): ModelPrice => ({
  id: 'm',
  projectId: 'p',
  modelName: 'custom',
  matchPattern: '(?i)^custom$',
  startDate: null,
  tokenizerId: null,
  tokenizerConfig: null,
  pricingTiers: [{ id: 't', name: 'Standard', isDefault: true, priority: 0, conditions: [], prices: { input: 1.5e-7, output: 6e-7 } }],
  ...over,
});
const builtin = (name: string) => matchModel(name, [], builtinModels());

describe('exact decimal arithmetic', () => {
  it('multiplies and sums without binary drift', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(exactSum([0.1, 0.2])).toBe(0.3);
    expect(fromDecimal(multiplyUnits(1.5e-7, 1295))).toBe(0.00019425);
    expect(fromDecimal(toDecimal(2.125e-6) * 3n)).toBe(0.000006375);
  });
});

describe('model matching', () => {
  it('matches built-in patterns case-insensitively, with provider prefixes', () => {
    expect(builtin('GPT-4o')?.modelName).toBe('gpt-4o');
    expect(builtin('openai/gpt-4o')?.modelName).toBe('gpt-4o');
    expect(builtin('gpt-4o-nonexistent-suffix-xyz')?.modelName).not.toBe('gpt-4o');
    expect(builtin('no-such-model')).toBeNull();
  });

  it('prefers project models over built-ins, then the newest start date', () => {
    const older = custom({ id: 'old', matchPattern: '(?i)^gpt-4o$', startDate: 1 });
    const newer = custom({ id: 'new', matchPattern: '(?i)^gpt-4o$', startDate: 2 });
    expect(matchModel('gpt-4o', [older, newer], builtinModels())?.id).toBe('new');
    expect(matchModel('gpt-4o', [custom({ id: 'undated', matchPattern: '^gpt-4o$' }), older], builtinModels())?.id).toBe('old');
  });
});

describe('calculateCost', () => {
  it('prices usage exactly (compat §9 item 18)', () => {
    const r = calculateCost(custom({}), { ...base, providedUsage: { input: 1295, output: 18 } });
    expect(r.costDetails).toEqual({ input: 0.00019425, output: 0.0000108, total: 0.00020505 });
    expect(r.totalCost).toBe(0.00020505);
    expect(r.usageDetails).toEqual({ input: 1295, output: 18, total: 1313 });
  });

  it('lets provided costs win and derives totals only from input/output (item 19)', () => {
    const m = custom({});
    expect(calculateCost(m, { ...base, providedUsage: { input: 10 }, providedCost: { input: 1 } })).toMatchObject({ costDetails: { input: 1, total: 1 }, totalCost: 1 });
    expect(calculateCost(m, { ...base, providedCost: { output: 2, total: 2 } })).toMatchObject({ costDetails: { output: 2, total: 2 }, totalCost: 2 });
    expect(calculateCost(m, { ...base, providedCost: { input: 0.1, output: 0.2 } }).totalCost).toBe(0.3);
    expect(calculateCost(m, { ...base, providedCost: { input_cached: 1 } })).toMatchObject({ costDetails: { input_cached: 1 }, totalCost: null });
  });

  it('tokenises input and output when nothing is provided (item 20)', () => {
    const m = builtin('gpt-3.5-turbo');
    const withIo = { ...base, input: JSON.stringify({ key: 'value' }), output: JSON.stringify({ key: 'this is a great gpt output' }) };
    expect(calculateCost(m, withIo).usageDetails).toEqual({ input: 5, output: 11, total: 16 });
    expect(calculateCost(m, { ...withIo, level: 'ERROR' }).usageDetails).toEqual({});
    expect(calculateCost(m, { ...withIo, providedCost: { total: 1 } }).usageDetails).toEqual({});
  });

  it('waits with tokenising until the generation has an output or an end time', () => {
    const m = builtin('gpt-3.5-turbo');
    const open = { ...base, ended: false, input: JSON.stringify('hello there') };
    expect(calculateCost(m, open).usageDetails).toEqual({});
    expect(calculateCost(m, { ...open, ended: true }).usageDetails).toEqual({ input: 2, total: 2 });
    expect(calculateCost(m, { ...open, output: JSON.stringify('hi') }).usageDetails).toEqual({ input: 2, output: 1, total: 3 });
  });

  it('counts chat messages with their per-message overhead', () => {
    const m = builtin('gpt-3.5-turbo');
    const chat = JSON.stringify([{ role: 'user', content: 'Hello, how are you?' }]);
    // 3 per message + "user" (1) + content (6) + 3 reply priming
    expect(calculateCost(m, { ...base, input: chat }).usageDetails.input).toBe(13);
  });

  it('applies the large-context tier above its threshold and the default at it (item 21)', () => {
    const m = builtin('gemini-2.5-pro');
    const at = calculateCost(m, { ...base, providedUsage: { input: 200_000, output: 1 } });
    const above = calculateCost(m, { ...base, providedUsage: { input: 200_001, output: 1 } });
    expect(at.tierName).toBe('Standard');
    expect(at.costDetails.input).toBe(0.25);
    expect(above.tierName).toBe('Large Context');
    expect(above.costDetails.input).toBe(fromDecimal(multiplyUnits(2.5e-6, 200_001)));
  });

  it('applies attribute-conditioned tiers by exact value of a model parameter', () => {
    const m = builtin('gpt-4o');
    const fast = calculateCost(m, { ...base, providedUsage: { input: 1000 }, modelParameters: { service_tier: 'priority' } });
    const standard = calculateCost(m, { ...base, providedUsage: { input: 1000 }, modelParameters: { service_tier: 'default' } });
    expect(fast.tierName).toBe('Fast mode');
    expect(fast.costDetails.input).toBe(0.00425);
    expect(standard.costDetails.input).toBe(0.0025);
  });

  it('uses only the default tier when usage is empty, and prices every usage key that has a price', () => {
    const m = builtin('gpt-4o');
    expect(calculateCost(m, { ...base, providedUsage: { input: 100, input_cached_tokens: 50, output: 10, unknown_key: 5 } }).costDetails).toEqual({
      input: 0.00025,
      input_cached_tokens: 0.0000625,
      output: 0.0001,
      total: 0.0004125,
    });
  });

  it('uses a total price when the tier has one', () => {
    const m = custom({ pricingTiers: [{ id: 't', name: 'flat', isDefault: true, priority: 0, conditions: [], prices: { total: 0.001 } }] });
    expect(calculateCost(m, { ...base, providedUsage: { input: 3, output: 2 } })).toMatchObject({ costDetails: { total: 0.005 }, totalCost: 0.005 });
  });
});
