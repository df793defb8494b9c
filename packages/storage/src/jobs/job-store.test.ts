import { expect, it } from 'vitest';
import { describeEachEngine } from '../testing/each-engine.js';
import type { NewJob } from './types.js';

const job = (over: Partial<NewJob> & Pick<NewJob, 'id' | 'projectId'>): NewJob => ({
  kind: 'demo', payload: { n: 1 }, runAt: 1_000, maxAttempts: 3, idempotencyKey: null, createdAt: 1_000, ...over,
});
const claim = (owner: string, now: number, limit = 10, kinds = ['demo']) => ({ owner, now, leaseMs: 1_000, limit, kinds });

describeEachEngine('job store', (ctx) => {
  it('enqueues once per idempotency key and project', async () => {
    const p = ctx.newProject();
    const other = ctx.newProject();
    const first = await ctx.storage.jobs.enqueue(job({ id: 'j1', projectId: p, idempotencyKey: 'k' }));
    expect(first).toMatchObject({ created: true, job: { id: 'j1', state: 'queued', attempts: 0, payload: { n: 1 } } });
    const again = await ctx.storage.jobs.enqueue(job({ id: 'j2', projectId: p, idempotencyKey: 'k' }));
    expect(again).toMatchObject({ created: false, job: { id: 'j1' } });
    expect((await ctx.storage.jobs.enqueue(job({ id: 'j3', projectId: other, idempotencyKey: 'k' }))).created).toBe(true);
    expect((await ctx.storage.jobs.enqueue(job({ id: 'j4', projectId: p }))).created).toBe(true);
    expect((await ctx.storage.jobs.enqueue(job({ id: 'j5', projectId: p }))).created).toBe(true);
  });

  it('claims only due jobs of known kinds, each once, and fences every outcome on the lease', async () => {
    const p = ctx.newProject();
    const kinds = ['fence'];
    await ctx.storage.jobs.enqueue(job({ id: 'due', projectId: p, kind: 'fence', runAt: 10_000 }));
    await ctx.storage.jobs.enqueue(job({ id: 'later', projectId: p, kind: 'fence', runAt: 20_000 }));
    await ctx.storage.jobs.enqueue(job({ id: 'other-kind', projectId: p, kind: 'unknown', runAt: 10_000 }));
    const [got, ...rest] = await ctx.storage.jobs.claim(claim('a', 10_000, 10, kinds));
    expect(rest).toEqual([]);
    expect(got).toMatchObject({ id: 'due', state: 'running', attempts: 1, leaseOwner: 'a', leaseExpiresAt: 11_000 });
    expect(await ctx.storage.jobs.claim(claim('b', 10_500, 10, kinds))).toEqual([]);
    expect(await ctx.storage.jobs.complete('due', 'b', { no: 1 }, 10_600)).toBe(false);
    expect(await ctx.storage.jobs.complete('due', 'a', { ok: true }, 10_700)).toBe(true);
    expect(await ctx.storage.jobs.get(p, 'due')).toMatchObject({ state: 'succeeded', result: { ok: true }, leaseOwner: null, finishedAt: 10_700 });
    expect(await ctx.storage.jobs.fail('due', 'a', 'late', 10_800)).toBe(false);
  });

  it('reclaims an expired lease, and the old holder can no longer write', async () => {
    const p = ctx.newProject();
    await ctx.storage.jobs.enqueue(job({ id: 'x', projectId: p, kind: 'reclaim' }));
    const kinds = ['reclaim'];
    expect(await ctx.storage.jobs.claim(claim('dead', 2_000, 10, kinds))).toHaveLength(1);
    expect(await ctx.storage.jobs.renew('dead', ['x'], 5_000, 2_500)).toBe(1);
    expect(await ctx.storage.jobs.claim(claim('alive', 4_000, 10, kinds))).toEqual([]);
    const [again] = await ctx.storage.jobs.claim(claim('alive', 5_001, 10, kinds));
    expect(again).toMatchObject({ id: 'x', attempts: 2, leaseOwner: 'alive' });
    expect(await ctx.storage.jobs.renew('dead', ['x'], 9_000, 5_002)).toBe(0);
    expect(await ctx.storage.jobs.complete('x', 'dead', null, 5_003)).toBe(false);
    expect(await ctx.storage.jobs.complete('x', 'alive', 'done', 5_004)).toBe(true);
  });

  it('retries at a later time with the reason, fails for good, and releases without counting', async () => {
    const p = ctx.newProject();
    const kinds = ['outcomes'];
    for (const id of ['r', 'f', 'l']) await ctx.storage.jobs.enqueue(job({ id, projectId: p, kind: 'outcomes' }));
    expect(await ctx.storage.jobs.claim(claim('o', 1_000, 10, kinds))).toHaveLength(3);
    expect(await ctx.storage.jobs.retry('r', 'o', 9_000, 'HTTP 429', 1_100)).toBe(true);
    expect(await ctx.storage.jobs.fail('f', 'o', 'HTTP 401: bad key', 1_100)).toBe(true);
    expect(await ctx.storage.jobs.release('l', 'o', 1_100)).toBe(true);
    expect(await ctx.storage.jobs.get(p, 'r')).toMatchObject({ state: 'queued', runAt: 9_000, lastError: 'HTTP 429', attempts: 1 });
    expect(await ctx.storage.jobs.get(p, 'f')).toMatchObject({ state: 'failed', lastError: 'HTTP 401: bad key', finishedAt: 1_100 });
    expect(await ctx.storage.jobs.get(p, 'l')).toMatchObject({ state: 'queued', attempts: 0 });
    expect((await ctx.storage.jobs.claim(claim('o', 2_000, 10, kinds))).map((j) => j.id)).toEqual(['l']);
    const failed = await ctx.storage.jobs.list(p, { state: 'failed' }, { page: 1, limit: 10 });
    expect(failed.rows.map((j) => j.id)).toEqual(['f']);
    expect(await ctx.storage.jobs.get(ctx.newProject(), 'f')).toBeNull();
  });

  it('never hands one job to two concurrent claimers', async () => {
    const p = ctx.newProject();
    const kinds = ['race'];
    for (let i = 0; i < 40; i++) await ctx.storage.jobs.enqueue(job({ id: `race-${i}`, projectId: p, kind: 'race' }));
    const claims = await Promise.all(Array.from({ length: 8 }, (_, i) => ctx.storage.jobs.claim(claim(`w${i}`, 3_000, 7, kinds))));
    const ids = claims.flat().map((j) => j.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(40);
  });
});
