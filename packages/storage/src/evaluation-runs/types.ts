import type { JobState } from '../jobs/types.js';

/**
 * How far a rule's scanner has queued new targets: an event-log position for traces and
 * observations, a (created_at, id) position for experiment run items. Starts at the rule's creation.
 */
export interface EvaluationWatermark {
  projectId: string;
  ruleId: string;
  seq: number;
  at: number;
  id: string;
}

/** The position a new watermark starts from. */
export interface WatermarkStart {
  seq: number;
  at: number;
}

/** A page of the event log: the targets that had events in it. */
export interface TargetChangePage {
  ids: string[];
  /** Where the next page starts (the range's end once `done`). */
  lastSeq: number;
  done: boolean;
}

/** A dataset run item with what an experiment evaluation needs to find its dataset item and trace. */
export interface RunItemTarget {
  id: string;
  datasetId: string;
  runId: string;
  datasetItemId: string;
  traceId: string;
  observationId: string | null;
  createdAt: number;
}

export type JobStateCounts = Record<JobState, number>;
