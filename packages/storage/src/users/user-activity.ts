import type { Db, Row } from '../db.js';
import { fixedToNumber, fromHalves, halvesSql } from '../metrics/exact-sum.js';
import { COST_SCALE, SCORE_SCALE } from '../metrics/view-types.js';
import { groupFigures } from '../totals/read-totals.js';
import { DAY_MS, dayOf } from '../totals/totals-change.js';
import type { UserActivity, UserSummary } from './user-store.js';

/** One user's totals (from group_totals), or null when no trace names them. */
export async function getUser(db: Db, projectId: string, userId: string): Promise<UserSummary | null> {
  const r = await db.get<Row>("SELECT * FROM group_totals WHERE project_id = ? AND kind = 'user' AND id = ?", [projectId, userId]);
  if (!r) return null;
  const f = groupFigures(r);
  return { userId, traceCount: f.traceCount, firstSeen: f.firstTrace ?? 0, lastSeen: f.lastTrace ?? 0, totalTokens: f.totalTokens, totalCost: f.totalCost };
}

/** Per day: traces, tokens and the exact cost; per day and score name: the count and exact sum (halves summed apart). */
interface Sums {
  days: Map<number, { traces: number; tokens: number; cost: bigint }>;
  scores: Map<string, { day: number; name: string; n: number; sum: bigint }>;
}

const newSums = (): Sums => ({ days: new Map(), scores: new Map() });

function addDay(s: Sums, day: number, traces: number, tokens: number, cost: bigint): void {
  const x = s.days.get(day) ?? { traces: 0, tokens: 0, cost: 0n };
  x.traces += traces;
  x.tokens += tokens;
  x.cost += cost;
  s.days.set(day, x);
}

function addScore(s: Sums, day: number, name: string, n: number, sum: bigint): void {
  const key = `${day}\u0000${name}`;
  const x = s.scores.get(key) ?? { day, name, n: 0, sum: 0n };
  x.n += n;
  x.sum += sum;
  s.scores.set(key, x);
}

/** floor(t.timestamp / one day) on both engines (integer division truncates toward zero). */
const TRACE_DAY = `CASE WHEN t.timestamp >= 0 THEN t.timestamp / ${DAY_MS} ELSE -((${DAY_MS - 1} - t.timestamp) / ${DAY_MS}) END`;
const VALUE = halvesSql('s.value', SCORE_SCALE);

/**
 * The user's traces with timestamps in [from, to) read one by one (their trace_totals and their
 * scores): the parts of the range that are not whole days.
 */
async function scanRange(db: Db, projectId: string, userId: string, from: number, to: number, into: Sums): Promise<void> {
  const range = [projectId, userId, from, to];
  const [days, scores] = await Promise.all([
    db.all<Row>(
      `SELECT ${TRACE_DAY} AS day, COUNT(*) AS traces, SUM(COALESCE(x.total_tokens, 0)) AS tokens,
          CAST(SUM(COALESCE(x.cost_hi, 0)) AS TEXT) AS cost_hi, CAST(SUM(COALESCE(x.cost_lo, 0)) AS TEXT) AS cost_lo
         FROM traces t LEFT JOIN trace_totals x ON x.project_id = t.project_id AND x.trace_id = t.id
        WHERE t.project_id = ? AND t.user_id = ? AND t.timestamp >= ? AND t.timestamp < ? GROUP BY ${TRACE_DAY}`,
      range,
    ),
    db.all<Row>(
      `SELECT ${TRACE_DAY} AS day, s.name AS name, COUNT(*) AS n, CAST(SUM(${VALUE.hi}) AS TEXT) AS hi, CAST(SUM(${VALUE.lo}) AS TEXT) AS lo
         FROM traces t CROSS JOIN scores s
        WHERE t.project_id = ? AND t.user_id = ? AND t.timestamp >= ? AND t.timestamp < ?
          AND s.project_id = t.project_id AND s.trace_id = t.id AND s.data_type <> 'CATEGORICAL'
        GROUP BY ${TRACE_DAY}, s.name`,
      range,
    ),
  ]);
  for (const r of days) addDay(into, Number(r.day), Number(r.traces), Number(r.tokens), fromHalves(r.cost_hi, r.cost_lo));
  for (const r of scores) addScore(into, Number(r.day), String(r.name), Number(r.n), fromHalves(r.hi, r.lo));
}

/** The kept per-day rows (user_days, user_day_scores) of the whole days [firstDay, endDay). */
async function readDays(db: Db, projectId: string, userId: string, firstDay: number, endDay: number, into: Sums): Promise<void> {
  const range = [projectId, userId, firstDay, endDay];
  const [days, scores] = await Promise.all([
    db.all<Row>('SELECT day, trace_count, total_tokens, cost_hi, cost_lo FROM user_days WHERE project_id = ? AND user_id = ? AND day >= ? AND day < ?', range),
    db.all<Row>('SELECT day, name, value_count, value_sum_hi, value_sum_lo FROM user_day_scores WHERE project_id = ? AND user_id = ? AND day >= ? AND day < ?', range),
  ]);
  for (const r of days) addDay(into, Number(r.day), Number(r.trace_count), Number(r.total_tokens), fromHalves(r.cost_hi, r.cost_lo));
  for (const r of scores) addScore(into, Number(r.day), String(r.name), Number(r.value_count), fromHalves(r.value_sum_hi, r.value_sum_lo));
}

/**
 * A user's traces, tokens and cost per UTC day of the traces' timestamps in [from, to), and the
 * mean of each numeric or boolean score name on those traces by the same day. Whole days come
 * from the totals kept at ingestion (user_days, user_day_scores: totals/totals-change.ts and
 * group-score-sums.ts), one row per day whatever the user's traffic; the parts of a range that
 * do not start or end at midnight UTC are read from the traces themselves. `path: 'scan'` reads
 * everything from the traces (the tests' reference).
 */
export async function userActivity(db: Db, projectId: string, userId: string, from: number, to: number, path?: 'scan'): Promise<UserActivity> {
  const sums = newSums();
  const firstDay = Math.ceil(from / DAY_MS);
  const endDay = dayOf(to);
  if (path === 'scan' || firstDay >= endDay) {
    await scanRange(db, projectId, userId, from, to, sums);
  } else {
    await Promise.all([
      from < firstDay * DAY_MS ? scanRange(db, projectId, userId, from, firstDay * DAY_MS, sums) : undefined,
      readDays(db, projectId, userId, firstDay, endDay, sums),
      endDay * DAY_MS < to ? scanRange(db, projectId, userId, endDay * DAY_MS, to, sums) : undefined,
    ]);
  }
  const days = [...sums.days.entries()].filter(([, x]) => x.traces > 0).sort(([a], [b]) => a - b);
  const scores = [...sums.scores.values()].filter((x) => x.n > 0).sort((a, b) => a.day - b.day || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    days: days.map(([day, x]) => ({ day: day * DAY_MS, traceCount: x.traces, totalTokens: x.tokens, totalCost: fixedToNumber(x.cost, COST_SCALE) })),
    scores: scores.map((x) => ({ day: x.day * DAY_MS, name: x.name, mean: fixedToNumber(x.sum, SCORE_SCALE) / x.n, count: x.n })),
  };
}
