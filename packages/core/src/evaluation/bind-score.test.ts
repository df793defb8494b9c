import { describe, expect, it } from 'vitest';
import { toEntityEvent, validateEvent, type ScoreBody, type ScoreChange } from '../index.js';
import { bindScoreToConfig } from './bind-score.js';
import { BOOLEAN_CATEGORIES, scoreConfigError, type ScoreConfigRecord } from './score-config.js';

const config = (over: Partial<ScoreConfigRecord>): ScoreConfigRecord => ({
  id: 'cfg', projectId: 'p', name: 'quality', dataType: 'NUMERIC', isArchived: false, minValue: null, maxValue: null,
  categories: null, description: null, createdAt: 0, updatedAt: 0, ...over,
});

/** A validated score body and the change ingestion derives from it before the config is applied. */
function score(body: Record<string, unknown>): { body: ScoreBody; change: ScoreChange } {
  const v = validateEvent({ id: 'e', type: 'score-create', timestamp: '2024-01-01T00:00:00Z', body: { traceId: 't', name: 'sent', ...body } });
  if (!v.ok || v.event.type !== 'score-create') throw new Error(v.ok ? 'not a score' : v.error);
  const e = toEntityEvent(v.event);
  if (e?.kind !== 'score') throw new Error('no score change');
  return { body: v.event.body, change: e.change };
}

const bind = (body: Record<string, unknown>, c: ScoreConfigRecord) => {
  const s = score(body);
  return bindScoreToConfig(s.body, s.change, c);
};

describe('binding a score to its config', () => {
  it('keeps numeric scores within inclusive bounds', () => {
    const c = config({ minValue: 0, maxValue: 1 });
    expect(bind({ value: 0 }, c)).toMatchObject({ ok: true, change: { name: 'quality', value: 0, stringValue: null } });
    expect(bind({ value: 1 }, c)).toMatchObject({ ok: true });
    expect(bind({ value: 1.01 }, c)).toEqual({ ok: false, error: "value: 1.01 is above the maxValue 1 of score config 'quality' (cfg)" });
    expect(bind({ value: 'high' }, c)).toMatchObject({ ok: false, error: expect.stringContaining('NUMERIC and needs a number') });
  });

  it('maps a category label to its value and refuses other labels or numbers', () => {
    const c = config({ dataType: 'CATEGORICAL', categories: [{ label: 'bad', value: -1 }, { label: 'good', value: 3 }] });
    expect(bind({ value: 'good' }, c)).toMatchObject({ ok: true, change: { dataType: 'CATEGORICAL', value: 3, stringValue: 'good' } });
    expect(bind({ value: 'Good' }, c)).toMatchObject({ ok: false });
    expect(bind({ value: 3 }, c)).toMatchObject({ ok: false, error: expect.stringContaining('expected one of the labels "bad", "good"') });
  });

  it('takes the config data type when none was sent, and refuses a different one', () => {
    const c = config({ dataType: 'BOOLEAN', categories: [...BOOLEAN_CATEGORIES] });
    expect(bind({ value: 1 }, c)).toMatchObject({ ok: true, change: { dataType: 'BOOLEAN', stringValue: 'True' } });
    expect(bind({ value: 0.5 }, c)).toMatchObject({ ok: false, error: expect.stringContaining('needs 0 or 1') });
    expect(bind({ value: 1, dataType: 'NUMERIC' }, c)).toMatchObject({ ok: false, error: expect.stringContaining('dataType: NUMERIC does not match the BOOLEAN') });
    expect(bind({ value: 'fine' }, config({ dataType: 'TEXT' }))).toMatchObject({ ok: true, change: { dataType: 'TEXT', value: 0, stringValue: 'fine' } });
  });

  it('refuses any score on an archived config', () => {
    expect(bind({ value: 0.5 }, config({ isArchived: true }))).toMatchObject({ ok: false, error: expect.stringContaining('is archived') });
  });
});

describe('score config rules', () => {
  const shape = { name: 'ok', dataType: 'NUMERIC' as const, minValue: null, maxValue: null, categories: null };
  it('accepts equal bounds and refuses crossed ones', () => {
    expect(scoreConfigError({ ...shape, minValue: 1, maxValue: 1 })).toBeNull();
    expect(scoreConfigError({ ...shape, minValue: 2, maxValue: 1 })).toContain('minValue');
  });
  it('refuses empty category labels', () => {
    expect(scoreConfigError({ ...shape, dataType: 'CATEGORICAL', categories: [{ label: '', value: 1 }] })).toBe('categories: labels must not be empty');
  });
});
