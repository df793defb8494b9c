import { AppError } from '@sightline/core';
import type { Storage } from '@sightline/storage';
import type { Hono } from 'hono';
import { servedInline } from '../media/content-types.js';
import { DEFAULT_DOWNLOAD_TTL, type MediaDeps } from '../media/media-deps.js';
import { signedUrl } from '../media/signed-urls.js';
import type { MediaUrlResponse } from './api-types.js';
import type { UiEnv } from './ui-env.js';

/**
 * Resolves a media reference for the signed-in user (any role of the project): a URL on
 * Sightline's own origin even when blobs are in S3, so the page's CSP (`img-src 'self'`)
 * holds and nothing depends on the bucket being reachable from the browser.
 */
export function registerMediaRoute(ui: Hono<UiEnv>, storage: Storage, media: MediaDeps | undefined): void {
  ui.get('/projects/:projectId/media/:mediaId', async (c) => {
    const { projectId } = c.get('member');
    const id = c.req.param('mediaId');
    const record = media ? await storage.media.get(projectId, id) : null;
    if (!media || !record || record.uploadedAt === null) throw new AppError(404, 'not_found', `Media ${id} not found`);
    const expires = Math.floor(Date.now() / 1000) + (media.downloadTtl ?? DEFAULT_DOWNLOAD_TTL);
    return c.json({
      mediaId: record.id,
      contentType: record.contentType,
      contentLength: record.contentLength,
      url: signedUrl('', media, { op: 'get', projectId, mediaId: record.id, expires }),
      urlExpiry: new Date(expires * 1000).toISOString(),
      inline: servedInline(record.contentType),
    } satisfies MediaUrlResponse);
  });
}
