import type { Db, Row } from '../db.js';
import type { Fragment } from './where.js';

/** Matches a public list's total counts exactly; past this many it is an estimate. */
export const EXACT_TOTAL_LIMIT = 10_000;

/** A list's total: exact up to a bound, beyond it an estimate (`estimated`). */
export interface BoundedTotal {
  count: number;
  estimated: boolean;
}

export interface BoundedTotalQuery {
  /** `FROM … WHERE …` of the list (its filters; no ORDER BY). */
  from: Fragment;
  /** The list's time column (epoch ms), whose index orders the matches newest first. */
  time: string;
  /** The start of the time range the list asks for; without one, `firstTime` is read. */
  since?: number;
  /** `SELECT MIN(time) AS m …` of the project: the start of the range when the list has none. */
  firstTime: Fragment;
}

/**
 * Counts matches newest first, stopping after `exactUpTo` + 1 (a bounded walk of the time
 * index, like the UI's trace count). Beyond that, the matches' rate over the time the walk
 * covered is extrapolated to the whole range and rounded to three significant digits.
 */
export async function boundedTotal(db: Db, q: BoundedTotalQuery, exactUpTo = EXACT_TOTAL_LIMIT): Promise<BoundedTotal> {
  const r = await db.get<Row>(
    `SELECT COUNT(*) AS n, MIN(ts) AS oldest, MAX(ts) AS newest FROM (SELECT ${q.time} AS ts ${q.from.sql} ORDER BY ${q.time} DESC LIMIT ?) m`,
    [...q.from.params, exactUpTo + 1],
  );
  const n = Number(r?.n ?? 0);
  if (n <= exactUpTo) return { count: n, estimated: false };
  const first = q.since ?? Number((await db.get<Row>(q.firstTime.sql, q.firstTime.params))?.m);
  const newest = Number(r!.newest);
  const walked = Math.max(1, newest - Number(r!.oldest));
  const estimate = Math.max(n, Math.round((n * Math.max(walked, newest - first)) / walked));
  const magnitude = 10 ** Math.max(0, Math.floor(Math.log10(estimate)) - 2);
  return { count: Math.round(estimate / magnitude) * magnitude, estimated: true };
}

/**
 * The total an offset page reports, given the page read with one extra row (`read` rows at
 * `offset`, `limit` asked): exact stays exact; an estimate never ends the listing early — while
 * another row follows, the total reaches past this page — and becomes exact on the last page.
 */
export function pageTotal(total: BoundedTotal, offset: number, limit: number, read: number): BoundedTotal {
  if (!total.estimated) return total;
  if (read > limit) return { count: Math.max(total.count, offset + read), estimated: true };
  if (read > 0) return { count: offset + read, estimated: false };
  return total;
}

/** What reading an offset page told: `read` rows came back when `limit` + 1 were asked at `offset`. */
export interface PageSeen {
  offset: number;
  limit: number;
  read: number;
}

/**
 * An offset list's total: free on the last page (its offset plus its rows); otherwise counted
 * newest first up to `exactUpTo` and estimated past it (`boundedTotal`), never below the rows
 * known to exist (`pageTotal`).
 */
export async function offsetListTotal(db: Db, q: BoundedTotalQuery, seen: PageSeen, exactUpTo = EXACT_TOTAL_LIMIT): Promise<BoundedTotal> {
  if (seen.read <= seen.limit && (seen.read > 0 || seen.offset === 0)) return { count: seen.offset + seen.read, estimated: false };
  return pageTotal(await boundedTotal(db, q, exactUpTo), seen.offset, seen.limit, seen.read);
}
