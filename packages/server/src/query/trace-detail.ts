import { exactSum, type ObservationRecord, type ScoreRecord, type TraceRecord } from '@sightline/core';
import { presentObservation, presentScore, presentTrace } from './presenters.js';
import type { TraceFields } from './trace-fields.js';

/**
 * Seconds from the first to the last instant of the trace's observations (start or end), as
 * Langfuse computes it: the end-time span when ends are known, else the start-time span, else 0.
 */
export function traceLatency(observations: readonly ObservationRecord[]): number {
  if (observations.length === 0) return 0;
  let first = Infinity;
  let last = -Infinity;
  for (const o of observations) {
    first = Math.min(first, o.startTime, o.endTime ?? Infinity);
    last = Math.max(last, o.startTime, o.endTime ?? -Infinity);
  }
  return (last - first) / 1000;
}

/** Exact sum of the observations' total costs; observations without a known cost add nothing. */
export const traceTotalCost = (observations: readonly ObservationRecord[]): number => exactSum(observations.map((o) => o.totalCost ?? 0));

/** GET /traces/{id}: the trace with its observations and scores embedded in full. */
export function presentTraceDetail(trace: TraceRecord, observations: ObservationRecord[], scores: ScoreRecord[], fields: TraceFields) {
  return {
    ...presentTrace(trace, { io: fields.io }),
    observations: fields.observations ? observations.map(presentObservation) : [],
    scores: fields.scores ? scores.map(presentScore) : [],
    latency: fields.metrics ? traceLatency(observations) : -1,
    totalCost: fields.metrics ? traceTotalCost(observations) : -1,
  };
}
