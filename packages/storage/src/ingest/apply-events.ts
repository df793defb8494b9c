import {
  calculateCost,
  decodeMergeState,
  getOwn,
  encodeMergeState,
  foldEvents,
  priceObservation,
  needsReplay,
  toEntityEvent,
  validateEvent,
  type AnyRecord,
  type EntityEvent,
  type EntityKind,
  type NumberMap,
  type ObservationRecord,
  type ScoreRecord,
  type TraceRecord,
} from '@sightline/core';
import type { Db, Row, SqlDialect } from '../db.js';
import { entityKey } from '../entity-key.js';
import {
  OBSERVATION_COLUMNS, observationValues, rowToObservation, rowToScore, rowToTrace, SCORE_COLUMNS, scoreValues, TRACE_COLUMNS, traceValues,
} from '../mappers.js';
import type { IngestItem } from '../types.js';
import { listModels } from '../models/model-store.js';
import { updateRollups } from '../metrics/rollup-maintain.js';
import { TraceLatencies } from '../metrics/trace-latency.js';
import { observationSums, TotalsChange, type Membership } from '../totals/totals-change.js';
import { flushForIngestion } from '../traces/search-index.js';
import { insertRows, insertStatements, runAll, selectByIds, type Statement } from './bulk-sql.js';
import { refreshScoreMeans, scoreMeanKeys } from '../scores/trace-score-means.js';
import { GroupScoreChange } from '../totals/group-score-sums.js';

interface TableSpec {
  table: string;
  columns: readonly string[];
  values: (r: never) => unknown[];
  fromRow: (r: Row) => AnyRecord;
}

/** Each entity table, with its merge state (which event set each field) in the `merge_state` column. */
function withMergeState<R extends AnyRecord>(table: string, columns: readonly string[], values: (r: R) => unknown[], fromRow: (r: Row) => R): TableSpec {
  return {
    table,
    columns: [...columns, 'merge_state'],
    values: (r: R) => [...values(r), encodeMergeState(r.merge)],
    fromRow: (row) => ({ ...fromRow(row), merge: decodeMergeState(row.merge_state) }),
  };
}

const TABLES: Record<EntityKind, TableSpec> = {
  trace: withMergeState('traces', TRACE_COLUMNS, traceValues, rowToTrace),
  observation: withMergeState('observations', OBSERVATION_COLUMNS, observationValues, rowToObservation),
  score: withMergeState('scores', SCORE_COLUMNS, scoreValues, rowToScore),
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

/**
 * Rebuilds the entity events of one entity from its logged raw events. Sort keys are computed
 * again from the events themselves: rows logged by older versions hold keys with arrival times.
 */
function parseLogged(rows: { body: string }[]): EntityEvent[] {
  const out: EntityEvent[] = [];
  for (const row of rows) {
    const v = validateEvent(JSON.parse(row.body));
    if (!v.ok) continue;
    const e = toEntityEvent(v.event);
    if (e) out.push(e);
  }
  return out;
}

/**
 * The write path of one group commit, run inside a transaction: append the events to the log,
 * then merge the events into each touched entity. The merge is field by field and keyed by the
 * events' sort keys (fold.ts), so an event that sorts before stored ones costs no more than any
 * other: the log is read back only for a row stored before merge states existed, once.
 */
export async function applyEvents(tx: Db, dialect: SqlDialect, items: IngestItem[], now: number): Promise<void> {
  const groups = new Map<string, EntityGroup>();
  const logRows = new Map<EntityEvent, unknown[]>();
  const imported = new Set<string>();
  const importedEvents = new Set<EntityEvent>();
  for (const item of items) {
    item.events.forEach((e, i) => {
      const key = entityKey(item.projectId, e.kind, e.entityId);
      if (item.keepUsageAndCost) {
        importedEvents.add(e);
        if (e.kind === 'observation') imported.add(key);
      }
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { projectId: item.projectId, kind: e.kind, id: e.entityId, events: [] }));
      g.events.push(e);
      logRows.set(e, [item.projectId, e.eventId, e.kind, e.entityId, traceIdOf(e), e.sortKey, item.raw[i], now]);
    });
  }
  if (groups.size === 0) return;
  // Observations change their traces' totals: their traces are locked with the entities.
  // Observations change their traces' totals: their traces are locked with the entities.
  const observed = observedTraces(groups);
  const locked = new Set([...groups.keys(), ...observed.keys()]);
  await dialect.lockKeys(tx, [...locked].sort());
  const memberships = new Map<string, Membership | null>();
  const current = await loadCurrent(tx, dialect, [...groups.values()], observed, memberships);
  if (importedEvents.size > 0) dropReimported(groups, current, importedEvents);
  const newLogRows: unknown[][] = [];
  for (const g of groups.values()) for (const e of g.events) newLogRows.push(logRows.get(e)!);
  const replays = new Set([...groups].filter(([key, g]) => needsReplay(current.get(key), g.events)).map(([key]) => key));
  // The log is written with the records (one statement on PostgreSQL) unless a replay reads it back first.
  const log = insertStatements(dialect, 'events', LOG_COLUMNS, newLogRows);
  if (replays.size > 0) await runAll(tx, dialect, log.splice(0));
  const changed: Record<EntityKind, AnyRecord[]> = { trace: [], observation: [], score: [] };
  for (const [key, g] of groups) {
    const prev = current.get(key);
    const ctx = { projectId: g.projectId, now, createdAt: prev?.createdAt };
    let next: AnyRecord | undefined;
    if (replays.has(key)) {
      const logged = await tx.all<{ body: string }>(
        'SELECT body FROM events WHERE project_id = ? AND entity_kind = ? AND entity_id = ? ORDER BY seq',
        [g.projectId, g.kind, g.id],
      );
      next = foldEvents(undefined, parseLogged(logged), ctx);
      if (next && g.kind === 'trace') (next as TraceRecord).bookmarked = (prev as TraceRecord).bookmarked;
    } else {
      next = foldEvents(prev, g.events, ctx);
    }
    if (next) changed[g.kind].push(next);
  }
  changed.observation = await priceAll(tx, changed.observation as ObservationRecord[], imported);
  const totals = totalsChange(changed, current);
  // A stored observation that named another trace than its events: lock that trace too (rare; a deadlock this second round meets is retried by the driver).
  const scoreSums = scoreSumsChange(changed, current);
  const late = [...new Set([...totals.tracesTouched(), ...scoreSums.tracesTouched()])].filter((k) => !locked.has(k));
  if (late.length > 0) await dialect.lockKeys(tx, late.sort());
  // The touched traces' rollup contributions are read as stored, with the records' writes.
  const latencies = TraceLatencies.plan(dialect, changed, current);
  const traceLatencies = latencies.of(await saveRecords(tx, dialect, changed, log, latencies.reads));
  await saveSessions(tx, dialect, changed.trace as TraceRecord[], current, now);
  await totals.apply(tx, dialect, memberships);
  await scoreSums.apply(tx, dialect, memberships);
  await updateRollups(tx, dialect, changed, current, traceLatencies, totals.latencies);
  const scores = changed.score as ScoreRecord[];
  await refreshScoreMeans(tx, dialect, scoreMeanKeys(scores, scores.map((r) => current.get(entityKey(r.projectId, 'score', r.id)) as ScoreRecord | undefined)));
  await flushForIngestion(tx, dialect);
}

/**
 * The traces the commit's observation events name and the commit does not change, by entity key:
 * they are locked with the commit's entities and read with its traces (loadCurrent), for the
 * sessions and users that take their observations' totals.
 */
function observedTraces(groups: Map<string, EntityGroup>): Map<string, { projectId: string; id: string }> {
  const out = new Map<string, { projectId: string; id: string }>();
  for (const g of groups.values()) {
    // Scores too: a group's score sums count a score under its trace's session and user (totals/group-score-sums.ts).
    if (g.kind !== 'observation' && g.kind !== 'score') continue;
    for (const e of g.events) {
      const traceId = traceIdOf(e);
      if (!traceId) continue;
      const key = entityKey(g.projectId, 'trace', traceId);
      if (!groups.has(key)) out.set(key, { projectId: g.projectId, id: traceId });
    }
  }
  return out;
}

/**
 * Drops imported events that their entity has already folded (a rerun of `sightline import`
 * sends each unchanged entity's event again, with the same sort key): they are neither logged
 * nor merged again, so a rerun leaves the event log as it was.
 */
function dropReimported(groups: Map<string, EntityGroup>, current: Map<string, AnyRecord>, imported: ReadonlySet<EntityEvent>): void {
  for (const [key, g] of groups) {
    const prev = current.get(key);
    if (!prev?.merge) continue;
    const applied = new Set([prev.lastEventKey, prev.merge.first]);
    g.events = g.events.filter((e) => !(imported.has(e) && applied.has(e.sortKey)));
    if (g.events.length === 0) groups.delete(key);
  }
}

const membership = (t: TraceRecord): Membership => ({ projectId: t.projectId, id: t.id, sessionId: t.sessionId, userId: t.userId, timestamp: t.timestamp });

/** What the commit changes in the totals (totals/totals-change.ts): each changed record's new contribution against its stored one. */
function totalsChange(changed: Record<EntityKind, AnyRecord[]>, current: Map<string, AnyRecord>): TotalsChange {
  const totals = new TotalsChange();
  for (const o of changed.observation as ObservationRecord[]) {
    const prev = current.get(entityKey(o.projectId, 'observation', o.id)) as ObservationRecord | undefined;
    if (prev) totals.observation(prev.projectId, prev.traceId, observationSums(prev), -1);
    totals.observation(o.projectId, o.traceId, observationSums(o), 1);
    totals.observationTimes(prev, o);
  }
  for (const t of changed.trace as TraceRecord[]) {
    const prev = current.get(entityKey(t.projectId, 'trace', t.id)) as TraceRecord | undefined;
    totals.trace(prev && membership(prev), membership(t));
  }
  return totals;
}

/** The commit's changes to scores and to traces' sessions and users, for the groups' score sums. */
function scoreSumsChange(changed: Record<EntityKind, AnyRecord[]>, current: Map<string, AnyRecord>): GroupScoreChange {
  const change = new GroupScoreChange();
  for (const s of changed.score as ScoreRecord[]) change.score(current.get(entityKey(s.projectId, 'score', s.id)) as ScoreRecord | undefined, s);
  for (const t of changed.trace as TraceRecord[]) {
    const prev = current.get(entityKey(t.projectId, 'trace', t.id)) as TraceRecord | undefined;
    change.trace(prev && membership(prev), membership(t));
  }
  return change;
}

/**
 * Recomputes usage and cost of every changed observation from its merged state and its project's
 * models. Imported observations (`keepUsageAndCost`, keyed in `imported`) keep the usage and cost
 * they were sent with: they are priced as if no cost had been sent, and when that gives exactly
 * the usage and cost sent (the source priced them as this server does) the model's tier is kept;
 * otherwise the sent numbers stand as they are, without a tier.
 */
async function priceAll(tx: Db, observations: ObservationRecord[], imported: ReadonlySet<string>): Promise<ObservationRecord[]> {
  const byProject = new Map<string, Awaited<ReturnType<typeof listModels>>>();
  for (const o of observations) {
    if (o.model && !byProject.has(o.projectId)) byProject.set(o.projectId, await listModels(tx, o.projectId));
  }
  return observations.map((o) => {
    const models = byProject.get(o.projectId) ?? [];
    if (!imported.has(entityKey(o.projectId, 'observation', o.id))) return priceObservation(o, models);
    return keepSentUsageAndCost(o, models);
  });
}

const sameNumbers = (a: NumberMap, b: NumberMap): boolean =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => getOwn(b, k) === v);

function keepSentUsageAndCost(o: ObservationRecord, models: Parameters<typeof priceObservation>[1]): ObservationRecord {
  const sent = calculateCost(null, {
    providedUsage: o.providedUsageDetails, providedCost: o.providedCostDetails, level: o.level, input: o.input, output: o.output,
    ended: o.endTime !== null, modelParameters: o.modelParameters, metadata: o.metadata,
  });
  const priced = { ...priceObservation({ ...o, providedCostDetails: {} }, models), providedCostDetails: o.providedCostDetails };
  if (sameNumbers(priced.usageDetails, sent.usageDetails) && sameNumbers(priced.costDetails, sent.costDetails)) return priced;
  return { ...priced, usageDetails: sent.usageDetails, costDetails: sent.costDetails, totalCost: sent.totalCost, pricingTierId: null, pricingTierName: null };
}

/**
 * The stored state of each entity of the commit, by entity key. `observed` are traces (by entity
 * key) the commit's observations name without changing them: they are read in the same
 * statements, and their memberships go to `memberships` (by entity key; null: no such trace yet), not to the result.
 */
async function loadCurrent(
  tx: Db, dialect: SqlDialect, groups: EntityGroup[], observed: Map<string, { projectId: string; id: string }>, memberships: Map<string, Membership | null>,
): Promise<Map<string, AnyRecord>> {
  const wanted = new Map<string, { projectId: string; kind: EntityKind; ids: string[] }>();
  const want = (projectId: string, kind: EntityKind, id: string) => {
    const k = `${projectId}\u0000${kind}`;
    let w = wanted.get(k);
    if (!w) wanted.set(k, (w = { projectId, kind, ids: [] }));
    w.ids.push(id);
  };
  for (const g of groups) want(g.projectId, g.kind, g.id);
  for (const t of observed.values()) want(t.projectId, 'trace', t.id);
  const out = new Map<string, AnyRecord>();
  for (const w of wanted.values()) {
    const spec = TABLES[w.kind];
    const rows = await selectByIds<Row>(tx, dialect, spec.table, w.projectId, w.ids);
    for (const row of rows) {
      const rec = spec.fromRow(row);
      const key = entityKey(w.projectId, w.kind, rec.id);
      if (observed.has(key)) memberships.set(key, membership(rec as TraceRecord));
      else out.set(key, rec);
    }
  }
  for (const key of observed.keys()) if (!memberships.has(key)) memberships.set(key, null);
  return out;
}

/**
 * Writes the changed records and their tags, after `log` (the commit's events, if not written
 * yet), and runs `reads`, which see the rows as they were: one statement on PostgreSQL when they
 * fit (runAll). Returns the rows of the reads.
 */
async function saveRecords(tx: Db, dialect: SqlDialect, changed: Record<EntityKind, AnyRecord[]>, log: Statement[], reads: Statement[]): Promise<Row[]> {
  const statements = [...log];
  for (const kind of ['trace', 'observation', 'score'] as const) {
    const spec = TABLES[kind];
    const rows = changed[kind].map((r) => spec.values(r as never));
    statements.push(...insertStatements(dialect, spec.table, spec.columns, rows, { keys: ['project_id', 'id'], action: 'update' }));
  }
  const traces = changed.trace as TraceRecord[];
  // Shared rows are written in key order so concurrent writers (PostgreSQL) take their locks in one order and cannot deadlock.
  const byKey = (a: unknown[], b: unknown[]) => (a.join('\u0000') < b.join('\u0000') ? -1 : 1);
  const tagRows = traces.flatMap((t) => t.tags.map((tag) => [t.projectId, tag, t.id])).sort(byKey);
  statements.push(...insertStatements(dialect, 'trace_tags', ['project_id', 'tag', 'trace_id'], tagRows, {
    keys: ['project_id', 'tag', 'trace_id'],
    action: 'ignore',
  }));
  return runAll(tx, dialect, statements, reads);
}

/** Order of traces for sessions: timestamp, then id by code point (UTF-8 bytes), never arrival. */
export function traceBefore(a: { ts: number; id: string }, b: { ts: number; id: string }): boolean {
  return a.ts < b.ts || (a.ts === b.ts && Buffer.compare(Buffer.from(a.id), Buffer.from(b.id)) <= 0);
}

/** The first trace of a session by (timestamp, id), read after this commit's traces are written; null when no trace has the session. */
async function firstTraceOf(tx: Db, projectId: string, sessionId: string): Promise<{ ts: number; id: string; environment: string } | null> {
  // MIN(timestamp) comes from the (project_id, session_id, timestamp) index; ties on it are broken by id in code point order here.
  const rows = await tx.all<Row>(
    `SELECT id, timestamp, environment FROM traces WHERE project_id = ? AND session_id = ?
       AND timestamp = (SELECT MIN(timestamp) FROM traces WHERE project_id = ? AND session_id = ?)`,
    [projectId, sessionId, projectId, sessionId],
  );
  let first: { ts: number; id: string; environment: string } | null = null;
  for (const r of rows) {
    const candidate = { ts: Number(r.timestamp), id: String(r.id), environment: String(r.environment) };
    if (!first || traceBefore(candidate, first)) first = candidate;
  }
  return first;
}

/** Whether a trace changed what decides a session's first trace: its time, environment or session. */
function movedInSession(t: TraceRecord, previous: Map<string, AnyRecord>): boolean {
  const before = previous.get(entityKey(t.projectId, 'trace', t.id)) as TraceRecord | undefined;
  return !before || before.timestamp !== t.timestamp || before.environment !== t.environment || before.sessionId !== t.sessionId;
}

/**
 * Sessions are derived from traces: a session exists while some trace names it, and takes its
 * environment from its earliest trace by (timestamp, id). Every session this commit touches —
 * the sessions of its traces now, and any a trace just left — is brought in line with the
 * traces as stored, so the result does not depend on which commit came first. The cheap case
 * (a new session, or a trace that does not sort first in a session whose first trace kept its time,
 * environment and session) reads nothing; otherwise the session's first trace is looked up by index. Session rows are locked
 * (after the entity locks, in key order) so concurrent writers (PostgreSQL) decide one by one.
 */
async function saveSessions(tx: Db, dialect: SqlDialect, traces: TraceRecord[], previous: Map<string, AnyRecord>, now: number): Promise<void> {
  const touched = new Map<string, { projectId: string; sessionId: string; changed: TraceRecord[]; left: boolean }>();
  const touch = (projectId: string, sessionId: string) => {
    const key = entityKey(projectId, 'session', sessionId);
    let s = touched.get(key);
    if (!s) touched.set(key, (s = { projectId, sessionId, changed: [], left: false }));
    return s;
  };
  for (const t of traces) {
    if (t.sessionId) touch(t.projectId, t.sessionId).changed.push(t);
    const before = previous.get(entityKey(t.projectId, 'trace', t.id)) as TraceRecord | undefined;
    if (before?.sessionId && before.sessionId !== t.sessionId) touch(t.projectId, before.sessionId).left = true;
  }
  if (touched.size === 0) return;
  await dialect.lockKeys(tx, [...touched.keys()].sort());
  const stored = new Map<string, Row>();
  for (const projectId of new Set([...touched.values()].map((s) => s.projectId))) {
    const ids = [...touched.values()].filter((s) => s.projectId === projectId).map((s) => s.sessionId);
    for (const row of await selectByIds<Row>(tx, dialect, 'sessions', projectId, ids)) stored.set(entityKey(projectId, 'session', String(row.id)), row);
  }
  const rows: unknown[][] = [];
  const gone: { projectId: string; sessionId: string }[] = [];
  for (const [key, s] of touched) {
    const row = stored.get(key);
    const current = row && row.first_trace_id !== null ? { ts: Number(row.first_trace_timestamp), id: String(row.first_trace_id) } : undefined;
    const earliest = s.changed.reduce<TraceRecord | undefined>((a, t) => (!a || traceBefore({ ts: t.timestamp, id: t.id }, { ts: a.timestamp, id: a.id }) ? t : a), undefined);
    let first: { ts: number; id: string; environment: string } | null;
    if (!row) {
      // No row: no stored trace named this session before this commit (rows live as long as one does).
      if (!earliest) continue;
      first = { ts: earliest.timestamp, id: earliest.id, environment: earliest.environment };
    } else if (!current || s.left || traces.some((t) => t.projectId === s.projectId && t.id === current.id && movedInSession(t, previous))) {
      first = await firstTraceOf(tx, s.projectId, s.sessionId);
    } else {
      if (!earliest || !traceBefore({ ts: earliest.timestamp, id: earliest.id }, current)) continue;
      first = { ts: earliest.timestamp, id: earliest.id, environment: earliest.environment };
    }
    if (!first) gone.push(s);
    else rows.push([s.projectId, s.sessionId, first.environment, row ? Number(row.created_at) : now, first.ts, first.id]);
  }
  for (const s of gone) await tx.run('DELETE FROM sessions WHERE project_id = ? AND id = ?', [s.projectId, s.sessionId]);
  rows.sort((a, b) => (a.join('\u0000') < b.join('\u0000') ? -1 : 1));
  await insertRows(tx, dialect, 'sessions', ['project_id', 'id', 'environment', 'created_at', 'first_trace_timestamp', 'first_trace_id'], rows, {
    keys: ['project_id', 'id'],
    action: 'update',
  });
}

export type { ObservationRecord, ScoreRecord };
