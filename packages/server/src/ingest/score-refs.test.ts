import type { Storage } from '@sightline/storage';
import { describe, expect, it } from 'vitest';
import { loadScoreRefs, NO_SCORE_REFS, referencedIds } from './score-refs.js';

describe('score references of a batch', () => {
  it('collects the distinct config and queue ids of score-create events only', () => {
    const batch = [
      { type: 'score-create', body: { configId: 'c1', queueId: 'q1' } },
      { type: 'score-create', body: { configId: 'c1' } },
      { type: 'trace-create', body: { configId: 'not-a-score' } },
      { type: 'score-create', body: { configId: 5 } },
      { type: 'score-create', body: { configId: 'nul\u0000', queueId: 'q'.repeat(1_001) } },
      { type: 'score-create', body: { queueId: 'lone\ud800' } },
      null,
      'junk',
    ];
    expect(referencedIds(batch)).toEqual({ configIds: ['c1'], queueIds: ['q1', 'lone\uFFFD'] });
  });

  it('reads nothing for a batch that names no config or queue', async () => {
    const untouchable = new Proxy({}, { get: () => { throw new Error('storage must not be read'); } }) as Storage;
    expect(await loadScoreRefs(untouchable, 'p', [{ type: 'score-create', body: { name: 'n', value: 1 } }, { type: 'trace-create', body: {} }])).toBe(NO_SCORE_REFS);
  });
});
