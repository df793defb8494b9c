import { describe, expect, it } from 'vitest';
import { evaluateJsonPath, parseJsonPath } from './json-path.js';
import { fillPrompt, renderValue } from './variables.js';

const doc = {
  messages: [
    { role: 'system', content: 'be brief' },
    { role: 'user', content: 'hi', 'odd key': 1 },
  ],
  meta: { tags: ['a', 'b'], nested: { content: 'deep' } },
};

describe('JSONPath subset', () => {
  it('walks keys, quoted keys, indexes from both ends, wildcards and deep keys', () => {
    expect(evaluateJsonPath(doc, '$')).toBe(doc);
    expect(evaluateJsonPath(doc, '$.messages[0].content')).toBe('be brief');
    expect(evaluateJsonPath(doc, '$.messages[-1].content')).toBe('hi');
    expect(evaluateJsonPath(doc, "$.messages[1]['odd key']")).toBe(1);
    expect(evaluateJsonPath(doc, '$["meta"].tags[*]')).toEqual(['a', 'b']);
    expect(evaluateJsonPath(doc, '$.messages[*].role')).toEqual(['system', 'user']);
    expect(evaluateJsonPath(doc, '$..content')).toEqual(['be brief', 'hi', 'deep']);
    expect(evaluateJsonPath(doc, 'meta.nested.content')).toBe('deep');
    expect(evaluateJsonPath(doc, '$.meta.*')).toEqual([['a', 'b'], { content: 'deep' }]);
  });

  it('gives undefined for a missing key or index, and never reads inherited properties', () => {
    expect(evaluateJsonPath(doc, '$.messages[5]')).toBeUndefined();
    expect(evaluateJsonPath(doc, '$.nope.deeper')).toBeUndefined();
    expect(evaluateJsonPath({}, '$.constructor')).toBeUndefined();
    expect(evaluateJsonPath('text', '$.length')).toBeUndefined();
  });

  it('refuses what is not in the subset with a 400 naming the position', () => {
    expect(() => parseJsonPath('$.a[?(@.b)]')).toThrow(/jsonPath: a bracket holds .* at position 3/);
    expect(() => parseJsonPath('$.a[1')).toThrow(/unclosed/);
    expect(() => parseJsonPath('$..')).toThrow(/expected a key after/);
    expect(() => parseJsonPath(`$${'.a'.repeat(300)}`)).toThrow(/at most 500 characters/);
  });
});

describe('rendering variables into the judge prompt', () => {
  it('keeps strings, writes anything else as JSON, nothing as empty, and cuts long values', () => {
    expect(renderValue('plain')).toBe('plain');
    expect(renderValue({ a: 1 })).toBe('{"a":1}');
    expect(renderValue(null)).toBe('');
    expect(renderValue(undefined)).toBe('');
    expect(renderValue('x'.repeat(30), 10)).toBe(`${'x'.repeat(10)}… [truncated 20 characters]`);
  });

  it('fills placeholders in one pass, leaving unmapped ones and never expanding a value', () => {
    const values = new Map([['input', 'say {{output}}'], ['output', 'done']]);
    expect(fillPrompt('Q: {{input}}\nA: {{ output }}\nC: {{context}}', values)).toBe('Q: say {{output}}\nA: done\nC: {{context}}');
  });
});
