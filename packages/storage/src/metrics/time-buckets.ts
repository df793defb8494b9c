import type { SqlDialect } from '../db.js';
import type { Bucketing, Granularity } from './types.js';

export const MINUTE = 60_000;
export const FIVE_MINUTES = 300_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
const WEEK = 7 * DAY;
/** 1970-01-05, the first Monday after the epoch: weeks start on Monday (UTC). */
const MONDAY = 4 * DAY;

/** `auto` picks about 50 buckets or fewer from the range, as Langfuse does. */
export function resolveGranularity(g: Granularity, from: number, to: number): Bucketing {
  if (g !== 'auto') return g;
  const hours = (to - from) / HOUR;
  if (hours < 2) return 'minute';
  if (hours < 72) return 'hour';
  if (hours < 1440) return 'day';
  if (hours < 8760) return 'week';
  return 'month';
}

const FIXED: Partial<Record<Bucketing, { size: number; offset: number }>> = {
  minute: { size: MINUTE, offset: 0 },
  hour: { size: HOUR, offset: 0 },
  day: { size: DAY, offset: 0 },
  week: { size: WEEK, offset: MONDAY },
};

/** Start (epoch ms, UTC) of the bucket holding `ms`. */
export function bucketStart(ms: number, g: Bucketing): number {
  const fixed = FIXED[g];
  if (fixed) return Math.floor((ms - fixed.offset) / fixed.size) * fixed.size + fixed.offset;
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/** Start of the bucket after the one starting at `start`. */
export function nextBucket(start: number, g: Bucketing): number {
  const fixed = FIXED[g];
  if (fixed) return start + fixed.size;
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/**
 * SQL for the bucket start of the epoch-ms integer expression `expr`. Fixed-size buckets are
 * integer arithmetic on every engine; months ask the dialect.
 */
export function bucketSql(expr: string, g: Bucketing, d: SqlDialect): string {
  const fixed = FIXED[g];
  if (!fixed) return d.monthStartMs(expr);
  if (fixed.offset === 0) return `((${expr}) / ${fixed.size}) * ${fixed.size}`;
  return `(((${expr}) - ${fixed.offset}) / ${fixed.size}) * ${fixed.size} + ${fixed.offset}`;
}

/** Every bucket start from the bucket of `from` up to the bucket holding `to - 1`. */
export function bucketsBetween(from: number, to: number, g: Bucketing): number[] {
  const out: number[] = [];
  for (let b = bucketStart(from, g); b < to; b = nextBucket(b, g)) out.push(b);
  return out;
}
