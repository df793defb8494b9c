import { expect, it } from 'vitest';
import { describeEachEngine } from '../testing/each-engine.js';
import { METRICS_T0, metricsQuery, rawEvent } from '../testing/index.js';

const at = (ms: number) => new Date(ms).toISOString();

describeEachEngine('metrics store', (ctx) => {
  it("answers from one project's rows only, on both paths and in the daily report", async () => {
    const p = ctx.newProject();
    const other = ctx.newProject();
    await ctx.ingest(
      p,
      rawEvent('trace-create', { id: 'mt', name: 'chat', timestamp: at(METRICS_T0) }, METRICS_T0),
      rawEvent('generation-create', { id: 'mg', traceId: 'mt', name: 'llm', model: 'm', startTime: at(METRICS_T0), costDetails: { total: 0.5 } }, METRICS_T0),
    );
    const q = metricsQuery({ dimensions: ['name'] });
    for (const path of ['rollup', 'scan'] as const) {
      expect((await ctx.storage.metrics.query(p, q, path)).data).toHaveLength(1);
      expect((await ctx.storage.metrics.query(other, q, path)).data).toEqual([]);
    }
    expect((await ctx.storage.metrics.daily(p, { page: 1, limit: 10 })).totalItems).toBe(1);
    expect(await ctx.storage.metrics.daily(other, { page: 1, limit: 10 })).toEqual({ rows: [], totalItems: 0 });
  });
});
