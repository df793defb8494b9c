import { getOwn, type ObservationRecord } from '@sightline/core';
import type { Db, Row, SqlDialect } from '../db.js';
import { entityKey } from '../entity-key.js';
import { fromHalves, toHalves } from '../metrics/exact-sum.js';
import { fixed } from '../metrics/rollup-specs.js';
import { chunks, placeholders } from '../queries/where.js';
import { flatten, insertRowsStatements, isPreparableAll, type Statement } from '../ingest/bulk-sql.js';
import { preparable } from '../postgres/prepared.js';
import { TIME_COLUMNS, TraceTimes, WIDEN_TIMES } from './trace-times.js';

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
 * holds the lock of every trace whose total it changes (PostgreSQL), so a trace's total and its
 * session and user are read consistently; session and user rows are only added to, which
 * concurrent commits may do in any order.
 */

export interface Sums {
  observations: number;
  errors: number;
  tokens: number;
  /** Units of 1e-12 (COST_SCALE), as the rollups count cost. */
  cost: bigint;
}

const ZERO: Sums = { observations: 0, errors: 0, tokens: 0, cost: 0n };
const isZero = (s: Sums) => s.observations === 0 && s.errors === 0 && s.tokens === 0 && s.cost === 0n;
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
const groupKey = (projectId: string, kind: GroupKind, id: string) => `${projectId}\u0000${kind}\u0000${id}`;
const sumsOf = (row: Row | undefined): Sums =>
  row
    ? { observations: Number(row.observation_count), errors: Number(row.error_count), tokens: Number(row.total_tokens), cost: fromHalves(row.cost_hi, row.cost_lo) }
    : ZERO;
const sumsColumns = (s: Sums) => [s.observations, s.errors, s.tokens, ...toHalves(s.cost)];
const SUM_COLUMNS = ['observation_count', 'error_count', 'total_tokens', 'cost_hi', 'cost_lo'];
const GROUP_COLUMNS = ['project_id', 'kind', 'id', 'trace_count', 'first_trace', 'last_trace', ...SUM_COLUMNS];

/** The changes of one transaction to traces and observations, turned into updates of the totals. */
export class TotalsChange {
  private readonly observationDeltas = new Map<string, { projectId: string; traceId: string; sums: Sums }>();
  private readonly traces = new Map<string, { before: Membership | undefined; after: Membership | undefined }>();
  private readonly groups = new Map<string, GroupDelta>();
  private readonly pairs = new Map<string, Pair>();
  private readonly userDays = new UserDayDeltas();
  private readonly times = new TraceTimes();
  /**
   * The rollups' latency (metrics/trace-latency.ts: last end − first start, null without either)
   * of each trace whose trace_totals row this change wrote or deleted, as the change left it, by
   * `projectId\0traceId`; traces not in it kept their row as it was.
   */
  readonly latencies = new Map<string, number | null>();

  /** An observation's stored state replaced by its new one (either may be absent): its times for the trace's time bounds. */
  observationTimes(prev: ObservationRecord | undefined, next: ObservationRecord | undefined): void {
    this.times.change(prev, next);
  }

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

  /** Trace lock keys of the traces whose totals this change adds to: the caller must hold them (entity locks). */
  tracesTouched(): string[] {
    return [...new Set([...this.observationDeltas.values(), ...this.times.touched()].map((d) => entityKey(d.projectId, 'trace', d.traceId)))];
  }

  /**
   * Writes the change, with the traces and observations already saved and the traces' locks
   * held. Trace totals, group totals and session users are added to in place (upserts adding
   * deltas, bounds by min/max), which commute, so concurrent commits need no lock on sessions
   * or users; only a group whose first or last trace left looks its bounds up again, after its
   * row is locked by the update. `known` holds memberships of traces the caller already read
   * under their locks (by entity key; null: no such trace), so only the others are read here.
   */
  async apply(tx: Db, d: SqlDialect, known: ReadonlyMap<string, Membership | null> = new Map()): Promise<void> {
    // Most changes leave the sums alone (an output, an end time): those read and write nothing.
    for (const [key, x] of this.observationDeltas) if (isZero(x.sums)) this.observationDeltas.delete(key);
    for (const [key, { before, after }] of this.traces) {
      const same = before && after && before.sessionId === after.sessionId && before.userId === after.userId && before.timestamp === after.timestamp;
      if (same && !this.observationDeltas.has(key)) this.traces.delete(key);
    }
    const totals = await this.writeTraceTotals(tx, d);
    const onlyObserved = [...this.observationDeltas.values()].filter((x) => !this.traces.has(traceKey(x.projectId, x.traceId)));
    const unknown = onlyObserved.filter((x) => !known.has(entityKey(x.projectId, 'trace', x.traceId)));
    const found = onlyObserved.flatMap((x) => known.get(entityKey(x.projectId, 'trace', x.traceId)) ?? []);
    for (const m of [...found, ...(await readMemberships(tx, d, unknown))]) {
      const sums = this.observationDeltas.get(traceKey(m.projectId, m.id))!.sums;
      this.addToGroups(m, sums);
      this.userDays.add(m, 0, sums);
    }
    for (const [key, { before, after }] of this.traces) {
      const t = totals.get(key) ?? { before: ZERO, after: ZERO };
      for (const [kind, field] of GROUP_KINDS) {
        const from = before?.[field] ?? null;
        const to = after?.[field] ?? null;
        const moved = from !== to || before?.timestamp !== after?.timestamp;
        if (before && from !== null) this.addToGroup(before.projectId, kind, from, -1, t.before, moved ? { left: before.timestamp } : null);
        if (after && to !== null) this.addToGroup(after.projectId, kind, to, 1, t.after, moved ? { arrived: after.timestamp } : null);
      }
      this.pair(before, -1);
      this.pair(after, 1);
      if (before) this.userDays.add(before, -1, t.before);
      if (after) this.userDays.add(after, 1, t.after);
    }
    const pairs = [...this.pairs.values()].filter((p) => p.n !== 0);
    const pairsWritten = await writeGroupTotals(tx, d, [...this.groups.values()], pairs);
    await writePairs(tx, d, pairs, pairsWritten);
    await this.userDays.write(tx, d);
  }

  /** Adds the observation deltas to trace_totals and removes deleted traces' rows; each changed trace's total before and after. */
  private async writeTraceTotals(tx: Db, d: SqlDialect): Promise<Map<string, { before: Sums; after: Sums }>> {
    const out = new Map<string, { before: Sums; after: Sums }>();
    const deleted = [...this.traces.values()].filter((t) => !t.after).map((t) => [t.before!.projectId, t.before!.id] as [string, string]);
    for (const [projectId, ids] of byProject(deleted)) {
      for (const part of chunks(ids, d.maxParams - 1)) {
        const rows = await tx.all<Row>(`DELETE FROM trace_totals WHERE project_id = ? AND trace_id IN (${placeholders(part.length)}) RETURNING *`, [projectId, ...part]);
        for (const r of rows) out.set(traceKey(projectId, String(r.trace_id)), { before: sumsOf(r), after: ZERO });
      }
      for (const id of ids) {
        if (!out.has(traceKey(projectId, id))) out.set(traceKey(projectId, id), { before: ZERO, after: ZERO });
        this.latencies.set(traceKey(projectId, id), null);
      }
    }
    // Rows to add to: sums that changed, and bounds that may widen (trace-times.ts).
    const adds = new Map<string, { projectId: string; traceId: string }>();
    for (const x of [...this.observationDeltas.values(), ...this.times.widened()]) {
      const key = traceKey(x.projectId, x.traceId);
      if (!out.has(key)) adds.set(key, x);
    }
    const sets = { sums: SUM_COLUMNS.map((c) => `${c} = trace_totals.${c} + excluded.${c}`), times: WIDEN_TIMES };
    const rows = [...adds.values()].map((x) => {
      const sums = this.observationDeltas.get(traceKey(x.projectId, x.traceId))?.sums;
      const times = this.times.columns(x.projectId, x.traceId);
      const parts = [...(sums ? ['sums' as const] : []), ...(times[0] !== null ? ['times' as const] : [])];
      return { parts, row: [x.projectId, x.traceId, ...sumsColumns(sums ?? ZERO), ...times] };
    });
    const columns = ['project_id', 'trace_id', ...SUM_COLUMNS, ...TIME_COLUMNS];
    const emptied: [string, string][] = [];
    const storedRows = new Map<string, Row>();
    const written = insertStatementsOf(d, 'trace_totals', columns, upsertStatements(d, rows, columns.length, sets), (set) =>
      // The columns listed, not *: a prepared statement (bulk-sql.ts) keeps the row type it was planned with.
      ` ON CONFLICT (project_id, trace_id) DO UPDATE SET ${set.join(', ')} RETURNING ${columns.join(', ')}`);
    for (const statement of written) {
      const stored = await tx.all<Row>(statement.sql, statement.params);
      for (const r of stored) {
        const key = traceKey(String(r.project_id), String(r.trace_id));
        const after = sumsOf(r);
        storedRows.set(key, r);
        out.set(key, { before: plus(after, this.observationDeltas.get(key)?.sums ?? ZERO, -1), after });
        if (after.observations === 0) emptied.push([String(r.project_id), String(r.trace_id)]);
      }
    }
    await this.times.settle(tx, d, storedRows);
    for (const [key, r] of storedRows) this.latencies.set(key, r.last_end === null || r.first_start === null ? null : Number(r.last_end) - Number(r.first_start));
    for (const [projectId, traceId] of emptied) this.latencies.set(traceKey(projectId, traceId), null);
    for (const [projectId, ids] of byProject(emptied)) {
      for (const part of chunks(ids, d.maxParams - 1)) await tx.run(`DELETE FROM trace_totals WHERE project_id = ? AND trace_id IN (${placeholders(part.length)})`, [projectId, ...part]);
    }
    // Traces that moved without an observation change: their stored total moves with them.
    const unread = [...this.traces.keys()].filter((k) => !out.has(k)).map((k) => this.traces.get(k)!).map((t) => [t.after!.projectId, t.after!.id] as [string, string]);
    for (const [projectId, ids] of byProject(unread)) {
      for (const part of chunks(ids, d.maxParams - 1)) {
        const found = await tx.all<Row>(`SELECT * FROM trace_totals WHERE project_id = ? AND trace_id IN (${placeholders(part.length)})`, [projectId, ...part]);
        for (const r of found) out.set(traceKey(projectId, String(r.trace_id)), { before: sumsOf(r), after: sumsOf(r) });
      }
    }
    return out;
  }

  private addToGroups(m: Membership, sums: Sums): void {
    for (const [kind, field] of GROUP_KINDS) {
      const id = m[field];
      if (id !== null) this.addToGroup(m.projectId, kind, id, 0, sums, null);
    }
  }

  private addToGroup(projectId: string, kind: GroupKind, id: string, traces: number, sums: Sums, time: { left?: number; arrived?: number } | null): void {
    const key = groupKey(projectId, kind, id);
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
}

/** The rows in the order of their values joined (key columns first): each row's text built once, not once per comparison. */
function sortedByKey(rows: unknown[][]): unknown[][] {
  return rows.map((row) => ({ key: row.join('\u0000'), row })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((x) => x.row);
}

/**
 * The upsert statements for rows that each need some of the SET clause parts `sets` (by name):
 * rows in key order, split to fit the dialect's parameters. On SQLite the rows are grouped by the
 * parts they need, each group with only those: an UPDATE there rewrites the entries of every index
 * over a column it sets, even to the value it had, so a row whose sums did not change leaves the
 * sort indexes over sums alone (the page writes of a commit). On PostgreSQL every row takes every
 * part in one statement: a statement is a round trip while the commit holds its locks, and a changed
 * row gets new entries in all its indexes whatever the SET list. Rows needing no part are left out.
 */
function upsertStatements<P extends string>(
  d: SqlDialect, rows: { parts: P[]; row: unknown[] }[], columns: number, sets: Record<P, string[]>,
): { set: string[]; part: unknown[][] }[] {
  const byParts = new Map<string, { parts: P[]; rows: unknown[][] }>();
  for (const r of rows) {
    if (r.parts.length === 0) continue;
    const parts = d.name === 'sqlite' ? r.parts : (Object.keys(sets) as P[]);
    const k = parts.join(',');
    const entry = byParts.get(k) ?? { parts, rows: [] };
    entry.rows.push(r.row);
    byParts.set(k, entry);
  }
  return [...byParts.values()].flatMap(({ parts, rows: group }) =>
    chunks(sortedByKey(group), Math.floor(d.maxParams / columns)).map((part) => ({ set: parts.flatMap((p) => sets[p]), part })),
  );
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

/** Time bounds that never win against a real timestamp (epoch ms): a group change without arrivals leaves the bounds alone. */
const NO_FIRST = Number.MAX_SAFE_INTEGER;
const NO_LAST = -NO_FIRST;

/** A SET clause keeping the smaller (`<`) or larger (`>`) of the stored and the inserted bound. */
const bound = (c: string, op: string) => `${c} = CASE WHEN excluded.${c} ${op} group_totals.${c} THEN excluded.${c} ELSE group_totals.${c} END`;

/**
 * Adds each group's delta to its row (inserting it when new), widening its bounds to the traces
 * that arrived; then deletes rows left without traces and looks the bounds up again where a bound
 * trace left, each in one statement per batch of groups (not per group: a retention batch moves
 * the first trace of most of its sessions and users). Rows are written in key order so
 * concurrent writers (PostgreSQL) lock them in one order; every row touched after the upsert is
 * already locked by it.
 */
async function writeGroupTotals(tx: Db, d: SqlDialect, groups: GroupDelta[], pairs: Pair[]): Promise<boolean> {
  const rows = groups.map((g) => ({
    parts: [...(g.traces !== 0 || g.arrived.length > 0 || g.left.length > 0 ? ['traces' as const] : []), ...(isZero(g.sums) ? [] : ['sums' as const])],
    row: [g.projectId, g.kind, g.id, g.traces, Math.min(NO_FIRST, ...g.arrived), Math.max(NO_LAST, ...g.arrived), ...sumsColumns(g.sums)],
  }));
  // On PostgreSQL a commit's session_users upsert rides along in the first group statement (a
  // data-modifying WITH): one round trip less while the commit holds its locks. SQLite runs in
  // process, where a statement costs no round trip, and has no data-modifying WITH.
  const pairRows = pairsRows(pairs);
  const statements = upsertStatements(d, rows, GROUP_COLUMNS.length, {
    traces: ['trace_count = group_totals.trace_count + excluded.trace_count', bound('first_trace', '<'), bound('last_trace', '>')],
    sums: SUM_COLUMNS.map((c) => `${c} = group_totals.${c} + excluded.${c}`),
  });
  let withPairs = d.name === 'postgres' && statements.length === 1 && pairRows.length > 0 && pairRows.length * 4 + statements[0].part.length * GROUP_COLUMNS.length <= d.maxParams;
  const pairsWritten = withPairs;
  const byGroup = new Map(groups.map((g) => [groupKey(g.projectId, g.kind, g.id), g]));
  const emptied: GroupDelta[] = [];
  const unbounded: GroupDelta[] = [];
  const written = insertStatementsOf(d, 'group_totals', GROUP_COLUMNS, statements, (set) =>
    ` ON CONFLICT (project_id, kind, id) DO UPDATE SET ${set.join(', ')} RETURNING project_id, kind, id, trace_count, first_trace, last_trace`);
  for (const statement of written) {
    const upsertPairs = withPairs ? pairsStatements(d, pairRows) : [];
    withPairs = false;
    const parts = [...upsertPairs, statement];
    const sql = upsertPairs.length > 0 ? `WITH ${upsertPairs.map((p, i) => `pairs${i} AS (${p.sql})`).join(', ')} ${statement.sql}` : statement.sql;
    const stored = await tx.all<Row>(isPreparableAll(parts) ? preparable(sql) : sql, parts.length === 1 ? parts[0].params : flatten(parts.map((s) => s.params)));
    for (const r of stored) {
      const g = byGroup.get(groupKey(String(r.project_id), String(r.kind) as GroupKind, String(r.id)))!;
      if (Number(r.trace_count) <= 0) emptied.push(g);
      else if (g.left.some((t) => t <= Number(r.first_trace) || t >= Number(r.last_trace))) unbounded.push(g);
    }
  }
  for (const [[projectId, kind], ids] of groupsByKind(emptied)) {
    for (const part of chunks(ids, d.maxParams - 2)) {
      await tx.run(`DELETE FROM group_totals WHERE project_id = ? AND kind = ? AND id IN (${placeholders(part.length)})`, [projectId, kind, ...part]);
    }
  }
  for (const [[projectId, kind], ids] of groupsByKind(unbounded)) {
    for (const part of chunks(ids, d.maxParams - 2)) await refreshBounds(tx, projectId, kind, part);
  }
  return pairsWritten;
}

/** Groups' ids by project and kind, in key order. */
function groupsByKind(groups: GroupDelta[]): Map<[string, GroupKind], string[]> {
  const out = new Map<string, { key: [string, GroupKind]; ids: string[] }>();
  for (const g of [...groups].sort((a, b) => (groupKey(a.projectId, a.kind, a.id) < groupKey(b.projectId, b.kind, b.id) ? -1 : 1))) {
    const k = `${g.projectId}\u0000${g.kind}`;
    const entry = out.get(k);
    if (entry) entry.ids.push(g.id);
    else out.set(k, { key: [g.projectId, g.kind], ids: [g.id] });
  }
  return new Map([...out.values()].map((e) => [e.key, e.ids]));
}

/**
 * Sets the bounds of the given groups to their first and last trace, in one statement: a
 * correlated MIN and a correlated MAX per group, each one seek on traces_session / traces_user
 * (one subquery with both would scan the group's range on SQLite).
 */
async function refreshBounds(tx: Db, projectId: string, kind: GroupKind, ids: string[]): Promise<void> {
  const column = kind === 'session' ? 'session_id' : 'user_id';
  const edge = (fn: 'MIN' | 'MAX', c: string) =>
    `COALESCE((SELECT ${fn}(t.timestamp) FROM traces t WHERE t.project_id = group_totals.project_id AND t.${column} = group_totals.id), group_totals.${c})`;
  await tx.run(
    `UPDATE group_totals SET first_trace = ${edge('MIN', 'first_trace')}, last_trace = ${edge('MAX', 'last_trace')} WHERE project_id = ? AND kind = ? AND id IN (${placeholders(ids.length)})`,
    [projectId, kind, ...ids],
  );
}

interface Pair {
  projectId: string;
  sessionId: string;
  userId: string;
  n: number;
}

/** session_users rows of the pairs, in key order (concurrent writers lock them in one order). */
const pairsRows = (pairs: Pair[]): unknown[][] => sortedByKey(pairs.map((p) => [p.projectId, p.sessionId, p.userId, p.n]));

/** The session_users upserts of `rows` (bulk-sql.ts: one statement on PostgreSQL). */
const pairsStatements = (d: SqlDialect, rows: unknown[][]): Statement[] =>
  insertRowsStatements(d, 'session_users', ['project_id', 'session_id', 'user_id', 'trace_count'], rows,
    ' ON CONFLICT (project_id, session_id, user_id) DO UPDATE SET trace_count = session_users.trace_count + excluded.trace_count');

/** The INSERT statements of upsertStatements' groups of rows, each with its SET list's `suffix`. */
function insertStatementsOf(d: SqlDialect, table: string, columns: readonly string[], groups: { set: string[]; part: unknown[][] }[], suffix: (set: string[]) => string): Statement[] {
  return groups.flatMap(({ set, part }) => insertRowsStatements(d, table, columns, part, suffix(set)));
}

/** Adds the pairs' counts (unless `written`: the group upsert carried them) and deletes pairs left without traces. */
async function writePairs(tx: Db, d: SqlDialect, pairs: Pair[], written: boolean): Promise<void> {
  if (!written) {
    for (const s of pairsStatements(d, pairsRows(pairs))) await tx.run(s.sql, s.params);
  }
  // Pairs a trace left may be empty now: one delete per batch of them.
  const left = new Map<string, [string, string][]>();
  for (const p of pairs.filter((x) => x.n < 0)) {
    const keys = left.get(p.projectId) ?? [];
    keys.push([p.sessionId, p.userId]);
    left.set(p.projectId, keys);
  }
  for (const [projectId, keys] of left) {
    for (const part of chunks(keys, Math.floor((d.maxParams - 1) / 2))) {
      await tx.run(
        `DELETE FROM session_users WHERE project_id = ? AND trace_count <= 0 AND (session_id, user_id) IN (VALUES ${part.map(() => '(?, ?)').join(', ')})`,
        [projectId, ...flatten(part)],
      );
    }
  }
}

/** A UTC day number: floor(epoch ms / one day), as the migration's backfill computes it. */
export const dayOf = (ms: number): number => Math.floor(ms / DAY_MS);
export const DAY_MS = 86_400_000;

interface UserDayDelta {
  projectId: string;
  userId: string;
  day: number;
  traces: number;
  tokens: number;
  cost: bigint;
}

/**
 * user_days: per user and UTC day of their traces' timestamps, the traces' count and the sums of
 * their tokens and cost (trace_totals), so a user's page reads one row per day instead of every
 * trace of the range (users/user-activity.ts). Kept by the same deltas as group_totals: a trace
 * that joins, leaves or moves between users or days takes its whole total along, an observation
 * adds what it changes. Observation counts and errors are not kept here, so a change of those
 * alone writes nothing. A row left without traces holds nothing (sums only come with a trace's
 * membership) and is deleted.
 */
class UserDayDeltas {
  private readonly deltas = new Map<string, UserDayDelta>();

  add(m: Membership, traces: number, sums: Sums): void {
    if (m.userId === null) return;
    const day = dayOf(m.timestamp);
    const key = `${m.projectId}\u0000${m.userId}\u0000${day}`;
    let x = this.deltas.get(key);
    if (!x) this.deltas.set(key, (x = { projectId: m.projectId, userId: m.userId, day, traces: 0, tokens: 0, cost: 0n }));
    const sign = traces < 0 ? -1 : 1;
    x.traces += traces;
    x.tokens += sign * sums.tokens;
    x.cost += BigInt(sign) * sums.cost;
  }

  /** Adds the deltas in key order (concurrent writers lock rows in one order), then deletes the rows left without traces. */
  async write(tx: Db, d: SqlDialect): Promise<void> {
    const rows = [...this.deltas.entries()]
      .filter(([, x]) => x.traces !== 0 || x.tokens !== 0 || x.cost !== 0n)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([, x]) => [x.projectId, x.userId, x.day, x.traces, x.tokens, ...toHalves(x.cost)]);
    if (rows.length === 0) return;
    const emptied: [string, string, number][] = [];
    const set = USER_DAY_SUMS.map((c) => `${c} = user_days.${c} + excluded.${c}`).join(', ');
    for (const s of insertRowsStatements(d, 'user_days', USER_DAY_COLUMNS, rows,
      ` ON CONFLICT (project_id, user_id, day) DO UPDATE SET ${set} RETURNING project_id, user_id, day, trace_count`)) {
      for (const r of await tx.all<Row>(s.sql, s.params)) {
        if (Number(r.trace_count) <= 0) emptied.push([String(r.project_id), String(r.user_id), Number(r.day)]);
      }
    }
    for (const part of chunks(emptied, Math.floor(d.maxParams / 3))) {
      await tx.run(
        `DELETE FROM user_days WHERE (project_id, user_id, day) IN (VALUES ${part.map(() => '(?, ?, CAST(? AS BIGINT))').join(', ')}) AND trace_count <= 0`,
        flatten(part),
      );
    }
  }
}

const USER_DAY_SUMS = ['trace_count', 'total_tokens', 'cost_hi', 'cost_lo'];
const USER_DAY_COLUMNS = ['project_id', 'user_id', 'day', ...USER_DAY_SUMS];
