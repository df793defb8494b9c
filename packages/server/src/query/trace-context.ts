import type { Storage } from '@sightline/storage';
import { chunked } from './collect-pages.js';
import type { TraceContext } from './observation-v2.js';

/** Traces per lookup query: the same bound as a trace list page. */
const LOOKUP_CHUNK = 100;

/** The traces of `traceIds` (those that exist), by id, looked up by primary key a page of ids per query. */
export async function loadTraceContexts(storage: Storage, projectId: string, traceIds: Iterable<string | null>): Promise<Map<string, TraceContext>> {
  const ids = [...new Set([...traceIds].filter((id): id is string => id !== null))];
  const byId = new Map<string, TraceContext>();
  // getMany, not a filtered list: a list orders by time and counts, which walks the project's traces.
  for (const part of chunked(ids, LOOKUP_CHUNK)) for (const t of await storage.traces.getMany(projectId, part)) byId.set(t.id, t);
  return byId;
}
