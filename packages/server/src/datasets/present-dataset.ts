import { toIso, type ScoreRecord } from '@sightline/core';
import type { Dataset, DatasetItem, DatasetRun, DatasetRunItem } from '@sightline/storage';

/** A dataset in Langfuse's response shape. */
export function presentDataset(d: Dataset) {
  return {
    id: d.id,
    name: d.name,
    description: d.description,
    metadata: d.metadata,
    inputSchema: d.inputSchema,
    expectedOutputSchema: d.expectedOutputSchema,
    projectId: d.projectId,
    createdAt: toIso(d.createdAt),
    updatedAt: toIso(d.updatedAt),
  };
}

/** A dataset item; Sightline stores no media, so `mediaReferences` is always empty. */
export function presentItem(i: DatasetItem) {
  return {
    id: i.id,
    status: i.status,
    input: i.input,
    expectedOutput: i.expectedOutput,
    metadata: i.metadata,
    sourceTraceId: i.sourceTraceId,
    sourceObservationId: i.sourceObservationId,
    datasetId: i.datasetId,
    datasetName: i.datasetName,
    createdAt: toIso(i.createdAt),
    updatedAt: toIso(i.updatedAt),
    mediaReferences: [],
  };
}

export function presentRun(r: DatasetRun) {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    metadata: r.metadata,
    datasetId: r.datasetId,
    datasetName: r.datasetName,
    createdAt: toIso(r.createdAt),
    updatedAt: toIso(r.updatedAt),
  };
}

export function presentRunItem(ri: DatasetRunItem) {
  return {
    id: ri.id,
    datasetRunId: ri.datasetRunId,
    datasetRunName: ri.datasetRunName,
    datasetItemId: ri.datasetItemId,
    traceId: ri.traceId,
    observationId: ri.observationId,
    createdAt: toIso(ri.createdAt),
    updatedAt: toIso(ri.updatedAt),
  };
}

/**
 * A score in the ScoreV3 shape the experiment reads return: `value` typed by `dataType` (a number,
 * a boolean, or the string of a categorical, text or correction score).
 */
export function presentScoreV3(s: ScoreRecord) {
  const value = s.dataType === 'NUMERIC' ? s.value : s.dataType === 'BOOLEAN' ? s.value === 1 : (s.stringValue ?? String(s.value));
  return {
    id: s.id,
    projectId: s.projectId,
    name: s.name,
    dataType: s.dataType,
    value,
    source: s.source,
    timestamp: toIso(s.timestamp),
    environment: s.environment,
    comment: s.comment,
    configId: s.configId,
    metadata: s.metadata,
    createdAt: toIso(s.createdAt),
    updatedAt: toIso(s.updatedAt),
  };
}
