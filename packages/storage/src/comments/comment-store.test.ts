import { expect, it } from 'vitest';
import { rawEvent } from '../testing/index.js';
import { describeEachEngine } from '../testing/each-engine.js';
import type { CommentRecord } from './comment-store.js';

const comment = (over: Partial<CommentRecord> & Pick<CommentRecord, 'id' | 'projectId'>): CommentRecord => ({
  objectType: 'TRACE', objectId: 't1', content: '**looks** fine', authorUserId: null, createdAt: 1_000, updatedAt: 1_000, ...over,
});

describeEachEngine('comment store', (ctx) => {
  it('stores a comment and lists by object, author and page, newest first', async () => {
    const p = ctx.newProject();
    const c1 = comment({ id: 'c1', projectId: p, authorUserId: 'u1' });
    await ctx.storage.comments.create(c1);
    await ctx.storage.comments.create(comment({ id: 'c2', projectId: p, createdAt: 2_000 }));
    await ctx.storage.comments.create(comment({ id: 'c3', projectId: p, objectType: 'SESSION', objectId: 's1', createdAt: 3_000 }));
    await ctx.storage.comments.create(comment({ id: 'other', projectId: ctx.newProject() }));
    expect(await ctx.storage.comments.get(p, 'c1')).toEqual(c1);
    expect(await ctx.storage.comments.get(p, 'other')).toBeNull();
    const ids = async (q: Parameters<typeof ctx.storage.comments.list>[1]) => (await ctx.storage.comments.list(p, q)).rows.map((c) => c.id);
    expect(await ids({ page: 1, limit: 10 })).toEqual(['c3', 'c2', 'c1']);
    expect(await ids({ page: 1, limit: 10, objectType: 'TRACE', objectId: 't1' })).toEqual(['c2', 'c1']);
    expect(await ids({ page: 1, limit: 10, authorUserId: 'u1' })).toEqual(['c1']);
    const paged = await ctx.storage.comments.list(p, { page: 2, limit: 2 });
    expect(paged).toMatchObject({ totalItems: 3, rows: [{ id: 'c1' }] });
  });

  it('counts comments per object of one type and project', async () => {
    const p = ctx.newProject();
    for (const [id, objectId] of [['a', 't1'], ['b', 't1'], ['c', 't2']]) await ctx.storage.comments.create(comment({ id, projectId: p, objectId }));
    await ctx.storage.comments.create(comment({ id: 'd', projectId: p, objectType: 'OBSERVATION', objectId: 't1' }));
    await ctx.storage.comments.create(comment({ id: 'e', projectId: ctx.newProject(), objectId: 't1' }));
    const counts = await ctx.storage.comments.countsByObject(p, 'TRACE', ['t1', 't2', 't3']);
    expect(Object.fromEntries(counts)).toEqual({ t1: 2, t2: 1 });
  });

  it('knows which objects exist in the project', async () => {
    const p = ctx.newProject();
    await ctx.ingest(p, rawEvent('trace-create', { id: 'tr', sessionId: 'sess' }, 0), rawEvent('span-create', { id: 'sp', traceId: 'tr' }, 0));
    await ctx.storage.prompts.create({ id: 'prompt-id', projectId: p, name: 'x', type: 'text', prompt: 'hi', config: {}, labels: [], tags: null, commitMessage: null, createdBy: 'API', createdAt: 1 });
    const exists = (type: CommentRecord['objectType'], id: string, project = p) => ctx.storage.comments.objectExists(project, type, id);
    expect(await Promise.all([exists('TRACE', 'tr'), exists('OBSERVATION', 'sp'), exists('SESSION', 'sess'), exists('PROMPT', 'prompt-id')])).toEqual([true, true, true, true]);
    expect(await Promise.all([exists('TRACE', 'sp'), exists('PROMPT', 'x'), exists('TRACE', 'tr', ctx.newProject())])).toEqual([false, false, false]);
  });
});
