import { expect, it } from 'vitest';
import { describeEachEngine } from '../testing/each-engine.js';
import { ingestItem, metricsQuery, rawEvent } from '../testing/index.js';

const AT = '2024-05-01T12:00:00.000Z';
const ENTITIES = 10_000;
const COMMITS = 4;

/** One commit's worth of distinct traces, each in its own session (so sessions are locked in bulk too). */
function bigCommit(projectId: string, tag: string) {
  const events = Array.from({ length: ENTITIES }, (_, i) =>
    rawEvent('trace-create', { id: `${tag}-${i}`, name: 'bulk', sessionId: `${tag}-s${i}`, timestamp: AT }, AT),
  );
  return ingestItem(projectId, events);
}

// PostgreSQL keeps entity locks in a shared table of fixed size (6,400 slots by default): one lock
// per entity would overflow it with commits like these, and fail everyone's requests.
describeEachEngine('concurrent commits of 10,000 entities each', (ctx) => {
  it('all succeed, alongside a small commit of another project, and store every entity', async () => {
    const big = Array.from({ length: COMMITS }, (_, c) => ctx.storage.ingest([bigCommit(`big-${c % 2}`, `c${c}`)]));
    const small = ctx.storage.ingest([ingestItem('small', [rawEvent('trace-create', { id: 'one', timestamp: AT }, AT)])]);
    const results = await Promise.allSettled([...big, small]);
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);

    const q = metricsQuery({ view: 'traces', fromTimestamp: Date.parse(AT), toTimestamp: Date.parse(AT) + 1 });
    for (const p of ['big-0', 'big-1']) {
      const { data } = await ctx.storage.metrics.query(p, q, 'scan');
      expect(data[0].count_count).toBe((COMMITS / 2) * ENTITIES);
    }
    expect((await ctx.storage.traces.get('small', 'one'))?.id).toBe('one');
  });
});
