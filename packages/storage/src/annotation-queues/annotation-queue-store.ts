import type { Db, Row, WritableDb } from '../db.js';
import { num, str } from '../mappers.js';
import { existingObjects, objectExists } from '../queries/object-exists.js';
import { chunks, pageParams, placeholders, Where } from '../queries/where.js';
import type { Page, Paged } from '../types.js';
import type { AnnotationQueueRecord, QueueAssignment, QueueItemQuery, QueueItemRecord, QueueItemStatus, QueueObjectType } from './types.js';

/**
 * Review queues: a queue names the score configs its reviewers use; its items point at traces,
 * observations or sessions and are PENDING until reviewed; assignments say who reviews it.
 * Deleting an item removes it from the queue only (its scores stay).
 */
export interface AnnotationQueueStore {
  create(queue: AnnotationQueueRecord): Promise<void>;
  get(projectId: string, id: string): Promise<AnnotationQueueRecord | null>;
  /** Newest first. */
  list(projectId: string, page: Page): Promise<Paged<AnnotationQueueRecord>>;
  /** Which of `ids` are queues of the project (one indexed read). */
  existing(projectId: string, ids: readonly string[]): Promise<Set<string>>;

  addItem(item: QueueItemRecord): Promise<void>;
  getItem(projectId: string, queueId: string, itemId: string): Promise<QueueItemRecord | null>;
  /** Oldest first: the order reviewers work through. */
  listItems(projectId: string, queueId: string, q: QueueItemQuery): Promise<Paged<QueueItemRecord>>;
  /** Sets the status (COMPLETED stamps `completedAt`, PENDING clears it); null when the item is not in the queue. */
  setItemStatus(projectId: string, queueId: string, itemId: string, status: QueueItemStatus, at: number): Promise<QueueItemRecord | null>;
  /** True when the item was in the queue. */
  deleteItem(projectId: string, queueId: string, itemId: string): Promise<boolean>;
  /** Records that `userId` skipped the item (again: it moves to the end of their skipped items). */
  skipItem(projectId: string, queueId: string, itemId: string, userId: string, at: number): Promise<void>;
  /** The pending items `userId` skipped in the queue, first skipped first. */
  skippedItems(projectId: string, queueId: string, userId: string): Promise<string[]>;
  /**
   * Adds one PENDING item per object not already in the queue (one transaction), in the order
   * given; returns how many were added. Objects already queued (pending or completed) are left as they are.
   */
  addItems(projectId: string, queueId: string, objectType: QueueObjectType, objectIds: readonly string[], at: number, newId: () => string): Promise<number>;
  /** PENDING and COMPLETED item counts of each given queue (queues without items are absent). */
  itemCounts(projectId: string, queueIds: readonly string[]): Promise<Map<string, { pending: number; completed: number }>>;
  /** True when the object an item would point at exists in the project. */
  objectExists(projectId: string, objectType: QueueObjectType, objectId: string): Promise<boolean>;
  /** Which of `objectIds` exist in the project. */
  existingObjects(projectId: string, objectType: QueueObjectType, objectIds: readonly string[]): Promise<Set<string>>;

  /** Idempotent: assigning twice keeps the first assignment. */
  assign(a: QueueAssignment): Promise<void>;
  /** True when the assignment existed. */
  unassign(projectId: string, queueId: string, userId: string): Promise<boolean>;
}

const QUEUE_COLUMNS = 'project_id, id, name, description, score_config_ids, created_at, updated_at';
const ITEM_COLUMNS = 'project_id, id, queue_id, object_id, object_type, status, completed_at, created_at, updated_at';

const toQueue = (r: Row): AnnotationQueueRecord => ({
  id: String(r.id),
  projectId: String(r.project_id),
  name: String(r.name),
  description: str(r.description),
  scoreConfigIds: JSON.parse(String(r.score_config_ids)) as string[],
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

const toItem = (r: Row): QueueItemRecord => ({
  id: String(r.id),
  projectId: String(r.project_id),
  queueId: String(r.queue_id),
  objectId: String(r.object_id),
  objectType: String(r.object_type) as QueueObjectType,
  status: String(r.status) as QueueItemStatus,
  completedAt: num(r.completed_at),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

async function paged<T>(db: Db, table: string, columns: string, w: Where, order: string, page: Page, map: (r: Row) => T): Promise<Paged<T>> {
  const total = await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table} ${w.sql}`, w.params);
  const rows = await db.all(`SELECT ${columns} FROM ${table} ${w.sql} ORDER BY ${order} LIMIT ? OFFSET ?`, [...w.params, ...pageParams(page.page, page.limit)]);
  return { rows: rows.map(map), totalItems: Number(total?.n ?? 0) };
}

async function getItem(db: Db, projectId: string, queueId: string, itemId: string): Promise<QueueItemRecord | null> {
  const r = await db.get(`SELECT ${ITEM_COLUMNS} FROM annotation_queue_items WHERE project_id = ? AND queue_id = ? AND id = ?`, [projectId, queueId, itemId]);
  return r ? toItem(r) : null;
}

export function createAnnotationQueueStore(db: WritableDb): AnnotationQueueStore {
  const write = (sql: string, params: unknown[]) => db.transaction((tx) => tx.run(sql, params));
  return {
    async create(q) {
      await write(`INSERT INTO annotation_queues (${QUEUE_COLUMNS}) VALUES (${placeholders(7)})`, [
        q.projectId, q.id, q.name, q.description, JSON.stringify(q.scoreConfigIds), q.createdAt, q.updatedAt,
      ]);
    },
    async get(projectId, id) {
      const r = await db.get(`SELECT ${QUEUE_COLUMNS} FROM annotation_queues WHERE project_id = ? AND id = ?`, [projectId, id]);
      return r ? toQueue(r) : null;
    },
    list: (projectId, page) => paged(db, 'annotation_queues', QUEUE_COLUMNS, new Where().eq('project_id', projectId), 'created_at DESC, id', page, toQueue),
    async existing(projectId, ids) {
      const unique = [...new Set(ids)];
      if (unique.length === 0) return new Set();
      const rows = await db.all<{ id: string }>(`SELECT id FROM annotation_queues WHERE project_id = ? AND id IN (${placeholders(unique.length)})`, [projectId, ...unique]);
      return new Set(rows.map((r) => String(r.id)));
    },

    async addItem(i) {
      await write(`INSERT INTO annotation_queue_items (${ITEM_COLUMNS}) VALUES (${placeholders(9)})`, [
        i.projectId, i.id, i.queueId, i.objectId, i.objectType, i.status, i.completedAt, i.createdAt, i.updatedAt,
      ]);
    },
    getItem: (projectId, queueId, itemId) => getItem(db, projectId, queueId, itemId),
    listItems: (projectId, queueId, q) =>
      paged(db, 'annotation_queue_items', ITEM_COLUMNS, new Where().eq('project_id', projectId).eq('queue_id', queueId).eq('status', q.status), 'created_at, id', q, toItem),
    async setItemStatus(projectId, queueId, itemId, status, at) {
      const { changes } = await write(
        'UPDATE annotation_queue_items SET status = ?, completed_at = ?, updated_at = ? WHERE project_id = ? AND queue_id = ? AND id = ?',
        [status, status === 'COMPLETED' ? at : null, at, projectId, queueId, itemId],
      );
      return changes > 0 ? getItem(db, projectId, queueId, itemId) : null;
    },
    deleteItem: (projectId, queueId, itemId) =>
      db.transaction(async (tx) => {
        await tx.run('DELETE FROM annotation_queue_skips WHERE project_id = ? AND queue_id = ? AND item_id = ?', [projectId, queueId, itemId]);
        const { changes } = await tx.run('DELETE FROM annotation_queue_items WHERE project_id = ? AND queue_id = ? AND id = ?', [projectId, queueId, itemId]);
        return changes > 0;
      }),
    async skipItem(projectId, queueId, itemId, userId, at) {
      await write(
        `INSERT INTO annotation_queue_skips (project_id, queue_id, user_id, item_id, skipped_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (project_id, queue_id, user_id, item_id) DO UPDATE SET skipped_at = excluded.skipped_at`,
        [projectId, queueId, userId, itemId, at],
      );
    },
    async skippedItems(projectId, queueId, userId) {
      const rows = await db.all<Row>(
        `SELECT k.item_id FROM annotation_queue_skips k CROSS JOIN annotation_queue_items i
          WHERE k.project_id = ? AND k.queue_id = ? AND k.user_id = ? AND i.project_id = k.project_id AND i.id = k.item_id AND i.status = 'PENDING'
          ORDER BY k.skipped_at, k.item_id`,
        [projectId, queueId, userId],
      );
      return rows.map((r) => String(r.item_id));
    },
    addItems: (projectId, queueId, objectType, objectIds, at, newId) =>
      db.transaction(async (tx) => {
        const unique = [...new Set(objectIds)];
        let added = 0;
        for (const part of chunks(unique, 500)) {
          const queued = await tx.all<{ object_id: string }>(
            `SELECT object_id FROM annotation_queue_items WHERE project_id = ? AND queue_id = ? AND object_type = ? AND object_id IN (${placeholders(part.length)})`,
            [projectId, queueId, objectType, ...part],
          );
          const skip = new Set(queued.map((r) => String(r.object_id)));
          for (const objectId of part.filter((id) => !skip.has(id))) {
            // One millisecond apart: reviewers work through items by creation time, so they meet them in the order given.
            const t = at + added;
            await tx.run(`INSERT INTO annotation_queue_items (${ITEM_COLUMNS}) VALUES (${placeholders(9)})`, [projectId, newId(), queueId, objectId, objectType, 'PENDING', null, t, t]);
            added++;
          }
        }
        return added;
      }),
    async itemCounts(projectId, queueIds) {
      const out = new Map<string, { pending: number; completed: number }>();
      const unique = [...new Set(queueIds)];
      if (unique.length === 0) return out;
      const rows = await db.all<{ queue_id: string; status: string; n: number }>(
        `SELECT queue_id, status, COUNT(*) AS n FROM annotation_queue_items WHERE project_id = ? AND queue_id IN (${placeholders(unique.length)}) GROUP BY queue_id, status`,
        [projectId, ...unique],
      );
      for (const r of rows) {
        const counts = out.get(String(r.queue_id)) ?? { pending: 0, completed: 0 };
        if (r.status === 'COMPLETED') counts.completed += Number(r.n);
        else counts.pending += Number(r.n);
        out.set(String(r.queue_id), counts);
      }
      return out;
    },
    objectExists: (projectId, objectType, objectId) => objectExists(db, projectId, objectType, objectId),
    existingObjects: (projectId, objectType, objectIds) => existingObjects(db, projectId, objectType, objectIds),

    async assign(a) {
      await write(
        'INSERT INTO annotation_queue_assignments (project_id, queue_id, user_id, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (project_id, queue_id, user_id) DO NOTHING',
        [a.projectId, a.queueId, a.userId, a.createdAt],
      );
    },
    async unassign(projectId, queueId, userId) {
      const { changes } = await write('DELETE FROM annotation_queue_assignments WHERE project_id = ? AND queue_id = ? AND user_id = ?', [projectId, queueId, userId]);
      return changes > 0;
    },
  };
}
