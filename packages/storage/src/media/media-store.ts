import type { SqlDialect, WritableDb } from '../db.js';
import { getMedia, mediaOfTrace } from './get-media.js';
import type { MediaOwner, MediaRecord, MediaRegistration, MediaUploadReport, NewMedia } from './types.js';
import { deleteMediaOfTraces, markMediaUploaded, recordMediaUpload, registerMedia } from './write-media.js';

/**
 * Media records (files referenced from traces by `@@@langfuseMedia:…@@@` strings) and what
 * references them. The bytes live in the server's blob store; a record knows its blob key.
 */
export interface MediaStore {
  /** Creates or reuses the record of these bytes and links it to `owner`. */
  register(m: NewMedia, owner: MediaOwner): Promise<MediaRegistration>;
  get(projectId: string, id: string): Promise<MediaRecord | null>;
  /** Marks the bytes under `blobKey` as uploaded (verified); false when that record no longer exists. */
  markUploaded(projectId: string, id: string, blobKey: string, at: number): Promise<boolean>;
  /** Keeps what the client reported of its upload; false when there is no such record. */
  recordUpload(projectId: string, id: string, report: MediaUploadReport): Promise<boolean>;
  /** Unlinks the traces and deletes the records nothing references any more, returning them (their blobs are the caller's to delete). */
  deleteOfTraces(projectId: string, traceIds: string[]): Promise<MediaRecord[]>;
  ofTrace(projectId: string, traceId: string): Promise<MediaRecord[]>;
}

export function createMediaStore(db: WritableDb, d: SqlDialect): MediaStore {
  return {
    register: (m, owner) => db.transaction((tx) => registerMedia(tx, m, owner)),
    get: (projectId, id) => getMedia(db, projectId, id),
    markUploaded: (projectId, id, blobKey, at) => markMediaUploaded(db, projectId, id, blobKey, at),
    recordUpload: (projectId, id, report) => recordMediaUpload(db, projectId, id, report),
    deleteOfTraces: (projectId, traceIds) => db.transaction((tx) => deleteMediaOfTraces(tx, d.maxParams, projectId, traceIds)),
    ofTrace: (projectId, traceId) => mediaOfTrace(db, projectId, traceId),
  };
}
