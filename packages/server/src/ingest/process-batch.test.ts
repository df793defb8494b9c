import { describe, expect, it } from 'vitest';
import { processBatch } from './process-batch.js';
import { NO_SCORE_REFS } from './score-refs.js';

const at = '2024-01-01T00:00:00.000Z';
const one = (type: string, body: Record<string, unknown>, timestamp = at) => processBatch([{ id: 'e1', type, timestamp, body }], 'all', NO_SCORE_REFS);
const errorOf = (r: ReturnType<typeof processBatch>) => r.errors.map((e) => [e.status, e.error]);

describe('processBatch value ranges', () => {
  it('rejects datetimes outside 1970..9999 (UTC, after the offset) per event, naming the field', () => {
    expect(errorOf(one('trace-create', { id: 't' }, '0000-01-01T00:00:00Z'))).toEqual([[400, expect.stringMatching(/^timestamp: must be between 1970-01-01/)]]);
    expect(errorOf(one('trace-create', { id: 't', timestamp: '9999-12-31T23:59:59.999-14:00' }))).toEqual([[400, expect.stringMatching(/^body\.timestamp: must be between/)]]);
    expect(errorOf(one('span-create', { id: 's', endTime: '1969-12-31T23:59:59Z' }))).toEqual([[400, expect.stringMatching(/^body\.endTime: /)]]);
    const edge = one('span-create', { id: 's', startTime: '9999-12-31T23:59:59.999Z', endTime: '1970-01-01T00:00:00+00:00' });
    expect(edge.errors).toEqual([]);
    expect(edge.successes).toHaveLength(1);
  });

  it('applies one rule to usage and usageDetails counts: integers from 0 to 2^53-1', () => {
    for (const n of [-1, 1.5, 1e308, 2 ** 53]) {
      expect(errorOf(one('generation-create', { id: 'g', usage: { input: n } }))[0]?.[1]).toMatch(/^body\.usage\.input: usage counts must be integers/);
      expect(errorOf(one('generation-create', { id: 'g', usage: { promptTokens: 1, totalTokens: n } }))[0]?.[1]).toMatch(/^body\.usage\.totalTokens: usage counts must be integers/);
      expect(errorOf(one('generation-create', { id: 'g', usageDetails: { input: n } }))[0]?.[1]).toMatch(/^body\.usageDetails\.input: usage counts must be integers from 0 to 9007199254740991/);
    }
    expect(errorOf(one('generation-create', { id: 'g', usageDetails: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4, prompt_tokens_details: { cached_tokens: 0.5 } } }))[0]?.[1])
      .toMatch(/^body\.usageDetails\.prompt_tokens_details\.cached_tokens: /);
    expect(one('generation-create', { id: 'g', usage: { input: 2 ** 53 - 1 }, usageDetails: { input: 2 ** 53 - 1, output: '7' } }).errors).toEqual([]);
  });

  it('rejects costs above 1,000,000 and score values beyond 1e15 so no sum overflows', () => {
    expect(errorOf(one('generation-create', { id: 'g', costDetails: { input: 1e308 } }))[0]?.[1]).toMatch(/^body\.costDetails\.input: costs must be finite and at most 1000000/);
    expect(errorOf(one('generation-create', { id: 'g', usage: { totalCost: 2e6 } }))[0]?.[1]).toMatch(/^body\.usage\.totalCost: /);
    expect(errorOf(one('score-create', { id: 's', traceId: 't', name: 'q', value: 1e308 }))[0]?.[1]).toMatch(/^body\.value: a numeric score value must have a magnitude of at most/);
    expect(one('score-create', { id: 's', traceId: 't', name: 'q', value: -1e15 }).errors).toEqual([]);
    expect(one('generation-create', { id: 'g', costDetails: { input: 1e6, output: 0.000001 } }).errors).toEqual([]);
  });

  it('bounds usageDetails and costDetails maps: at most 100 keys of at most 200 characters', () => {
    const many = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, 1]));
    expect(errorOf(one('generation-create', { id: 'g', usageDetails: many }))[0]?.[1]).toBe('body.usageDetails: at most 100 keys; got 101');
    expect(errorOf(one('generation-create', { id: 'g', costDetails: { ['x'.repeat(201)]: 1 } }))[0]?.[1]).toMatch(/^body\.costDetails: keys must be at most 200 characters/);
    const { k100: _dropped, ...hundred } = many;
    expect(one('generation-create', { id: 'g', usageDetails: hundred, costDetails: { ['x'.repeat(200)]: 1 } }).errors).toEqual([]);
  });
});

describe('processBatch raw texts', () => {
  it("logs each event's text as sent when the route gives it, and the event serialised again otherwise or when a lone surrogate is replaced", () => {
    const sent = [
      `{ "id": "e1", "type": "trace-create", "timestamp": "${at}",\n  "body": { "id": "t1", "name": "a\\u0062c" } }`,
      `{"id":"e2","type":"trace-create","timestamp":"${at}","body":{"id":"t2","name":"x\\ud800"}}`,
      `{"id":"e3","type":"nope","timestamp":"${at}","body":{}}`,
      `{"id":"e4","type":"span-create","timestamp":"${at}","body":{"id":"s1","traceId":"t1","name":"\\ud83d\\ude00"}}`,
    ];
    const batch = sent.map((t) => JSON.parse(t) as unknown);
    const r = processBatch(batch, 'all', NO_SCORE_REFS, sent);
    expect(r.errors.map((e) => e.id)).toEqual(['e3']);
    // The paired surrogates of e4 are written as escapes (as Python's json.dumps does): kept as
    // the value they encode, re-serialised like any event whose text may hold a lone surrogate.
    expect(r.raw).toEqual([sent[0], JSON.stringify({ ...(batch[1] as object), body: { id: 't2', name: 'x\uFFFD' } }), JSON.stringify(batch[3])]);
    expect(r.raw.map((t) => JSON.parse(t) as unknown)).toEqual([batch[0], JSON.parse(r.raw[1]), batch[3]]);
    expect(processBatch(batch, 'all', NO_SCORE_REFS).raw).toEqual([JSON.stringify(batch[0]), r.raw[1], JSON.stringify(batch[3])]);
  });
});
