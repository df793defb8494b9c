import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../testing/each-engine.js';
import { rawEvent } from '../testing/index.js';
import { h, iso } from '../testing/store-queries.js';
import type { ObservationTableQuery, ObservationTableSortField } from './observation-store.js';

const obs = (kind: 'generation' | 'span' | 'event', id: string, traceId: string, startMin: number, o: Record<string, unknown> = {}) =>
  rawEvent(`${kind}-create`, { id, traceId, startTime: iso(h(1) + startMin * 60_000), ...o }, h(1));
const end = (startMin: number, ms: number) => iso(h(1) + startMin * 60_000 + ms);

const EVENTS = [
  rawEvent('trace-create', { id: 'T1', name: 'chat' }, h(1)),
  rawEvent('trace-create', { id: 'T2', name: 'search' }, h(1)),
  obs('generation', 'g1', 'T1', 0, { name: 'answer', model: 'gpt-4o', endTime: end(0, 3000), completionStartTime: end(0, 400), usageDetails: { input: 10, output: 20, total: 30 }, costDetails: { total: 0.003 }, promptName: 'p', promptVersion: 1 }),
  obs('generation', 'g2', 'T1', 1, { name: 'answer', model: 'gpt-4o-mini', endTime: end(1, 1000), completionStartTime: end(1, 100), usageDetails: { total: 300 }, costDetails: { total: 0.0001 } }),
  obs('generation', 'g3', 'T2', 2, { name: 'rerank', model: 'gpt-4o', endTime: end(2, 3000), usageDetails: { total: 5 }, costDetails: { total: 0.003 }, level: 'ERROR' }),
  obs('generation', 'g4', 'T2', 3, { name: 'draft', model: 'gpt-4o' }),
  obs('span', 's1', 'T1', 4, { name: 'retrieve', endTime: end(4, 9000) }),
  obs('event', 'e1', 'T2', 5, { name: 'log' }),
  rawEvent('score-create', { id: 'q1', traceId: 'T1', observationId: 'g1', name: 'quality', value: 0.4 }, h(2)),
  rawEvent('score-create', { id: 'q2', traceId: 'T1', observationId: 'g2', name: 'quality', value: 0.9 }, h(2)),
  rawEvent('score-create', { id: 'q3', traceId: 'T2', name: 'quality', value: 1 }, h(2)),
];

describeEachEngine('observations table', (ctx) => {
  const p = ctx.newProject();
  const q = (over: Partial<ObservationTableQuery>): ObservationTableQuery => ({ page: 1, limit: 50, ...over });
  const ids = async (over: Partial<ObservationTableQuery>) => (await ctx.storage.observations.table(p, q(over))).rows.map((r) => r.id);
  beforeAll(async () => {
    await ctx.ingest(p, ...EVENTS);
    await ctx.ingest(ctx.newProject(), rawEvent('generation-create', { id: 'other', model: 'gpt-4o', startTime: iso(h(1)) }, h(1)));
  });

  it('lists observations across traces, newest first, with their figures and trace', async () => {
    const { rows, hasMore } = await ctx.storage.observations.table(p, q({}));
    expect(rows.map((r) => r.id)).toEqual(['e1', 's1', 'g4', 'g3', 'g2', 'g1']);
    expect(hasMore).toBe(false);
    expect(rows.find((r) => r.id === 'g1')).toMatchObject({
      traceId: 'T1', traceName: 'chat', type: 'GENERATION', model: 'gpt-4o', latencyMs: 3000, timeToFirstTokenMs: 400,
      inputTokens: 10, outputTokens: 20, totalTokens: 30, totalCost: 0.003, promptName: 'p', promptVersion: 1, level: 'DEFAULT',
    });
  });

  it('filters by type, model, level, name, prompt and minimum figures', async () => {
    expect(await ids({ types: ['GENERATION'], models: ['gpt-4o'] })).toEqual(['g4', 'g3', 'g1']);
    expect(await ids({ types: ['SPAN', 'EVENT'] })).toEqual(['e1', 's1']);
    expect(await ids({ levels: ['ERROR'] })).toEqual(['g3']);
    expect(await ids({ name: 'ANSW' })).toEqual(['g2', 'g1']);
    expect(await ids({ promptName: 'p' })).toEqual(['g1']);
    expect(await ids({ minLatencyMs: 3000 })).toEqual(['s1', 'g3', 'g1']);
    expect(await ids({ minTimeToFirstTokenMs: 200 })).toEqual(['g1']);
    expect(await ids({ minTokens: 30 })).toEqual(['g2', 'g1']);
    expect(await ids({ minCost: 0.001 })).toEqual(['g3', 'g1']);
    expect(await ids({ score: { name: 'quality' } })).toEqual(['g2', 'g1']);
    expect(await ids({ score: { name: 'quality', min: 0.5 } })).toEqual(['g2']);
    expect(await ids({ traceId: 'T2', types: ['GENERATION'] })).toEqual(['g4', 'g3']);
  });

  const ORDERS: [ObservationTableSortField, 'asc' | 'desc', string[]][] = [
    ['latency', 'desc', ['s1', 'g3', 'g1', 'g2', 'g4', 'e1']],
    ['latency', 'asc', ['g2', 'g1', 'g3', 's1', 'e1', 'g4']],
    ['cost', 'desc', ['g3', 'g1', 'g2', 's1', 'g4', 'e1']],
    ['cost', 'asc', ['g2', 'g1', 'g3', 'e1', 'g4', 's1']],
    ['tokens', 'desc', ['g2', 'g1', 'g3', 's1', 'g4', 'e1']],
    ['timeToFirstToken', 'asc', ['g2', 'g1', 'e1', 'g3', 'g4', 's1']],
    ['score', 'desc', ['g2', 'g1', 's1', 'g4', 'g3', 'e1']],
    ['name', 'asc', ['g1', 'g2', 'g4', 'e1', 'g3', 's1']],
    ['startTime', 'asc', ['g1', 'g2', 'g3', 'g4', 's1', 'e1']],
  ];
  // The figure's index holds only rows with the figure, one run per type: a type filter reads its
  // own runs, rows without the figure still come last, and a minimum on the figure keeps them out.
  const FILTERED: [Partial<ObservationTableQuery>, string[]][] = [
    [{ types: ['GENERATION'], sort: { field: 'latency', direction: 'asc' } }, ['g2', 'g1', 'g3', 'g4']],
    [{ types: ['GENERATION', 'SPAN'], sort: { field: 'latency', direction: 'desc' } }, ['s1', 'g3', 'g1', 'g2', 'g4']],
    [{ types: ['SPAN', 'EVENT'], sort: { field: 'cost', direction: 'desc' } }, ['s1', 'e1']],
    [{ types: ['GENERATION'], sort: { field: 'tokens', direction: 'asc' } }, ['g3', 'g1', 'g2', 'g4']],
    [{ minLatencyMs: 3000, sort: { field: 'latency', direction: 'asc' } }, ['g1', 'g3', 's1']],
    [{ minCost: 0.001, sort: { field: 'cost', direction: 'desc' } }, ['g3', 'g1']],
    [{ minTokens: 6, sort: { field: 'tokens', direction: 'asc' } }, ['g1', 'g2']],
  ];
  for (const [filter, order] of FILTERED) {
    it(`filtered and sorted (${JSON.stringify(filter)}): the same rows over pages of one`, async () => {
      expect(await ids(filter)).toEqual(order);
      const pages = await Promise.all(order.map((_, i) => ctx.storage.observations.table(p, q({ ...filter, page: i + 1, limit: 1 }))));
      expect(pages.map((x) => x.rows[0]?.id)).toEqual(order);
      expect(pages.map((x) => x.hasMore)).toEqual(order.map((_, i) => i < order.length - 1));
    });
  }

  for (const [field, direction, order] of ORDERS) {
    it(`sorts by ${field} ${direction}: ties by id, missing values last, the same over pages`, async () => {
      const sort = { field, direction, scoreName: 'quality' };
      expect(await ids({ sort })).toEqual(order);
      const pages = await Promise.all([1, 2, 3].map((page) => ctx.storage.observations.table(p, q({ sort, page, limit: 2 }))));
      expect(pages.flatMap((x) => x.rows.map((r) => r.id))).toEqual(order);
      expect(pages.map((x) => x.hasMore)).toEqual([true, true, false]);
    });
  }
});
