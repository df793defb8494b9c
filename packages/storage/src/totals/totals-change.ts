import { getOwn, type ObservationRecord } from '@sightline/core';
import type { Db, Row, SqlDialect } from '../db.js';
import { entityKey } from '../entity-key.js';
import { insertRows } from '../ingest/bulk-sql.js';
import { fromHalves, toHalves } from '../metrics/exact-sum.js';
import { fixed } from '../metrics/rollup-specs.js';
import { chunks, placeholders } from '../queries/where.js';

/*
 * Totals kept at ingestion so the sessions and users lists read one page, not the project
 * (migration 15 created and backfilled them):
 *   - trace_totals: per trace id, the count, errors, `total` tokens and fixed-point cost of its
 *     observations (a row may exist before its trace does: observations can arrive first);
 *   - group_totals: per session and per user, its traces' count, first and last timestamps,
 *     and the sums of their trace_totals;
 *   - session_users: how many traces of a session name each user.
 * Each commit adds exactly what it changed: an observation's new contribution minus its stored
 * one, and a trace moving between sessions or users takes its whole trace total along. Sums are
 * integers or fixed point, so the result does not depend on the order of commits. A commit
 * holds the lock of every trace whose total it changes and of every session and user whose row
 * it rewrites (PostgreSQL), so read-modify-write is safe.
 */

export interface Sums {
  observations: number;
  errors: number;
  tokens: number;
  /** Units of 1e-12 (COST_SCALE), as the rollups count cost. */
  cost: bigint;
}

const ZERO: Sums = { observations: 0, errors: 0, tokens: 0, cost: 0n };
const plus = (a: Sums, b: Sums, sign = 1): Sums => ({
  observations: a.observations + sign * b.observations,
  errors: a.errors + sign * b.errors,
  tokens: a.tokens + sign * b.tokens,
  cost: a.cost + BigInt(sign) * b.cost,
});

/** What one observation adds to its trace's total (the same figures trace-aggregates.ts sums in SQL). */
export function observationSums(o: ObservationRecord): Sums {
  const total = getOwn(o.usageDetails, 'total');
  return {
    observations: 1,
    errors: o.level === 'ERROR' ? 1 : 0,
    tokens: typeof total === 'number' && Number.isFinite(total) ? total : 0,
    cost: o.totalCost === null ? 0n : BigInt(fixed(o.totalCost)),
  };
}

/** Where a trace counts: its session and user, and its time. */
export interface Membership {
  projectId: string;
  id: string;
  sessionId: string | null;
  userId: string | null;
  timestamp: number;
}

export const GROUP_KINDS = [['session', 'sessionId', 'session_id'], ['user', 'userId', 'user_id']] as const;
type GroupKind = (typeof GROUP_KINDS)[number][0];

interface GroupDelta {
  projectId: string;
  kind: GroupKind;
  id: string;
  traces: number;
  sums: Sums;
  /** Timestamps of traces that joined the group (or moved in time within it). */
  arrived: number[];
  /** Timestamps traces had when they left the group (or moved in time within it). */
  left: number[];
}

const traceKey = (projectId: string, traceId: string) => `${projectId}\u0000${traceId}`;
const sumsOf = (row: Row | undefined): Sums =>
  row
    ? { observations: Number(row.observation_count), errors: Number(row.error_count), tokens: Number(row.total_tokens), cost: fromHalves(row.cost_hi, row.cost_lo) }
    : ZERO;
const sumsColumns = (s: Sums) => [s.observations, s.errors, s.tokens, ...toHalves(s.cost)];

/** The changes of one transaction to traces and observations, turned into updates of the totals. */
export class TotalsChange {
  private readonly observationDeltas = new Map<string, { projectId: string; traceId: string; sums: Sums }>();
  private readonly traces = new Map<string, { before: Membership | undefined; after: Membership | undefined }>();
  private readonly groups = new Map<string, GroupDelta>();
  private readonly pairs = new Map<string, { projectId: string; sessionId: string; userId: string; n: number }>();
  private stored = new Map<string, Sums>();

  /** An observation's contribution added (sign 1) or taken back (-1). */
  observation(projectId: string, traceId: string | null, sums: Sums, sign: 1 | -1): void {
    if (traceId === null) return;
    const key = traceKey(projectId, traceId);
    const d = this.observationDeltas.get(key) ?? { projectId, traceId, sums: ZERO };
    d.sums = plus(d.sums, sums, sign);
    this.observationDeltas.set(key, d);
  }

  /** A trace created, changed or (after undefined) deleted. */
  trace(before: Membership | undefined, after: Membership | undefined): void {
    const m = (before ?? after)!;
    this.traces.set(traceKey(m.projectId, m.id), { before, after });
  }

  /** Trace ids (keyed `project\0trace`) whose totals this change rewrites: the caller must hold their entity locks. */
  tracesTouched(): string[] {
    return [...new Set([...this.observationDeltas.values()].map((d) => entityKey(d.projectId, 'trace', d.traceId)))];
  }

  /**
   * Reads the stored trace totals and the membership of traces only their observations
   * changed, and works out the group changes. Returns the group lock keys (sessions and users)
   * the caller must hold before `apply`.
   */
  async plan(tx: Db, d: SqlDialect): Promise<string[]> {
    const touched = new Map<string, { projectId: string; traceId: string }>();
    for (const x of this.observationDeltas.values()) touched.set(traceKey(x.projectId, x.traceId), x);
    for (const { before, after } of this.traces.values()) {
      const m = (before ?? after)!;
      touched.set(traceKey(m.projectId, m.id), { projectId: m.projectId, traceId: m.id });
    }
    this.stored = await readTraceTotals(tx, d, [...touched.values()]);
    const onlyObserved = [...this.observationDeltas.values()].filter((x) => !this.traces.has(traceKey(x.projectId, x.traceId)));
    for (const m of await readMemberships(tx, d, onlyObserved)) {
      this.addToGroups(m, 0, this.observationDeltas.get(traceKey(m.projectId, m.id))!.sums, null);
    }
    for (const [key, { before, after }] of this.traces) {
      const old = this.stored.get(key) ?? ZERO;
      const now = plus(old, this.observationDeltas.get(key)?.sums ?? ZERO);
      for (const [kind, field] of GROUP_KINDS) {
        const from = before?.[field] ?? null;
        const to = after?.[field] ?? null;
        const moved = from !== to || before?.timestamp !== after?.timestamp;
        if (before && from !== null) this.addToGroup(before.projectId, kind, from, -1, old, moved ? { left: before.timestamp } : null);
        if (after && to !== null) this.addToGroup(after.projectId, kind, to, 1, now, moved ? { arrived: after.timestamp } : null);
      }
      this.pair(before, -1);
      this.pair(after, 1);
    }
    return [...this.groups.values()].map((g) => entityKey(g.projectId, g.kind, g.id));
  }

  private addToGroups(m: Membership, traces: number, sums: Sums, time: { left?: number; arrived?: number } | null): void {
    for (const [kind, field] of GROUP_KINDS) {
      const id = m[field];
      if (id !== null) this.addToGroup(m.projectId, kind, id, traces, sums, time);
    }
  }

  private addToGroup(projectId: string, kind: GroupKind, id: string, traces: number, sums: Sums, time: { left?: number; arrived?: number } | null): void {
    const key = entityKey(projectId, kind, id);
    let g = this.groups.get(key);
    if (!g) this.groups.set(key, (g = { projectId, kind, id, traces: 0, sums: ZERO, arrived: [], left: [] }));
    g.traces += traces;
    g.sums = plus(g.sums, sums, traces < 0 ? -1 : 1);
    if (time?.left !== undefined) g.left.push(time.left);
    if (time?.arrived !== undefined) g.arrived.push(time.arrived);
  }

  private pair(m: Membership | undefined, n: 1 | -1): void {
    if (!m || m.sessionId === null || m.userId === null) return;
    const key = `${m.projectId}\u0000${m.sessionId}\u0000${m.userId}`;
    const p = this.pairs.get(key) ?? { projectId: m.projectId, sessionId: m.sessionId, userId: m.userId, n: 0 };
    p.n += n;
    this.pairs.set(key, p);
  }

  /** Writes the new totals; run after `plan`, under the group locks, with the traces already saved. */
  async apply(tx: Db, d: SqlDialect): Promise<void> {
    await writeTraceTotals(tx, d, this);
    await writeGroupTotals(tx, d, [...this.groups.values()]);
    await writePairs(tx, d, [...this.pairs.values()].filter((p) => p.n !== 0));
  }

  /** Each touched trace's stored total and its new one (a deleted trace's is zero). */
  traceTotals(): { projectId: string; traceId: string; before: Sums; after: Sums; deleted: boolean }[] {
    const out = new Map<string, { projectId: string; traceId: string; before: Sums; after: Sums; deleted: boolean }>();
    for (const x of this.observationDeltas.values()) {
      const key = traceKey(x.projectId, x.traceId);
      const before = this.stored.get(key) ?? ZERO;
      out.set(key, { projectId: x.projectId, traceId: x.traceId, before, after: plus(before, x.sums), deleted: false });
    }
    for (const [key, { before, after }] of this.traces) {
      if (after) continue;
      out.set(key, { projectId: before!.projectId, traceId: before!.id, before: this.stored.get(key) ?? ZERO, after: ZERO, deleted: true });
    }
    return [...out.values()];
  }
}

const byKey = (a: unknown[], b: unknown[]) => (a.join('\u0000') < b.join('\u0000') ? -1 : 1);

async function readTraceTotals(tx: Db, d: SqlDialect, traces: { projectId: string; traceId: string }[]): Promise<Map<string, Sums>> {
  const out = new Map<string, Sums>();
  for (const [projectId, ids] of byProject(traces.map((t) => [t.projectId, t.traceId]))) {
    for (const part of chunks(ids, d.maxParams - 1)) {
      const rows = await tx.all<Row>(`SELECT * FROM trace_totals WHERE project_id = ? AND trace_id IN (${placeholders(part.length)})`, [projectId, ...part]);
      for (const r of rows) out.set(traceKey(projectId, String(r.trace_id)), sumsOf(r));
    }
  }
  return out;
}

async function readMemberships(tx: Db, d: SqlDialect, traces: { projectId: string; traceId: string }[]): Promise<Membership[]> {
  const out: Membership[] = [];
  for (const [projectId, ids] of byProject(traces.map((t) => [t.projectId, t.traceId]))) {
    for (const part of chunks(ids, d.maxParams - 1)) {
      const rows = await tx.all<Row>(`SELECT id, session_id, user_id, timestamp FROM traces WHERE project_id = ? AND id IN (${placeholders(part.length)})`, [projectId, ...part]);
      for (const r of rows) {
        out.push({ projectId, id: String(r.id), sessionId: r.session_id === null ? null : String(r.session_id), userId: r.user_id === null ? null : String(r.user_id), timestamp: Number(r.timestamp) });
      }
    }
  }
  return out;
}

function byProject(pairs: [string, string][]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [p, id] of pairs) {
    const ids = out.get(p);
    if (ids) ids.push(id);
    else out.set(p, [id]);
  }
  return out;
}

async function writeTraceTotals(tx: Db, d: SqlDialect, change: TotalsChange): Promise<void> {
  const rows: unknown[][] = [];
  const gone: { projectId: string; traceId: string }[] = [];
  for (const t of change.traceTotals()) {
    if (t.deleted || t.after.observations === 0) gone.push(t);
    else rows.push([t.projectId, t.traceId, ...sumsColumns(t.after)]);
  }
  for (const [projectId, ids] of byProject(gone.map((g) => [g.projectId, g.traceId]))) {
    for (const part of chunks(ids, d.maxParams - 1)) await tx.run(`DELETE FROM trace_totals WHERE project_id = ? AND trace_id IN (${placeholders(part.length)})`, [projectId, ...part]);
  }
  await insertRows(tx, d.maxParams, 'trace_totals', ['project_id', 'trace_id', 'observation_count', 'error_count', 'total_tokens', 'cost_hi', 'cost_lo'], rows.sort(byKey), {
    keys: ['project_id', 'trace_id'],
    action: 'update',
  });
}

const GROUP_COLUMNS = ['project_id', 'kind', 'id', 'trace_count', 'first_trace', 'last_trace', 'observation_count', 'error_count', 'total_tokens', 'cost_hi', 'cost_lo'];

async function writeGroupTotals(tx: Db, d: SqlDialect, groups: GroupDelta[]): Promise<void> {
  const stored = new Map<string, Row>();
  for (const kind of ['session', 'user'] as const) {
    const own = groups.filter((g) => g.kind === kind);
    for (const [projectId, ids] of byProject(own.map((g) => [g.projectId, g.id]))) {
      for (const part of chunks(ids, d.maxParams - 2)) {
        const rows = await tx.all<Row>(`SELECT * FROM group_totals WHERE project_id = ? AND kind = ? AND id IN (${placeholders(part.length)})`, [projectId, kind, ...part]);
        for (const r of rows) stored.set(entityKey(projectId, kind, String(r.id)), r);
      }
    }
  }
  const rows: unknown[][] = [];
  for (const g of groups) {
    const row = stored.get(entityKey(g.projectId, g.kind, g.id));
    const traces = Number(row?.trace_count ?? 0) + g.traces;
    if (traces <= 0) {
      if (row) await tx.run('DELETE FROM group_totals WHERE project_id = ? AND kind = ? AND id = ?', [g.projectId, g.kind, g.id]);
      continue;
    }
    const sums = plus(sumsOf(row), g.sums);
    let first: number;
    let last: number;
    if (row && g.left.some((t) => t <= Number(row.first_trace) || t >= Number(row.last_trace))) {
      // The first or last trace left or moved: look the bounds up (index seeks on traces_session / traces_user).
      ({ first, last } = await bounds(tx, g));
    } else {
      first = Math.min(row ? Number(row.first_trace) : Infinity, ...g.arrived);
      last = Math.max(row ? Number(row.last_trace) : -Infinity, ...g.arrived);
    }
    rows.push([g.projectId, g.kind, g.id, traces, first, last, ...sumsColumns(sums)]);
  }
  await insertRows(tx, d.maxParams, 'group_totals', GROUP_COLUMNS, rows.sort(byKey), { keys: ['project_id', 'kind', 'id'], action: 'update' });
}

async function bounds(tx: Db, g: GroupDelta): Promise<{ first: number; last: number }> {
  const column = g.kind === 'session' ? 'session_id' : 'user_id';
  // Two scalar subqueries, so that each is one index seek (one query with MIN and MAX would scan the range on SQLite).
  const r = await tx.get<Row>(
    `SELECT (SELECT MIN(timestamp) FROM traces WHERE project_id = ? AND ${column} = ?) AS first,
            (SELECT MAX(timestamp) FROM traces WHERE project_id = ? AND ${column} = ?) AS last`,
    [g.projectId, g.id, g.projectId, g.id],
  );
  return { first: Number(r?.first), last: Number(r?.last) };
}

async function writePairs(tx: Db, d: SqlDialect, pairs: { projectId: string; sessionId: string; userId: string; n: number }[]): Promise<void> {
  const rows = pairs.map((p) => [p.projectId, p.sessionId, p.userId, p.n]).sort(byKey);
  for (const part of chunks(rows, Math.floor(d.maxParams / 4))) {
    await tx.run(
      `INSERT INTO session_users (project_id, session_id, user_id, trace_count) VALUES ${part.map(() => '(?, ?, ?, ?)').join(', ')}
         ON CONFLICT (project_id, session_id, user_id) DO UPDATE SET trace_count = session_users.trace_count + excluded.trace_count`,
      part.flat(),
    );
  }
  for (const p of pairs.filter((x) => x.n < 0)) {
    await tx.run('DELETE FROM session_users WHERE project_id = ? AND session_id = ? AND user_id = ? AND trace_count <= 0', [p.projectId, p.sessionId, p.userId]);
  }
}
