import { fromDecimal, toDecimal } from '@sightline/core';
import type { Db, Row, SqlDialect } from '../db.js';
import { chunks, placeholders } from './where.js';

/*
 * The one read model of trace aggregates. The latency, cost, tokens and counts of a trace — and
 * of a session or a user, over all their traces — are defined here and nowhere else: the public
 * API, the UI lists, the trace page, sessions and users all read them through this file.
 */

/** Aggregates over a set of observations (one trace's, or all of a session's or a user's traces'). */
export interface ObservationTotals {
  /**
   * Milliseconds from the earliest to the latest of the observations' start and end times (as
   * Langfuse defines it: the start-time span while nothing has ended). Null without observations
   * (the public API reads that as 0, the UI shows "–").
   */
  latencyMs: number | null;
  /** Exact decimal sum of the observations' total costs, to 12 decimals as Langfuse stores them; 0 without costs. */
  totalCost: number;
  /** Sum of the observations' `total` usage. */
  totalTokens: number;
  observationCount: number;
  errorCount: number;
}

/** A session's or a user's aggregates: its traces' observations plus the traces themselves. */
export interface TraceGroupTotals extends ObservationTotals {
  traceCount: number;
  /** Timestamps of the group's first and last trace; null without traces. */
  firstTrace: number | null;
  lastTrace: number | null;
}

const EMPTY: ObservationTotals = { latencyMs: null, totalCost: 0, totalTokens: 0, observationCount: 0, errorCount: 0 };

/** SQL: the `total` usage of an observation as a number (NULL when absent). */
export const totalTokensSql = (d: SqlDialect, column: string): { sql: string; params: unknown[] } => {
  const j = d.jsonText(column, 'total');
  return { sql: `CAST(${j.sql} AS DOUBLE PRECISION)`, params: j.params };
};

/**
 * Costs are summed in fixed point, never as floats (0.1 + 0.2 must be 0.3): whole dollars as
 * integral doubles (exact below 2^53) plus the fraction as integer units of 10^-12 — the split
 * keeps huge provided costs from overflowing a BIGINT. Both engines read these columns the same.
 */
export const COST_WHOLE = 'SUM(FLOOR(o.total_cost))';
export const COST_UNITS = 'CAST(SUM(CAST(FLOOR((o.total_cost - FLOOR(o.total_cost)) * 1000000000000 + 0.5) AS BIGINT)) AS TEXT)';
const PICO = toDecimal(1e-12);

export function exactCost(whole: unknown, units: unknown): number {
  if (whole === null || whole === undefined) return 0;
  return fromDecimal(toDecimal(Number(whole)) + BigInt(String(units ?? '0')) * PICO);
}

/**
 * How observations reach each kind of group, and the group's key column. Groups join their
 * traces first (`CROSS JOIN` with the join condition in WHERE, the same inner join): SQLite takes
 * the order as written, so it reads the group's traces by index and then their observations,
 * instead of walking all the project's observations by time.
 */
const VIA_TRACES = { from: 'traces t CROSS JOIN observations o', projectColumn: 't.project_id', join: 'o.project_id = t.project_id AND o.trace_id = t.id AND ' };
const GROUPS = {
  trace: { key: 'o.trace_id', from: 'observations o', projectColumn: 'o.project_id', join: '' },
  session: { key: 't.session_id', ...VIA_TRACES },
  user: { key: 't.user_id', ...VIA_TRACES },
} as const;

/** Runs `query` over `keys` in IN-lists that fit the dialect's parameter limit. */
async function perChunk<T>(d: SqlDialect, keys: string[], reserved: number, query: (inList: string, ids: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (const part of chunks(keys, d.maxParams - reserved)) out.push(...(await query(`(${placeholders(part.length)})`, part)));
  return out;
}

async function observationTotals(db: Db, d: SqlDialect, projectId: string, group: keyof typeof GROUPS, keys: string[]): Promise<Map<string, ObservationTotals>> {
  const g = GROUPS[group];
  const tokens = totalTokensSql(d, 'o.usage_details');
  const rows = await perChunk(d, keys, 1 + tokens.params.length, (inList, ids) =>
    db.all<Row>(
      `SELECT ${g.key} AS k, COUNT(*) AS n, SUM(CASE WHEN o.level = 'ERROR' THEN 1 ELSE 0 END) AS errors,
              MIN(o.start_time) AS first_start, MAX(o.start_time) AS last_start, MAX(o.end_time) AS last_end,
              ${COST_WHOLE} AS cost_whole, ${COST_UNITS} AS cost_units, SUM(${tokens.sql}) AS tokens
         FROM ${g.from} WHERE ${g.join}${g.projectColumn} = ? AND ${g.key} IN ${inList} GROUP BY ${g.key}`,
      [...tokens.params, projectId, ...ids],
    ),
  );
  const out = new Map<string, ObservationTotals>();
  for (const r of rows) {
    const lastEnd = r.last_end === null || r.last_end === undefined ? -Infinity : Number(r.last_end);
    out.set(String(r.k), {
      latencyMs: Math.max(lastEnd, Number(r.last_start)) - Number(r.first_start),
      totalCost: exactCost(r.cost_whole, r.cost_units),
      totalTokens: Number(r.tokens ?? 0),
      observationCount: Number(r.n),
      errorCount: Number(r.errors ?? 0),
    });
  }
  return out;
}

/** Aggregates of each given trace; a trace without observations gets empty totals. */
export async function traceTotals(db: Db, d: SqlDialect, projectId: string, traceIds: string[]): Promise<Map<string, ObservationTotals>> {
  const found = await observationTotals(db, d, projectId, 'trace', traceIds);
  return new Map(traceIds.map((id) => [id, found.get(id) ?? EMPTY]));
}

async function groupTotals(db: Db, d: SqlDialect, projectId: string, group: 'session' | 'user', keys: string[]): Promise<Map<string, TraceGroupTotals>> {
  const key = GROUPS[group].key;
  const [observations, traces] = await Promise.all([
    observationTotals(db, d, projectId, group, keys),
    perChunk(d, keys, 1, (inList, ids) =>
      db.all<Row>(
        `SELECT ${key} AS k, COUNT(*) AS n, MIN(t.timestamp) AS first_trace, MAX(t.timestamp) AS last_trace
           FROM traces t WHERE t.project_id = ? AND ${key} IN ${inList} GROUP BY ${key}`,
        [projectId, ...ids],
      ),
    ),
  ]);
  const byKey = new Map(traces.map((r) => [String(r.k), r]));
  return new Map(
    keys.map((k) => {
      const t = byKey.get(k);
      return [
        k,
        {
          ...(observations.get(k) ?? EMPTY),
          traceCount: Number(t?.n ?? 0),
          firstTrace: t ? Number(t.first_trace) : null,
          lastTrace: t ? Number(t.last_trace) : null,
        },
      ];
    }),
  );
}

/** Aggregates of each given session over all its traces. */
export const sessionTotals = (db: Db, d: SqlDialect, projectId: string, sessionIds: string[]): Promise<Map<string, TraceGroupTotals>> =>
  groupTotals(db, d, projectId, 'session', sessionIds);

function groupIds(rows: { trace_id: string; id: string }[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of rows) {
    const list = out.get(r.trace_id);
    if (list) list.push(r.id);
    else out.set(r.trace_id, [r.id]);
  }
  return out;
}

/*
 * The id lists below sort by `<time> + 0`: the same order, but not one an index gives, so SQLite
 * reads the page's traces through the trace index instead of walking the project's time index
 * (all its observations or scores) to avoid a sort.
 */

/** Ids of each trace's observations, by start time. */
export async function traceObservationIds(db: Db, d: SqlDialect, projectId: string, traceIds: string[]): Promise<Map<string, string[]>> {
  const rows = await perChunk(d, traceIds, 1, (inList, ids) =>
    db.all<{ trace_id: string; id: string }>(
      `SELECT trace_id, id FROM observations WHERE project_id = ? AND trace_id IN ${inList} ORDER BY start_time + 0, id`,
      [projectId, ...ids],
    ),
  );
  return groupIds(rows);
}

/** Ids of each trace's scores, by timestamp. */
export async function traceScoreIds(db: Db, d: SqlDialect, projectId: string, traceIds: string[]): Promise<Map<string, string[]>> {
  const rows = await perChunk(d, traceIds, 1, (inList, ids) =>
    db.all<{ trace_id: string; id: string }>(
      `SELECT trace_id, id FROM scores WHERE project_id = ? AND trace_id IN ${inList} ORDER BY timestamp + 0, id`,
      [projectId, ...ids],
    ),
  );
  return groupIds(rows);
}
