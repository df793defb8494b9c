import type { Db, Row, SqlDialect } from '../db.js';
import { entityKey } from '../entity-key.js';
import { fromHalves, toHalves } from '../metrics/exact-sum.js';
import { SCORE_SCALE } from '../metrics/view-types.js';
import { flatten, insertRowsStatements } from '../ingest/bulk-sql.js';
import { chunks, placeholders } from '../queries/where.js';
import { dayOf, type Membership } from './totals-change.js';

/*
 * group_score_sums: per session or user and score name, the count and the exact fixed-point sum
 * (units of 1/SCORE_SCALE, as the score rollups count values; exact-sum.ts halves) of the scores
 * the sessions and users lists sort by (totals/group-score.ts): a user's are the scores on their
 * traces; a session's, those on its traces and its own (no trace). The mean is kept beside them,
 * so a page walks group_score_sums_mean instead of grouping every score of the name.
 *
 * Each change adds what it changed — a score's new contribution minus its stored one, and a trace
 * that joins, leaves or moves between groups takes its scores along — as integers, so the rows do
 * not depend on the order of commits, and the mean, a function of the stored integers, neither.
 * A score counts while its trace is stored: it is read under its trace's lock (the commit locks
 * the traces of its scores, as it does those of its observations), so a trace moving in another
 * commit and a score of it changing are applied one after the other.
 *
 * user_day_scores: the same count and sum per user, UTC day of the trace and score name, for the
 * numeric and boolean scores of the user's traces (a user's page charts their means by day,
 * users/user-activity.ts); a trace moving to another day takes its scores along as well.
 */

/** The fields of a score that place it: from a record or a row. */
export interface ScorePlace {
  projectId: string;
  id: string;
  traceId: string | null;
  sessionId: string | null;
  name: string;
  value: number;
  dataType: string;
}

export const scorePlaceOfRow = (projectId: string, r: Row): ScorePlace => ({
  projectId,
  id: String(r.id),
  traceId: r.trace_id === null || r.trace_id === undefined ? null : String(r.trace_id),
  sessionId: r.session_id === null || r.session_id === undefined ? null : String(r.session_id),
  name: String(r.name),
  value: Number(r.value),
  dataType: String(r.data_type),
});

/** A score value in fixed point, rounded half away from zero as SQL ROUND and the score rollups do. */
const fixedValue = (v: number): bigint => (Number.isFinite(v) ? BigInt(Math.sign(v) * Math.round(Math.abs(v) * SCORE_SCALE)) : 0n);

/** The mean of a stored sum and count, by the same operations in SQL (`MEAN_SQL`) and here. */
const meanOf = (hi: number, lo: number, n: number): number => (hi * 4294967296 + lo) / SCORE_SCALE / n;
export const MEAN_SQL = (hi: string, lo: string, n: string) => `(CAST(${hi} AS DOUBLE PRECISION) * 4294967296 + ${lo}) / ${SCORE_SCALE} / NULLIF(${n}, 0)`;

interface Delta {
  projectId: string;
  kind: 'session' | 'user';
  name: string;
  id: string;
  n: number;
  sum: bigint;
}

type Place = Membership | null | undefined;

/** One transaction's changes to scores and to the traces' sessions and users, as deltas of group_score_sums. */
export class GroupScoreChange {
  private readonly scores = new Map<string, { prev: ScorePlace | undefined; next: ScorePlace | undefined }>();
  private readonly traces = new Map<string, { before: Membership | undefined; after: Membership | undefined }>();

  /** A score's stored state replaced by its new one (either may be absent). */
  score(prev: ScorePlace | undefined, next: ScorePlace | undefined): void {
    const s = (prev ?? next)!;
    if (
      prev && next && prev.traceId === next.traceId && prev.sessionId === next.sessionId && prev.name === next.name && prev.dataType === next.dataType &&
      fixedValue(prev.value) === fixedValue(next.value)
    ) return;
    const key = entityKey(s.projectId, 'score', s.id);
    this.scores.set(key, { prev: this.scores.get(key)?.prev ?? prev, next });
  }

  /** A trace created, deleted or changed: only a change of session, user or (with a user) day moves its scores. */
  trace(before: Membership | undefined, after: Membership | undefined): void {
    if (
      before && after && before.sessionId === after.sessionId && before.userId === after.userId &&
      (before.userId === null || dayOf(before.timestamp) === dayOf(after.timestamp))
    ) return;
    const m = (before ?? after)!;
    this.traces.set(entityKey(m.projectId, 'trace', m.id), { before, after });
  }

  /** Trace lock keys the scores changed here are counted under: the caller must hold them. */
  tracesTouched(): string[] {
    const keys = [...this.scores.values()].flatMap(({ prev, next }) => [prev, next]).filter((s) => s?.traceId).map((s) => entityKey(s!.projectId, 'trace', s!.traceId!));
    return [...new Set(keys)];
  }

  /**
   * Writes the deltas, with the scores and traces of the change already saved (or deleted) and
   * the traces' locks held. `known`: memberships the caller read under those locks (by trace
   * entity key; null: no such trace), so only the others are read here.
   */
  async apply(tx: Db, d: SqlDialect, known: ReadonlyMap<string, Membership | null> = new Map()): Promise<void> {
    if (this.scores.size === 0 && this.traces.size === 0) return;
    // Scores of moved traces that this change did not touch: stored as they were, they move along.
    const moved: { score: ScorePlace; traceKey: string }[] = [];
    for (const [projectId, ids] of byProject([...this.traces.values()].map((t) => (t.before ?? t.after)!))) {
      for (const part of chunks(ids, d.maxParams - 1)) {
        const rows = await tx.all<Row>(`SELECT id, trace_id, session_id, name, value, data_type FROM scores WHERE project_id = ? AND trace_id IN (${placeholders(part.length)})`, [projectId, ...part]);
        for (const r of rows) {
          const s = scorePlaceOfRow(projectId, r);
          if (!this.scores.has(entityKey(projectId, 'score', s.id))) moved.push({ score: s, traceKey: entityKey(projectId, 'trace', s.traceId!) });
        }
      }
    }
    // Memberships of the traces of changed scores that this change leaves where they are.
    const stored = new Map<string, Membership | null>(known);
    const unread = new Map<string, { projectId: string; id: string }>();
    for (const { prev, next } of this.scores.values()) {
      for (const s of [prev, next]) {
        if (!s?.traceId) continue;
        const key = entityKey(s.projectId, 'trace', s.traceId);
        if (!this.traces.has(key) && !stored.has(key)) unread.set(key, { projectId: s.projectId, id: s.traceId });
      }
    }
    for (const [projectId, ids] of byProject([...unread.values()])) {
      for (const part of chunks(ids, d.maxParams - 1)) {
        const rows = await tx.all<Row>(`SELECT id, session_id, user_id, timestamp FROM traces WHERE project_id = ? AND id IN (${placeholders(part.length)})`, [projectId, ...part]);
        for (const r of rows) {
          stored.set(entityKey(projectId, 'trace', String(r.id)), {
            projectId, id: String(r.id), sessionId: r.session_id === null ? null : String(r.session_id), userId: r.user_id === null ? null : String(r.user_id), timestamp: Number(r.timestamp),
          });
        }
      }
      for (const key of unread.keys()) if (!stored.has(key)) stored.set(key, null);
    }
    const place = (s: ScorePlace, when: 'before' | 'after'): Place => {
      const key = entityKey(s.projectId, 'trace', s.traceId!);
      const t = this.traces.get(key);
      return t ? t[when] : stored.get(key);
    };
    const deltas = new Map<string, Delta>();
    const days = new Map<string, DayDelta>();
    const add = (s: ScorePlace, m: Place, sign: 1 | -1) => {
      if (s.traceId !== null && m && m.userId !== null && s.dataType !== 'CATEGORICAL') {
        const day = dayOf(m.timestamp);
        const key = [s.projectId, m.userId, day, s.name].join('\u0000');
        const x = days.get(key) ?? { projectId: s.projectId, userId: m.userId, day, name: s.name, n: 0, sum: 0n };
        x.n += sign;
        x.sum += BigInt(sign) * fixedValue(s.value);
        days.set(key, x);
      }
      const targets: ['session' | 'user', string][] = [];
      if (s.traceId === null) {
        if (s.sessionId !== null) targets.push(['session', s.sessionId]);
      } else if (m) {
        if (m.sessionId !== null) targets.push(['session', m.sessionId]);
        if (m.userId !== null) targets.push(['user', m.userId]);
      }
      for (const [kind, id] of targets) {
        const key = [s.projectId, kind, s.name, id].join('\u0000');
        const x = deltas.get(key) ?? { projectId: s.projectId, kind, name: s.name, id, n: 0, sum: 0n };
        x.n += sign;
        x.sum += BigInt(sign) * fixedValue(s.value);
        deltas.set(key, x);
      }
    };
    for (const { prev, next } of this.scores.values()) {
      if (prev) add(prev, prev.traceId === null ? null : place(prev, 'before'), -1);
      if (next) add(next, next.traceId === null ? null : place(next, 'after'), 1);
    }
    for (const { score, traceKey } of moved) {
      add(score, this.traces.get(traceKey)!.before, -1);
      add(score, this.traces.get(traceKey)!.after, 1);
    }
    const changed = <T extends { n: number; sum: bigint }>(m: Map<string, T>) =>
      [...m.entries()].filter(([, x]) => x.n !== 0 || x.sum !== 0n).sort(([a], [b]) => (a < b ? -1 : 1)).map(([, x]) => x);
    await writeDeltas(tx, d, changed(deltas));
    await writeDayDeltas(tx, d, changed(days));
  }
}

interface DayDelta {
  projectId: string;
  userId: string;
  day: number;
  name: string;
  n: number;
  sum: bigint;
}

const DAY_COLUMNS = ['project_id', 'user_id', 'day', 'name', 'value_count', 'value_sum_hi', 'value_sum_lo'];
const addedToDay = (c: string) => `${c} = user_day_scores.${c} + excluded.${c}`;

/** Adds the per-day deltas (in key order), then deletes the rows left without scores. */
async function writeDayDeltas(tx: Db, d: SqlDialect, deltas: DayDelta[]): Promise<void> {
  if (deltas.length === 0) return;
  const rows = deltas.map((x) => [x.projectId, x.userId, x.day, x.name, x.n, ...toHalves(x.sum)]);
  const emptied: unknown[][] = [];
  for (const s of insertRowsStatements(d, 'user_day_scores', DAY_COLUMNS, rows,
    ` ON CONFLICT (project_id, user_id, day, name) DO UPDATE SET ${['value_count', 'value_sum_hi', 'value_sum_lo'].map(addedToDay).join(', ')}
      RETURNING project_id, user_id, day, name, value_count`)) {
    for (const r of await tx.all<Row>(s.sql, s.params)) {
      if (Number(r.value_count) <= 0) emptied.push([String(r.project_id), String(r.user_id), Number(r.day), String(r.name)]);
    }
  }
  for (const part of chunks(emptied, Math.floor(d.maxParams / 4))) {
    await tx.run(
      `DELETE FROM user_day_scores WHERE (project_id, user_id, day, name) IN (VALUES ${part.map(() => '(?, ?, CAST(? AS BIGINT), ?)').join(', ')}) AND value_count <= 0`,
      flatten(part),
    );
  }
}

const COLUMNS = ['project_id', 'kind', 'name', 'id', 'value_count', 'value_sum_hi', 'value_sum_lo', 'mean'];
const added = (c: string) => `group_score_sums.${c} + excluded.${c}`;

/** Adds the deltas (in key order: concurrent writers lock rows in one order), then deletes rows left without scores. */
async function writeDeltas(tx: Db, d: SqlDialect, deltas: Delta[]): Promise<void> {
  const emptied: Delta[] = [];
  for (const part of chunks(deltas, Math.floor(d.maxParams / COLUMNS.length))) {
    const rows = part.map((x) => {
      const [hi, lo] = toHalves(x.sum);
      // A new row's mean; a stored row's is computed from its new sums by MEAN_SQL.
      return [x.projectId, x.kind, x.name, x.id, x.n, hi, lo, x.n > 0 ? meanOf(hi, lo, x.n) : 0];
    });
    const stored = await tx.all<Row>(
      `INSERT INTO group_score_sums (${COLUMNS.join(', ')}) VALUES ${rows.map(() => `(${COLUMNS.map(() => '?').join(', ')})`).join(', ')}
         ON CONFLICT (project_id, kind, name, id) DO UPDATE SET value_count = ${added('value_count')}, value_sum_hi = ${added('value_sum_hi')},
           value_sum_lo = ${added('value_sum_lo')}, mean = COALESCE(${MEAN_SQL(added('value_sum_hi'), added('value_sum_lo'), added('value_count'))}, 0)
         RETURNING project_id, kind, name, id, value_count`,
      flatten(rows),
    );
    for (const r of stored) {
      if (Number(r.value_count) <= 0) emptied.push({ projectId: String(r.project_id), kind: String(r.kind) as Delta['kind'], name: String(r.name), id: String(r.id), n: 0, sum: 0n });
    }
  }
  for (const part of chunks(emptied, Math.floor(d.maxParams / 4))) {
    await tx.run(`DELETE FROM group_score_sums WHERE (project_id, kind, name, id) IN (VALUES ${part.map(() => '(?, ?, ?, ?)').join(', ')}) AND value_count <= 0`, part.flatMap((x) => [x.projectId, x.kind, x.name, x.id]));
  }
}

function byProject(traces: { projectId: string; id: string }[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const t of traces) {
    const ids = out.get(t.projectId) ?? [];
    ids.push(t.id);
    out.set(t.projectId, ids);
  }
  return out;
}

/** The exact sum of a stored row (tests and checks). */
export const storedSum = (r: Row): bigint => fromHalves(r.value_sum_hi, r.value_sum_lo);

const membershipOfRow = (projectId: string, r: Row): Membership => ({
  projectId,
  id: String(r.id),
  sessionId: r.session_id === null || r.session_id === undefined ? null : String(r.session_id),
  userId: r.user_id === null || r.user_id === undefined ? null : String(r.user_id),
  timestamp: Number(r.timestamp),
});

/** Takes deleted scores and traces (rows as deleted, `RETURNING *`) out of the group sums; their traces' locks held. */
export async function subtractScoreSums(tx: Db, d: SqlDialect, projectId: string, traces: readonly Row[], scores: readonly Row[]): Promise<void> {
  const change = new GroupScoreChange();
  for (const r of scores) change.score(scorePlaceOfRow(projectId, r), undefined);
  for (const r of traces) change.trace(membershipOfRow(projectId, r), undefined);
  await change.apply(tx, d);
}
