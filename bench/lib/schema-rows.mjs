// "The same rows straight into the storage engine": the rows Sightline's schema ends up holding
// for a workload (event-log rows plus the merged trace/observation rows, tags and sessions),
// computed ahead of time in JS and then written with plain multi-row INSERT/UPSERT statements
// into the real, migrated schema — no HTTP, no validation, no merge logic in the timed part.
import { foldEvents, priceObservation } from '../../packages/core/dist/index.js';
import { OBSERVATION_COLUMNS, observationValues, TRACE_COLUMNS, traceValues } from '../../packages/storage/dist/mappers.js';

const LOG_COLUMNS = ['project_id', 'event_id', 'entity_kind', 'entity_id', 'trace_id', 'sort_key', 'body', 'received_at'];

/** Per batch: the statements' rows, with entity rows as they stand after that batch (in-order fold). */
export function schemaBatches(items) {
  const state = new Map();
  const now = Date.now();
  return items.map((item) => {
    const touched = new Map();
    const log = item.events.map((e, i) => {
      const key = `${e.kind}\u0000${e.entityId}`;
      touched.set(key, e.kind);
      state.set(key, foldEvents(state.get(key), [e], { projectId: item.projectId, now }));
      return [item.projectId, e.eventId, e.kind, e.entityId, e.kind === 'trace' ? e.entityId : (e.change.traceId ?? null), e.sortKey, item.raw[i], now];
    });
    const traces = [];
    const observations = [];
    for (const [key, kind] of touched) {
      if (kind === 'trace') traces.push(state.get(key));
      if (kind === 'observation') observations.push(priceObservation(state.get(key), []));
    }
    return {
      log,
      traces: traces.map(traceValues),
      observations: observations.map(observationValues),
      tags: traces.flatMap((t) => t.tags.map((tag) => [t.projectId, tag, t.id])),
      sessions: traces.filter((t) => t.sessionId).map((t) => [t.projectId, t.sessionId, t.environment, now]),
    };
  });
}

const STATEMENTS = [
  ['log', 'events', LOG_COLUMNS, ''],
  ['traces', 'traces', TRACE_COLUMNS, 'update'],
  ['observations', 'observations', OBSERVATION_COLUMNS, 'update'],
  ['tags', 'trace_tags', ['project_id', 'tag', 'trace_id'], 'ignore'],
  ['sessions', 'sessions', ['project_id', 'id', 'environment', 'created_at'], 'ignore'],
];

/** SQL of one multi-row statement with `?` placeholders (`$n` when `positional`). */
export function statementSql(table, columns, rows, conflict, positional) {
  let n = 0;
  const p = () => (positional ? `$${++n}` : '?');
  const values = Array.from({ length: rows }, () => `(${columns.map(p).join(', ')})`).join(', ');
  const keys = table === 'trace_tags' ? ['project_id', 'tag', 'trace_id'] : ['project_id', 'id'];
  const sets = columns.filter((c) => !keys.includes(c)).map((c) => `${c} = excluded.${c}`).join(', ');
  const suffix = conflict === 'update' ? ` ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${sets}` : conflict === 'ignore' ? ` ON CONFLICT (${keys.join(', ')}) DO NOTHING` : '';
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values}${suffix}`;
}

/** Runs one batch's statements through `exec(sql, params)`. */
export async function writeBatch(batch, exec, positional) {
  for (const [field, table, columns, conflict] of STATEMENTS) {
    const rows = batch[field];
    if (rows.length === 0) continue;
    await exec(statementSql(table, columns, rows.length, conflict, positional), rows.flat().map((v) => (typeof v === 'boolean' && !positional ? Number(v) : v)));
  }
}
