import { expect, it } from 'vitest';
import { describeEachEngine } from '../testing/each-engine.js';
import type { DashboardRecord } from './dashboard-store.js';

const dashboard = (over: Partial<DashboardRecord> & Pick<DashboardRecord, 'id' | 'projectId'>): DashboardRecord => ({
  name: 'Costs', description: null, definition: { charts: [{ id: 'c1', title: 'Spend' }] }, createdBy: 'u1', createdAt: 1_000, updatedAt: 1_000, ...over,
});

describeEachEngine('dashboard store', (ctx) => {
  it('creates, lists (recently updated first), updates and deletes within one project', async () => {
    const p = ctx.newProject();
    const other = ctx.newProject();
    const d1 = dashboard({ id: 'd1', projectId: p });
    await ctx.storage.dashboards.create(d1);
    await ctx.storage.dashboards.create(dashboard({ id: 'd2', projectId: p, name: 'Latency', updatedAt: 2_000 }));
    await ctx.storage.dashboards.create(dashboard({ id: 'd1', projectId: other, name: 'Theirs' }));
    expect(await ctx.storage.dashboards.get(p, 'd1')).toEqual(d1);
    expect((await ctx.storage.dashboards.list(p)).map((d) => d.id)).toEqual(['d2', 'd1']);

    const changes = { name: 'Spend', description: 'per model', definition: { charts: [] }, updatedAt: 3_000 };
    expect(await ctx.storage.dashboards.update(p, 'd1', changes)).toEqual({ ...d1, ...changes });
    expect((await ctx.storage.dashboards.list(p)).map((d) => d.id)).toEqual(['d1', 'd2']);
    expect(await ctx.storage.dashboards.update(p, 'missing', changes)).toBeNull();
    expect((await ctx.storage.dashboards.get(other, 'd1'))?.name).toBe('Theirs');

    expect(await ctx.storage.dashboards.delete(p, 'd1')).toBe(true);
    expect(await ctx.storage.dashboards.delete(p, 'd1')).toBe(false);
    expect(await ctx.storage.dashboards.get(p, 'd1')).toBeNull();
    expect(await ctx.storage.dashboards.get(other, 'd1')).not.toBeNull();
  });
});
