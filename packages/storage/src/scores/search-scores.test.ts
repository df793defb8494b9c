import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../testing/each-engine.js';
import { rawEvent } from '../testing/index.js';
import { h } from '../testing/store-queries.js';
import type { ScoreSearchQuery } from './search-scores.js';

describeEachEngine('scores page queries', (ctx) => {
  const p = ctx.newProject();
  const other = ctx.newProject();
  beforeAll(async () => {
    await ctx.ingest(
      p,
      rawEvent('trace-create', { id: 't1' }, h(0)),
      ...[0, 1, 2, 3, 4, 5, 6, 7, 8, 10].map((v, i) => rawEvent('score-create', { id: `n${i}`, traceId: 't1', name: 'accuracy', value: v / 10 }, h(1 + i))),
      rawEvent('score-create', { id: 'c1', traceId: 't1', name: 'tone', value: 'calm' }, h(20)),
      rawEvent('score-create', { id: 'c2', traceId: 't1', name: 'tone', value: 'angry', source: 'ANNOTATION' }, h(21)),
      rawEvent('score-create', { id: 'c3', traceId: 't1', name: 'tone', value: 'calm' }, h(22)),
      rawEvent('score-create', { id: 'b1', traceId: 't1', name: 'safe', value: 1, dataType: 'BOOLEAN' }, h(23)),
      rawEvent('score-create', { id: 'same', traceId: 't1', name: 'flat', value: 3 }, h(24)),
    );
    await ctx.ingest(other, rawEvent('score-create', { id: 'x', traceId: 't1', name: 'accuracy', value: 0.5 }, h(1)));
  });
  const q = (over: Partial<ScoreSearchQuery>): ScoreSearchQuery => ({ sort: { field: 'timestamp', direction: 'desc' }, limit: 50, ...over });
  const idsOf = async (over: Partial<ScoreSearchQuery>) => (await ctx.storage.scores.search(p, q(over))).rows.map((s) => s.id);

  it('filters by name, source, data type, value range and time, within the project only', async () => {
    expect(await idsOf({ names: ['tone'] })).toEqual(['c3', 'c2', 'c1']);
    expect(await idsOf({ source: 'ANNOTATION' })).toEqual(['c2']);
    expect(await idsOf({ dataType: 'BOOLEAN' })).toEqual(['b1']);
    expect(await idsOf({ names: ['accuracy'], minValue: 0.75, maxValue: 1 })).toEqual(['n9', 'n8']);
    expect(await idsOf({ fromTimestamp: h(2), toTimestamp: h(4) })).toEqual(['n2', 'n1']);
    expect((await ctx.storage.scores.search(other, q({}))).rows.map((s) => s.id)).toEqual(['x']);
  });

  it('sorts by value and name and pages by keyset without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: ScoreSearchQuery['cursor'];
    for (;;) {
      const page = await ctx.storage.scores.search(p, q({ names: ['accuracy'], sort: { field: 'value', direction: 'asc' }, limit: 3, cursor }));
      seen.push(...page.rows.map((s) => s.id));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(['n0', 'n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7', 'n8', 'n9']);
    const byName = await idsOf({ sort: { field: 'name', direction: 'asc' }, limit: 3 });
    expect(byName).toEqual(['n0', 'n1', 'n2']);
  });

  it('computes a histogram per numeric name and label counts for the other types', async () => {
    const d = await ctx.storage.scores.distributions(p, {}, 5);
    const by = Object.fromEntries(d.map((x) => [x.name, x]));
    expect(by.accuracy).toMatchObject({ dataType: 'NUMERIC', count: 10, categories: [] });
    expect(by.accuracy.bins.map((b) => b[2])).toEqual([2, 2, 2, 2, 2]);
    expect(by.accuracy.bins[0][0]).toBe(0);
    expect(by.accuracy.bins[4][1]).toBe(1);
    expect(by.flat.bins).toEqual([[3, 3, 1]]);
    expect(by.tone).toMatchObject({ dataType: 'CATEGORICAL', count: 3, categories: [{ label: 'calm', count: 2 }, { label: 'angry', count: 1 }] });
    expect(by.safe).toMatchObject({ dataType: 'BOOLEAN', count: 1 });
    const ranged = await ctx.storage.scores.distributions(p, { fromTimestamp: h(20) }, 5);
    expect(ranged.map((x) => x.name)).toEqual(['flat', 'safe', 'tone']);
  });
});
