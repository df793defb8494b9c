import type { Db } from '../db.js';
import { pageParams } from '../queries/where.js';
import type { Page, Paged } from '../types.js';
import { RUN_COLUMNS, RUN_ITEM_COLUMNS, toJson, toRun, toRunItem } from './rows.js';
import type { DatasetRun, DatasetRunItem, RunItemLink } from './types.js';

const RUN_FROM = 'FROM dataset_runs r JOIN datasets d ON d.project_id = r.project_id AND d.id = r.dataset_id';
const RUN_ITEM_FROM = 'FROM dataset_run_items ri JOIN dataset_runs r ON r.project_id = ri.project_id AND r.id = ri.run_id';

/**
 * Adds a run item, creating its run by name on first use. A new run is an upsert on the unique
 * (project, dataset, name) index, so clients linking to one new run name at the same time all
 * land in one run on either engine (PostgreSQL makes the second insert wait for the first and
 * then update its row). A description or metadata given replaces the run's; the run row is
 * written only when one of them changes, so the links of a running experiment (which repeat
 * them on every item) do not queue on the lock of that one row.
 */
export async function linkRunItem(tx: Db, l: RunItemLink): Promise<DatasetRunItem> {
  const description = l.runDescription ?? null;
  const metadata = toJson(l.runMetadata);
  let run = await tx.get<{ id: string; description: string | null; metadata: string | null }>(
    'SELECT id, description, metadata FROM dataset_runs WHERE project_id = ? AND dataset_id = ? AND name = ?',
    [l.projectId, l.datasetId, l.runName],
  );
  const changes = run !== undefined && ((description !== null && description !== run.description) || (metadata !== null && metadata !== run.metadata));
  if (!run || changes) {
    await tx.run(
      `INSERT INTO dataset_runs (project_id, id, dataset_id, name, description, metadata, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (project_id, dataset_id, name) DO UPDATE SET
         description = COALESCE(excluded.description, dataset_runs.description),
         metadata = COALESCE(excluded.metadata, dataset_runs.metadata),
         updated_at = excluded.updated_at`,
      [l.projectId, l.runId, l.datasetId, l.runName, description, metadata, l.at, l.at],
    );
    run = await tx.get('SELECT id, description, metadata FROM dataset_runs WHERE project_id = ? AND dataset_id = ? AND name = ?', [l.projectId, l.datasetId, l.runName]);
  }
  await tx.run(
    'INSERT INTO dataset_run_items (project_id, id, run_id, dataset_item_id, trace_id, observation_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    [l.projectId, l.itemId, run!.id, l.datasetItemId, l.traceId, l.observationId, l.at, l.at],
  );
  return (await getRunItem(tx, l.projectId, l.itemId))!;
}

export async function getRunItem(db: Db, projectId: string, id: string): Promise<DatasetRunItem | null> {
  const row = await db.get(`SELECT ${RUN_ITEM_COLUMNS} ${RUN_ITEM_FROM} WHERE ri.project_id = ? AND ri.id = ?`, [projectId, id]);
  return row ? toRunItem(row) : null;
}

export async function getRun(db: Db, projectId: string, datasetId: string, name: string): Promise<DatasetRun | null> {
  const row = await db.get(`SELECT ${RUN_COLUMNS} ${RUN_FROM} WHERE r.project_id = ? AND r.dataset_id = ? AND r.name = ?`, [projectId, datasetId, name]);
  return row ? toRun(row) : null;
}

/** A dataset's runs, newest first. */
export async function listRuns(db: Db, projectId: string, datasetId: string, page: Page): Promise<Paged<DatasetRun>> {
  const total = await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM dataset_runs WHERE project_id = ? AND dataset_id = ?', [projectId, datasetId]);
  const rows = await db.all(`SELECT ${RUN_COLUMNS} ${RUN_FROM} WHERE r.project_id = ? AND r.dataset_id = ? ORDER BY r.created_at DESC, r.id LIMIT ? OFFSET ?`, [
    projectId,
    datasetId,
    ...pageParams(page.page, page.limit),
  ]);
  return { rows: rows.map(toRun), totalItems: Number(total?.n ?? 0) };
}

/** A run's items, oldest first (the order they were linked in). */
export async function listRunItems(db: Db, projectId: string, runId: string, page: Page): Promise<Paged<DatasetRunItem>> {
  const total = await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM dataset_run_items WHERE project_id = ? AND run_id = ?', [projectId, runId]);
  const rows = await db.all(`SELECT ${RUN_ITEM_COLUMNS} ${RUN_ITEM_FROM} WHERE ri.project_id = ? AND ri.run_id = ? ORDER BY ri.created_at, ri.id LIMIT ? OFFSET ?`, [
    projectId,
    runId,
    ...pageParams(page.page, page.limit),
  ]);
  return { rows: rows.map(toRunItem), totalItems: Number(total?.n ?? 0) };
}

/** Deletes a run and its run items; the traces they point at stay. */
export async function deleteRun(tx: Db, projectId: string, runId: string): Promise<boolean> {
  await tx.run('DELETE FROM dataset_run_items WHERE project_id = ? AND run_id = ?', [projectId, runId]);
  return (await tx.run('DELETE FROM dataset_runs WHERE project_id = ? AND id = ?', [projectId, runId])).changes > 0;
}

/** The runs of a dataset with these ids (unknown ids are left out), in the order given. */
export async function getRunsByIds(db: Db, projectId: string, datasetId: string, ids: string[]): Promise<DatasetRun[]> {
  if (ids.length === 0) return [];
  const rows = await db.all(`SELECT ${RUN_COLUMNS} ${RUN_FROM} WHERE r.project_id = ? AND r.dataset_id = ? AND r.id IN (${ids.map(() => '?').join(', ')})`, [
    projectId,
    datasetId,
    ...ids,
  ]);
  const byId = new Map(rows.map((r) => [String(r.id), toRun(r)]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}
