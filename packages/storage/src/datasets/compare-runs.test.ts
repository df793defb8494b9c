import { expect, it } from 'vitest';
import { describeEachEngine } from '../testing/each-engine.js';
import { ingestItem, rawEvent } from '../testing/events.js';

const T = Date.UTC(2024, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString();

describeEachEngine('dataset run comparison reads', (ctx) => {
  it('gives each run item its output, latency, exact cost and scores, and counts datasets', async () => {
    const p = ctx.newProject();
    const ds = await ctx.storage.datasets.upsert({ id: 'cmp-ds', projectId: p, name: 'cmp', at: T });
    const saved = await ctx.storage.datasets.upsertItems([
      { id: 'i1', projectId: p, datasetId: ds.id, input: { q: 'one' }, expectedOutput: 'ONE', at: T },
      { id: 'i2', projectId: p, datasetId: ds.id, input: { q: 'two' }, expectedOutput: 'x'.repeat(50), at: T + 1 },
    ]);
    expect(Array.isArray(saved) && saved.map((i) => i.id)).toEqual(['i1', 'i2']);
    await ctx.storage.ingest([
      ingestItem(p, [
        rawEvent('trace-create', { id: 'ta', output: 'answer a' }, T),
        rawEvent('generation-create', { id: 'ga1', traceId: 'ta', startTime: iso(T), endTime: iso(T + 400), costDetails: { total: 0.1 } }, T),
        rawEvent('generation-create', { id: 'ga2', traceId: 'ta', startTime: iso(T + 100), endTime: iso(T + 1_000), costDetails: { total: 0.2 } }, T),
        rawEvent('trace-create', { id: 'tb', output: 'answer b' }, T),
        rawEvent('generation-create', { id: 'gb', traceId: 'tb', startTime: iso(T), endTime: iso(T + 250), output: { text: 'from the generation' }, costDetails: { total: 0.05 } }, T),
        rawEvent('score-create', { id: 's1', traceId: 'ta', name: 'accuracy', value: 0.5 }, T),
        rawEvent('score-create', { id: 's2', traceId: 'tb', observationId: 'gb', name: 'accuracy', value: 1 }, T),
        rawEvent('score-create', { id: 's3', traceId: 'tb', observationId: 'other-observation', name: 'accuracy', value: 0 }, T),
      ]),
    ]);
    const link = (runName: string, itemId: string, traceId: string, observationId: string | null, at: number) =>
      ctx.storage.datasets.linkRunItem({ projectId: p, datasetId: ds.id, runId: `${runName}-id`, runName, itemId: `${runName}-${itemId}`, datasetItemId: itemId, traceId, observationId, at });
    await link('r1', 'i1', 'ta', null, T + 10);
    await link('r2', 'i1', 'tb', 'gb', T + 20);
    await link('r2', 'i2', 'not-sent-yet', null, T + 30);
    const runScore = rawEvent('score-create', { id: 's-run', datasetRunId: 'r2-id', name: 'mean', value: 0.75 }, T);
    await ctx.storage.ingest([ingestItem(p, [runScore])]);

    const facts = await ctx.storage.datasets.runItemFacts(p, ['r1-id', 'r2-id'], 10);
    expect(facts.map((f) => [f.runId, f.datasetItemId, f.latencyMs, f.totalCost, f.output, f.scores.map((s) => s.value)])).toEqual([
      ['r1-id', 'i1', 1_000, 0.3, { text: '"answer a"', length: 10 }, [0.5]],
      ['r2-id', 'i1', 250, 0.05, { text: '{"text":"f', length: 30 }, [1]],
      ['r2-id', 'i2', null, 0, { text: null, length: 0 }, []],
    ]);
    expect((await ctx.storage.datasets.runItemFacts(p, ['r1-id']))[0].output).toBeNull();

    const items = await ctx.storage.datasets.comparedItems(p, ['r2-id'], 5);
    expect(items.map((i) => [i.id, i.input.text, i.expectedOutput])).toEqual([
      ['i1', '{"q":', { text: '"ONE"', length: 5 }],
      ['i2', '{"q":', { text: '"xxxx', length: 52 }],
    ]);
    expect((await ctx.storage.datasets.runScores(p, ['r1-id', 'r2-id'])).map((s) => [s.runId, s.name, s.value])).toEqual([['r2-id', 'mean', 0.75]]);
    expect((await ctx.storage.datasets.getRunsByIds(p, ds.id, ['r2-id', 'nope', 'r1-id'])).map((r) => r.name)).toEqual(['r2', 'r1']);
    expect((await ctx.storage.datasets.counts(p, [ds.id, 'empty'])).get(ds.id)).toEqual({ itemCount: 2, runCount: 2, lastRunAt: T + 20 });

    // Another project sees none of it.
    const other = ctx.newProject();
    expect(await ctx.storage.datasets.runItemFacts(other, ['r1-id', 'r2-id'], 10)).toEqual([]);
    expect(await ctx.storage.datasets.comparedItems(other, ['r1-id'], 10)).toEqual([]);
    expect(await ctx.storage.datasets.getRunsByIds(other, ds.id, ['r1-id'])).toEqual([]);
    expect((await ctx.storage.datasets.counts(other, [ds.id])).get(ds.id)).toEqual({ itemCount: 0, runCount: 0, lastRunAt: null });
  });

  it('imports items all or none: an id held by another dataset writes nothing', async () => {
    const p = ctx.newProject();
    const a = await ctx.storage.datasets.upsert({ id: 'imp-a', projectId: p, name: 'a', at: T });
    const b = await ctx.storage.datasets.upsert({ id: 'imp-b', projectId: p, name: 'b', at: T });
    await ctx.storage.datasets.upsertItem({ id: 'taken', projectId: p, datasetId: a.id, at: T });
    const out = await ctx.storage.datasets.upsertItems([
      { id: 'new-1', projectId: p, datasetId: b.id, input: 1, at: T },
      { id: 'taken', projectId: p, datasetId: b.id, input: 2, at: T },
    ]);
    expect(out).toEqual({ otherDatasetId: a.id });
    expect(await ctx.storage.datasets.getItem(p, 'new-1')).toBeNull();
  });
});
