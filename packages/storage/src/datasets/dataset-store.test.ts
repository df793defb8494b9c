import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openStorage } from '../open-storage.js';
import type { Storage } from '../storage.js';
import { describeEachEngine } from '../testing/each-engine.js';
import { createPgTestDatabase } from '../testing/index.js';
import type { DatasetItem } from './types.js';

const PAGE = { page: 1, limit: 50 };

async function newDataset(storage: Storage, projectId: string, name = 'ds') {
  return storage.datasets.upsert({ id: randomUUID(), projectId, name, at: 1_000 });
}

async function item(storage: Storage, projectId: string, datasetId: string, id: string, at: number, over: Partial<DatasetItem> = {}) {
  const out = await storage.datasets.upsertItem({ id, projectId, datasetId, at, ...over });
  if ('otherDatasetId' in out) throw new Error('unexpected conflict');
  return out;
}

const ids = (rows: { id: string }[]) => rows.map((r) => r.id);

describeEachEngine('dataset store', (ctx) => {
  it('upserts a dataset by name: one id, changed fields replaced, absent fields kept', async () => {
    const p = ctx.newProject();
    const first = await ctx.storage.datasets.upsert({ id: 'd1', projectId: p, name: 'qa', description: 'first', metadata: { a: 1 }, inputSchema: { type: 'object' }, at: 1_000 });
    const second = await ctx.storage.datasets.upsert({ id: 'd2', projectId: p, name: 'qa', metadata: { b: 2 }, at: 2_000 });
    expect(second).toMatchObject({ id: 'd1', name: 'qa', description: 'first', metadata: { b: 2 }, inputSchema: { type: 'object' }, expectedOutputSchema: null, createdAt: 1_000, updatedAt: 2_000 });
    expect(first.id).toBe('d1');
    expect((await ctx.storage.datasets.list(p, PAGE)).totalItems).toBe(1);
  });

  it('upserts items by id, lists only active ones newest first, and keeps archived ones readable by id', async () => {
    const p = ctx.newProject();
    const ds = await newDataset(ctx.storage, p);
    await item(ctx.storage, p, ds.id, 'a', 1_000, { input: { q: 1 }, expectedOutput: 'one', metadata: { m: true } });
    await item(ctx.storage, p, ds.id, 'b', 2_000, { input: { q: 2 } });
    const updated = await item(ctx.storage, p, ds.id, 'a', 3_000, { input: { q: 'one' } });
    expect(updated).toMatchObject({ id: 'a', datasetName: 'ds', status: 'ACTIVE', input: { q: 'one' }, expectedOutput: 'one', metadata: { m: true }, createdAt: 1_000, updatedAt: 3_000 });
    expect(ids((await ctx.storage.datasets.listItems(p, { ...PAGE, datasetId: ds.id })).rows)).toEqual(['b', 'a']);

    await item(ctx.storage, p, ds.id, 'b', 4_000, { status: 'ARCHIVED' });
    const active = await ctx.storage.datasets.listItems(p, { ...PAGE, datasetId: ds.id });
    expect(ids(active.rows)).toEqual(['a']);
    expect(active.totalItems).toBe(1);
    expect(await ctx.storage.datasets.getItem(p, 'b')).toMatchObject({ status: 'ARCHIVED', input: { q: 2 } });
  });

  it('refuses an item id that another dataset of the project holds', async () => {
    const p = ctx.newProject();
    const one = await newDataset(ctx.storage, p, 'one');
    const two = await newDataset(ctx.storage, p, 'two');
    await item(ctx.storage, p, one.id, 'shared', 1_000);
    expect(await ctx.storage.datasets.upsertItem({ id: 'shared', projectId: p, datasetId: two.id, at: 2_000 })).toEqual({ otherDatasetId: one.id });
  });

  it('reads the items as they were at a version timestamp', async () => {
    const p = ctx.newProject();
    const ds = await newDataset(ctx.storage, p);
    await item(ctx.storage, p, ds.id, 'a', 1_000, { input: 'a1' });
    await item(ctx.storage, p, ds.id, 'b', 2_000, { input: 'b1' });
    await item(ctx.storage, p, ds.id, 'a', 3_000, { input: 'a2' });
    await item(ctx.storage, p, ds.id, 'b', 4_000, { status: 'ARCHIVED' });
    await item(ctx.storage, p, ds.id, 'c', 5_000, { input: 'c1' });
    await item(ctx.storage, p, ds.id, 'c', 5_000, { input: 'c1-same-ms' });
    expect(await ctx.storage.datasets.deleteItem(p, 'a', 6_000)).toBe(true);

    const at = async (version: number) =>
      (await ctx.storage.datasets.listItems(p, { ...PAGE, datasetId: ds.id, version })).rows.map((r) => [r.id, r.input, r.datasetName]);
    expect(await at(500)).toEqual([]);
    expect(await at(1_000)).toEqual([['a', 'a1', 'ds']]);
    expect(await at(2_500)).toEqual([['b', 'b1', 'ds'], ['a', 'a1', 'ds']]);
    expect(await at(3_000)).toEqual([['b', 'b1', 'ds'], ['a', 'a2', 'ds']]);
    expect(await at(4_000)).toEqual([['a', 'a2', 'ds']]);
    expect(await at(5_500)).toEqual([['c', 'c1-same-ms', 'ds'], ['a', 'a2', 'ds']]);
    expect(await at(6_000)).toEqual([['c', 'c1-same-ms', 'ds']]);
    expect(ids((await ctx.storage.datasets.listItems(p, { ...PAGE, datasetId: ds.id })).rows)).toEqual(['c']);
  });

  it('creates a run by name on first link, lists and reads it with its items, and deletes it without touching traces', async () => {
    const p = ctx.newProject();
    const ds = await newDataset(ctx.storage, p);
    await item(ctx.storage, p, ds.id, 'a', 1_000);
    await item(ctx.storage, p, ds.id, 'b', 1_000);
    await ctx.ingest(p, { id: 'e1', type: 'trace-create', timestamp: new Date(1_000).toISOString(), body: { id: 't1', name: 'run trace' } });
    const link = (itemId: string, datasetItemId: string, traceId: string, at: number, extra: object = {}) =>
      ctx.storage.datasets.linkRunItem({ projectId: p, datasetId: ds.id, runId: randomUUID(), runName: 'run/1', itemId, datasetItemId, traceId, observationId: null, at, ...extra });
    const first = await link('ri1', 'a', 't1', 2_000, { runDescription: 'baseline', runMetadata: { model: 'x' } });
    const second = await link('ri2', 'b', 't2', 3_000, { runMetadata: { model: 'y' } });
    expect(second.datasetRunId).toBe(first.datasetRunId);
    expect(second).toMatchObject({ datasetRunName: 'run/1', datasetItemId: 'b', traceId: 't2', observationId: null, createdAt: 3_000 });

    const run = await ctx.storage.datasets.getRun(p, ds.id, 'run/1');
    expect(run).toMatchObject({ id: first.datasetRunId, name: 'run/1', datasetName: 'ds', description: 'baseline', metadata: { model: 'y' }, createdAt: 2_000 });
    expect(ids((await ctx.storage.datasets.listRunItems(p, run!.id, PAGE)).rows)).toEqual(['ri1', 'ri2']);
    expect(ids((await ctx.storage.datasets.listRuns(p, ds.id, PAGE)).rows)).toEqual([run!.id]);

    expect(await ctx.storage.datasets.deleteRun(p, run!.id)).toBe(true);
    expect(await ctx.storage.datasets.getRun(p, ds.id, 'run/1')).toBeNull();
    expect((await ctx.storage.datasets.listRunItems(p, run!.id, PAGE)).totalItems).toBe(0);
    expect(await ctx.storage.traces.get(p, 't1')).not.toBeNull();
    expect(await ctx.storage.datasets.deleteRun(p, run!.id)).toBe(false);
  });

  it('deleting an item removes its run items', async () => {
    const p = ctx.newProject();
    const ds = await newDataset(ctx.storage, p);
    await item(ctx.storage, p, ds.id, 'a', 1_000);
    const ri = await ctx.storage.datasets.linkRunItem({ projectId: p, datasetId: ds.id, runId: 'r', runName: 'r', itemId: 'ri', datasetItemId: 'a', traceId: 't', observationId: 'o', at: 2_000 });
    await ctx.storage.datasets.deleteItem(p, 'a', 3_000);
    expect((await ctx.storage.datasets.listRunItems(p, ri.datasetRunId, PAGE)).totalItems).toBe(0);
  });

  it('lists experiments (runs) and experiment items in a time window', async () => {
    const p = ctx.newProject();
    const ds = await newDataset(ctx.storage, p);
    await item(ctx.storage, p, ds.id, 'a', 1_000, { input: 'in', expectedOutput: 'out' });
    for (const [name, at] of [['old', 2_000], ['new', 5_000], ['new', 6_000]] as const) {
      await ctx.storage.datasets.linkRunItem({ projectId: p, datasetId: ds.id, runId: randomUUID(), runName: name, itemId: randomUUID(), datasetItemId: 'a', traceId: `t-${at}`, observationId: null, at });
    }
    const exps = await ctx.storage.datasets.listExperiments(p, { fromStartTime: 0, limit: 10, offset: 0 });
    expect(exps.map((e) => [e.name, e.startTime, e.endTime, e.itemCount, e.datasetId])).toEqual([['new', 5_000, 6_000, 2, ds.id], ['old', 2_000, 2_000, 1, ds.id]]);
    expect((await ctx.storage.datasets.listExperiments(p, { fromStartTime: 3_000, limit: 10, offset: 0 })).map((e) => e.name)).toEqual(['new']);
    const items = await ctx.storage.datasets.listExperimentItems(p, { fromStartTime: 0, experimentNames: ['new'], limit: 10, offset: 0 });
    expect(items.map((i) => [i.traceId, i.experimentItemId, i.input, i.expectedOutput])).toEqual([['t-6000', 'a', 'in', 'out'], ['t-5000', 'a', 'in', 'out']]);
  });

  it('keeps projects apart', async () => {
    const p = ctx.newProject();
    const q = ctx.newProject();
    const ds = await newDataset(ctx.storage, p);
    await item(ctx.storage, p, ds.id, 'a', 1_000);
    expect(await ctx.storage.datasets.get(q, 'ds')).toBeNull();
    expect(await ctx.storage.datasets.getItem(q, 'a')).toBeNull();
    expect((await ctx.storage.datasets.listItems(q, PAGE)).totalItems).toBe(0);
    expect(await ctx.storage.datasets.deleteItem(q, 'a', 2_000)).toBe(false);
    // The same item id in another project is another item.
    const other = await newDataset(ctx.storage, q);
    expect(await item(ctx.storage, q, other.id, 'a', 3_000)).toMatchObject({ projectId: q, datasetId: other.id });
  });
});

describe('dataset runs created concurrently (postgres)', () => {
  it('gives one run when two clients create the same run name at once', async () => {
    const pg = await createPgTestDatabase();
    const one = await openStorage({ databaseUrl: pg.url });
    const two = await openStorage({ databaseUrl: pg.url });
    try {
      const ds = await one.datasets.upsert({ id: 'ds', projectId: 'p', name: 'ds', at: 1 });
      await one.datasets.upsertItem({ id: 'a', projectId: 'p', datasetId: ds.id, at: 1 });
      const links = Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? one : two).datasets.linkRunItem({ projectId: 'p', datasetId: ds.id, runId: `run-${i}`, runName: 'same', itemId: `ri-${i}`, datasetItemId: 'a', traceId: `t${i}`, observationId: null, at: 2 + i }),
      );
      const made = await Promise.all(links);
      expect(new Set(made.map((m) => m.datasetRunId)).size).toBe(1);
      expect((await two.datasets.listRuns('p', ds.id, PAGE)).totalItems).toBe(1);
      expect((await one.datasets.listRunItems('p', made[0].datasetRunId, PAGE)).totalItems).toBe(20);
    } finally {
      await one.close();
      await two.close();
      await pg.drop();
    }
  });
});
