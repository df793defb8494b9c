import { describe, expect, it } from 'vitest';
import { extractJsonObject, JudgeOutputError, parseJudgeVerdict } from './judge-output.js';

describe('judge output', () => {
  it('reads a bare object, a fenced one, and one inside prose', () => {
    expect(parseJudgeVerdict('{"score": 0.8, "reasoning": "mostly right"}')).toEqual({ score: 0.8, reasoning: 'mostly right' });
    expect(parseJudgeVerdict('Here you go:\n```json\n{"score": 1, "reasoning": "ok"}\n```')).toEqual({ score: 1, reasoning: 'ok' });
    expect(parseJudgeVerdict('I think {"reasoning": "has {braces} and \\"quotes\\"", "score": "0.5"} is fair')).toEqual({ score: 0.5, reasoning: 'has {braces} and "quotes"' });
    expect(parseJudgeVerdict('{"score": true, "reasoning": "toxic"}').score).toBe(true);
    expect(parseJudgeVerdict('{"score": "relevant", "reasoning": "on topic"}').score).toBe('relevant');
  });

  it.each([
    ['no JSON at all', /holds no JSON object/],
    ['{"score": 1, "reasoning": "cut off', /not closed/],
    ['{score: 1}', /does not parse/],
    ['{"reasoning": "no score"}', /"score" must be a number, a boolean or a category, got nothing/],
    ['{"score": {"x": 1}, "reasoning": "r"}', /"score" must be/],
    ['{"score": 1, "reasoning": 42}', /"reasoning" must be a string, got 42/],
  ])('a malformed answer is a JudgeOutputError with the reason: %s', (text, reason) => {
    expect(() => parseJudgeVerdict(text)).toThrow(JudgeOutputError);
    expect(() => parseJudgeVerdict(text)).toThrow(reason);
  });

  it('ignores inherited keys', () => {
    expect(() => parseJudgeVerdict('{"reasoning": "r"}', { score: 'constructor', reasoning: 'reasoning' })).toThrow(/got nothing/);
    expect(extractJsonObject('{"__proto__": {"polluted": 1}}')).not.toHaveProperty('polluted');
  });
});
