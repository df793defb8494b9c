import { Readable } from 'node:stream';
import { AppError, badRequest, notFound } from '@sightline/core';
import type { Context, Hono } from 'hono';
import { cors } from 'hono/cors';
import { BlobMismatchError } from '../blobs/blob-store.js';
import type { AppDeps, AppEnv } from '../http/app-env.js';
import type { Logger } from '../logger.js';
import { servedInline } from './content-types.js';
import type { MediaDeps } from './media-deps.js';
import { FILES_BASE } from './signed-urls.js';
import type { MediaGrant } from './url-signer.js';

/** The grant a request's URL claims; a 403 unless its signature holds and has not expired. */
function checkGrant(c: Context, media: MediaDeps, op: MediaGrant['op']): MediaGrant {
  const grant: MediaGrant = { op, projectId: c.req.param('projectId') ?? '', mediaId: c.req.param('mediaId') ?? '', expires: Number(c.req.query('expires')) };
  if (c.req.query('op') !== op) throw new AppError(403, 'invalid_signature', `This URL does not grant ${op === 'put' ? 'uploads' : 'downloads'}`);
  const check = media.signer.verify(grant, c.req.query('signature') ?? '');
  if (!check.ok) {
    throw new AppError(403, check.reason === 'expired' ? 'url_expired' : 'invalid_signature', check.reason === 'expired' ? 'This media URL has expired; ask for a new one' : 'The media URL signature is not valid');
  }
  return grant;
}

/** The request body as chunks, or nothing. */
async function* bodyChunks(stream: ReadableStream<Uint8Array> | null): AsyncIterable<Uint8Array> {
  if (!stream) return;
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** Best-effort: a blob whose record is gone is garbage; failing to remove it only wastes space. */
export async function deleteBlobQuietly(media: MediaDeps, key: string, logger: Logger): Promise<void> {
  await media.blobs.delete(key).catch((err: unknown) => logger.warn('could not delete media blob', { key, error: String(err) }));
}

/**
 * The signed upload and download URLs (no API key: the signature is the permission, bound to
 * operation, project, media id and expiry). An upload is checked against the declared hash
 * and size before it becomes visible; downloads of anything that could run in a browser are
 * attachments, and every download carries `nosniff` and a sandboxing CSP.
 */
export function registerMediaFileRoutes(app: Hono<AppEnv>, deps: AppDeps, media: MediaDeps): void {
  const store = deps.storage.media;
  const path = `${FILES_BASE}/:projectId/:mediaId`;
  // Any origin may use a URL it was given (the signature is the credential; no cookies).
  app.use(`${FILES_BASE}/*`, cors({ origin: '*', allowMethods: ['GET', 'PUT'], allowHeaders: ['content-type', 'x-amz-checksum-sha256', 'x-ms-blob-type'], maxAge: 600 }));

  app.put(path, async (c) => {
    const { projectId, mediaId } = checkGrant(c, media, 'put');
    const record = await store.get(projectId, mediaId);
    if (!record) throw notFound(`Media ${mediaId} not found`);
    if (record.uploadedAt !== null) return c.body(null, 200);
    const declaredHash = c.req.header('x-amz-checksum-sha256');
    if (declaredHash !== undefined && declaredHash !== record.sha256) throw badRequest('x-amz-checksum-sha256: does not match the sha256Hash the upload URL was issued for');
    const length = c.req.header('content-length');
    if (length !== undefined && Number(length) !== record.contentLength) throw badRequest(`Content-Length: must be ${record.contentLength}, the contentLength the upload URL was issued for`);
    try {
      await media.blobs.put(record.blobKey, bodyChunks(c.req.raw.body), { sha256: record.sha256, size: record.contentLength });
    } catch (err) {
      if (err instanceof BlobMismatchError) {
        throw badRequest(err.field === 'sha256' ? 'body: its SHA-256 does not match the sha256Hash the upload URL was issued for' : `body: ${err.message}`);
      }
      throw err;
    }
    if (!(await store.markUploaded(projectId, mediaId, record.blobKey, Date.now()))) {
      // The record was deleted (its trace too) while the bytes arrived.
      await deleteBlobQuietly(media, record.blobKey, deps.logger);
      throw notFound(`Media ${mediaId} was deleted during the upload`);
    }
    return c.body(null, 200);
  });

  app.get(path, async (c) => {
    const { projectId, mediaId } = checkGrant(c, media, 'get');
    const record = await store.get(projectId, mediaId);
    // HEAD (answered by this GET route) must not open a stream nobody reads.
    const head = c.req.method === 'HEAD';
    const stored = record?.uploadedAt != null;
    const blob = stored && !head ? await media.blobs.get(record.blobKey) : null;
    const info = blob ?? (stored && head ? await media.blobs.head(record.blobKey) : null);
    if (!record || !info) throw notFound(`Media ${mediaId} not found`);
    const inline = servedInline(record.contentType);
    c.header('Content-Type', record.contentType);
    c.header('Content-Length', String(info.size));
    c.header('Content-Disposition', inline ? 'inline' : `attachment; filename="${mediaId}"`);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Content-Security-Policy', "sandbox; default-src 'none'");
    c.header('Cache-Control', 'private, max-age=3600, immutable');
    if (!blob) return c.body(null, 200);
    return c.body(Readable.toWeb(blob.body) as ReadableStream<Uint8Array>);
  });
}
