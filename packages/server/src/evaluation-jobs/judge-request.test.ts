import type { ScoreConfigRecord } from '@sightline/core';
import type { EvaluatorOutput } from '@sightline/storage';
import { describe, expect, it } from 'vitest';
import { outputInstructions, readVerdict } from './judge-request.js';
import { sampled, toCondition } from './rule-match.js';

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

  it('turns rule conditions into the filter language of the trace queries', () => {
    expect(toCondition({ column: 'tags', operator: 'any of', key: null, value: ['a'] })).toEqual({ type: 'arrayOptions', column: 'tags', operator: 'any of', value: ['a'] });
    expect(toCondition({ column: 'name', operator: '!=', key: null, value: 'x' })).toEqual({ type: 'stringOptions', column: 'name', operator: 'none of', value: ['x'] });
    expect(toCondition({ column: 'metadata', operator: '=', key: 'tier', value: 'gold' })).toMatchObject({ type: 'stringObject', key: 'tier' });
    expect(toCondition({ column: 'userId', operator: 'is null', key: null, value: null })).toEqual({ type: 'null', column: 'userId', operator: 'is null' });
    expect(() => toCondition({ column: 'metadata', operator: '=', key: null, value: 'x' })).toThrow(/names the key/);
  });
});
