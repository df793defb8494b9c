import { describe, expect, it } from 'vitest';
import { describeEachEngine } from '../testing/each-engine.js';
import { rawEvent } from '../testing/index.js';

describeEachEngine('evaluation run store', (ctx) => {
  describe('watermarks and scan leases', () => {
    it('creates the watermark at its start on first claim, lets one owner scan at a time, and moves it only for the holder', async () => {
      const p = ctx.newProject();
      const runs = ctx.storage.evaluationRuns;
      expect(await runs.claim(p, 'r1', 'a', 1000, 500, { seq: 7, at: 900 })).toEqual({ projectId: p, ruleId: 'r1', seq: 7, at: 900, id: '' });
      expect(await runs.claim(p, 'r1', 'b', 1100, 500, { seq: 0, at: 0 })).toBeNull();
      expect(await runs.advance({ projectId: p, ruleId: 'r1', seq: 9, at: 950, id: 'x' }, 'b', 1100)).toBe(false);
      expect(await runs.advance({ projectId: p, ruleId: 'r1', seq: 9, at: 950, id: 'x' }, 'a', 1100)).toBe(true);
      // Released by the advance: b claims and sees the moved watermark, not its own start.
      expect(await runs.claim(p, 'r1', 'b', 1200, 500, { seq: 0, at: 0 })).toMatchObject({ seq: 9, at: 950, id: 'x' });
      // b dies: its lease expires and a takes over.
      expect(await runs.claim(p, 'r1', 'a', 1800, 500, { seq: 0, at: 0 })).toMatchObject({ seq: 9 });
      await runs.release(p, 'r1', 'a');
      expect(await runs.get(p, 'r1')).toMatchObject({ seq: 9 });
      expect(await runs.get(ctx.newProject(), 'r1')).toBeNull();
    });
  });

  it('lists the traces and observations with events in a log range, by project', async () => {
    const p = ctx.newProject();
    const other = ctx.newProject();
    const before = await ctx.storage.evaluationRuns.horizon(Date.now() + 60_000);
    await ctx.ingest(p, rawEvent('trace-create', { id: 't1' }, 0), rawEvent('span-create', { id: 'o1', traceId: 't2' }, 1), rawEvent('score-create', { id: 's', traceId: 't3', name: 'q', value: 1 }, 2));
    await ctx.ingest(other, rawEvent('trace-create', { id: 't9' }, 0));
    const to = await ctx.storage.evaluationRuns.horizon(Date.now() + 60_000);
    const traces = await ctx.storage.evaluationRuns.changes(p, 'trace', before, to, 100);
    expect(traces.ids.sort()).toEqual(['t1', 't2']);
    expect(traces.done).toBe(true);
    expect((await ctx.storage.evaluationRuns.changes(p, 'observation', before, to, 100)).ids).toEqual(['o1']);
    const paged = await ctx.storage.evaluationRuns.changes(p, 'trace', before, to, 1);
    expect(paged.done).toBe(false);
    expect(paged.ids).toHaveLength(1);
  });

  it('counts jobs by state under an idempotency key prefix', async () => {
    const p = ctx.newProject();
    for (const [i, key] of ['eval:r1:a', 'eval:r1:b', 'eval:r10:c', 'other'].entries()) {
      await ctx.storage.jobs.enqueue({ id: `${p}-j${i}`, projectId: p, kind: 'evaluation', payload: {}, runAt: 0, maxAttempts: 3, idempotencyKey: key, createdAt: 0 });
    }
    expect(await ctx.storage.evaluationRuns.jobCounts(p, 'eval:r1:')).toEqual({ queued: 2, running: 0, succeeded: 0, failed: 0 });
    expect(await ctx.storage.evaluationRuns.jobCounts(ctx.newProject(), 'eval:r1:')).toEqual({ queued: 0, running: 0, succeeded: 0, failed: 0 });
  });
});
