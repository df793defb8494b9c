import type { TraceRecord } from '@sightline/core';
import type { Storage } from '@sightline/storage';
import type { TraceRow } from './api-types.js';

/** Score chips a trace list row shows at most. */
const CHIPS_PER_TRACE = 20;

/** The trace list's rows: each trace with its aggregates (storage's one definition) and its first scores. */
export async function traceRows(storage: Storage, projectId: string, traces: TraceRecord[]): Promise<TraceRow[]> {
  const ids = traces.map((t) => t.id);
  const [totals, chips] = await Promise.all([storage.traces.totals(projectId, ids), storage.scores.briefsOfTraces(projectId, ids, CHIPS_PER_TRACE)]);
  return traces.map((t) => {
    const a = totals.get(t.id);
    return {
      id: t.id,
      timestamp: t.timestamp,
      name: t.name,
      userId: t.userId,
      sessionId: t.sessionId,
      environment: t.environment,
      release: t.release,
      version: t.version,
      tags: t.tags,
      latencyMs: a?.latencyMs ?? null,
      totalTokens: a?.totalTokens ?? 0,
      totalCost: a?.totalCost ?? 0,
      observationCount: a?.observationCount ?? 0,
      errorCount: a?.errorCount ?? 0,
      scores: chips.get(t.id) ?? [],
    };
  });
}
