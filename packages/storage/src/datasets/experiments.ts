import type { Db } from '../db.js';
import { Where } from '../queries/where.js';
import { fromJson } from './rows.js';
import type { Experiment, ExperimentItem, ExperimentItemQuery, ExperimentQuery } from './types.js';

/**
 * Experiments (Langfuse's newer name for dataset runs): each run with the time span and count
 * of its items linked in the window, latest activity first.
 */
export async function listExperiments(db: Db, projectId: string, q: ExperimentQuery): Promise<Experiment[]> {
  const w = new Where().eq('r.project_id', projectId).cmp('ri.created_at', '>=', q.fromStartTime).cmp('ri.created_at', '<', q.toStartTime);
  w.in('r.id', q.ids).in('r.name', q.names).in('r.dataset_id', q.datasetIds);
  const rows = await db.all(
    `SELECT r.id, r.name, r.description, r.dataset_id, r.metadata, MIN(ri.created_at) AS start_time, MAX(ri.created_at) AS end_time, COUNT(*) AS item_count
     FROM dataset_runs r JOIN dataset_run_items ri ON ri.project_id = r.project_id AND ri.run_id = r.id ${w.sql}
     GROUP BY r.id, r.name, r.description, r.dataset_id, r.metadata ORDER BY MAX(ri.created_at) DESC, r.id LIMIT ? OFFSET ?`,
    [...w.params, q.limit, q.offset],
  );
  return rows.map((r) => ({
    id: String(r.id),
    name: String(r.name),
    description: r.description == null ? null : String(r.description),
    datasetId: String(r.dataset_id),
    metadata: fromJson(r.metadata),
    startTime: Number(r.start_time),
    endTime: Number(r.end_time),
    itemCount: Number(r.item_count),
  }));
}

/** Run items with their run and dataset item, newest first. */
export async function listExperimentItems(db: Db, projectId: string, q: ExperimentItemQuery): Promise<ExperimentItem[]> {
  const w = new Where().eq('ri.project_id', projectId).cmp('ri.created_at', '>=', q.fromStartTime).cmp('ri.created_at', '<', q.toStartTime);
  w.in('r.id', q.experimentIds).in('r.name', q.experimentNames).in('ri.dataset_item_id', q.itemIds).in('r.dataset_id', q.datasetIds);
  const rows = await db.all(
    `SELECT ri.id, ri.trace_id, ri.observation_id, ri.created_at, ri.dataset_item_id, r.id AS run_id, r.name AS run_name, r.description AS run_description,
       r.metadata AS run_metadata, r.dataset_id, i.input, i.expected_output, i.metadata AS item_metadata
     FROM dataset_run_items ri JOIN dataset_runs r ON r.project_id = ri.project_id AND r.id = ri.run_id
     LEFT JOIN dataset_items i ON i.project_id = ri.project_id AND i.id = ri.dataset_item_id
     ${w.sql} ORDER BY ri.created_at DESC, ri.id LIMIT ? OFFSET ?`,
    [...w.params, q.limit, q.offset],
  );
  return rows.map((r) => ({
    id: String(r.id),
    traceId: String(r.trace_id),
    observationId: r.observation_id == null ? null : String(r.observation_id),
    startTime: Number(r.created_at),
    experimentId: String(r.run_id),
    experimentName: String(r.run_name),
    experimentDescription: r.run_description == null ? null : String(r.run_description),
    experimentMetadata: fromJson(r.run_metadata),
    experimentItemId: String(r.dataset_item_id),
    datasetId: String(r.dataset_id),
    input: fromJson(r.input),
    expectedOutput: fromJson(r.expected_output),
    itemMetadata: fromJson(r.item_metadata),
  }));
}
