import type { Storage } from '@sightline/storage';
import { chunked } from './collect-pages.js';
import type { TraceContext } from './observation-v2.js';

/** Traces per lookup query: the same bound as a trace list page. */
const LOOKUP_CHUNK = 100;

/** The traces of `traceIds` (those that exist), by id, loaded a page of ids per query. */
export async function loadTraceContexts(storage: Storage, projectId: string, traceIds: Iterable<string | null>): Promise<Map<string, TraceContext>> {
  const ids = [...new Set([...traceIds].filter((id): id is string => id !== null))];
  const byId = new Map<string, TraceContext>();
  for (const part of chunked(ids, LOOKUP_CHUNK)) {
    const { rows } = await storage.traces.list(projectId, {
      page: 1,
      limit: part.length,
      filter: [{ type: 'stringOptions', column: 'id', operator: 'any of', value: part }],
      withObservations: false,
      withScores: false,
      withMetrics: false,
    });
    for (const t of rows) byId.set(t.id, t);
  }
  return byId;
}
