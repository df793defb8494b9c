import { expect, it } from 'vitest';
import { describeEachEngine } from '../testing/each-engine.js';
import { ingestItem, metricsQuery, rawEvent, rollupMismatches } from '../testing/index.js';
import { fixedToNumber } from './exact-sum.js';
import { fixed } from './rollup-specs.js';
import { COST_SCALE } from './view-types.js';

const H = Date.UTC(2024, 6, 1, 10);
const at = (ms: number) => new Date(ms).toISOString();
/** Costs at the per-event limit (1,000,000 USD), with digits down to the pico-dollar. */
const COSTS = { input: 999_999.123456789, output: 999_999.987654321, total: 1_000_000 };
/** 12 of them pass 2^63 pico-dollars in one hour: a 64-bit sum would overflow. */
const GENERATIONS = 12;

function generations(projectId: string, n: number) {
  const events = [rawEvent('trace-create', { id: `${projectId}-t`, timestamp: at(H) }, H)];
  for (let i = 0; i < n; i++) {
    const start = H + 60_000 + i * 1000;
    events.push(rawEvent('generation-create', {
      id: `${projectId}-g${i}`, traceId: `${projectId}-t`, name: 'costly', model: 'm', startTime: at(start), endTime: at(start + 500), costDetails: COSTS,
    }, start));
  }
  return ingestItem(projectId, events);
}

/** The exact sum of `n` fixed-point values `x`, as the metrics API should answer it. */
const exactSum = (x: number, n: number) => fixedToNumber(BigInt(fixed(x)) * BigInt(n), COST_SCALE);

describeEachEngine('cost sums past 2^63 pico-dollars', (ctx) => {
  it("neither fail another project's ingestion nor lose precision", async () => {
    // B's costs and A's trace in one group commit, then each in commits of their own.
    await ctx.storage.ingest([generations('b', GENERATIONS), generations('a', 1)]);
    await ctx.storage.ingest([generations('b2', GENERATIONS)]);
    await ctx.storage.ingest([ingestItem('a', [rawEvent('trace-create', { id: 'a-later', timestamp: at(H + 120_000) }, H + 120_000)])]);
    expect((await ctx.storage.traces.get('a', 'a-later'))?.id).toBe('a-later');

    const sums = ['inputCost', 'outputCost', 'totalCost'].flatMap((measure) => [
      { measure, aggregation: 'sum' as const }, { measure, aggregation: 'avg' as const },
    ]);
    for (const over of [{}, { granularity: 'hour' as const }, { dimensions: ['providedModelName'] }]) {
      const q = metricsQuery({ ...over, metrics: sums, fromTimestamp: H - 86_400_000, toTimestamp: H + 86_400_000 });
      const rollup = await ctx.storage.metrics.query('b', q, 'rollup');
      const scan = await ctx.storage.metrics.query('b', q, 'scan');
      expect(rollupMismatches(rollup.data, scan.data)).toEqual([]);
      const row = rollup.data.find((r) => r.sum_totalCost !== 0)!;
      expect(row).toMatchObject({
        sum_inputCost: exactSum(COSTS.input, GENERATIONS),
        sum_outputCost: exactSum(COSTS.output, GENERATIONS),
        sum_totalCost: exactSum(COSTS.total, GENERATIONS),
        avg_inputCost: exactSum(COSTS.input, GENERATIONS) / GENERATIONS,
      });
    }
    const traces = metricsQuery({ view: 'traces', metrics: [{ measure: 'totalCost', aggregation: 'sum' }], fromTimestamp: H - 1, toTimestamp: H + 1 });
    expect((await ctx.storage.metrics.query('b', traces)).data[0].sum_totalCost).toBe(exactSum(COSTS.total, GENERATIONS));

    const daily = await ctx.storage.metrics.daily('b', { page: 1, limit: 10 });
    expect(daily.rows[0].totalCost).toBe(exactSum(COSTS.total, GENERATIONS));
    expect(daily.rows[0].usage[0].totalCost).toBe(exactSum(COSTS.total, GENERATIONS));

    // Rebuilt from the base tables, the rollups give the same exact answers.
    const q = metricsQuery({ metrics: sums, fromTimestamp: H - 86_400_000, toTimestamp: H + 86_400_000 });
    const before = await ctx.storage.metrics.query('b', q, 'rollup');
    await ctx.storage.metrics.rebuildRollups();
    expect((await ctx.storage.metrics.query('b', q, 'rollup')).data).toEqual(before.data);
  });
});
