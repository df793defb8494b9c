import { expect, it } from 'vitest';
import type { ApiKey } from '../storage.js';
import { describeEachEngine } from '../testing/each-engine.js';

const key = (over: Partial<ApiKey> & Pick<ApiKey, 'id' | 'projectId' | 'publicKey'>): ApiKey => ({
  secretHash: 'a'.repeat(64),
  displaySecret: 'sk-lf-…a1b2',
  note: null,
  createdAt: 1_000,
  revokedAt: null,
  ...over,
});

describeEachEngine('project store', (ctx) => {
  it('creates projects, lists them oldest first (ties by id) and gets one', async () => {
    await ctx.storage.projects.create({ id: 'proj-b', name: 'B', createdAt: 2 });
    await ctx.storage.projects.create({ id: 'proj-c', name: 'C', createdAt: 1 });
    await ctx.storage.projects.create({ id: 'proj-a', name: 'A', createdAt: 2 });
    expect((await ctx.storage.projects.list()).map((p) => p.id)).toEqual(['proj-c', 'proj-a', 'proj-b']);
    expect(await ctx.storage.projects.get('proj-a')).toEqual({ id: 'proj-a', name: 'A', createdAt: 2 });
    expect(await ctx.storage.projects.get('nope')).toBeNull();
  });

  it("lists a project's keys oldest first, revoked ones included, and never another project's", async () => {
    await ctx.storage.projects.create({ id: 'keys-1', name: 'one', createdAt: 10 });
    await ctx.storage.projects.create({ id: 'keys-2', name: 'two', createdAt: 10 });
    const k1 = key({ id: 'k1', projectId: 'keys-1', publicKey: 'pk-lf-1', createdAt: 1, note: 'ci' });
    const k2 = key({ id: 'k2', projectId: 'keys-2', publicKey: 'pk-lf-2', createdAt: 2 });
    const k3 = key({ id: 'k3', projectId: 'keys-1', publicKey: 'pk-lf-3', createdAt: 3, revokedAt: 4 });
    for (const k of [k3, k2, k1]) await ctx.storage.projects.createKey(k);
    expect(await ctx.storage.projects.listKeys('keys-1')).toEqual([k1, k3]);
    expect(await ctx.storage.projects.listKeys('keys-2')).toEqual([k2]);
    expect(await ctx.storage.projects.listKeys('no-such-project')).toEqual([]);
    expect((await ctx.storage.projects.listKeys()).map((k) => k.id)).toEqual(['k1', 'k2', 'k3']);
    expect(await ctx.storage.projects.findKey('pk-lf-2')).toEqual(k2);
    expect(await ctx.storage.projects.findKey('pk-lf-nope')).toBeNull();
  });

  it('revokes a key once, by id or by public key', async () => {
    await ctx.storage.projects.createKey(key({ id: 'r1', projectId: 'keys-r', publicKey: 'pk-lf-r1' }));
    await ctx.storage.projects.createKey(key({ id: 'r2', projectId: 'keys-r', publicKey: 'pk-lf-r2' }));
    expect(await ctx.storage.projects.revokeKey('r1', 100)).toBe(true);
    expect(await ctx.storage.projects.revokeKey('pk-lf-r1', 200)).toBe(false);
    expect((await ctx.storage.projects.findKey('pk-lf-r1'))?.revokedAt).toBe(100);
    expect(await ctx.storage.projects.revokeKey('pk-lf-r2', 300)).toBe(true);
    expect((await ctx.storage.projects.listKeys('keys-r')).map((k) => k.revokedAt)).toEqual([100, 300]);
    expect(await ctx.storage.projects.revokeKey('nope', 400)).toBe(false);
  });
});
