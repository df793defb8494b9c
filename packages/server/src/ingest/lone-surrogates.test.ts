import { describe, expect, it } from 'vitest';
import { mayHoldLoneSurrogate, replaceLoneSurrogates } from './lone-surrogates.js';

describe('lone surrogates', () => {
  it('are found in JSON.stringify output, paired ones are not', () => {
    expect(mayHoldLoneSurrogate(JSON.stringify({ a: 'x\uD800' }))).toBe(true);
    expect(mayHoldLoneSurrogate(JSON.stringify({ ['\uDC00']: 1 }))).toBe(true);
    expect(mayHoldLoneSurrogate(JSON.stringify({ a: '😀 ok' }))).toBe(false);
  });

  it('are replaced by U+FFFD in strings and keys; pairs, other values and __proto__ keys stay as they are', () => {
    const input = JSON.parse('{"a":"x\\ud800y","\\udc00":["\\ud83d\\ude00","\\ude00"],"n":1,"__proto__":{"p":"\\ud800"}}');
    const out = replaceLoneSurrogates(input) as Record<string, unknown>;
    expect(JSON.stringify(out)).toBe('{"a":"x\uFFFDy","\uFFFD":["😀","\uFFFD"],"n":1,"__proto__":{"p":"\uFFFD"}}');
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });
});
