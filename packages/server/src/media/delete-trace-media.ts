import type { AppDeps } from '../http/app-env.js';
import { deleteBlobQuietly } from './media-file-routes.js';

/**
 * Deletes what deleted traces referenced: their media links, the media records no other trace
 * of the project references, and those records' blobs. Runs after the traces are gone.
 */
export async function deleteTraceMedia(deps: Pick<AppDeps, 'storage' | 'media' | 'logger'>, projectId: string, traceIds: string[]): Promise<void> {
  const orphaned = await deps.storage.media.deleteOfTraces(projectId, traceIds);
  const media = deps.media;
  if (media) await Promise.all(orphaned.map((m) => deleteBlobQuietly(media, m.blobKey, deps.logger)));
}
