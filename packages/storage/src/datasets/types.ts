import type { Page } from '../types.js';

export type DatasetItemStatus = 'ACTIVE' | 'ARCHIVED';

/** A named test set of a project; its name is unique in the project. */
export interface Dataset {
  id: string;
  projectId: string;
  name: string;
  description: string | null;
  metadata: unknown;
  inputSchema: unknown;
  expectedOutputSchema: unknown;
  createdAt: number;
  updatedAt: number;
}

/** A dataset to create, or the fields to change when the name exists (undefined keeps the stored value). */
export interface DatasetUpsert {
  id: string;
  projectId: string;
  name: string;
  description?: string | null;
  metadata?: unknown;
  inputSchema?: unknown;
  expectedOutputSchema?: unknown;
  at: number;
}

export interface DatasetItem {
  id: string;
  projectId: string;
  datasetId: string;
  datasetName: string;
  status: DatasetItemStatus;
  input: unknown;
  expectedOutput: unknown;
  metadata: unknown;
  sourceTraceId: string | null;
  sourceObservationId: string | null;
  createdAt: number;
  updatedAt: number;
}

/** An item to create, or the fields to change when the id exists (undefined keeps the stored value). */
export interface DatasetItemUpsert {
  id: string;
  projectId: string;
  datasetId: string;
  status?: DatasetItemStatus;
  input?: unknown;
  expectedOutput?: unknown;
  metadata?: unknown;
  sourceTraceId?: string | null;
  sourceObservationId?: string | null;
  at: number;
}

/** The item id is already taken by an item of another dataset of the project. */
export interface ItemInOtherDataset {
  otherDatasetId: string;
}

export interface DatasetItemQuery extends Page {
  datasetId?: string;
  sourceTraceId?: string;
  sourceObservationId?: string;
  /** Epoch ms: the items as they were at that instant (needs `datasetId`). */
  version?: number;
  /** Include archived items (the current state only). */
  includeArchived?: boolean;
}

export interface DatasetRun {
  id: string;
  projectId: string;
  datasetId: string;
  datasetName: string;
  name: string;
  description: string | null;
  metadata: unknown;
  createdAt: number;
  updatedAt: number;
}

export interface DatasetRunItem {
  id: string;
  projectId: string;
  datasetRunId: string;
  datasetRunName: string;
  datasetItemId: string;
  traceId: string;
  observationId: string | null;
  createdAt: number;
  updatedAt: number;
}

/** A run item to add; the run is created by name on first use, its description and metadata updated when given. */
export interface RunItemLink {
  projectId: string;
  datasetId: string;
  runId: string;
  runName: string;
  runDescription?: string | null;
  runMetadata?: unknown;
  itemId: string;
  datasetItemId: string;
  traceId: string;
  observationId: string | null;
  at: number;
}

/** Experiments are dataset runs seen through the newer API: one row per run with its items' time span. */
export interface Experiment {
  id: string;
  name: string;
  description: string | null;
  datasetId: string;
  metadata: unknown;
  startTime: number;
  endTime: number;
  itemCount: number;
}

export interface ExperimentQuery {
  fromStartTime: number;
  toStartTime?: number;
  ids?: string[];
  names?: string[];
  datasetIds?: string[];
  limit: number;
  offset: number;
}

export interface ExperimentItem {
  id: string;
  traceId: string;
  observationId: string | null;
  startTime: number;
  experimentId: string;
  experimentName: string;
  experimentDescription: string | null;
  experimentMetadata: unknown;
  experimentItemId: string;
  datasetId: string;
  input: unknown;
  expectedOutput: unknown;
  itemMetadata: unknown;
}

export interface ExperimentItemQuery {
  fromStartTime: number;
  toStartTime?: number;
  experimentIds?: string[];
  experimentNames?: string[];
  itemIds?: string[];
  datasetIds?: string[];
  limit: number;
  offset: number;
}

/** A dataset's active items and its runs, for the datasets table. */
export interface DatasetCounts {
  itemCount: number;
  runCount: number;
  /** When its newest run was created; null without runs. */
  lastRunAt: number | null;
}

/** A score on a run item's trace (or on the observation it links), as the run comparison reads it. */
export interface RunItemScore {
  name: string;
  value: number;
  dataType: string;
  stringValue: string | null;
}

/** JSON text cut to a preview length, with the length of the whole text. */
export interface TextPreview {
  text: string | null;
  length: number;
}

/** One run item with what a run's aggregates and the run comparison show of it. */
export interface RunItemFacts {
  runItemId: string;
  runId: string;
  datasetItemId: string;
  traceId: string;
  observationId: string | null;
  createdAt: number;
  /** The linked observation's span, or the trace's (as trace aggregates define it); null without observations. */
  latencyMs: number | null;
  /** Exact sum of the costs of the same observations. */
  totalCost: number;
  /** The observation's output when the run item links one, else the trace's; null unless asked for. */
  output: TextPreview | null;
  scores: RunItemScore[];
}

/** A dataset item as the run comparison shows it: its current input and expected output, previewed. */
export interface ComparedItem {
  id: string;
  status: DatasetItemStatus;
  input: TextPreview;
  expectedOutput: TextPreview;
}

/** A score that targets a run as a whole (`datasetRunId`). */
export interface RunScore extends RunItemScore {
  runId: string;
}
