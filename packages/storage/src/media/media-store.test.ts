import { expect, it } from 'vitest';
import type { NewMedia } from '../storage.js';
import { describeEachEngine } from '../testing/each-engine.js';

const media = (projectId: string, over: Partial<NewMedia> = {}): NewMedia => ({
  projectId, id: 'AAAAAAAAAAAAAAAAAAAAAA', sha256: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=', contentType: 'image/png',
  contentLength: 10, blobKey: `media/${projectId}/k1`, createdAt: 1_000, ...over,
});
const onTrace = (traceId: string, field = 'input', observationId: string | null = null) => ({ kind: 'trace' as const, traceId, observationId, field });

describeEachEngine('media store', (ctx) => {
  it('registers bytes once per project, links each reference, and reads the record back', async () => {
    const p = ctx.newProject();
    const first = await ctx.storage.media.register(media(p), onTrace('t1'));
    expect(first).toEqual({ conflict: false, record: expect.objectContaining({ id: 'AAAAAAAAAAAAAAAAAAAAAA', blobKey: `media/${p}/k1`, uploadedAt: null }) });
    // The same bytes again (another field, another blob key offered): the first record stands.
    const again = await ctx.storage.media.register(media(p, { blobKey: `media/${p}/k2` }), onTrace('t1', 'output', 'o1'));
    expect(again.record.blobKey).toBe(`media/${p}/k1`);
    expect(await ctx.storage.media.ofTrace(p, 't1')).toHaveLength(1);
    // Another project with the same bytes has its own record.
    const q = ctx.newProject();
    expect(await ctx.storage.media.get(q, 'AAAAAAAAAAAAAAAAAAAAAA')).toBeNull();
    await ctx.storage.media.register(media(q, { blobKey: `media/${q}/k1` }), onTrace('t1'));
    expect((await ctx.storage.media.get(q, 'AAAAAAAAAAAAAAAAAAAAAA'))?.blobKey).toBe(`media/${q}/k1`);
  });

  it('reports a different hash under the same id as a conflict', async () => {
    const p = ctx.newProject();
    await ctx.storage.media.register(media(p), onTrace('t1'));
    const clash = await ctx.storage.media.register(media(p, { sha256: 'BBBB' }), onTrace('t2'));
    expect(clash.conflict).toBe(true);
    expect(await ctx.storage.media.ofTrace(p, 't2')).toEqual([]);
  });

  it('takes a corrected type and length until uploaded, then keeps them', async () => {
    const p = ctx.newProject();
    await ctx.storage.media.register(media(p), onTrace('t1'));
    expect((await ctx.storage.media.register(media(p, { contentType: 'image/jpeg', contentLength: 11 }), onTrace('t1'))).record).toMatchObject({ contentType: 'image/jpeg', contentLength: 11 });
    expect(await ctx.storage.media.markUploaded(p, 'AAAAAAAAAAAAAAAAAAAAAA', `media/${p}/other`, 5_000)).toBe(false);
    expect(await ctx.storage.media.markUploaded(p, 'AAAAAAAAAAAAAAAAAAAAAA', `media/${p}/k1`, 5_000)).toBe(true);
    expect((await ctx.storage.media.register(media(p, { contentType: 'image/gif' }), onTrace('t1'))).record).toMatchObject({ contentType: 'image/jpeg', uploadedAt: 5_000 });
    expect(await ctx.storage.media.recordUpload(p, 'AAAAAAAAAAAAAAAAAAAAAA', { uploadHttpStatus: 200, uploadHttpError: null, uploadTimeMs: 12 })).toBe(true);
    expect(await ctx.storage.media.get(p, 'AAAAAAAAAAAAAAAAAAAAAA')).toMatchObject({ uploadHttpStatus: 200, uploadTimeMs: 12 });
    expect(await ctx.storage.media.recordUpload(p, 'nope', { uploadHttpStatus: 200, uploadHttpError: null, uploadTimeMs: null })).toBe(false);
  });

  it('deleting traces deletes the media only they referenced, in their project only', async () => {
    const p = ctx.newProject();
    const q = ctx.newProject();
    const shared = media(p, { id: 'SHARED', sha256: 'S' });
    const own = media(p, { id: 'OWN', sha256: 'O' });
    await ctx.storage.media.register(shared, onTrace('t1'));
    await ctx.storage.media.register(shared, onTrace('t2', 'output', 'o2'));
    await ctx.storage.media.register(own, onTrace('t1', 'metadata', 'o1'));
    await ctx.storage.media.register(media(q, { id: 'OWN', sha256: 'O' }), onTrace('t1'));
    const gone = await ctx.storage.media.deleteOfTraces(p, ['t1']);
    expect(gone.map((m) => m.id)).toEqual(['OWN']);
    expect(await ctx.storage.media.get(p, 'OWN')).toBeNull();
    expect(await ctx.storage.media.get(p, 'SHARED')).not.toBeNull();
    expect(await ctx.storage.media.get(q, 'OWN')).not.toBeNull();
    expect((await ctx.storage.media.deleteOfTraces(p, ['t2', 't2'])).map((m) => m.id)).toEqual(['SHARED']);
    expect(await ctx.storage.media.deleteOfTraces(p, ['t2'])).toEqual([]);
  });
});
