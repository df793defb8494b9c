import { describe, expect, it } from 'vitest';
import { readJsonPath } from '../evaluation/json-path.js';
import { fillPrompt, renderValue } from './variables.js';

const doc = {
  messages: [
    { role: 'system', content: 'be brief' },
    { role: 'user', content: 'hi', 'odd key': 1 },
  ],
  meta: { tags: ['a', 'b'], nested: { content: 'deep' } },
};

describe('the JSONPath subset as the judge reads variables', () => {
  it('walks keys, quoted keys, indexes from both ends, wildcards and deep keys', () => {
    expect(readJsonPath(doc, '$')).toBe(doc);
    expect(readJsonPath(doc, '$.messages[0].content')).toBe('be brief');
    expect(readJsonPath(doc, '$.messages[-1].content')).toBe('hi');
    expect(readJsonPath(doc, "$.messages[1]['odd key']")).toBe(1);
    expect(readJsonPath(doc, '$["meta"].tags[*]')).toEqual(['a', 'b']);
    expect(readJsonPath(doc, '$.messages[*].role')).toEqual(['system', 'user']);
    expect(readJsonPath(doc, '$..content')).toEqual(['be brief', 'hi', 'deep']);
    expect(readJsonPath(doc, '$.meta.*')).toEqual([['a', 'b'], { content: 'deep' }]);
  });

  it('gives undefined for a missing key or index, and never reads inherited properties', () => {
    expect(readJsonPath(doc, '$.messages[5]')).toBeUndefined();
    expect(readJsonPath(doc, '$.nope.deeper')).toBeUndefined();
    expect(readJsonPath({}, '$.constructor')).toBeUndefined();
    expect(readJsonPath('text', '$.length')).toBeUndefined();
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
