import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileSafeRegex, patternProblem } from './safe-regex.js';

const jsTest = (pattern: string, input: string, ignoreCase: boolean) => new RegExp(pattern, ignoreCase ? 'i' : '').test(input);
const ours = (pattern: string, input: string, ignoreCase = false) => compileSafeRegex(pattern, { ignoreCase }).test(input);

describe('safe patterns: accepted syntax means what JavaScript means', () => {
  const cases: [pattern: string, input: string][] = [
    ['^(openai/)?(gpt-4o)$', 'openai/gpt-4o'],
    ['^(openai/)?(gpt-4o)$', 'gpt-4o-mini'],
    ['gpt-4(-\\d{4})?-vision', 'x gpt-4-1106-vision'],
    ['^(gpt-)(35|3.5)(-turbo)$', 'gpt-3x5-turbo'],
    ['^claude-[a-zA-Z0-9.]+$', 'claude-3.5'],
    ['\\bllama\\b', 'meta/llama-3'],
    ['\\Bama', 'llama'],
    ['[^a-c]x', 'bx'],
    ['[\\w-]+@', 'a-b@'],
    ['a{2,3}b', 'aab'],
    ['a{2,}b', 'ab'],
    ['a*?b', 'aaab'],
    ['(a|)+$', 'b'],
    ['(^)*x', 'yx'],
    ['[]', 'a'],
    ['[^]', '\n'],
    ['.', '\u2028'],
    ['\\x41\\u0042', 'AB'],
    ['a\\/b\\.c\\-d', 'a/b.c-d'],
    ['[\\b]', '\b'],
    ['\\0', '\u0000'],
    ['x]}', 'x]}'],
  ];
  it.each(cases)('%s on %j', (pattern, input) => {
    for (const ignoreCase of [false, true]) expect(ours(pattern, input, ignoreCase)).toBe(jsTest(pattern, input, ignoreCase));
  });

  it('honours a leading (?i) even when matching is otherwise case-sensitive', () => {
    expect(ours('(?i)^GPT$', 'gpt')).toBe(true);
    expect(ours('^GPT$', 'gpt')).toBe(false);
  });

  it('folds case as JavaScript does without the u flag, outside ASCII too', () => {
    for (const [pattern, input] of [['é', 'É'], ['[à-ÿ]', 'Ç'], ['σ', 'ς'], ['s', 'ſ'], ['k', '\u212a'], ['[^σ]', 'Σ'], ['\\W', 'ſ'], ['ß', 'SS']]) {
      expect(ours(pattern, input, true), `${pattern} on ${input}`).toBe(jsTest(pattern, input, true));
    }
  });
});

describe('safe patterns: refused syntax names the rule', () => {
  const refused: [pattern: string, rule: string][] = [
    ['(?=a)b', 'lookahead and lookbehind'],
    ['(?<!a)b', 'lookahead and lookbehind'],
    ['(a)\\1', 'backreferences'],
    ['(?<name>a)', 'only plain (…) and non-capturing (?:…) groups'],
    ['a(?i)b', '(?i) is supported only at the start'],
    ['a{1,1000}', 'at most 100'],
    ['a{3,2}', 'm <= n'],
    ['a{x}', 'escaped as "\\{"'],
    ['*a', 'nothing to repeat'],
    ['a**', 'nothing to repeat'],
    ['^*', 'cannot be repeated'],
    ['(a', 'unclosed "("'],
    ['a)', 'unmatched ")"'],
    ['[a', 'unclosed "["'],
    ['[z-a]', 'out of order'],
    ['[\\d-z]', 'between two single characters'],
    ['\\p{L}', 'unsupported escape "\\p"'],
    ['\\x4', 'hex digits'],
    ['a\\', 'must not end with'],
    ['x'.repeat(501), 'at most 500 characters'],
    ['((a{100}){100})', 'too complex'],
    ['(\\w{0,100}){5}', 'at most 1000 steps'],
  ];
  it.each(refused)('%s', (pattern, rule) => {
    expect(patternProblem(pattern)).toContain(rule);
  });

  it('accepts every pattern it can run', () => {
    expect(patternProblem('(?i)^(openai/)?(gpt-4(-\\d{4})?-vision-preview)$')).toBeNull();
  });
});

describe('safe patterns: no input makes matching blow up', () => {
  it('answers the classic catastrophic patterns on long non-matching inputs', () => {
    const long = 'a'.repeat(1999) + '!';
    for (const pattern of ['^(a+)+$', '^(a|a)*$', '^(a|aa)+$', '(a*)*b', '^(\\w+\\s?)*$', '^(.*a){20}$']) {
      expect(ours(pattern, long, true)).toBe(false);
      expect(ours(pattern, 'a'.repeat(31) + '!', false)).toBe(false);
    }
    expect(ours('^(a+)+$', 'a'.repeat(2000))).toBe(true);
  });

  it('matches nothing longer than 2,000 code units, so every match is bounded', () => {
    expect(ours('a', 'a'.repeat(2001))).toBe(false);
    expect(ours('', 'a'.repeat(2001))).toBe(false);
  });
});

// Random patterns over the supported syntax, compared with the built-in engine on short inputs.
// The letters include JavaScript's case-folding corner cases: dotless and dotted i, long s,
// the Kelvin sign, sharp s, final sigma, micro sign, title-case digraphs.
const letters = ['a', 'b', 'A', '-', '_', '1', 'é', 'σ', 'k', 'İ', 'ı', 'ǅ', 'µ', 'ÿ', 'Ÿ', 'i', 'I', 's', 'ß', '\u212a'];
const classes = [
  '.', '\\d', '\\w', '\\s', '\\W', '\\D', '\\S', '\\.', '\\-', '[a-c]', '[^ab]', '[A-Z0-9_]', '[é-ſ]', '[^\\w]', '[-a]',
  '[\\W\\d]', '[^\\s\\d]', '[ǅ-ǈ]', '[µ]', '[^İ]', '[h-j]', '[\\u0100-\\u01ff]', '[^]', '[]',
];
const alphabet = [...letters, ' ', '.', '\n', 'É', 'ſ', 'K', 'Σ', 'ς', 'Μ', 'ǆ', 'Ǆ', 'ǈ', '\u2028', 'H', 'J'];
const patternArb: fc.Arbitrary<string> = fc.letrec<{ p: string; atom: string; term: string }>((tie) => ({
  atom: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...letters) },
    { weight: 3, arbitrary: fc.constantFrom(...classes) },
    { weight: 2, arbitrary: tie('p').map((p) => `(${p})`) },
    { weight: 1, arbitrary: tie('p').map((p) => `(?:${p})`) },
  ),
  term: fc.oneof(
    { weight: 5, arbitrary: tie('atom') },
    { weight: 3, arbitrary: fc.tuple(tie('atom'), fc.constantFrom('*', '+', '?', '{2}', '{1,3}', '{0,}', '{3,}', '*?', '{0,2}?')).map(([a, q]) => a + q) },
    { weight: 1, arbitrary: fc.constantFrom('^', '$', '\\b', '\\B') },
  ),
  p: fc.oneof(
    { depthSize: 'small' },
    { weight: 4, arbitrary: fc.array(tie('term'), { maxLength: 4 }).map((t) => t.join('')) },
    { weight: 1, arbitrary: fc.tuple(tie('p'), tie('p')).map(([a, b]) => `${a}|${b}`) },
  ),
})).p;

describe('safe patterns: property test against RegExp', () => {
  it('gives the same answer as RegExp on random patterns and inputs', () => {
    fc.assert(
      fc.property(patternArb, fc.array(fc.constantFrom(...alphabet), { maxLength: 12 }).map((a) => a.join('')), fc.boolean(), (pattern, input, ignoreCase) => {
        expect(ours(pattern, input, ignoreCase)).toBe(jsTest(pattern, input, ignoreCase));
      }),
      { numRuns: 5000 },
    );
  });
});
