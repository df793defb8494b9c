import { describe, expect, it } from 'vitest';
import type { PricingTier, UsageCondition } from './model-price.js';
import { selectTier } from './select-tier.js';

const tier = (name: string, priority: number, conditions: PricingTier['conditions']): PricingTier => ({
  id: name,
  name,
  isDefault: priority === 0,
  priority,
  conditions,
  prices: { input: priority + 1 },
});
const standard = tier('standard', 0, []);
const usage = (operator: UsageCondition['operator'], value: number, pattern = '^input'): UsageCondition => ({ usageDetailPattern: pattern, operator, value });
const pick = (tiers: PricingTier[], u: Record<string, number>, params: Record<string, string> | null = null, metadata: Record<string, string> = {}) =>
  selectTier(tiers, u, params, metadata)?.name;

describe('selectTier: every condition kind', () => {
  it.each([
    ['gt', 100, 101, 100],
    ['gte', 100, 100, 99],
    ['lt', 100, 99, 100],
    ['lte', 100, 100, 101],
    ['eq', 100, 100, 101],
    ['neq', 100, 101, 100],
  ] as const)('usage %s %d holds for %d and not for %d', (op, value, yes, no) => {
    const tiers = [standard, tier('special', 1, [usage(op, value)])];
    expect(pick(tiers, { input: yes })).toBe('special');
    expect(pick(tiers, { input: no })).toBe('standard');
  });

  it('sums every usage key matching the pattern (case-insensitive unless caseSensitive)', () => {
    const tiers = [standard, tier('big', 1, [usage('gt', 200, '(input|cached)')])];
    expect(pick(tiers, { input: 150, input_cached_tokens: 60, output: 1000 })).toBe('big');
    expect(pick(tiers, { INPUT: 150, Cached: 60 })).toBe('big');
    const strict = [standard, tier('big', 1, [{ ...usage('gt', 200, '(input|cached)'), caseSensitive: true }])];
    expect(pick(strict, { INPUT: 150, Cached: 60 })).toBe('standard');
  });

  it('matches attribute conditions on model parameters and on metadata, by exact string value', () => {
    const onParams = [standard, tier('fast', 1, [{ source: 'model_parameters', key: 'service_tier', operator: 'in', values: ['priority', 'fast'] }])];
    expect(pick(onParams, { input: 1 }, { service_tier: 'priority' })).toBe('fast');
    expect(pick(onParams, { input: 1 }, { service_tier: 'Priority' })).toBe('standard');
    expect(pick(onParams, { input: 1 }, null)).toBe('standard');
    const onMetadata = [standard, tier('eu', 1, [{ source: 'metadata', key: 'region', operator: 'in', values: ['eu'] }])];
    expect(pick(onMetadata, { input: 1 }, null, { region: 'eu' })).toBe('eu');
    expect(pick(onMetadata, { input: 1 }, { region: 'eu' }, {})).toBe('standard');
  });

  it('requires every condition of a tier (AND) and tries tiers by ascending priority', () => {
    const both = tier('both', 2, [usage('gt', 10), { source: 'metadata', key: 'plan', operator: 'in', values: ['pro'] }]);
    const any = tier('big-only', 5, [usage('gt', 10)]);
    const tiers = [any, standard, both];
    expect(pick(tiers, { input: 11 }, null, { plan: 'pro' })).toBe('both');
    expect(pick(tiers, { input: 11 }, null, { plan: 'free' })).toBe('big-only');
    expect(pick(tiers, { input: 5 }, null, { plan: 'pro' })).toBe('standard');
  });

  it('uses only the default tier when usage is empty, and a bad pattern never matches', () => {
    const tiers = [standard, tier('always', 1, [usage('gte', 0)]), tier('broken', 2, [usage('gt', 0, '(')])];
    expect(pick(tiers, {})).toBe('standard');
    expect(pick([standard, tier('broken', 1, [usage('gt', 0, '(')])], { input: 5 })).toBe('standard');
  });
});

describe('selectTier: bounded pattern work', () => {
  it('treats usage conditions as not holding once one pattern outran the step budget of the lookup', () => {
    const wide = '(\\w{0,100}){4}!';
    const tiers = [standard, tier('costly', 1, [usage('gt', 0, wide)]), tier('cheap', 2, [usage('gt', 0, '^input$')])];
    const manyLongKeys = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`${'k'.repeat(490)}${i}`, 1]));
    expect(pick(tiers, { ...manyLongKeys, input: 1 })).toBe('standard');
    expect(pick(tiers, { 'input!': 1 })).toBe('costly'); // cheap enough on short keys
    expect(pick(tiers.slice(0, 1).concat(tiers.slice(2)), { ...manyLongKeys, input: 1 })).toBe('cheap');
  });
});
