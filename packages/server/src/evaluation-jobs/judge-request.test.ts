import type { ObservationRecord, ScoreConfigRecord, TraceRecord } from '@sightline/core';
import type { EvaluatorOutput, RuleFilter } from '@sightline/storage';
import { describe, expect, it } from 'vitest';
import { outputInstructions, readVerdict } from './judge-request.js';
import { conditionHolds, filterHolds, sampled } from './rule-match.js';

const numeric: EvaluatorOutput = { dataType: 'NUMERIC', scoreDescription: '0 to 1', reasoningDescription: 'one sentence', categories: null };
const config = (over: Partial<ScoreConfigRecord>): ScoreConfigRecord => ({
  id: 'c', projectId: 'p', name: 'quality', dataType: 'NUMERIC', isArchived: false, minValue: null, maxValue: null, categories: null, description: null, createdAt: 0, updatedAt: 0, ...over,
});

describe('judge verdicts', () => {
  it('asks for a JSON object with the score shape and both descriptions', () => {
    const text = outputInstructions(numeric, config({ minValue: 0, maxValue: 1 }));
    expect(text).toContain('"score": a number from 0 to 1. 0 to 1');
    expect(text).toContain('"reasoning": a string. one sentence');
    expect(outputInstructions({ ...numeric, dataType: 'CATEGORICAL', categories: ['good', 'bad'] }, null)).toContain('exactly one of "good", "bad"');
  });

  it('reads NUMERIC, BOOLEAN and CATEGORICAL scores, fenced or in prose', () => {
    expect(readVerdict('```json\n{"score": 0.8, "reasoning": "ok"}\n```', numeric, null)).toEqual([{ dataType: 'NUMERIC', value: 0.8, reasoning: 'ok' }]);
    expect(readVerdict('Sure! {"score": "true", "reasoning": "r"}', { ...numeric, dataType: 'BOOLEAN' }, null)[0].value).toBe(1);
    expect(readVerdict('{"score": false, "reasoning": "r"}', { ...numeric, dataType: 'BOOLEAN' }, null)[0].value).toBe(0);
    const cat: EvaluatorOutput = { ...numeric, dataType: 'CATEGORICAL', categories: ['Good', 'Bad'] };
    expect(readVerdict('{"score": "good", "reasoning": "r"}', cat, null)[0].value).toBe('Good');
    const multi = { ...cat, allowMultipleMatches: true };
    expect(readVerdict('{"score": ["Bad", "good", "Bad"], "reasoning": "r"}', multi, null).map((s) => s.value)).toEqual(['Bad', 'Good']);
  });

  it('refuses an answer that breaks the output definition or the score config, saying why', () => {
    expect(() => readVerdict('no json here', numeric, null)).toThrow(/holds no JSON object/);
    expect(() => readVerdict('{"score": "high", "reasoning": "r"}', numeric, null)).toThrow(/"score" must be a number, got "high"/);
    expect(() => readVerdict('{"score": 0.5}', numeric, null)).toThrow(/"reasoning" must be a string/);
    expect(() => readVerdict('{"score": 7, "reasoning": "r"}', numeric, config({ maxValue: 1 }))).toThrow(/above the maximum 1/);
    expect(() => readVerdict('{"score": -1, "reasoning": "r"}', { ...numeric, minValue: 0 }, null)).toThrow(/below the minimum 0/);
    expect(() => readVerdict('{"score": "meh", "reasoning": "r"}', { ...numeric, dataType: 'CATEGORICAL', categories: ['good'] }, null)).toThrow(/must be one of "good"/);
    expect(() => readVerdict('{"score": "maybe", "reasoning": "r"}', { ...numeric, dataType: 'BOOLEAN' }, null)).toThrow(/true or false/);
  });
});

describe('rule matching helpers', () => {
  it('samples deterministically by rule and target, near the rate', () => {
    expect(sampled('r', 't1', 0.5)).toBe(sampled('r', 't1', 0.5));
    const hits = Array.from({ length: 2000 }, (_, i) => sampled('rule', `t${i}`, 0.3)).filter(Boolean).length;
    expect(hits).toBeGreaterThan(450);
    expect(hits).toBeLessThan(750);
    expect(sampled('r', 'x', 1)).toBe(true);
  });

  it('checks conditions in the rule vocabulary against a record', () => {
    const hold = (value: unknown, operator: string, want: unknown) => conditionHolds(value, { operator, value: want });
    expect(hold(['a', 'b'], 'any of', ['b', 'c'])).toBe(true);
    expect(hold(['a', 'b'], 'all of', ['a', 'c'])).toBe(false);
    expect(hold(['a'], 'none of', ['b'])).toBe(true);
    expect(hold('prod', 'any of', ['prod', 'dev'])).toBe(true);
    expect(hold('qa', '!=', 'chat')).toBe(true);
    expect(hold(null, '!=', 'chat')).toBe(true);
    expect(hold('gpt-4o', 'starts with', 'gpt')).toBe(true);
    expect(hold(null, 'contains', 'x')).toBe(false);
    expect(hold(null, 'does not contain', 'x')).toBe(true);
    expect(hold('12', '>=', 10)).toBe(true);
    expect(hold('n/a', '>', 1)).toBe(false);
    expect(hold('', 'is null', null)).toBe(true);
    expect(hold('x', 'is not null', null)).toBe(true);
    expect(hold('x', 'matches', 'x')).toBe(false);
  });

  it('reads trace columns from the trace and the rest from the observation for observation rules', () => {
    const trace = { userId: 'u1', name: 'chat', metadata: { tier: 'gold' }, tags: ['prod'], environment: 'default' } as unknown as TraceRecord;
    const observation = { name: 'judge-me', type: 'GENERATION', metadata: {}, environment: 'default' } as unknown as ObservationRecord;
    const rule = (filter: RuleFilter[]) => ({ target: 'observation' as const, filter });
    expect(filterHolds(rule([{ column: 'userId', operator: '=', key: null, value: 'u1' }, { column: 'name', operator: '=', key: null, value: 'judge-me' }]), { trace, observation })).toBe(true);
    expect(filterHolds(rule([{ column: 'type', operator: 'any of', key: null, value: ['SPAN'] }]), { trace, observation })).toBe(false);
    expect(filterHolds({ target: 'trace', filter: [{ column: 'metadata', operator: '=', key: 'tier', value: 'gold' }] }, { trace, observation: null })).toBe(true);
    expect(filterHolds({ target: 'experiment', filter: [{ column: 'datasetId', operator: 'any of', key: null, value: ['d1'] }] }, { trace, observation: null, datasetId: 'd2' })).toBe(false);
  });
});
