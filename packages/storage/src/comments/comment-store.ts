import type { Db, Row, WritableDb } from '../db.js';
import { str } from '../mappers.js';
import { objectExists, type AnnotatedObjectType } from '../queries/object-exists.js';
import { pageParams, placeholders, Where } from '../queries/where.js';
import type { Page, Paged } from '../types.js';

export const COMMENT_OBJECT_TYPES = ['TRACE', 'OBSERVATION', 'SESSION', 'PROMPT'] as const satisfies readonly AnnotatedObjectType[];
export type CommentObjectType = (typeof COMMENT_OBJECT_TYPES)[number];

export interface CommentRecord {
  id: string;
  projectId: string;
  objectType: CommentObjectType;
  objectId: string;
  /** Markdown as written; rendering it safely is the reader's job. */
  content: string;
  authorUserId: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface CommentQuery extends Page {
  objectType?: CommentObjectType;
  objectId?: string;
  authorUserId?: string;
}

/** Comments on a project's traces, observations, sessions and prompts. */
export interface CommentStore {
  create(comment: CommentRecord): Promise<void>;
  get(projectId: string, id: string): Promise<CommentRecord | null>;
  /** Newest first. */
  list(projectId: string, q: CommentQuery): Promise<Paged<CommentRecord>>;
  /** How many comments each of the given objects has (objects without any are absent). */
  countsByObject(projectId: string, objectType: CommentObjectType, objectIds: readonly string[]): Promise<Map<string, number>>;
  /** True when the object a comment would point at exists in the project. */
  objectExists(projectId: string, objectType: CommentObjectType, objectId: string): Promise<boolean>;
}

const COLUMNS = 'project_id, id, object_type, object_id, content, author_user_id, created_at, updated_at';

const toComment = (r: Row): CommentRecord => ({
  id: String(r.id),
  projectId: String(r.project_id),
  objectType: String(r.object_type) as CommentObjectType,
  objectId: String(r.object_id),
  content: String(r.content),
  authorUserId: str(r.author_user_id),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

async function listComments(db: Db, projectId: string, q: CommentQuery): Promise<Paged<CommentRecord>> {
  const w = new Where().eq('project_id', projectId).eq('object_type', q.objectType).eq('object_id', q.objectId).eq('author_user_id', q.authorUserId);
  const total = await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM comments ${w.sql}`, w.params);
  const rows = await db.all(`SELECT ${COLUMNS} FROM comments ${w.sql} ORDER BY created_at DESC, id LIMIT ? OFFSET ?`, [...w.params, ...pageParams(q.page, q.limit)]);
  return { rows: rows.map(toComment), totalItems: Number(total?.n ?? 0) };
}

async function countsByObject(db: Db, d: { maxParams: number }, projectId: string, objectType: string, objectIds: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const unique = [...new Set(objectIds)];
  for (let i = 0; i < unique.length; i += d.maxParams - 2) {
    const part = unique.slice(i, i + d.maxParams - 2);
    const rows = await db.all<{ object_id: string; n: number }>(
      `SELECT object_id, COUNT(*) AS n FROM comments WHERE project_id = ? AND object_type = ? AND object_id IN (${placeholders(part.length)}) GROUP BY object_id`,
      [projectId, objectType, ...part],
    );
    for (const r of rows) out.set(String(r.object_id), Number(r.n));
  }
  return out;
}

export function createCommentStore(db: WritableDb, d: { maxParams: number }): CommentStore {
  return {
    async create(c) {
      await db.transaction((tx) =>
        tx.run(`INSERT INTO comments (${COLUMNS}) VALUES (${placeholders(8)})`, [c.projectId, c.id, c.objectType, c.objectId, c.content, c.authorUserId, c.createdAt, c.updatedAt]),
      );
    },
    async get(projectId, id) {
      const r = await db.get(`SELECT ${COLUMNS} FROM comments WHERE project_id = ? AND id = ?`, [projectId, id]);
      return r ? toComment(r) : null;
    },
    list: (projectId, q) => listComments(db, projectId, q),
    countsByObject: (projectId, objectType, objectIds) => countsByObject(db, d, projectId, objectType, objectIds),
    objectExists: (projectId, objectType, objectId) => objectExists(db, projectId, objectType, objectId),
  };
}
