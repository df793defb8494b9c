import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { builtinModels } from './builtin-models.js';
import { matchModel, patternMatcher } from './match-model.js';
import type { ModelPrice } from './model-price.js';

/** How model patterns were matched before the safe matcher: JavaScript's backtracking engine. */
const legacyRegex = (pattern: string) => new RegExp(pattern.replace(/^\(\?i\)/, ''), 'i');

/** Names that match each built-in pattern, and near misses of them: case, prefixes, suffixes, truncation. */
function candidateNames(): string[] {
  const names = new Set<string>(['', 'a'.repeat(31) + '!', 'no-such-model', 'openai/', 'gpt', 'claude']);
  for (const [i, m] of builtinModels().entries()) {
    const samples = fc.sample(fc.stringMatching(new RegExp(m.matchPattern.replace(/^\(\?i\)/, ''))), { numRuns: 8, seed: i });
    for (const name of [m.modelName, ...samples]) {
      for (const variant of [name, name.toUpperCase(), `openai/${name}`, `x${name}`, `${name}-2024-05-13`, `${name}!`, name.slice(0, -1), name.replace(/-/g, '.')]) {
        names.add(variant);
      }
    }
  }
  return [...names];
}

describe('built-in model patterns on the safe matcher', () => {
  it('compiles all 167 built-in patterns and answers exactly as RegExp did for every candidate name', () => {
    const models = builtinModels();
    expect(models).toHaveLength(167);
    const names = candidateNames();
    expect(names.length).toBeGreaterThan(5000);
    const differences: string[] = [];
    let matched = 0;
    for (const m of models) {
      const ours = patternMatcher(m.matchPattern);
      expect(ours, m.matchPattern).not.toBeNull();
      const theirs = legacyRegex(m.matchPattern);
      for (const name of names) {
        const expected = theirs.test(name);
        if (expected) matched++;
        if (ours!.test(name) !== expected) differences.push(`${m.matchPattern} on ${JSON.stringify(name)}`);
      }
    }
    expect(differences).toEqual([]);
    expect(matched).toBeGreaterThan(167 * 8);
  });

  it('compiles each pattern once and reuses it', () => {
    expect(patternMatcher('(?i)^reused$')).toBe(patternMatcher('(?i)^reused$'));
    expect(patternMatcher('(?i)^reused$', true)).not.toBe(patternMatcher('(?i)^reused$'));
  });

  it('uses the same matcher for pricing-tier usage patterns of the built-in table', () => {
    const patterns = builtinModels().flatMap((m) => m.pricingTiers.flatMap((t) => t.conditions.flatMap((c) => ('usageDetailPattern' in c ? [c] : []))));
    expect(patterns.length).toBeGreaterThan(0);
    for (const c of patterns) {
      for (const key of ['input', 'input_cached', 'prompt_tokens', 'cache_write', 'output', 'INPUT', 'total']) {
        expect(patternMatcher(c.usageDetailPattern, c.caseSensitive)!.test(key)).toBe(new RegExp(c.usageDetailPattern, c.caseSensitive ? '' : 'i').test(key));
      }
    }
  });
});

describe('stored patterns the safe syntax refuses', () => {
  afterEach(() => vi.restoreAllMocks());

  const stored = (matchPattern: string): ModelPrice => ({
    id: 'legacy', projectId: 'p', modelName: 'legacy', matchPattern, startDate: null, tokenizerId: null, tokenizerConfig: null,
    pricingTiers: [{ id: 't', name: 'Standard', isDefault: true, priority: 0, conditions: [], prices: { input: 1 } }],
  });

  it('never match, fall through to the built-ins, and are reported once', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const legacy = stored('^gpt-4o(?=$)');
    expect(matchModel('gpt-4o', [legacy], builtinModels())?.modelName).toBe('gpt-4o');
    expect(matchModel('gpt-4o', [legacy], builtinModels())?.projectId).toBeNull();
    expect(matchModel('gpt-4o-mini', [legacy], builtinModels())?.modelName).toBe('gpt-4o-mini');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toContain('^gpt-4o(?=$)');
    expect(String(warn.mock.calls[0][0])).toContain('lookahead');
  });
});

describe('the step budget of one lookup', () => {
  afterEach(() => vi.restoreAllMocks());

  it('is never reached by a project holding the whole built-in table, whatever the name', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const asProject = builtinModels().map((m) => ({ ...m, projectId: 'p' }));
    for (const m of builtinModels()) {
      for (const name of [m.modelName, `openai/${m.modelName.toUpperCase()}`, `${m.modelName}-${'x'.repeat(400)}`]) {
        expect(matchModel(name, asProject, [])?.id, name).toBe(matchModel(name, [], builtinModels())?.id);
      }
    }
    expect(warn).not.toHaveBeenCalled();
  });

  it('stops at a pattern too costly for the name: the patterns after it do not match, and it is reported', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const wide: ModelPrice = { ...builtinModels()[0], id: 'wide', projectId: 'p', matchPattern: '(?i)(\\w{0,100}){4}!' };
    const cheap: ModelPrice = { ...builtinModels()[0], id: 'cheap', projectId: 'p', matchPattern: '(?i)^a+$' };
    expect(matchModel('a'.repeat(20), [wide, cheap], [])?.id).toBe('cheap');
    expect(warn).not.toHaveBeenCalled();
    expect(matchModel('a'.repeat(499), [wide, cheap], [])).toBeNull();
    expect(matchModel('a'.repeat(499), [cheap, wide], [])?.id).toBe('cheap');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toContain('used up the matching budget');
  });
});
