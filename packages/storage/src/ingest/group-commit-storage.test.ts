import { expect, it } from 'vitest';
import { describeEachEngine } from '../testing/each-engine.js';
import { ingestItem, rawEvent, type RawEvent } from '../testing/index.js';

const T0 = Date.parse('2024-05-01T12:00:00.000Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const REQUESTS = 24;

/**
 * Request i: trace t(i mod 4) named again, generation g(i) started in it with usage, and the
 * previous request's generation ended — so entities span requests, whichever group they land in.
 */
function request(i: number): RawEvent[] {
  const trace = `t${i % 4}`;
  const events = [
    rawEvent('trace-create', { id: trace, name: `name-${i}`, sessionId: `s${i % 3}`, userId: `u${i % 2}`, timestamp: at(i % 4) }, at(i)),
    rawEvent('generation-create', { id: `g${i}`, traceId: trace, name: 'llm', model: 'gpt-4o', startTime: at(i), usageDetails: { input: 10 * i, output: i } }, at(i)),
  ];
  if (i > 0) events.push(rawEvent('generation-update', { id: `g${i - 1}`, traceId: `t${(i - 1) % 4}`, endTime: at(i + 0.5), output: `answer ${i - 1}` }, at(i + 0.5)));
  return events;
}

describeEachEngine('concurrent ingestion requests (group commit)', (ctx) => {
  it('each request is readable once answered, and together they store what one-at-a-time ingestion stores', async () => {
    const together = ctx.newProject();
    const alone = ctx.newProject();
    const requests = Array.from({ length: REQUESTS }, (_, i) => request(i));
    // All at once: most wait behind a commit and go in a group.
    const seenAtAnswer = await Promise.all(
      requests.map(async (events, i) => {
        await ctx.storage.ingest([ingestItem(together, events)]);
        return (await ctx.storage.observations.get(together, `g${i}`))?.id ?? null;
      }),
    );
    expect(seenAtAnswer).toEqual(requests.map((_, i) => `g${i}`));
    for (const events of requests) await ctx.storage.ingest([ingestItem(alone, events)]);

    const traceIds = ['t0', 't1', 't2', 't3'];
    const strip = <T extends { projectId: string; createdAt: number; updatedAt: number }>(r: T | null) => {
      if (!r) return r;
      const { projectId: _p, createdAt: _c, updatedAt: _u, ...rest } = r;
      return rest;
    };
    for (const id of traceIds) expect(strip(await ctx.storage.traces.get(together, id))).toEqual(strip(await ctx.storage.traces.get(alone, id)));
    expect(await ctx.storage.traces.totals(together, traceIds)).toEqual(await ctx.storage.traces.totals(alone, traceIds));
    for (let i = 0; i < REQUESTS; i++) {
      const [a, b] = [await ctx.storage.observations.get(together, `g${i}`), await ctx.storage.observations.get(alone, `g${i}`)];
      expect(strip(a)).toEqual(strip(b));
    }
    const totals = await ctx.storage.traces.totals(together, traceIds);
    const tokens = [...totals.values()].reduce((n, t) => n + Number(t.totalTokens ?? 0), 0);
    expect(tokens).toBe(requests.reduce((n, _, i) => n + 11 * i, 0));
  });
});
