import { expect, it } from 'vitest';
import { describeEachEngine } from '../testing/each-engine.js';
import type { LlmConnectionRecord } from './llm-connection-store.js';

const connection = (over: Partial<LlmConnectionRecord> & Pick<LlmConnectionRecord, 'id' | 'projectId'>): LlmConnectionRecord => ({
  provider: 'openai', adapter: 'openai', secretKey: 'v1:cipher', displaySecretKey: '...abcd', baseURL: null, customModels: [],
  withDefaultModels: true, extraHeaders: null, extraHeaderKeys: [], config: null, createdAt: 1_000, updatedAt: 1_000, ...over,
});

describeEachEngine('llm connection store', (ctx) => {
  it('stores a connection and reads it back field for field', async () => {
    const p = ctx.newProject();
    const c = connection({
      id: 'c1', projectId: p, baseURL: 'https://llm.example/v1', customModels: ['m1', 'm2'], withDefaultModels: false,
      extraHeaders: 'v1:headers', extraHeaderKeys: ['x-team'], config: { useResponsesApi: false },
    });
    expect(await ctx.storage.llmConnections.upsert(c)).toEqual(c);
    expect(await ctx.storage.llmConnections.get(p, 'c1')).toEqual(c);
    expect(await ctx.storage.llmConnections.getByProvider(p, 'openai')).toEqual(c);
  });

  it('upserts on the provider name, keeping the id and creation time', async () => {
    const p = ctx.newProject();
    await ctx.storage.llmConnections.upsert(connection({ id: 'first', projectId: p }));
    const updated = await ctx.storage.llmConnections.upsert(connection({ id: 'second', projectId: p, adapter: 'anthropic', secretKey: 'v1:new', createdAt: 5_000, updatedAt: 5_000 }));
    expect(updated).toMatchObject({ id: 'first', adapter: 'anthropic', secretKey: 'v1:new', createdAt: 1_000, updatedAt: 5_000 });
    expect((await ctx.storage.llmConnections.list(p, { page: 1, limit: 10 })).totalItems).toBe(1);
  });

  it('keeps projects apart: the same provider in two projects, no cross-project read or delete', async () => {
    const p = ctx.newProject();
    const other = ctx.newProject();
    await ctx.storage.llmConnections.upsert(connection({ id: 'a', projectId: p }));
    await ctx.storage.llmConnections.upsert(connection({ id: 'b', projectId: other }));
    expect(await ctx.storage.llmConnections.get(other, 'a')).toBeNull();
    expect(await ctx.storage.llmConnections.delete(other, 'a')).toBe(false);
    expect(await ctx.storage.llmConnections.delete(p, 'a')).toBe(true);
    expect(await ctx.storage.llmConnections.get(p, 'a')).toBeNull();
    expect(await ctx.storage.llmConnections.get(other, 'b')).not.toBeNull();
  });

  it('lists oldest first with a total, and pages', async () => {
    const p = ctx.newProject();
    for (const [id, at] of [['x', 3], ['y', 1], ['z', 2]] as const) await ctx.storage.llmConnections.upsert(connection({ id, projectId: p, provider: id, createdAt: at }));
    const first = await ctx.storage.llmConnections.list(p, { page: 1, limit: 2 });
    expect(first.rows.map((c) => c.id)).toEqual(['y', 'z']);
    expect(first.totalItems).toBe(3);
    expect((await ctx.storage.llmConnections.list(p, { page: 2, limit: 2 })).rows.map((c) => c.id)).toEqual(['x']);
  });
});
