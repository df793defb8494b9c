import type { Db } from '../db.js';
import { pageParams, Where } from '../queries/where.js';
import type { Paged, Page } from '../types.js';
import { DATASET_COLUMNS, ITEM_FIELDS, toDataset, toItem } from './rows.js';
import type { Dataset, DatasetItem, DatasetItemQuery } from './types.js';

export async function getDatasetByName(db: Db, projectId: string, name: string): Promise<Dataset | null> {
  const row = await db.get(`SELECT ${DATASET_COLUMNS} FROM datasets d WHERE d.project_id = ? AND d.name = ?`, [projectId, name]);
  return row ? toDataset(row) : null;
}

export async function getDatasetById(db: Db, projectId: string, id: string): Promise<Dataset | null> {
  const row = await db.get(`SELECT ${DATASET_COLUMNS} FROM datasets d WHERE d.project_id = ? AND d.id = ?`, [projectId, id]);
  return row ? toDataset(row) : null;
}

/** Newest first. */
export async function listDatasets(db: Db, projectId: string, page: Page): Promise<Paged<Dataset>> {
  const total = await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM datasets WHERE project_id = ?', [projectId]);
  const rows = await db.all(`SELECT ${DATASET_COLUMNS} FROM datasets d WHERE d.project_id = ? ORDER BY d.created_at DESC, d.id LIMIT ? OFFSET ?`, [
    projectId,
    ...pageParams(page.page, page.limit),
  ]);
  return { rows: rows.map(toDataset), totalItems: Number(total?.n ?? 0) };
}

const ITEM_JOIN = 'JOIN datasets d ON d.project_id = i.project_id AND d.id = i.dataset_id';

/** The item's current state, archived or not. */
export async function getItem(db: Db, projectId: string, id: string): Promise<DatasetItem | null> {
  const row = await db.get(`SELECT i.id, ${ITEM_FIELDS} FROM dataset_items i ${ITEM_JOIN} WHERE i.project_id = ? AND i.id = ?`, [projectId, id]);
  return row ? toItem(row) : null;
}

/**
 * Active items, newest first. With `version`, the items as they were at that instant, read from
 * the history in one range query over (project, dataset, valid_from).
 */
export async function listItems(db: Db, projectId: string, q: DatasetItemQuery): Promise<Paged<DatasetItem>> {
  const versioned = q.version !== undefined;
  const w = new Where().eq('i.project_id', projectId).eq('i.dataset_id', q.datasetId).eq('i.source_trace_id', q.sourceTraceId).eq('i.source_observation_id', q.sourceObservationId);
  if (!q.includeArchived) w.add("i.status = 'ACTIVE'");
  if (versioned) w.add('i.valid_from <= ? AND (i.valid_to IS NULL OR i.valid_to > ?)', q.version, q.version);
  const from = versioned ? 'dataset_item_versions i' : 'dataset_items i';
  const id = versioned ? 'i.item_id' : 'i.id';
  const total = await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${from} ${w.sql}`, w.params);
  const rows = await db.all(`SELECT ${id} AS id, ${ITEM_FIELDS} FROM ${from} ${ITEM_JOIN} ${w.sql} ORDER BY i.created_at DESC, ${id} LIMIT ? OFFSET ?`, [
    ...w.params,
    ...pageParams(q.page, q.limit),
  ]);
  return { rows: rows.map(toItem), totalItems: Number(total?.n ?? 0) };
}
