import { describe, expect, it } from 'vitest';
import { parseJsonPath, readJsonPath } from './json-path.js';
import { fillPrompt, promptVariables } from './prompt-variables.js';
import { EVALUATOR_TEMPLATES } from './templates.js';

describe('JSONPath subset', () => {
  const doc = { messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }], meta: { 'a key': 1, nested: { id: 7 } } };

  it('reads definite paths, negative indexes, quoted keys', () => {
    expect(readJsonPath(doc, '$')).toEqual(doc);
    expect(readJsonPath(doc, '$.messages[-1].content')).toBe('hello');
    expect(readJsonPath(doc, '$.messages[0].role')).toBe('user');
    expect(readJsonPath(doc, "$.meta['a key']")).toBe(1);
    expect(readJsonPath(doc, '$.meta["nested"].id')).toBe(7);
    expect(readJsonPath(doc, '$.missing.deeper')).toBeUndefined();
    expect(readJsonPath(doc, '$.messages[9]')).toBeUndefined();
  });

  it('collects wildcards and descendants into an array', () => {
    expect(readJsonPath(doc, '$.messages[*].role')).toEqual(['user', 'assistant']);
    expect(readJsonPath(doc, '$..id')).toEqual([7]);
    expect(readJsonPath(doc, '$.meta.*')).toEqual([1, { id: 7 }]);
  });

  it('refuses what it does not understand, saying where', () => {
    expect(parseJsonPath('messages')).toEqual({ error: 'must start with $' });
    expect(parseJsonPath('$.a[?(@.b)]')).toEqual({ error: "expected [index], [*] or ['key'] at position 3" });
    expect(parseJsonPath('$.')).toEqual({ error: "expected a key after '.' at position 1" });
    expect(parseJsonPath('$a')).toEqual({ error: "unexpected 'a' at position 1" });
  });
});

describe('prompt variables', () => {
  it('finds each {{variable}} once in order and fills them', () => {
    expect(promptVariables('Is {{output}} in {{ context }}? {{output}} {{not a var}} {{1x}}')).toEqual(['output', 'context']);
    expect(fillPrompt('{{a}} and {{ b }} and {{c}}', { a: '1', b: '2' })).toBe('1 and 2 and {{c}}');
  });

  it('ships templates with score plus reasoning and the variables their mapping suggests', () => {
    expect(EVALUATOR_TEMPLATES.map((t) => t.id)).toEqual(['hallucination', 'relevance', 'toxicity', 'correctness']);
    for (const t of EVALUATOR_TEMPLATES) {
      expect(Object.keys(t.suggestedMapping).sort()).toEqual([...t.variables].sort());
      expect(t.output.scoreDescription).not.toBe('');
      expect(t.output.reasoningDescription).not.toBe('');
    }
    expect(EVALUATOR_TEMPLATES.find((t) => t.id === 'correctness')?.variables).toContain('expected_output');
  });
});
