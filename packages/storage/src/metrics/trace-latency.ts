import type { AnyRecord, EntityKind, ObservationRecord, TraceRecord } from '@sightline/core';
import type { Db, Row } from '../db.js';
import { inList, inListChunks, type BulkDialect, type Statement } from '../ingest/bulk-sql.js';
import { preparable } from '../postgres/prepared.js';
import { entityKey } from '../entity-key.js';
import { chunks, placeholders } from '../queries/where.js';

/*
 * A trace's rollup contribution: its environment, name and timestamp, and its latency —
 * MAX(end_time) − MIN(start_time) of its observations, null without an end (the traces view's
 * measure) — read from the time bounds trace_totals keeps at ingestion (totals/trace-times.ts).
 * The latency changes with the trace's observations, not with the trace record, so a commit
 * reads the contributions of the traces it touches before the totals are written and after,
 * and the rollups take the one back and add the other. The commit holds every such trace's
 * lock (ingestion locks an observation's trace), so both reads see only its own changes.
 */
export interface TraceContribution {
  environment: string;
  name: string | null;
  timestamp: number;
  latency: number | null;
}

/** `(tt.last_end - tt.first_start)` is null when either bound is. */
export const TRACE_LATENCY_SQL = '(tt.last_end - tt.first_start)';
export const TRACE_TOTALS_JOIN = 'LEFT JOIN trace_totals tt ON tt.project_id = t.project_id AND tt.trace_id = t.id';

const key = (projectId: string, traceId: string) => `${projectId}\u0000${traceId}`;
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** A traces row joined with its trace_totals bounds (`latency` column) as a contribution. */
export const rowContribution = (r: Row): TraceContribution => ({
  environment: String(r.environment),
  name: r.name === null || r.name === undefined ? null : String(r.name),
  timestamp: Number(r.timestamp),
  latency: num(r.latency),
});

/** The contributions of stored traces (absent: no trace row), by `projectId\0traceId`. */
export async function readContributions(tx: Db, d: { maxParams: number }, traces: Map<string, Set<string>>): Promise<Map<string, TraceContribution>> {
  const out = new Map<string, TraceContribution>();
  for (const [projectId, ids] of traces) {
    for (const part of chunks([...ids], d.maxParams - 1)) {
      const rows = await tx.all<Row>(
        `SELECT t.id, t.environment, t.name, t.timestamp, ${TRACE_LATENCY_SQL} AS latency FROM traces t ${TRACE_TOTALS_JOIN}
         WHERE t.project_id = ? AND t.id IN (${placeholders(part.length)})`,
        [projectId, ...part],
      );
      for (const r of rows) out.set(key(projectId, String(r.id)), rowContribution(r));
    }
  }
  return out;
}

/** The traces of a commit whose contribution may change, and what each contributed before it. */
export class TraceLatencies {
  private constructor(
    readonly touched: Map<string, Set<string>>,
    readonly before: Map<string, TraceContribution>,
    /** Ingestion: each touched trace's contribution as its new record, with its latency before the totals, by key. */
    private readonly stored?: Map<string, TraceContribution>,
  ) {}

  /**
   * Ingestion, before the commit's records and totals are written: the traces whose record
   * changed, and those of observations whose trace or times changed, and the reads (`reads`,
   * to run before the records are written or with them: runAll) of their stored contributions,
   * which `of` turns into the TraceLatencies — a changed trace's record as it was (`current`),
   * every latency as trace_totals holds it before the commit. A trace the commit creates has no
   * row yet, but may have a trace_totals row (observations can arrive first): those are read
   * from trace_totals alone.
   */
  static plan(d: BulkDialect, changed: Record<EntityKind, AnyRecord[]>, current: Map<string, AnyRecord>): { reads: Statement[]; of: (rows: Row[]) => TraceLatencies } {
    const touched = new Map<string, Set<string>>();
    const touch = (projectId: string, traceId: string | null) => {
      if (traceId === null) return;
      let ids = touched.get(projectId);
      if (!ids) touched.set(projectId, (ids = new Set()));
      ids.add(traceId);
    };
    const traces = changed.trace as TraceRecord[];
    const previous = (t: TraceRecord) => current.get(entityKey(t.projectId, 'trace', t.id)) as TraceRecord | undefined;
    for (const t of traces) touch(t.projectId, t.id);
    for (const o of changed.observation as ObservationRecord[]) {
      const prev = current.get(entityKey(o.projectId, 'observation', o.id)) as ObservationRecord | undefined;
      if (prev && prev.traceId === o.traceId && prev.startTime === o.startTime && prev.endTime === o.endTime) continue;
      if (prev) touch(prev.projectId, prev.traceId);
      touch(o.projectId, o.traceId);
    }
    const created = new Set(traces.filter((t) => !previous(t)).map((t) => key(t.projectId, t.id)));
    const reads: Statement[] = [];
    for (const [projectId, ids] of touched) {
      for (const part of inListChunks(d, [...ids], Math.ceil(d.maxParams / 2) + 1)) {
        const fresh = part.filter((id) => created.has(key(projectId, id)));
        const ids = inList(d, 't.id', part);
        const freshIds = inList(d, 'tt.trace_id', fresh);
        const sql = `SELECT 0 AS created, t.project_id, t.id, t.environment, t.name, t.timestamp, ${TRACE_LATENCY_SQL} AS latency FROM traces t ${TRACE_TOTALS_JOIN}
                WHERE t.project_id = ? AND ${ids.sql}${fresh.length === 0 ? '' : `
                UNION ALL SELECT 1, tt.project_id, tt.trace_id, NULL, NULL, NULL, ${TRACE_LATENCY_SQL} FROM trace_totals tt
                WHERE tt.project_id = ? AND ${freshIds.sql}`}`;
        reads.push({
          // On PostgreSQL the id lists are arrays: two texts in all, prepared (runAll).
          sql: d.name === 'postgres' ? preparable(sql) : sql,
          params: [projectId, ...ids.params, ...(fresh.length === 0 ? [] : [projectId, ...freshIds.params])],
        });
      }
    }
    const of = (rows: Row[]): TraceLatencies => {
      const stored = new Map<string, TraceContribution>();
      const createdLatency = new Map<string, number | null>();
      for (const r of rows) {
        const k = key(String(r.project_id), String(r.id));
        if (Number(r.created) === 1) createdLatency.set(k, num(r.latency));
        else if (!created.has(k)) stored.set(k, rowContribution(r));
      }
      // A changed trace: before, its record as it was; after, its new one; its latency as stored either way.
      const before = new Map(stored);
      for (const t of traces) {
        const k = key(t.projectId, t.id);
        const prev = previous(t);
        const old = stored.get(k);
        if (prev && old) before.set(k, { environment: prev.environment, name: prev.name, timestamp: prev.timestamp, latency: old.latency });
        else before.delete(k);
        stored.set(k, { environment: t.environment, name: t.name, timestamp: t.timestamp, latency: prev ? (old?.latency ?? null) : (createdLatency.get(k) ?? null) });
      }
      return new TraceLatencies(touched, before, stored);
    };
    return { reads, of };
  }

  /** No trace touched. */
  static ofNone(): TraceLatencies {
    return new TraceLatencies(new Map(), new Map());
  }

  /** Stored traces about to lose observations or be deleted (their totals not yet written), with their contributions. */
  static async ofStored(tx: Db, d: { maxParams: number }, projectId: string, traceIds: string[]): Promise<TraceLatencies> {
    const touched = new Map([[projectId, new Set(traceIds)]]);
    return new TraceLatencies(touched, traceIds.length === 0 ? new Map() : await readContributions(tx, d, touched));
  }

  /**
   * After the totals are written: each touched trace's contribution before and after (absent:
   * none). `written` (ingestion, from `before`) holds the latency of every trace whose totals row
   * the commit wrote or deleted (TotalsChange.latencies): the commit changed no trace record
   * after `before` read them, so the contributions after are those rows with those latencies,
   * and nothing is read again. Otherwise (deletions) they are read.
   */
  async changes(
    tx: Db, d: { maxParams: number }, written?: ReadonlyMap<string, number | null>,
  ): Promise<{ projectId: string; before: TraceContribution | undefined; after: TraceContribution | undefined }[]> {
    if (this.touched.size === 0) return [];
    const after = written && this.stored ? this.storedWith(written) : await readContributions(tx, d, this.touched);
    const out = [];
    for (const [projectId, ids] of this.touched) {
      for (const id of ids) {
        const k = key(projectId, id);
        const b = this.before.get(k);
        const a = after.get(k);
        const same = a && b && a.environment === b.environment && a.name === b.name && a.timestamp === b.timestamp && a.latency === b.latency;
        if (!same && (a || b)) out.push({ projectId, before: b, after: a });
      }
    }
    return out;
  }

  private storedWith(written: ReadonlyMap<string, number | null>): Map<string, TraceContribution> {
    const out = new Map<string, TraceContribution>();
    for (const [k, c] of this.stored!) out.set(k, written.has(k) ? { ...c, latency: written.get(k)! } : c);
    return out;
  }
}
