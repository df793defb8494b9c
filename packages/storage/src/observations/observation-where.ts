import type { SqlDialect } from '../db.js';
import type { ObservationQuery } from './observation-store.js';
import { compileFilter } from '../queries/filter-sql.js';
import { Where } from '../queries/where.js';

/** Condition on the observation's trace (alias `o`), for filters that live on the trace. */
const onTrace = (condition: string): string =>
  `EXISTS (SELECT 1 FROM traces t WHERE t.project_id = o.project_id AND t.id = o.trace_id AND ${condition})`;

/** The WHERE clause shared by the page- and cursor-based observation lists (table alias `o`). */
export function observationWhere(d: SqlDialect, projectId: string, q: ObservationQuery): Where {
  const w = new Where().eq('o.project_id', projectId);
  if (q.userId !== undefined) w.add(onTrace('t.user_id = ?'), q.userId);
  if (q.sessionId !== undefined) w.add(onTrace('t.session_id = ?'), q.sessionId);
  if (q.isRootObservation !== undefined) w.add(`o.parent_observation_id IS ${q.isRootObservation ? '' : 'NOT '}NULL`);
  w.eq('o.name', q.name)
    .eq('o.type', q.type)
    .eq('o.trace_id', q.traceId)
    .eq('o.level', q.level)
    .eq('o.parent_observation_id', q.parentObservationId)
    .in('o.environment', q.environment)
    .cmp('o.start_time', '>=', q.fromStartTime)
    .cmp('o.start_time', '<', q.toStartTime)
    .eq('o.version', q.version);
  for (const f of compileFilter('observations', q.filter ?? [], d, 'o')) w.fragment(f);
  return w;
}
