import type { TraceRecord } from '@sightline/core';
import type { Storage } from '@sightline/storage';
import { loadPromptIds } from '../query/prompt-links.js';
import { presentTraceDetail } from '../query/trace-detail.js';

/** One exported trace: exactly the body of `GET /api/public/traces/{id}`. */
export type TraceDocument = ReturnType<typeof presentTraceDetail>;

const ALL_FIELDS = { io: true, scores: true, observations: true, metrics: true };

/**
 * Turns pages of traces into pages of full trace documents: per page one query each for the
 * observations, the scores, the totals and the prompt links, never one per trace.
 */
export async function* traceDocuments(storage: Storage, projectId: string, pages: AsyncIterable<TraceRecord[]>): AsyncGenerator<TraceDocument[]> {
  for await (const traces of pages) {
    if (traces.length === 0) continue;
    const ids = traces.map((t) => t.id);
    const [observations, scores, totals] = await Promise.all([
      storage.observations.ofTraces(projectId, ids),
      storage.scores.ofTraces(projectId, ids),
      storage.traces.totals(projectId, ids),
    ]);
    const promptIdOf = await loadPromptIds(storage, projectId, observations);
    const obsOf = groupBy(observations, (o) => o.traceId);
    const scoresOf = groupBy(scores, (s) => s.traceId);
    yield traces.map((t) => presentTraceDetail(t, obsOf.get(t.id) ?? [], scoresOf.get(t.id) ?? [], totals.get(t.id), ALL_FIELDS, promptIdOf));
  }
}

function groupBy<T>(items: T[], key: (item: T) => string | null): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === null) continue;
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
