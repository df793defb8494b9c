import type { WithClient } from '../http/client-address.js';
import { DEFAULT_DOWNLOAD_TTL, type MediaDeps } from './media-deps.js';
import type { MediaGrant } from './url-signer.js';

/** Where the signed file routes live: outside /api/public, as they take no API key. */
export const FILES_BASE = '/api/media-files';

/** The origin clients reach Sightline at: the configured public URL, else what the request addressed. */
export function publicBase(c: WithClient, media: Pick<MediaDeps, 'publicUrl'>): string {
  if (media.publicUrl) return media.publicUrl.replace(/\/+$/, '');
  const client = c.get('client');
  return `${client.https ? 'https' : 'http'}://${client.host}`;
}

/** A URL that grants one operation on one project's media until it expires. */
export function signedUrl(base: string, media: Pick<MediaDeps, 'signer'>, grant: MediaGrant): string {
  const q = new URLSearchParams({ op: grant.op, expires: String(grant.expires), signature: media.signer.sign(grant) });
  return `${base}${FILES_BASE}/${encodeURIComponent(grant.projectId)}/${encodeURIComponent(grant.mediaId)}?${q.toString()}`;
}

/** A download URL for a stored record and its expiry (ISO), signed by Sightline or presigned by the blob store. */
export async function downloadUrl(
  c: WithClient,
  media: MediaDeps,
  record: { projectId: string; id: string; blobKey: string; contentType: string },
  attachment: boolean,
  now = Date.now(),
): Promise<{ url: string; urlExpiry: string }> {
  const ttl = media.downloadTtl ?? DEFAULT_DOWNLOAD_TTL;
  const expires = Math.floor(now / 1000) + ttl;
  const urlExpiry = new Date(expires * 1000).toISOString();
  if (media.presignedDownloads && media.blobs.presignGet) {
    return { url: await media.blobs.presignGet(record.blobKey, { expiresIn: ttl, contentType: record.contentType, attachment }), urlExpiry };
  }
  return { url: signedUrl(publicBase(c, media), media, { op: 'get', projectId: record.projectId, mediaId: record.id, expires }), urlExpiry };
}
