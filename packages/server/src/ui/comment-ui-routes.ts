import { randomUUID } from 'node:crypto';
import { AppError, badRequest } from '@sightline/core';
import { COMMENT_OBJECT_TYPES, type CommentObjectType, type CommentRecord, type Storage } from '@sightline/storage';
import type { Hono } from 'hono';
import { z } from 'zod';
import { COMMENT_MAX_CHARS } from '../http/comment-routes.js';
import { enumParam, listParam, parseQuery } from '../query/parse-params.js';
import { readObject } from './account-routes.js';
import type { CommentCountsResponse, CommentListResponse, CommentView } from './api-types.js';
import { requireRole, requireUser } from './guard.js';
import type { UiEnv } from './ui-env.js';

const THREAD_MAX = 500;
const COUNT_IDS_MAX = 500;

const target = z.object({ objectType: enumParam(COMMENT_OBJECT_TYPES), objectId: z.string().optional() });
const countsQuery = z.object({ objectType: enumParam(COMMENT_OBJECT_TYPES), ids: listParam });

function required<T>(value: T | undefined, field: string): T {
  if (value === undefined) throw badRequest(`${field}: required`);
  return value;
}

/** Comments with their authors' names (one read per distinct author). */
async function present(storage: Storage, rows: CommentRecord[]): Promise<CommentView[]> {
  const authorIds = [...new Set(rows.map((r) => r.authorUserId).filter((id): id is string => id !== null))];
  const users = new Map(await Promise.all(authorIds.map(async (id) => [id, await storage.accounts.getUser(id)] as const)));
  return rows.map((r) => {
    const u = r.authorUserId ? users.get(r.authorUserId) : null;
    return { id: r.id, objectType: r.objectType, objectId: r.objectId, content: r.content, createdAt: r.createdAt, author: u ? { id: u.id, email: u.email, name: u.name } : null };
  });
}

/** The comment thread of a trace, observation, session or prompt version; counts for lists. Viewers read, members write. */
export function registerCommentUiRoutes(ui: Hono<UiEnv>, storage: Storage): void {
  ui.get('/projects/:projectId/comments', async (c) => {
    const q = parseQuery(c, target);
    const objectType = required(q.objectType, 'objectType');
    const objectId = required(q.objectId, 'objectId');
    const { rows } = await storage.comments.list(c.get('member').projectId, { objectType, objectId, page: 1, limit: THREAD_MAX });
    return c.json({ data: await present(storage, rows.reverse()) } satisfies CommentListResponse);
  });

  ui.get('/projects/:projectId/comments/counts', async (c) => {
    const q = parseQuery(c, countsQuery, ['ids']);
    const objectType = required(q.objectType, 'objectType');
    const ids = q.ids ?? [];
    if (ids.length > COUNT_IDS_MAX) throw badRequest(`ids: at most ${COUNT_IDS_MAX} per request`);
    const counts = await storage.comments.countsByObject(c.get('member').projectId, objectType, ids);
    return c.json({ counts: Object.fromEntries(counts) } satisfies CommentCountsResponse);
  });

  ui.post('/projects/:projectId/comments', async (c) => {
    const user = requireUser(c);
    const { projectId } = requireRole(c, 'member');
    const b = await readObject(c);
    const objectType = typeof b.objectType === 'string' ? b.objectType.toUpperCase() : '';
    if (!(COMMENT_OBJECT_TYPES as readonly string[]).includes(objectType)) throw badRequest(`objectType: must be one of ${COMMENT_OBJECT_TYPES.join(', ')}`);
    if (typeof b.objectId !== 'string' || !b.objectId) throw badRequest('objectId: required, a string');
    if (typeof b.content !== 'string' || !b.content.trim()) throw badRequest('content: required, a non-empty string');
    if (b.content.length > COMMENT_MAX_CHARS) throw badRequest(`content: must be at most ${COMMENT_MAX_CHARS} characters`);
    const type = objectType as CommentObjectType;
    if (!(await storage.comments.objectExists(projectId, type, b.objectId))) throw new AppError(404, 'not_found', `${type} ${b.objectId} not found`);
    const now = Date.now();
    const comment: CommentRecord = { id: randomUUID(), projectId, objectType: type, objectId: b.objectId, content: b.content, authorUserId: user.id, createdAt: now, updatedAt: now };
    await storage.comments.create(comment);
    const [view] = await present(storage, [comment]);
    return c.json({ comment: view }, 201);
  });
}
