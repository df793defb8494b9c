import type { Db, SqlDialect, WritableDb } from '../db.js';
import { entityKey } from '../entity-key.js';
import { getDatasetByName, getItem } from './read-datasets.js';
import { toJson } from './rows.js';
import type { Dataset, DatasetItem, DatasetItemUpsert, DatasetUpsert, ItemInOtherDataset } from './types.js';

/**
 * Creates a dataset or, when the name exists, changes the fields given (absent or null keeps the
 * stored value). The unique (project, name) index makes two concurrent creates one dataset.
 */
export async function upsertDataset(tx: Db, u: DatasetUpsert): Promise<Dataset> {
  await tx.run(
    `INSERT INTO datasets (project_id, id, name, description, metadata, input_schema, expected_output_schema, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (project_id, name) DO UPDATE SET
       description = COALESCE(excluded.description, datasets.description),
       metadata = COALESCE(excluded.metadata, datasets.metadata),
       input_schema = COALESCE(excluded.input_schema, datasets.input_schema),
       expected_output_schema = COALESCE(excluded.expected_output_schema, datasets.expected_output_schema),
       updated_at = excluded.updated_at`,
    [u.projectId, u.id, u.name, u.description ?? null, toJson(u.metadata), toJson(u.inputSchema), toJson(u.expectedOutputSchema), u.at, u.at],
  );
  return (await getDatasetByName(tx, u.projectId, u.name))!;
}

const lockItem = (tx: Db, d: SqlDialect, projectId: string, id: string) => d.lockKeys(tx, [entityKey(projectId, 'dataset-item', id)]);

interface VersionRow {
  valid_from: number;
  valid_to: number | null;
}

/**
 * Writes the item's state as of `at` into its history: the open version is closed at `at` and
 * a new one opened. A version that would last no time (a second write in the same millisecond,
 * or a clock behind the last write) is overwritten instead, so history never overlaps.
 */
async function recordVersion(tx: Db, projectId: string, itemId: string, at: number, values: unknown[]): Promise<void> {
  const last = await tx.get<VersionRow>(
    'SELECT valid_from, valid_to FROM dataset_item_versions WHERE project_id = ? AND item_id = ? ORDER BY valid_from DESC LIMIT 1',
    [projectId, itemId],
  );
  const from = Math.max(at, Number(last?.valid_from ?? at), Number(last?.valid_to ?? at));
  if (last && Number(last.valid_from) === from) {
    await tx.run(
      `UPDATE dataset_item_versions SET valid_to = NULL, dataset_id = ?, status = ?, input = ?, expected_output = ?, metadata = ?,
         source_trace_id = ?, source_observation_id = ?, created_at = ?, updated_at = ? WHERE project_id = ? AND item_id = ? AND valid_from = ?`,
      [...values, projectId, itemId, from],
    );
    return;
  }
  await tx.run('UPDATE dataset_item_versions SET valid_to = ? WHERE project_id = ? AND item_id = ? AND valid_to IS NULL', [from, projectId, itemId]);
  await tx.run(
    `INSERT INTO dataset_item_versions (project_id, item_id, valid_from, valid_to, dataset_id, status, input, expected_output, metadata,
       source_trace_id, source_observation_id, created_at, updated_at) VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [projectId, itemId, from, ...values],
  );
}

/**
 * Creates an item or changes the fields given (absent keeps the stored value), keeping the
 * current state in `dataset_items` (cheap to list) and every state in `dataset_item_versions`
 * (a versioned read is one range query). Writes to one item run under the item's lock.
 */
export async function upsertItem(tx: Db, d: SqlDialect, u: DatasetItemUpsert): Promise<DatasetItem | ItemInOtherDataset> {
  await lockItem(tx, d, u.projectId, u.id);
  const old = await getItem(tx, u.projectId, u.id);
  if (old && old.datasetId !== u.datasetId) return { otherDatasetId: old.datasetId };
  const keep = <T>(v: T | undefined, stored: T | undefined): T | null => (v !== undefined && v !== null ? v : (stored ?? null));
  const values = [
    u.datasetId,
    u.status ?? old?.status ?? 'ACTIVE',
    toJson(keep(u.input, old?.input)),
    toJson(keep(u.expectedOutput, old?.expectedOutput)),
    toJson(keep(u.metadata, old?.metadata)),
    keep(u.sourceTraceId, old?.sourceTraceId),
    keep(u.sourceObservationId, old?.sourceObservationId),
    old?.createdAt ?? u.at,
    u.at,
  ];
  await tx.run(
    `INSERT INTO dataset_items (project_id, id, dataset_id, status, input, expected_output, metadata, source_trace_id, source_observation_id, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (project_id, id) DO UPDATE SET status = excluded.status, input = excluded.input, expected_output = excluded.expected_output,
       metadata = excluded.metadata, source_trace_id = excluded.source_trace_id, source_observation_id = excluded.source_observation_id, updated_at = excluded.updated_at`,
    [u.projectId, u.id, ...values],
  );
  await recordVersion(tx, u.projectId, u.id, u.at, values);
  return (await getItem(tx, u.projectId, u.id))!;
}

/** Deletes an item and its run items; its history ends at `at` (reads of earlier versions still see it). */
export async function deleteItem(tx: Db, d: SqlDialect, projectId: string, id: string, at: number): Promise<boolean> {
  await lockItem(tx, d, projectId, id);
  const { changes } = await tx.run('DELETE FROM dataset_items WHERE project_id = ? AND id = ?', [projectId, id]);
  if (changes === 0) return false;
  await tx.run(
    'UPDATE dataset_item_versions SET valid_to = CASE WHEN valid_from > ? THEN valid_from ELSE ? END WHERE project_id = ? AND item_id = ? AND valid_to IS NULL',
    [at, at, projectId, id],
  );
  await tx.run('DELETE FROM dataset_run_items WHERE project_id = ? AND dataset_item_id = ?', [projectId, id]);
  return true;
}

/** Upserts many items in one transaction; when an id is held by another dataset, nothing is written and that conflict is returned. */
export async function upsertItems(db: WritableDb, d: SqlDialect, items: DatasetItemUpsert[]): Promise<DatasetItem[] | ItemInOtherDataset> {
  let conflict: ItemInOtherDataset | null = null;
  try {
    return await db.transaction(async (tx) => {
      const saved: DatasetItem[] = [];
      for (const item of items) {
        const one = await upsertItem(tx, d, item);
        if ('otherDatasetId' in one) {
          conflict = one;
          throw new Error('dataset item id held by another dataset: rolled back');
        }
        saved.push(one);
      }
      return saved;
    });
  } catch (err) {
    if (conflict) return conflict;
    throw err;
  }
}
