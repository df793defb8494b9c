import { expect, it } from 'vitest';
import { describeEachEngine } from '../testing/each-engine.js';
import type { AnnotationQueueRecord, QueueItemRecord } from './types.js';

const queue = (id: string, projectId: string, createdAt = 1_000): AnnotationQueueRecord => ({
  id, projectId, name: `queue ${id}`, description: null, scoreConfigIds: ['c2', 'c1'], createdAt, updatedAt: createdAt,
});
const item = (id: string, projectId: string, queueId: string, createdAt = 1_000): QueueItemRecord => ({
  id, projectId, queueId, objectId: `t-${id}`, objectType: 'TRACE', status: 'PENDING', completedAt: null, createdAt, updatedAt: createdAt,
});

describeEachEngine('annotation queue store', (ctx) => {
  it('stores queues, lists them newest first and tells which ids exist in the project', async () => {
    const p = ctx.newProject();
    const other = ctx.newProject();
    await ctx.storage.annotationQueues.create({ ...queue('q1', p), description: 'first' });
    await ctx.storage.annotationQueues.create(queue('q2', p, 2_000));
    await ctx.storage.annotationQueues.create(queue('q3', other));
    expect(await ctx.storage.annotationQueues.get(p, 'q1')).toEqual({ ...queue('q1', p), description: 'first' });
    expect(await ctx.storage.annotationQueues.get(p, 'q3')).toBeNull();
    expect(await ctx.storage.annotationQueues.list(p, { page: 1, limit: 10 })).toMatchObject({ totalItems: 2, rows: [{ id: 'q2' }, { id: 'q1' }] });
    expect([...(await ctx.storage.annotationQueues.existing(p, ['q1', 'q3', 'nope']))]).toEqual(['q1']);
  });

  it('adds items, filters them by status, completes, reopens and deletes them within their queue', async () => {
    const p = ctx.newProject();
    const store = ctx.storage.annotationQueues;
    await store.create(queue('q', p));
    await store.create(queue('q-other', p));
    await store.addItem(item('i1', p, 'q'));
    await store.addItem(item('i2', p, 'q', 2_000));
    expect((await store.listItems(p, 'q', { page: 1, limit: 10 })).rows.map((i) => i.id)).toEqual(['i1', 'i2']);
    expect(await store.setItemStatus(p, 'q-other', 'i1', 'COMPLETED', 5_000)).toBeNull();
    expect(await store.setItemStatus(p, 'q', 'i1', 'COMPLETED', 5_000)).toMatchObject({ status: 'COMPLETED', completedAt: 5_000, updatedAt: 5_000 });
    expect(await store.listItems(p, 'q', { page: 1, limit: 10, status: 'PENDING' })).toMatchObject({ totalItems: 1, rows: [{ id: 'i2' }] });
    expect(await store.setItemStatus(p, 'q', 'i1', 'PENDING', 6_000)).toMatchObject({ status: 'PENDING', completedAt: null });
    expect(await store.deleteItem(p, 'q-other', 'i2')).toBe(false);
    expect(await store.deleteItem(p, 'q', 'i2')).toBe(true);
    expect(await store.getItem(p, 'q', 'i2')).toBeNull();
    expect(await store.getItem(ctx.newProject(), 'q', 'i1')).toBeNull();
  });

  it("keeps each reviewer's skips in skip order, pending items only, and drops them with the item", async () => {
    const p = ctx.newProject();
    const store = ctx.storage.annotationQueues;
    await store.create(queue('q', p));
    for (const id of ['i1', 'i2', 'i3']) await store.addItem(item(id, p, 'q'));
    await store.skipItem(p, 'q', 'i2', 'ann', 10);
    await store.skipItem(p, 'q', 'i1', 'ann', 20);
    await store.skipItem(p, 'q', 'i3', 'bob', 30);
    expect(await store.skippedItems(p, 'q', 'ann')).toEqual(['i2', 'i1']);
    await store.skipItem(p, 'q', 'i2', 'ann', 40);
    expect(await store.skippedItems(p, 'q', 'ann')).toEqual(['i1', 'i2']);
    expect(await store.skippedItems(p, 'q', 'bob')).toEqual(['i3']);
    expect(await store.skippedItems(ctx.newProject(), 'q', 'ann')).toEqual([]);
    await store.setItemStatus(p, 'q', 'i1', 'COMPLETED', 50);
    expect(await store.skippedItems(p, 'q', 'ann')).toEqual(['i2']);
    await store.setItemStatus(p, 'q', 'i1', 'PENDING', 60);
    expect(await store.deleteItem(p, 'q', 'i1')).toBe(true);
    await store.addItem(item('i1', p, 'q'));
    expect(await store.skippedItems(p, 'q', 'ann')).toEqual(['i2']);
  });

  it('assigns a user once and unassigns', async () => {
    const p = ctx.newProject();
    const store = ctx.storage.annotationQueues;
    await store.assign({ projectId: p, queueId: 'q', userId: 'u', createdAt: 1 });
    await store.assign({ projectId: p, queueId: 'q', userId: 'u', createdAt: 2 });
    expect(await store.unassign(ctx.newProject(), 'q', 'u')).toBe(false);
    expect(await store.unassign(p, 'q', 'u')).toBe(true);
    expect(await store.unassign(p, 'q', 'u')).toBe(false);
  });
});

describeEachEngine('annotation queue bulk items', (ctx) => {
  it('adds many objects once each, skipping those already queued, and counts items by status', async () => {
    const p = ctx.newProject();
    const store = ctx.storage.annotationQueues;
    await store.create(queue('bq', p));
    await store.create(queue('bq2', p));
    let n = 0;
    const newId = () => `bulk-${++n}`;
    expect(await store.addItems(p, 'bq', 'TRACE', ['b', 'a', 'b'], 1_000, newId)).toBe(2);
    expect(await store.addItems(p, 'bq', 'TRACE', ['a', 'c'], 2_000, newId)).toBe(1);
    expect(await store.addItems(p, 'bq2', 'TRACE', ['a'], 2_000, newId)).toBe(1);
    const items = (await store.listItems(p, 'bq', { page: 1, limit: 10 })).rows;
    expect(items.map((i) => i.objectId)).toEqual(['b', 'a', 'c']);
    await store.setItemStatus(p, 'bq', items[0].id, 'COMPLETED', 3_000);
    const counts = await store.itemCounts(p, ['bq', 'bq2', 'none']);
    expect(Object.fromEntries(counts)).toEqual({ bq: { pending: 2, completed: 1 }, bq2: { pending: 1, completed: 0 } });
    expect((await store.itemCounts(ctx.newProject(), ['bq'])).size).toBe(0);
  });
});
