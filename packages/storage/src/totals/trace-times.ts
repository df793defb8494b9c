import type { ObservationRecord } from '@sightline/core';
import type { Db, Row, SqlDialect } from '../db.js';
import { chunks, placeholders } from '../queries/where.js';

/*
 * A trace's time bounds in trace_totals — the earliest start, the latest start and the latest
 * end of its observations — and the latency they give (trace-aggregates.ts's definition), so the
 * traces list can sort by latency through an index. Bounds only widen while observations arrive
 * or end, which the totals upsert applies in place (min/max commute); when a commit takes a
 * value back (an observation moved in time, to another trace, or deleted) and that value was a
 * bound, the trace's bounds are looked up again from its observations (observations_trace).
 */

/** trace_totals' latency from its bound columns (`prefix` qualifies them, or is an expression builder). */
export const latencySql = (first: string, lastStart: string, lastEnd: string): string =>
  `CASE WHEN ${lastEnd} IS NOT NULL AND ${lastEnd} > ${lastStart} THEN ${lastEnd} ELSE ${lastStart} END - ${first}`;

export const TIME_COLUMNS = ['first_start', 'last_start', 'last_end', 'latency_ms'];

const widen = (c: string, op: '<' | '>') =>
  `CASE WHEN excluded.${c} IS NOT NULL AND (trace_totals.${c} IS NULL OR excluded.${c} ${op} trace_totals.${c}) THEN excluded.${c} ELSE trace_totals.${c} END`;

/** The upsert's SET clauses widening the stored bounds by the inserted row's, and the latency of the result. */
export const WIDEN_TIMES = [
  `first_start = ${widen('first_start', '<')}`,
  `last_start = ${widen('last_start', '>')}`,
  `last_end = ${widen('last_end', '>')}`,
  `latency_ms = ${latencySql(widen('first_start', '<'), widen('last_start', '>'), widen('last_end', '>'))}`,
];

interface Spread {
  projectId: string;
  traceId: string;
  first: number;
  lastStart: number;
  lastEnd: number | null;
}

const key = (projectId: string, traceId: string) => `${projectId}\u0000${traceId}`;

/** The time bounds one commit adds to and takes from each trace. */
export class TraceTimes {
  private readonly added = new Map<string, Spread>();
  private readonly taken = new Map<string, { projectId: string; traceId: string; starts: number[]; ends: number[] }>();

  /** An observation's stored state replaced by its new one (either may be absent). */
  change(prev: ObservationRecord | undefined, next: ObservationRecord | undefined): void {
    if (prev && next && prev.traceId === next.traceId && prev.startTime === next.startTime && prev.endTime === next.endTime) return;
    if (prev?.traceId) {
      // Within one trace a value that stays is not taken back: an observation that only ends
      // (or only moves its start) keeps its other value among the trace's, so no bound it holds
      // needs a look-up (the common case: every span and generation update sets an end).
      const stays = next?.traceId === prev.traceId;
      const start = stays && next.startTime === prev.startTime ? [] : [prev.startTime];
      const end = prev.endTime === null || (stays && next.endTime === prev.endTime) ? [] : [prev.endTime];
      if (start.length > 0 || end.length > 0) {
        const k = key(prev.projectId, prev.traceId);
        const t = this.taken.get(k) ?? { projectId: prev.projectId, traceId: prev.traceId, starts: [], ends: [] };
        t.starts.push(...start);
        t.ends.push(...end);
        this.taken.set(k, t);
      }
    }
    if (next?.traceId) {
      const k = key(next.projectId, next.traceId);
      const s = this.added.get(k);
      const end = next.endTime;
      if (!s) this.added.set(k, { projectId: next.projectId, traceId: next.traceId, first: next.startTime, lastStart: next.startTime, lastEnd: end });
      else {
        s.first = Math.min(s.first, next.startTime);
        s.lastStart = Math.max(s.lastStart, next.startTime);
        if (end !== null) s.lastEnd = s.lastEnd === null ? end : Math.max(s.lastEnd, end);
      }
    }
  }

  /** Every trace whose bounds this commit changes (the commit holds their locks, so a look-up sees every committed observation). */
  touched(): { projectId: string; traceId: string }[] {
    return [...this.added.values(), ...this.taken.values()];
  }

  /** Traces whose bounds may widen: they need a row in the upsert even when their sums did not change. */
  widened(): { projectId: string; traceId: string }[] {
    return [...this.added.values()];
  }

  /** The trace_totals values of TIME_COLUMNS for a trace's upserted row (nulls: nothing to widen). */
  columns(projectId: string, traceId: string): (number | null)[] {
    const s = this.added.get(key(projectId, traceId));
    if (!s) return [null, null, null, null];
    return [s.first, s.lastStart, s.lastEnd, Math.max(s.lastEnd ?? -Infinity, s.lastStart) - s.first];
  }

  /**
   * After the upsert (`stored`: its returned rows by `projectId\0traceId`): looks up again the
   * bounds a taken value held, with the latency they give, in one statement per batch; the rows
   * it rewrote, as they are now (RETURNING), replace theirs in `stored`.
   */
  async settle(tx: Db, d: SqlDialect, stored: Map<string, Row>): Promise<void> {
    const stale = new Map<string, string[]>();
    for (const [k, t] of this.taken) {
      const r = stored.get(k);
      const held = !r || t.starts.some((s) => s <= Number(r.first_start) || s >= Number(r.last_start)) || (r.last_end !== null && t.ends.some((e) => e >= Number(r.last_end)));
      if (!held) continue;
      const ids = stale.get(t.projectId) ?? [];
      ids.push(t.traceId);
      stale.set(t.projectId, ids);
    }
    const bound = (fn: string, column: string) =>
      `(SELECT ${fn}(o.${column}) FROM observations o WHERE o.project_id = trace_totals.project_id AND o.trace_id = trace_totals.trace_id)`;
    // SET expressions see the row as it was, so the latency is computed from the looked-up bounds themselves.
    const first = bound('MIN', 'start_time');
    const lastStart = bound('MAX', 'start_time');
    const lastEnd = bound('MAX', 'end_time');
    for (const [projectId, ids] of stale) {
      for (const part of chunks(ids.sort(), d.maxParams - 1)) {
        const rows = await tx.all<Row>(
          `UPDATE trace_totals SET first_start = ${first}, last_start = ${lastStart}, last_end = ${lastEnd}, latency_ms = ${latencySql(first, lastStart, lastEnd)}
             WHERE project_id = ? AND trace_id IN (${placeholders(part.length)}) RETURNING *`,
          [projectId, ...part],
        );
        for (const r of rows) stored.set(key(String(r.project_id), String(r.trace_id)), r);
      }
    }
  }
}
