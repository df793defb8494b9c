import type { Row } from '../db.js';
import type { Dataset, DatasetItem, DatasetItemStatus, DatasetRun, DatasetRunItem } from './types.js';

/** JSON columns hold NULL for "no value"; anything else is JSON text. */
export const toJson = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v));
export const fromJson = (v: unknown): unknown => (v === null || v === undefined ? null : JSON.parse(String(v)));
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export const DATASET_COLUMNS = 'd.project_id, d.id, d.name, d.description, d.metadata, d.input_schema, d.expected_output_schema, d.created_at, d.updated_at';

export function toDataset(r: Row): Dataset {
  return {
    id: String(r.id),
    projectId: String(r.project_id),
    name: String(r.name),
    description: str(r.description),
    metadata: fromJson(r.metadata),
    inputSchema: fromJson(r.input_schema),
    expectedOutputSchema: fromJson(r.expected_output_schema),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

/** Columns shared by `dataset_items` and `dataset_item_versions` (alias `i`), plus the dataset's name (alias `d`). */
export const ITEM_FIELDS = 'i.project_id, i.dataset_id, i.status, i.input, i.expected_output, i.metadata, i.source_trace_id, i.source_observation_id, i.created_at, i.updated_at, d.name AS dataset_name';

export function toItem(r: Row): DatasetItem {
  return {
    id: String(r.id),
    projectId: String(r.project_id),
    datasetId: String(r.dataset_id),
    datasetName: String(r.dataset_name),
    status: String(r.status) as DatasetItemStatus,
    input: fromJson(r.input),
    expectedOutput: fromJson(r.expected_output),
    metadata: fromJson(r.metadata),
    sourceTraceId: str(r.source_trace_id),
    sourceObservationId: str(r.source_observation_id),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

export const RUN_COLUMNS = 'r.project_id, r.id, r.dataset_id, r.name, r.description, r.metadata, r.created_at, r.updated_at, d.name AS dataset_name';

export function toRun(r: Row): DatasetRun {
  return {
    id: String(r.id),
    projectId: String(r.project_id),
    datasetId: String(r.dataset_id),
    datasetName: String(r.dataset_name),
    name: String(r.name),
    description: str(r.description),
    metadata: fromJson(r.metadata),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

export const RUN_ITEM_COLUMNS = 'ri.project_id, ri.id, ri.run_id, ri.dataset_item_id, ri.trace_id, ri.observation_id, ri.created_at, ri.updated_at, r.name AS run_name';

export function toRunItem(r: Row): DatasetRunItem {
  return {
    id: String(r.id),
    projectId: String(r.project_id),
    datasetRunId: String(r.run_id),
    datasetRunName: String(r.run_name),
    datasetItemId: String(r.dataset_item_id),
    traceId: String(r.trace_id),
    observationId: str(r.observation_id),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}
