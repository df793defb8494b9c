import type { ScoreConfigRecord } from '@sightline/core';
import { expect, it } from 'vitest';
import { describeEachEngine } from '../testing/each-engine.js';

const config = (over: Partial<ScoreConfigRecord> & Pick<ScoreConfigRecord, 'id' | 'projectId'>): ScoreConfigRecord => ({
  name: 'quality', dataType: 'NUMERIC', isArchived: false, minValue: null, maxValue: null, categories: null,
  description: null, createdAt: 1_000, updatedAt: 1_000, ...over,
});

describeEachEngine('score config store', (ctx) => {
  it('stores every kind of config and reads it back field for field', async () => {
    const p = ctx.newProject();
    const numeric = config({ id: 'n', projectId: p, minValue: -1.5, maxValue: 10, description: 'how good' });
    const categorical = config({ id: 'c', projectId: p, dataType: 'CATEGORICAL', categories: [{ label: 'bad', value: 0 }, { label: 'good', value: 2.5 }] });
    const archived = config({ id: 'b', projectId: p, dataType: 'BOOLEAN', isArchived: true, categories: [{ label: 'True', value: 1 }, { label: 'False', value: 0 }] });
    for (const c of [numeric, categorical, archived]) await ctx.storage.scoreConfigs.create(c);
    expect(await ctx.storage.scoreConfigs.get(p, 'n')).toEqual(numeric);
    expect(await ctx.storage.scoreConfigs.get(p, 'c')).toEqual(categorical);
    expect(await ctx.storage.scoreConfigs.get(p, 'b')).toEqual(archived);
    expect(await ctx.storage.scoreConfigs.get(p, 'none')).toBeNull();
  });

  it('lists newest first with a total, and pages', async () => {
    const p = ctx.newProject();
    for (const [id, at] of [['a', 1], ['b', 3], ['c', 2]] as const) await ctx.storage.scoreConfigs.create(config({ id, projectId: p, createdAt: at }));
    const first = await ctx.storage.scoreConfigs.list(p, { page: 1, limit: 2 });
    expect(first.rows.map((c) => c.id)).toEqual(['b', 'c']);
    expect(first.totalItems).toBe(3);
    expect((await ctx.storage.scoreConfigs.list(p, { page: 2, limit: 2 })).rows.map((c) => c.id)).toEqual(['a']);
  });

  it('replaces a config in its project only', async () => {
    const p = ctx.newProject();
    const other = ctx.newProject();
    const c = config({ id: 'x', projectId: p });
    await ctx.storage.scoreConfigs.create(c);
    expect(await ctx.storage.scoreConfigs.replace({ ...c, projectId: other, name: 'stolen' })).toBe(false);
    expect(await ctx.storage.scoreConfigs.replace({ ...c, isArchived: true, maxValue: 5, updatedAt: 2_000 })).toBe(true);
    expect(await ctx.storage.scoreConfigs.get(p, 'x')).toMatchObject({ name: 'quality', isArchived: true, maxValue: 5, updatedAt: 2_000 });
  });

  it('reads many configs of one project by id; another project\'s are absent', async () => {
    const p = ctx.newProject();
    const other = ctx.newProject();
    await ctx.storage.scoreConfigs.create(config({ id: 'mine', projectId: p }));
    await ctx.storage.scoreConfigs.create(config({ id: 'theirs', projectId: other }));
    const found = await ctx.storage.scoreConfigs.getMany(p, ['mine', 'theirs', 'mine', 'missing']);
    expect([...found.keys()]).toEqual(['mine']);
    expect((await ctx.storage.scoreConfigs.getMany(p, [])).size).toBe(0);
  });
});
