import { randomUUID } from 'node:crypto';
import { AppError, badRequest, notFound } from '@sightline/core';
import { QUEUE_ITEM_STATUSES, QUEUE_OBJECT_TYPES, type AnnotationQueueRecord, type QueueItemRecord } from '@sightline/storage';
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { requireFullAccess } from '../auth/authenticate.js';
import { presentQueue, presentQueueItem, requireMember } from '../evaluation/present-evaluation.js';
import { readBody } from '../evaluation/read-body.js';
import { loadById } from '../query/load-by-id.js';
import { enumParam, pageMeta, pageParams, parseQuery } from '../query/parse-params.js';
import type { AppDeps, AppEnv } from './app-env.js';

const BASE = '/api/public/annotation-queues';
const QUEUE = `${BASE}/:queueId`;
const ITEM = `${QUEUE}/items/:itemId`;
const NAME_MAX = 200;
const DESCRIPTION_MAX = 10_000;
const CONFIGS_MAX = 50;

const status = z.enum(QUEUE_ITEM_STATUSES, { error: `must be one of ${QUEUE_ITEM_STATUSES.join(', ')}` });
const createQueueBody = z.object({
  name: z.string({ error: 'required, a string' }).trim().min(1, 'must not be empty').max(NAME_MAX, `must be at most ${NAME_MAX} characters`),
  description: z.string().max(DESCRIPTION_MAX, `must be at most ${DESCRIPTION_MAX} characters`).nullish(),
  scoreConfigIds: z.array(z.string(), { error: 'required, a list of score config ids' }).max(CONFIGS_MAX, `must hold at most ${CONFIGS_MAX} ids`),
});
const createItemBody = z.object({
  objectId: z.string({ error: 'required, a string' }).min(1, 'must not be empty'),
  objectType: z.enum(QUEUE_OBJECT_TYPES, { error: `must be one of ${QUEUE_OBJECT_TYPES.join(', ')}` }),
  status: status.nullish(),
});
const updateItemBody = z.object({ status: status.nullish() });
const assignmentBody = z.object({ userId: z.string({ error: 'required, a string' }).min(1, 'must not be empty') });

/** Annotation queues of the key's project: queues, their items and who is assigned to review them. */
export function registerAnnotationQueueRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const { storage } = deps;
  const queues = storage.annotationQueues;

  /** The project of a full-access key and the queue named in the path (404 when it is not the project's). */
  async function queueOf(c: Context<AppEnv>): Promise<{ projectId: string; queue: AnnotationQueueRecord }> {
    const auth = c.get('auth');
    requireFullAccess(auth);
    const id = c.req.param('queueId') ?? '';
    const queue = await loadById(id, (i) => queues.get(auth.projectId, i), null);
    if (!queue) throw notFound(`Annotation queue ${id} not found within authorized project`);
    return { projectId: auth.projectId, queue };
  }

  async function itemOf(c: Context<AppEnv>): Promise<{ projectId: string; item: QueueItemRecord }> {
    const { projectId, queue } = await queueOf(c);
    const id = c.req.param('itemId') ?? '';
    const item = await loadById(id, (i) => queues.getItem(projectId, queue.id, i), null);
    if (!item) throw notFound(`Annotation queue item ${id} not found in queue ${queue.id}`);
    return { projectId, item };
  }

  app.get(BASE, async (c) => {
    const q = parseQuery(c, z.object(pageParams));
    const auth = c.get('auth');
    requireFullAccess(auth);
    const { rows, totalItems } = await queues.list(auth.projectId, q);
    return c.json({ data: rows.map(presentQueue), meta: pageMeta(q.page, q.limit, totalItems) });
  });

  app.post(BASE, async (c) => {
    const body = await readBody(c, createQueueBody);
    const auth = c.get('auth');
    requireFullAccess(auth);
    const configIds = [...new Set(body.scoreConfigIds)];
    const found = await storage.scoreConfigs.getMany(auth.projectId, configIds);
    const missing = configIds.filter((id) => !found.has(id));
    if (missing.length > 0) throw badRequest(`scoreConfigIds: no score config ${missing.map((id) => `'${id}'`).join(', ')} in this project`);
    const now = Date.now();
    const queue: AnnotationQueueRecord = {
      id: randomUUID(), projectId: auth.projectId, name: body.name, description: body.description ?? null, scoreConfigIds: configIds, createdAt: now, updatedAt: now,
    };
    try {
      await queues.create(queue);
    } catch (err) {
      // Names are unique per project (as in Langfuse); the unique index decides, also between racing creates.
      if (err instanceof AppError && err.status === 409) throw new AppError(409, 'conflict', `name: an annotation queue named '${queue.name}' already exists in this project`);
      throw err;
    }
    return c.json(presentQueue(queue));
  });

  app.get(QUEUE, async (c) => c.json(presentQueue((await queueOf(c)).queue)));

  app.get(`${QUEUE}/items`, async (c) => {
    const q = parseQuery(c, z.object({ ...pageParams, status: enumParam(QUEUE_ITEM_STATUSES) }));
    const { projectId, queue } = await queueOf(c);
    const { rows, totalItems } = await queues.listItems(projectId, queue.id, q);
    return c.json({ data: rows.map(presentQueueItem), meta: pageMeta(q.page, q.limit, totalItems) });
  });

  app.post(`${QUEUE}/items`, async (c) => {
    const body = await readBody(c, createItemBody);
    const { projectId, queue } = await queueOf(c);
    if (!(await queues.objectExists(projectId, body.objectType, body.objectId))) {
      throw notFound(`${body.objectType} ${body.objectId} not found within authorized project`);
    }
    const now = Date.now();
    const itemStatus = body.status ?? 'PENDING';
    const item: QueueItemRecord = {
      id: randomUUID(), projectId, queueId: queue.id, objectId: body.objectId, objectType: body.objectType, status: itemStatus,
      completedAt: itemStatus === 'COMPLETED' ? now : null, createdAt: now, updatedAt: now,
    };
    await queues.addItem(item);
    return c.json(presentQueueItem(item));
  });

  app.get(ITEM, async (c) => c.json(presentQueueItem((await itemOf(c)).item)));

  app.patch(ITEM, async (c) => {
    const body = await readBody(c, updateItemBody);
    const { projectId, item } = await itemOf(c);
    if (body.status == null) return c.json(presentQueueItem(item));
    const updated = await queues.setItemStatus(projectId, item.queueId, item.id, body.status, Date.now());
    if (!updated) throw notFound(`Annotation queue item ${item.id} not found in queue ${item.queueId}`);
    return c.json(presentQueueItem(updated));
  });

  app.delete(ITEM, async (c) => {
    const { projectId, item } = await itemOf(c);
    await queues.deleteItem(projectId, item.queueId, item.id);
    return c.json({ success: true, message: 'Item removed from the annotation queue' });
  });

  app.post(`${QUEUE}/assignments`, async (c) => {
    const { userId } = await readBody(c, assignmentBody);
    const { projectId, queue } = await queueOf(c);
    await requireMember(storage, projectId, userId, 'userId');
    await queues.assign({ projectId, queueId: queue.id, userId, createdAt: Date.now() });
    return c.json({ userId, queueId: queue.id, projectId });
  });

  app.delete(`${QUEUE}/assignments`, async (c) => {
    const { userId } = await readBody(c, assignmentBody);
    const { projectId, queue } = await queueOf(c);
    await queues.unassign(projectId, queue.id, userId);
    return c.json({ success: true });
  });
}
