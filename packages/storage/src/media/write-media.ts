import type { Db } from '../db.js';
import { chunks, placeholders } from '../queries/where.js';
import { getMedia, toMediaRecord } from './get-media.js';
import type { MediaOwner, MediaRecord, MediaRegistration, MediaUploadReport, NewMedia } from './types.js';

function linkRow(m: NewMedia, owner: MediaOwner): unknown[] {
  return owner.kind === 'trace'
    ? [m.projectId, 'trace', owner.traceId, owner.observationId ?? '', owner.field, m.id, null, m.createdAt]
    : [m.projectId, 'dataset_item', owner.datasetItemId, '', owner.field, m.id, owner.datasetId, m.createdAt];
}

/**
 * Records that `owner` references the bytes `m` describes: creates the media row the first
 * time, and while nothing is uploaded yet takes the newest declared type and length (a retry
 * may correct them). Concurrent registrations of the same bytes meet on the primary key.
 */
export async function registerMedia(tx: Db, m: NewMedia, owner: MediaOwner): Promise<MediaRegistration> {
  await tx.run(
    `INSERT INTO media (project_id, id, sha256, content_type, content_length, blob_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (project_id, id) DO NOTHING`,
    [m.projectId, m.id, m.sha256, m.contentType, m.contentLength, m.blobKey, m.createdAt],
  );
  let record = (await getMedia(tx, m.projectId, m.id))!;
  if (record.sha256 !== m.sha256) return { record, conflict: true };
  if (record.uploadedAt === null && (record.contentType !== m.contentType || record.contentLength !== m.contentLength)) {
    await tx.run('UPDATE media SET content_type = ?, content_length = ? WHERE project_id = ? AND id = ? AND uploaded_at IS NULL', [
      m.contentType, m.contentLength, m.projectId, m.id,
    ]);
    record = (await getMedia(tx, m.projectId, m.id))!;
  }
  await tx.run(
    `INSERT INTO media_links (project_id, owner_kind, owner_id, observation_id, field, media_id, dataset_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (project_id, owner_kind, owner_id, observation_id, field, media_id) DO NOTHING`,
    linkRow(m, owner),
  );
  return { record, conflict: false };
}

/** Marks verified bytes as stored under the record's blob key; false when the record is gone. */
export async function markMediaUploaded(db: Db, projectId: string, id: string, blobKey: string, at: number): Promise<boolean> {
  const { changes } = await db.run('UPDATE media SET uploaded_at = ? WHERE project_id = ? AND id = ? AND blob_key = ?', [at, projectId, id, blobKey]);
  return changes > 0;
}

export async function recordMediaUpload(db: Db, projectId: string, id: string, report: MediaUploadReport): Promise<boolean> {
  const { changes } = await db.run('UPDATE media SET upload_http_status = ?, upload_http_error = ?, upload_time_ms = ? WHERE project_id = ? AND id = ?', [
    report.uploadHttpStatus, report.uploadHttpError, report.uploadTimeMs, projectId, id,
  ]);
  return changes > 0;
}

/**
 * Removes the traces' references to media, then the media no longer referenced by anything
 * in the project; returns those records so the caller can delete their blobs.
 */
export async function deleteMediaOfTraces(tx: Db, maxParams: number, projectId: string, traceIds: string[]): Promise<MediaRecord[]> {
  const orphaned: MediaRecord[] = [];
  for (const part of chunks([...new Set(traceIds)], maxParams - 2)) {
    const links = await tx.all<{ media_id: string }>(
      `DELETE FROM media_links WHERE project_id = ? AND owner_kind = 'trace' AND owner_id IN (${placeholders(part.length)}) RETURNING media_id`,
      [projectId, ...part],
    );
    for (const ids of chunks([...new Set(links.map((l) => l.media_id))], maxParams - 1)) {
      const rows = await tx.all(
        `DELETE FROM media WHERE project_id = ? AND id IN (${placeholders(ids.length)})
          AND NOT EXISTS (SELECT 1 FROM media_links l WHERE l.project_id = media.project_id AND l.media_id = media.id) RETURNING *`,
        [projectId, ...ids],
      );
      orphaned.push(...rows.map(toMediaRecord));
    }
  }
  return orphaned;
}
