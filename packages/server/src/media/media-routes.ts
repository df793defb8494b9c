import { randomUUID } from 'node:crypto';
import { AppError, notFound } from '@sightline/core';
import type { MediaOwner } from '@sightline/storage';
import type { Hono } from 'hono';
import { requireFullAccess } from '../auth/authenticate.js';
import type { AppDeps, AppEnv } from '../http/app-env.js';
import { readJson } from '../http/read-json.js';
import { parseWith } from '../query/parse-params.js';
import { mediaIdOf, servedInline } from './content-types.js';
import { DEFAULT_UPLOAD_TTL, type MediaDeps } from './media-deps.js';
import { patchMediaBody, uploadUrlBody } from './media-schema.js';
import { downloadUrl, publicBase, signedUrl } from './signed-urls.js';

const MAX_UPLOAD_ERROR_LENGTH = 2000;

/**
 * The media API as the Langfuse SDKs call it: ask for an upload URL (`POST /media`), upload to
 * it without keys, report the outcome (`PATCH /media/{id}`), and read a record with a download
 * URL (`GET /media/{id}`, what `resolveMediaReferences` uses).
 */
export function registerMediaRoutes(app: Hono<AppEnv>, deps: AppDeps, media: MediaDeps): void {
  const store = deps.storage.media;
  const body = uploadUrlBody(media.maxBytes);

  app.post('/api/public/media', async (c) => {
    const b = parseWith(body, await readJson(c));
    const auth = c.get('auth');
    requireFullAccess(auth);
    const id = mediaIdOf(b.sha256Hash);
    const owner: MediaOwner =
      b.traceId != null
        ? { kind: 'trace', traceId: b.traceId, observationId: b.observationId ?? null, field: b.field }
        : { kind: 'dataset_item', datasetId: b.datasetId!, datasetItemId: b.datasetItemId!, field: b.field };
    const now = Date.now();
    const { record, conflict } = await store.register(
      { projectId: auth.projectId, id, sha256: b.sha256Hash, contentType: b.contentType, contentLength: b.contentLength, blobKey: `media/${auth.projectId}/${id}-${randomUUID()}`, createdAt: now },
      owner,
    );
    if (conflict) throw new AppError(409, 'conflict', `sha256Hash: media ${id} of this project has a different hash; refusing to mix two files under one id`);
    if (record.uploadedAt !== null) return c.json({ mediaId: id, uploadUrl: null });
    const expires = Math.floor(now / 1000) + (media.uploadTtl ?? DEFAULT_UPLOAD_TTL);
    return c.json({ mediaId: id, uploadUrl: signedUrl(publicBase(c, media), media, { op: 'put', projectId: auth.projectId, mediaId: id, expires }) });
  });

  app.get('/api/public/media/:mediaId', async (c) => {
    const auth = c.get('auth');
    requireFullAccess(auth);
    const id = c.req.param('mediaId');
    const record = await store.get(auth.projectId, id);
    if (!record) throw notFound(`Media ${id} not found within authorized project`);
    if (record.uploadedAt === null) throw notFound(`Media ${id} is not uploaded yet`);
    const { url, urlExpiry } = await downloadUrl(c, media, record, !servedInline(record.contentType));
    return c.json({
      mediaId: record.id,
      contentType: record.contentType,
      contentLength: record.contentLength,
      uploadedAt: new Date(record.uploadedAt).toISOString(),
      url,
      urlExpiry,
    });
  });

  app.patch('/api/public/media/:mediaId', async (c) => {
    const b = parseWith(patchMediaBody, await readJson(c));
    const auth = c.get('auth');
    requireFullAccess(auth);
    const id = c.req.param('mediaId');
    const report = { uploadHttpStatus: b.uploadHttpStatus, uploadHttpError: b.uploadHttpError?.slice(0, MAX_UPLOAD_ERROR_LENGTH) || null, uploadTimeMs: b.uploadTimeMs ?? null };
    if (!(await store.recordUpload(auth.projectId, id, report))) throw notFound(`Media ${id} not found within authorized project`);
    return c.body(null, 204);
  });
}
