import { describe, expect, it } from 'vitest';
import { describeEachEngine } from '../testing/each-engine.js';
import { rawEvent } from '../testing/index.js';
import { h, iso } from '../testing/store-queries.js';

const HOUR = 3_600_000;

describeEachEngine('export schedule store', (ctx) => {
  describe('schedules and leases', () => {
    it('creates, changes and deletes a project schedule, keeping its watermark', async () => {
      const p = ctx.newProject();
      expect(await ctx.storage.exports.get(p)).toBeNull();
      const s = await ctx.storage.exports.put(p, { frequency: 'hourly', formats: ['jsonl'], enabled: true }, 1000, 1);
      expect(s).toMatchObject({ projectId: p, frequency: 'hourly', formats: ['jsonl'], enabled: true, watermarkSeq: 0, watermarkAt: null, nextRunAt: 1000 });
      expect(await ctx.storage.exports.claim(p, 'me', 1000, HOUR)).toBe(true);
      expect(await ctx.storage.exports.succeed(p, 'me', { at: 1000, watermarkSeq: 7, watermarkAt: 900, nextRunAt: 5000, objectKeys: ['k'], traceCount: 3 })).toBe(true);
      const changed = await ctx.storage.exports.put(p, { frequency: 'daily', formats: ['jsonl', 'csv'], enabled: false }, 9000, 2);
      expect(changed).toMatchObject({ frequency: 'daily', formats: ['jsonl', 'csv'], enabled: false, watermarkSeq: 7, watermarkAt: 900, lastObjectKeys: ['k'], lastTraceCount: 3, lastStatus: 'ok' });
      expect(await ctx.storage.exports.delete(p)).toBe(true);
      expect(await ctx.storage.exports.get(p)).toBeNull();
    });

    it('lets one owner at a time hold a due schedule until its lease ends', async () => {
      const p = ctx.newProject();
      await ctx.storage.exports.put(p, { frequency: 'hourly', formats: ['jsonl'], enabled: true }, 1000, 1);
      expect(await ctx.storage.exports.claim(p, 'a', 999, HOUR)).toBe(false); // not due yet
      expect(await ctx.storage.exports.due(1000, 100)).toContain(p);
      expect(await ctx.storage.exports.claim(p, 'a', 1000, HOUR)).toBe(true);
      expect(await ctx.storage.exports.claim(p, 'b', 1001, HOUR)).toBe(false);
      expect(await ctx.storage.exports.claim(p, 'b', 1001, HOUR, true)).toBe(false); // forced runs respect the lease too
      expect(await ctx.storage.exports.due(1001, 100)).not.toContain(p);
      expect(await ctx.storage.exports.renew(p, 'b', 9e12)).toBe(false);
      // a's lease expires (a crashed): b takes over, and a can no longer record its run
      expect(await ctx.storage.exports.claim(p, 'b', 1000 + HOUR + 1, HOUR)).toBe(true);
      expect(await ctx.storage.exports.succeed(p, 'a', { at: 1, watermarkSeq: 1, watermarkAt: 1, nextRunAt: 1, objectKeys: [], traceCount: 0 })).toBe(false);
      await ctx.storage.exports.fail(p, 'b', 'disk full', 2000, 3000);
      expect(await ctx.storage.exports.get(p)).toMatchObject({ lastStatus: 'error', lastError: 'disk full', nextRunAt: 3000, leaseOwner: null, watermarkSeq: 0 });
    });

    it('never lists a disabled schedule as due', async () => {
      const p = ctx.newProject();
      await ctx.storage.exports.put(p, { frequency: 'daily', formats: ['jsonl'], enabled: false }, 0, 1);
      expect(await ctx.storage.exports.due(10, 100)).not.toContain(p);
      expect(await ctx.storage.exports.claim(p, 'a', 10, HOUR)).toBe(false);
    });
  });

  it('pages the traces that changed in an event-log range, for one project only', async () => {
    const p = ctx.newProject();
    const other = ctx.newProject();
    const start = await ctx.storage.exports.horizon(Date.now() + HOUR);
    await ctx.ingest(p, rawEvent('trace-create', { id: 't1', timestamp: iso(h(0)) }, h(0)), rawEvent('trace-create', { id: 't2', timestamp: iso(h(0)) }, h(0)));
    await ctx.ingest(other, rawEvent('trace-create', { id: 'x', timestamp: iso(h(0)) }, h(0)));
    const middle = await ctx.storage.exports.horizon(Date.now() + HOUR);
    // A late observation and score of an old trace count as a change of that trace.
    await ctx.ingest(p, rawEvent('span-create', { id: 'o1', traceId: 't1', startTime: iso(h(1)) }, h(1)), rawEvent('score-create', { id: 's1', traceId: 't1', name: 'q', value: 1 }, h(1)));
    const end = await ctx.storage.exports.horizon(Date.now() + HOUR);
    expect(await ctx.storage.exports.horizon(0)).toBe(0);

    const first = await ctx.storage.exports.changes(p, start, middle, 100);
    expect(first.traceIds.sort()).toEqual(['t1', 't2']);
    expect(first).toMatchObject({ lastSeq: middle, done: true });
    expect((await ctx.storage.exports.changes(p, middle, end, 100)).traceIds).toEqual(['t1']);
    const paged = await ctx.storage.exports.changes(p, start, end, 1);
    expect(paged.done).toBe(false);
    expect(paged.lastSeq).toBeLessThan(end);
    expect(await ctx.storage.traces.getMany(p, ['t1', 'x', 'nope'])).toHaveLength(1);
  });
});
