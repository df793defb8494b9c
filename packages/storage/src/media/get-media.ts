import type { Db, Row } from '../db.js';
import type { MediaRecord } from './types.js';

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export function toMediaRecord(r: Row): MediaRecord {
  return {
    projectId: String(r.project_id),
    id: String(r.id),
    sha256: String(r.sha256),
    contentType: String(r.content_type),
    contentLength: Number(r.content_length),
    blobKey: String(r.blob_key),
    uploadedAt: num(r.uploaded_at),
    uploadHttpStatus: num(r.upload_http_status),
    uploadHttpError: r.upload_http_error === null || r.upload_http_error === undefined ? null : String(r.upload_http_error),
    uploadTimeMs: num(r.upload_time_ms),
    createdAt: Number(r.created_at),
  };
}

export async function getMedia(db: Db, projectId: string, id: string): Promise<MediaRecord | null> {
  const row = await db.get('SELECT * FROM media WHERE project_id = ? AND id = ?', [projectId, id]);
  return row ? toMediaRecord(row) : null;
}

/** The media a trace references (its own fields and its observations'), for the trace view. */
export async function mediaOfTrace(db: Db, projectId: string, traceId: string): Promise<MediaRecord[]> {
  const rows = await db.all(
    `SELECT DISTINCT m.* FROM media m JOIN media_links l ON l.project_id = m.project_id AND l.media_id = m.id
      WHERE l.project_id = ? AND l.owner_kind = 'trace' AND l.owner_id = ? ORDER BY m.id`,
    [projectId, traceId],
  );
  return rows.map(toMediaRecord);
}
