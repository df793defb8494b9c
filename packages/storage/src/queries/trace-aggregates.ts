import type { Db, SqlDialect } from '../db.js';
import { chunks, placeholders } from './where.js';

/** Runs `query` over `traceIds` in IN-lists that fit the dialect's parameter limit. */
async function perChunk<T>(d: SqlDialect, traceIds: string[], query: (inList: string, ids: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (const part of chunks(traceIds, d.maxParams - 1)) out.push(...(await query(`(${placeholders(part.length)})`, part)));
  return out;
}

function groupIds(rows: { trace_id: string; id: string }[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of rows) {
    const list = out.get(r.trace_id);
    if (list) list.push(r.id);
    else out.set(r.trace_id, [r.id]);
  }
  return out;
}

/** Ids of each trace's observations, by start time. */
export async function traceObservationIds(db: Db, d: SqlDialect, projectId: string, traceIds: string[]): Promise<Map<string, string[]>> {
  const rows = await perChunk(d, traceIds, (inList, ids) =>
    db.all<{ trace_id: string; id: string }>(
      `SELECT trace_id, id FROM observations WHERE project_id = ? AND trace_id IN ${inList} ORDER BY start_time, id`,
      [projectId, ...ids],
    ),
  );
  return groupIds(rows);
}

/** Ids of each trace's scores, by timestamp. */
export async function traceScoreIds(db: Db, d: SqlDialect, projectId: string, traceIds: string[]): Promise<Map<string, string[]>> {
  const rows = await perChunk(d, traceIds, (inList, ids) =>
    db.all<{ trace_id: string; id: string }>(
      `SELECT trace_id, id FROM scores WHERE project_id = ? AND trace_id IN ${inList} ORDER BY timestamp, id`,
      [projectId, ...ids],
    ),
  );
  return groupIds(rows);
}

interface MetricsRow {
  trace_id: string;
  min_start: number | string;
  max_start: number | string;
  min_end: number | string | null;
  max_end: number | string | null;
  cost: number | string | null;
}

/**
 * Latency (seconds) and total cost per trace: latency spans every start and end time of the
 * trace's observations; cost sums their total costs.
 */
export async function traceMetrics(db: Db, d: SqlDialect, projectId: string, traceIds: string[]): Promise<Map<string, { latency: number; totalCost: number }>> {
  const rows = await perChunk(d, traceIds, (inList, ids) =>
    db.all<MetricsRow>(
      `SELECT trace_id, MIN(start_time) AS min_start, MAX(start_time) AS max_start, MIN(end_time) AS min_end,
              MAX(end_time) AS max_end, SUM(total_cost) AS cost
         FROM observations WHERE project_id = ? AND trace_id IN ${inList} GROUP BY trace_id`,
      [projectId, ...ids],
    ),
  );
  const out = new Map<string, { latency: number; totalCost: number }>();
  for (const r of rows) {
    const times = [r.min_start, r.max_start, r.min_end, r.max_end].filter((v) => v !== null).map(Number);
    out.set(r.trace_id, { latency: (Math.max(...times) - Math.min(...times)) / 1000, totalCost: roundCost(Number(r.cost ?? 0)) });
  }
  return out;
}

/** A SQL float sum can drift in the last bits (0.1 + 0.2); costs are exact to 12 decimals, so round there. */
function roundCost(sum: number): number {
  return Number(sum.toFixed(12));
}
