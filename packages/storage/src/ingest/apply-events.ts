import {
  foldEvents,
  priceObservation,
  needsReplay,
  toEntityEvent,
  validateEvent,
  type AnyRecord,
  type EntityEvent,
  type EntityKind,
  type ObservationRecord,
  type ScoreRecord,
  type TraceRecord,
} from '@sightline/core';
import type { Db, Row, SqlDialect } from '../db.js';
import {
  OBSERVATION_COLUMNS, observationValues, rowToObservation, rowToScore, rowToTrace, SCORE_COLUMNS, scoreValues, TRACE_COLUMNS, traceValues,
} from '../mappers.js';
import type { IngestItem } from '../storage.js';
import { listModels } from '../models.js';
import { updateRollups } from '../metrics/rollup-maintain.js';
import { insertRows, selectByIds } from './bulk-sql.js';

const TABLES: Record<EntityKind, { table: string; columns: readonly string[]; values: (r: never) => unknown[]; fromRow: (r: Row) => AnyRecord }> = {
  trace: { table: 'traces', columns: TRACE_COLUMNS, values: traceValues as (r: never) => unknown[], fromRow: rowToTrace },
  observation: { table: 'observations', columns: OBSERVATION_COLUMNS, values: observationValues as (r: never) => unknown[], fromRow: rowToObservation },
  score: { table: 'scores', columns: SCORE_COLUMNS, values: scoreValues as (r: never) => unknown[], fromRow: rowToScore },
};

const LOG_COLUMNS = ['project_id', 'event_id', 'entity_kind', 'entity_id', 'trace_id', 'sort_key', 'body', 'received_at'] as const;

interface EntityGroup {
  projectId: string;
  kind: EntityKind;
  id: string;
  events: EntityEvent[];
}

const traceIdOf = (e: EntityEvent): string | null =>
  e.kind === 'trace' ? e.entityId : (e.change.traceId ?? null);

/** Rebuilds the entity events of one entity from its logged raw events, keeping their logged order keys. */
function parseLogged(rows: { body: string; sort_key: string }[]): EntityEvent[] {
  const out: EntityEvent[] = [];
  for (const row of rows) {
    const v = validateEvent(JSON.parse(row.body));
    if (!v.ok) continue;
    const e = toEntityEvent(v.event);
    if (e) out.push({ ...e, sortKey: row.sort_key });
  }
  return out;
}

/**
 * The write path of one group commit, run inside a transaction: append the events to the log,
 * then fold each touched entity. An entity whose new events all sort after its stored state is
 * folded incrementally; otherwise its whole log is replayed, so arrival order never matters.
 */
export async function applyEvents(tx: Db, dialect: SqlDialect, items: IngestItem[], now: number): Promise<void> {
  const groups = new Map<string, EntityGroup>();
  const logRows: unknown[][] = [];
  for (const item of items) {
    item.events.forEach((e, i) => {
      const key = `${item.projectId}\u0000${e.kind}\u0000${e.entityId}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { projectId: item.projectId, kind: e.kind, id: e.entityId, events: [] }));
      g.events.push(e);
      logRows.push([item.projectId, e.eventId, e.kind, e.entityId, traceIdOf(e), e.sortKey, item.raw[i], now]);
    });
  }
  if (groups.size === 0) return;
  await dialect.lockKeys(tx, [...groups.keys()].sort());
  await insertRows(tx, dialect.maxParams, 'events', LOG_COLUMNS, logRows);

  const current = await loadCurrent(tx, dialect, [...groups.values()]);
  const changed: Record<EntityKind, AnyRecord[]> = { trace: [], observation: [], score: [] };
  for (const [key, g] of groups) {
    const prev = current.get(key);
    const ctx = { projectId: g.projectId, now, createdAt: prev?.createdAt };
    let next: AnyRecord | undefined;
    if (needsReplay(prev, g.events)) {
      const logged = await tx.all<{ body: string; sort_key: string }>(
        'SELECT body, sort_key FROM events WHERE project_id = ? AND entity_kind = ? AND entity_id = ? ORDER BY seq',
        [g.projectId, g.kind, g.id],
      );
      next = foldEvents(undefined, parseLogged(logged), ctx);
      if (next && g.kind === 'trace') (next as TraceRecord).bookmarked = (prev as TraceRecord).bookmarked;
    } else {
      next = foldEvents(prev, g.events, ctx);
    }
    if (next) changed[g.kind].push(next);
  }
  changed.observation = await priceAll(tx, changed.observation as ObservationRecord[]);
  await saveRecords(tx, dialect, changed, now);
  await updateRollups(tx, dialect, changed, current);
}

/** Recomputes usage and cost of every changed observation from its merged state and its project's models. */
async function priceAll(tx: Db, observations: ObservationRecord[]): Promise<ObservationRecord[]> {
  const byProject = new Map<string, Awaited<ReturnType<typeof listModels>>>();
  for (const o of observations) {
    if (o.model && !byProject.has(o.projectId)) byProject.set(o.projectId, await listModels(tx, o.projectId));
  }
  return observations.map((o) => priceObservation(o, byProject.get(o.projectId) ?? []));
}

async function loadCurrent(tx: Db, dialect: SqlDialect, groups: EntityGroup[]): Promise<Map<string, AnyRecord>> {
  const wanted = new Map<string, { projectId: string; kind: EntityKind; ids: string[] }>();
  for (const g of groups) {
    const k = `${g.projectId}\u0000${g.kind}`;
    let w = wanted.get(k);
    if (!w) wanted.set(k, (w = { projectId: g.projectId, kind: g.kind, ids: [] }));
    w.ids.push(g.id);
  }
  const out = new Map<string, AnyRecord>();
  for (const w of wanted.values()) {
    const spec = TABLES[w.kind];
    const rows = await selectByIds<Row>(tx, dialect.maxParams, spec.table, w.projectId, w.ids);
    for (const row of rows) {
      const rec = spec.fromRow(row);
      out.set(`${w.projectId}\u0000${w.kind}\u0000${rec.id}`, rec);
    }
  }
  return out;
}

async function saveRecords(tx: Db, dialect: SqlDialect, changed: Record<EntityKind, AnyRecord[]>, now: number): Promise<void> {
  for (const kind of ['trace', 'observation', 'score'] as const) {
    const spec = TABLES[kind];
    const rows = changed[kind].map((r) => spec.values(r as never));
    await insertRows(tx, dialect.maxParams, spec.table, spec.columns, rows, { keys: ['project_id', 'id'], action: 'update' });
  }
  const traces = changed.trace as TraceRecord[];
  // Shared rows are written in key order so concurrent writers (PostgreSQL) take their locks in one order and cannot deadlock.
  const byKey = (a: unknown[], b: unknown[]) => (a.join('\u0000') < b.join('\u0000') ? -1 : 1);
  const tagRows = traces.flatMap((t) => t.tags.map((tag) => [t.projectId, tag, t.id])).sort(byKey);
  await insertRows(tx, dialect.maxParams, 'trace_tags', ['project_id', 'tag', 'trace_id'], tagRows, {
    keys: ['project_id', 'tag', 'trace_id'],
    action: 'ignore',
  });
  // A session takes its environment from its earliest trace (timestamp, then id) among those committed together.
  const firstTrace = new Map<string, TraceRecord>();
  for (const t of traces) {
    if (!t.sessionId) continue;
    const key = `${t.projectId}\u0000${t.sessionId}`;
    const seen = firstTrace.get(key);
    if (!seen || t.timestamp < seen.timestamp || (t.timestamp === seen.timestamp && t.id < seen.id)) firstTrace.set(key, t);
  }
  const sessionRows = [...firstTrace.values()].map((t) => [t.projectId, t.sessionId, t.environment, now]).sort(byKey);
  await insertRows(tx, dialect.maxParams, 'sessions', ['project_id', 'id', 'environment', 'created_at'], sessionRows, {
    keys: ['project_id', 'id'],
    action: 'ignore',
  });
}

export type { ObservationRecord, ScoreRecord };
