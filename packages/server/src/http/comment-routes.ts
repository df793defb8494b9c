import { randomUUID } from 'node:crypto';
import { badRequest, notFound } from '@sightline/core';
import { COMMENT_OBJECT_TYPES, type CommentRecord } from '@sightline/storage';
import type { Hono } from 'hono';
import { z } from 'zod';
import { requireFullAccess } from '../auth/authenticate.js';
import { presentComment, requireMember } from '../evaluation/present-evaluation.js';
import { readBody } from '../evaluation/read-body.js';
import { loadById } from '../query/load-by-id.js';
import { enumParam, pageMeta, pageParams, parseQuery, stringParam } from '../query/parse-params.js';
import type { AppDeps, AppEnv } from './app-env.js';

const BASE = '/api/public/comments';
/** Langfuse's limit on a comment. */
export const COMMENT_MAX_CHARS = 5_000;

/** Object types arrive in any case (the spec's docs say `trace`, its enum `TRACE`) and are stored upper-case. */
const objectType = z
  .string({ error: `required, one of ${COMMENT_OBJECT_TYPES.join(', ')}` })
  .transform((s) => s.toUpperCase())
  .pipe(z.enum(COMMENT_OBJECT_TYPES, { error: `must be one of ${COMMENT_OBJECT_TYPES.join(', ')}` }));

const createCommentBody = z.object({
  projectId: z.string().nullish(),
  objectType,
  objectId: z.string({ error: 'required, a string' }).min(1, 'must not be empty'),
  content: z.string({ error: 'required, a string' }).min(1, 'must not be empty').max(COMMENT_MAX_CHARS, `must be at most ${COMMENT_MAX_CHARS} characters`),
  authorUserId: z.string().nullish(),
});

const listQuery = z
  .object({ ...pageParams, objectType: enumParam(COMMENT_OBJECT_TYPES), objectId: stringParam, authorUserId: stringParam })
  .refine((q) => q.objectId === undefined || q.objectType !== undefined, { path: ['objectType'], message: 'required when objectId is given' });

/** Comments on traces, observations, sessions and prompts of the key's project. */
export function registerCommentRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const { storage } = deps;

  app.post(BASE, async (c) => {
    const body = await readBody(c, createCommentBody);
    const auth = c.get('auth');
    requireFullAccess(auth);
    if (body.projectId != null && body.projectId !== auth.projectId) throw badRequest('projectId: must be the project of the API key, or left out');
    if (!(await storage.comments.objectExists(auth.projectId, body.objectType, body.objectId))) {
      throw notFound(`${body.objectType} ${body.objectId} not found within authorized project`);
    }
    if (body.authorUserId != null) await requireMember(storage, auth.projectId, body.authorUserId, 'authorUserId');
    const now = Date.now();
    const comment: CommentRecord = {
      id: randomUUID(),
      projectId: auth.projectId,
      objectType: body.objectType,
      objectId: body.objectId,
      content: body.content,
      authorUserId: body.authorUserId ?? null,
      createdAt: now,
      updatedAt: now,
    };
    await storage.comments.create(comment);
    return c.json({ id: comment.id });
  });

  app.get(BASE, async (c) => {
    const q = parseQuery(c, listQuery);
    const auth = c.get('auth');
    requireFullAccess(auth);
    const { rows, totalItems } = await storage.comments.list(auth.projectId, q);
    return c.json({ data: rows.map(presentComment), meta: pageMeta(q.page, q.limit, totalItems) });
  });

  app.get(`${BASE}/:commentId`, async (c) => {
    const auth = c.get('auth');
    requireFullAccess(auth);
    const id = c.req.param('commentId');
    const comment = await loadById(id, (i) => storage.comments.get(auth.projectId, i), null);
    if (!comment) throw notFound(`Comment ${id} not found within authorized project`);
    return c.json(presentComment(comment));
  });
}
