import { expect, it } from 'vitest';
import type { StoredModel } from '../storage.js';
import { describeEachEngine } from '../testing/each-engine.js';

const model = (over: Partial<StoredModel> & Pick<StoredModel, 'id' | 'projectId'>): StoredModel => ({
  modelName: 'my-model',
  matchPattern: '(?i)^my-model$',
  startDate: null,
  unit: 'TOKENS',
  tokenizerId: null,
  tokenizerConfig: null,
  pricingTiers: [{ id: 'tier', name: 'Standard', isDefault: true, priority: 0, conditions: [], prices: { input: 0.000001, output: 0.000002 } }],
  createdAt: 1_000,
  updatedAt: 1_000,
  ...over,
});

describeEachEngine('model store', (ctx) => {
  it('stores a model and reads it back field for field', async () => {
    const p = ctx.newProject();
    const full = model({
      id: 'm1', projectId: p, startDate: Date.UTC(2024, 0, 1), tokenizerId: 'openai',
      tokenizerConfig: { tokenizerModel: 'gpt-4o', tokensPerMessage: 3 }, unit: null,
    });
    await ctx.storage.models.create(full);
    expect(await ctx.storage.models.get(p, 'm1')).toEqual(full);
    expect(await ctx.storage.models.get(p, 'nope')).toBeNull();
  });

  it('lists newest first, ties by id', async () => {
    const p = ctx.newProject();
    for (const [id, createdAt] of [['b', 1], ['c', 3], ['a', 1]] as const) await ctx.storage.models.create(model({ id, projectId: p, createdAt }));
    expect((await ctx.storage.models.list(p)).map((x) => x.id)).toEqual(['c', 'a', 'b']);
  });

  it('deletes a model once', async () => {
    const p = ctx.newProject();
    await ctx.storage.models.create(model({ id: 'gone', projectId: p }));
    expect(await ctx.storage.models.delete(p, 'gone')).toBe(true);
    expect(await ctx.storage.models.get(p, 'gone')).toBeNull();
    expect(await ctx.storage.models.delete(p, 'gone')).toBe(false);
    expect(await ctx.storage.models.list(p)).toEqual([]);
  });

  it('another project neither sees nor deletes its models', async () => {
    const p = ctx.newProject();
    const other = ctx.newProject();
    await ctx.storage.models.create(model({ id: 'mine', projectId: p }));
    expect(await ctx.storage.models.list(other)).toEqual([]);
    expect(await ctx.storage.models.get(other, 'mine')).toBeNull();
    expect(await ctx.storage.models.delete(other, 'mine')).toBe(false);
    expect((await ctx.storage.models.list(p)).map((x) => x.id)).toEqual(['mine']);
  });
});
