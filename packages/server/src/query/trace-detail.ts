import type { ObservationRecord, ScoreRecord, TraceRecord } from '@sightline/core';
import type { ObservationTotals } from '@sightline/storage';
import type { PromptIdOf } from './prompt-links.js';
import { presentObservation, presentScore, presentTrace, presentTraceMetrics } from './presenters.js';
import type { TraceFields } from './trace-fields.js';

/** GET /traces/{id}: the trace with its observations and scores embedded in full, and its storage totals. */
export function presentTraceDetail(
  trace: TraceRecord,
  observations: ObservationRecord[],
  scores: ScoreRecord[],
  totals: ObservationTotals | undefined,
  fields: TraceFields,
  promptIdOf: PromptIdOf,
) {
  return {
    ...presentTrace(trace, { io: fields.io }),
    observations: fields.observations ? observations.map((o) => presentObservation(o, promptIdOf)) : [],
    scores: fields.scores ? scores.map(presentScore) : [],
    ...presentTraceMetrics(fields.metrics ? totals : undefined),
  };
}
