import { randomUUID } from 'node:crypto';
import { AppError, badRequest } from '@sightline/core';
import { QUEUE_OBJECT_TYPES, type AnnotationQueueRecord, type QueueItemRecord, type QueueObjectType, type Storage } from '@sightline/storage';
import type { Context, Hono } from 'hono';
import type { Ingestor } from '../ingest/ingestor.js';
import { loadById } from '../query/load-by-id.js';
import { readObject } from './account-routes.js';
import type { QueueAddResponse, QueueDetailResponse, QueueItemResponse, QueueItemView, QueueListResponse, QueueSummary } from './api-types.js';
import { requireRole, requireUser } from './guard.js';
import { writeAnnotationScores } from './annotation-write.js';
import { queueObject, reviewScores, scoreBodies } from './queue-review.js';
import { parseTraceListQuery } from './trace-params.js';
import type { UiEnv } from './ui-env.js';

/** At most this many objects are added by one request (selected rows or all traces matching the filters). */
export const BULK_ADD_MAX = 1_000;
const ITEMS_SHOWN = 1_000;
const QUEUES_MAX = 100;
const NAME_MAX = 200;

const itemView = (i: QueueItemRecord): QueueItemView => ({ id: i.id, objectType: i.objectType, objectId: i.objectId, status: i.status, completedAt: i.completedAt });

async function summaries(storage: Storage, projectId: string, queues: AnnotationQueueRecord[]): Promise<QueueSummary[]> {
  const counts = await storage.annotationQueues.itemCounts(projectId, queues.map((q) => q.id));
  return queues.map((q) => ({
    id: q.id, name: q.name, description: q.description, scoreConfigIds: q.scoreConfigIds, createdAt: q.createdAt,
    pending: counts.get(q.id)?.pending ?? 0, completed: counts.get(q.id)?.completed ?? 0,
  }));
}

/**
 * Annotation queues in the UI: list and create queues, add items (one by one, selected rows, or
 * all traces matching the trace list's filters), and review items one at a time. Viewers read;
 * members create, add and score.
 */
export function registerQueueUiRoutes(ui: Hono<UiEnv>, storage: Storage, ingestor: Ingestor): void {
  const queues = storage.annotationQueues;

  async function queueOf(c: Context<UiEnv>): Promise<{ projectId: string; queue: AnnotationQueueRecord }> {
    const projectId = c.get('member').projectId;
    const id = c.req.param('queueId') ?? '';
    const queue = await loadById(id, (i) => queues.get(projectId, i), null);
    if (!queue) throw new AppError(404, 'not_found', `Annotation queue ${id} not found`);
    return { projectId, queue };
  }

  async function itemOf(c: Context<UiEnv>): Promise<{ projectId: string; queue: AnnotationQueueRecord; item: QueueItemRecord }> {
    const { projectId, queue } = await queueOf(c);
    const id = c.req.param('itemId') ?? '';
    const item = await loadById(id, (i) => queues.getItem(projectId, queue.id, i), null);
    if (!item) throw new AppError(404, 'not_found', `Item ${id} not found in queue ${queue.name}`);
    return { projectId, queue, item };
  }

  ui.get('/projects/:projectId/queues', async (c) => {
    const projectId = c.get('member').projectId;
    const { rows } = await queues.list(projectId, { page: 1, limit: QUEUES_MAX });
    return c.json({ data: await summaries(storage, projectId, rows) } satisfies QueueListResponse);
  });

  ui.post('/projects/:projectId/queues', async (c) => {
    const { projectId } = requireRole(c, 'member');
    const b = await readObject(c);
    const name = typeof b.name === 'string' ? b.name.trim() : '';
    if (!name || name.length > NAME_MAX) throw badRequest(`name: required, at most ${NAME_MAX} characters`);
    if (b.description !== undefined && b.description !== null && typeof b.description !== 'string') throw badRequest('description: must be a string');
    if (!Array.isArray(b.scoreConfigIds) || b.scoreConfigIds.length === 0 || !b.scoreConfigIds.every((id) => typeof id === 'string')) {
      throw badRequest('scoreConfigIds: choose at least one score config');
    }
    const ids = [...new Set(b.scoreConfigIds)];
    const found = await storage.scoreConfigs.getMany(projectId, ids);
    const missing = ids.filter((id) => !found.get(id) || found.get(id)?.isArchived);
    if (missing.length > 0) throw badRequest(`scoreConfigIds: no active score config ${missing.map((id) => `'${id}'`).join(', ')} in this project`);
    const now = Date.now();
    const queue: AnnotationQueueRecord = { id: randomUUID(), projectId, name, description: (b.description as string | undefined) || null, scoreConfigIds: ids, createdAt: now, updatedAt: now };
    try {
      await queues.create(queue);
    } catch (err) {
      if (err instanceof AppError && err.status === 409) throw new AppError(409, 'conflict', `name: a queue named '${name}' already exists in this project`);
      throw err;
    }
    return c.json({ queue: (await summaries(storage, projectId, [queue]))[0] }, 201);
  });

  ui.get('/projects/:projectId/queues/:queueId', async (c) => {
    const { projectId, queue } = await queueOf(c);
    const [configs, items, skipped] = await Promise.all([
      storage.scoreConfigs.getMany(projectId, queue.scoreConfigIds),
      queues.listItems(projectId, queue.id, { page: 1, limit: ITEMS_SHOWN }),
      queues.skippedItems(projectId, queue.id, requireUser(c).id),
    ]);
    return c.json({
      queue: (await summaries(storage, projectId, [queue]))[0],
      configs: queue.scoreConfigIds.flatMap((id) => configs.get(id) ?? []),
      items: items.rows.map(itemView),
      totalItems: items.totalItems,
      skipped,
    } satisfies QueueDetailResponse);
  });

  // Selected objects: `{ objectType, objectIds: [...] }`; each must exist in the project.
  ui.post('/projects/:projectId/queues/:queueId/items', async (c) => {
    requireRole(c, 'member');
    const { projectId, queue } = await queueOf(c);
    const b = await readObject(c);
    if (!(QUEUE_OBJECT_TYPES as readonly unknown[]).includes(b.objectType)) throw badRequest(`objectType: must be one of ${QUEUE_OBJECT_TYPES.join(', ')}`);
    const type = b.objectType as QueueObjectType;
    if (!Array.isArray(b.objectIds) || b.objectIds.length === 0 || !b.objectIds.every((id) => typeof id === 'string' && id !== '')) {
      throw badRequest('objectIds: required, a non-empty list of ids');
    }
    const ids = [...new Set(b.objectIds as string[])];
    if (ids.length > BULK_ADD_MAX) throw badRequest(`objectIds: at most ${BULK_ADD_MAX} per request`);
    const existing = await queues.existingObjects(projectId, type, ids);
    const missing = ids.filter((id) => !existing.has(id));
    if (missing.length > 0) throw new AppError(404, 'not_found', `${type} ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? '…' : ''} not found`);
    const added = await queues.addItems(projectId, queue.id, type, ids, Date.now(), randomUUID);
    return c.json({ added, matched: ids.length, capped: false, limit: BULK_ADD_MAX } satisfies QueueAddResponse, 201);
  });

  // Every trace matching the trace list's query string (the same parameters as GET /traces), up to BULK_ADD_MAX in list order.
  ui.post('/projects/:projectId/queues/:queueId/items/from-traces', async (c) => {
    requireRole(c, 'member');
    const { projectId, queue } = await queueOf(c);
    const q = { ...parseTraceListQuery(c), limit: 200 };
    const ids: string[] = [];
    let capped = false;
    for (;;) {
      const page = await storage.traces.search(projectId, q);
      ids.push(...page.rows.map((t) => t.id));
      if (!page.nextCursor) break;
      if (ids.length >= BULK_ADD_MAX) {
        capped = true;
        break;
      }
      q.cursor = page.nextCursor;
    }
    if (ids.length > BULK_ADD_MAX) capped = true;
    const chosen = ids.slice(0, BULK_ADD_MAX);
    const added = chosen.length > 0 ? await queues.addItems(projectId, queue.id, 'TRACE', chosen, Date.now(), randomUUID) : 0;
    return c.json({ added, matched: chosen.length, capped, limit: BULK_ADD_MAX } satisfies QueueAddResponse, 201);
  });

  ui.get('/projects/:projectId/queues/:queueId/items/:itemId', async (c) => {
    const { projectId, queue, item } = await itemOf(c);
    const [object, scores] = await Promise.all([queueObject(storage, projectId, item), reviewScores(storage, projectId, queue.id, item)]);
    return c.json({ item: itemView(item), object, scores } satisfies QueueItemResponse);
  });

  // The signed-in reviewer skips a pending item: it moves to the end of their queue, on every later visit too.
  ui.post('/projects/:projectId/queues/:queueId/items/:itemId/skip', async (c) => {
    const user = requireUser(c);
    requireRole(c, 'member');
    const { projectId, queue, item } = await itemOf(c);
    if (item.status !== 'PENDING') throw new AppError(409, 'conflict', `Item ${item.id} is ${item.status}; only a pending item can be skipped`);
    await queues.skipItem(projectId, queue.id, item.id, user.id, Date.now());
    return c.json({ skipped: await queues.skippedItems(projectId, queue.id, user.id) });
  });

  // Saves the reviewer's scores (one per config of the queue, source ANNOTATION, carrying the queue id) and completes the item.
  ui.post('/projects/:projectId/queues/:queueId/items/:itemId/complete', async (c) => {
    const user = requireUser(c);
    requireRole(c, 'member');
    const { projectId, queue, item } = await itemOf(c);
    const b = await readObject(c);
    const given = b.scores ?? [];
    if (!Array.isArray(given)) throw badRequest('scores: must be a list of { configId, value, comment? }');
    const bodies = await scoreBodies(storage, projectId, queue, item, given);
    await writeAnnotationScores(storage, ingestor, projectId, bodies, user.email);
    const updated = await queues.setItemStatus(projectId, queue.id, item.id, 'COMPLETED', Date.now());
    return c.json({ item: itemView(updated ?? item) });
  });
}
