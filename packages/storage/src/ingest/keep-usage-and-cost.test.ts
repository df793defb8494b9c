import { expect, it } from 'vitest';
import { describeEachEngine } from '../testing/each-engine.js';
import { ingestItem, rawEvent } from '../testing/index.js';

// Imported observations (`sightline import`) keep the usage and cost the source had, whatever
// this server's models would compute; ordinary ingestion prices them. An imported event an entity
// has already folded (a rerun of the import) is not written again.

describeEachEngine('ingestion of imported observations (keepUsageAndCost)', (ctx) => {
  const gen = (id: string, body: Record<string, unknown>) =>
    rawEvent('generation-create', { id, traceId: 't', model: 'gpt-4o', startTime: '2026-01-01T00:00:00.000Z', endTime: '2026-01-01T00:00:01.000Z', ...body }, 0);
  const imported = (projectId: string, ...events: ReturnType<typeof gen>[]) => ctx.storage.ingest([{ ...ingestItem(projectId, events), keepUsageAndCost: true }]);

  it('keeps usage without cost unpriced, where ordinary ingestion prices it by the model', async () => {
    const p = ctx.newProject();
    await ctx.ingest(p, gen('live', { usageDetails: { input: 1000, output: 100 } }));
    await imported(p, gen('copied', { usageDetails: { input: 1000, output: 100 } }));
    const live = await ctx.storage.observations.get(p, 'live');
    const copied = await ctx.storage.observations.get(p, 'copied');
    expect(live?.costDetails.total).toBeGreaterThan(0);
    expect(copied).toMatchObject({ usageDetails: { input: 1000, output: 100, total: 1100 }, costDetails: {}, totalCost: null, pricingTierId: null });
  });

  it('keeps the model tier when the sent cost is what the model gives, and does not tokenise an observation sent without usage', async () => {
    const p = ctx.newProject();
    await ctx.ingest(p, gen('live', { usageDetails: { input: 1000, output: 100 } }));
    const live = (await ctx.storage.observations.get(p, 'live'))!;
    await imported(p, gen('same', { usageDetails: live.usageDetails, costDetails: live.costDetails }), gen('bare', { input: 'hello there', output: 'general kenobi' }));
    const same = await ctx.storage.observations.get(p, 'same');
    expect(same).toMatchObject({ usageDetails: live.usageDetails, costDetails: live.costDetails, totalCost: live.totalCost, pricingTierId: live.pricingTierId, modelId: live.modelId });
    expect(await ctx.storage.observations.get(p, 'bare')).toMatchObject({ usageDetails: {}, costDetails: {}, totalCost: null });
  });

  it('leaves an entity untouched when the same imported event comes again, and merges a changed one', async () => {
    const p = ctx.newProject();
    const copy = (at: number, name: string) =>
      ctx.storage.ingest([{ ...ingestItem(p, [rawEvent('trace-create', { id: 'tr', name }, at, 'import:trace:tr')]), keepUsageAndCost: true }]);
    await copy(1_000, 'first');
    const before = await ctx.storage.traces.get(p, 'tr');
    await new Promise((r) => setTimeout(r, 5));
    await copy(1_000, 'first');
    expect(await ctx.storage.traces.get(p, 'tr')).toEqual(before);
    await copy(2_000, 'changed');
    expect((await ctx.storage.traces.get(p, 'tr'))?.name).toBe('changed');
  });
});
