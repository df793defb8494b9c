/** Time buckets of the charts: the metrics engine's granularities, with starts in UTC. */
export type Bucket = 'minute' | 'hour' | 'day' | 'week' | 'month';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Weeks start on Monday (UTC), as the metrics engine counts them: 1970-01-05 was one. */
const FIRST_MONDAY = 4 * DAY;
const FIXED: Record<Exclude<Bucket, 'month'>, number> = { minute: MINUTE, hour: HOUR, day: DAY, week: 7 * DAY };
const AVERAGE_MONTH = 30.44 * DAY;

/** A chart reads best with about this many buckets. */
export const FEWEST_BUCKETS = 24;
export const MOST_BUCKETS = 60;

const ORDER: Bucket[] = ['minute', 'hour', 'day', 'week', 'month'];
const sizeOf = (b: Bucket) => (b === 'month' ? AVERAGE_MONTH : FIXED[b]);

/**
 * The bucket that fits a range: the finest one giving 24–60 buckets, else the one whose count is
 * nearest that band (by ratio) — hourly for a day, daily for a month, by minute for an hour; a
 * week has no fit and gets hours (168, nearer than 7 days).
 */
export function chooseBucket(from: number, to: number): Bucket {
  const span = Math.max(to - from, 1);
  let best: Bucket = 'minute';
  let bestMiss = Infinity;
  for (const b of ORDER) {
    const n = span / sizeOf(b);
    const miss = n < FEWEST_BUCKETS ? FEWEST_BUCKETS / n : n > MOST_BUCKETS ? n / MOST_BUCKETS : 1;
    if (miss < bestMiss) {
      best = b;
      bestMiss = miss;
    }
  }
  return best;
}

/** About how many buckets of `b` the range holds. */
export const bucketCount = (from: number, to: number, b: Bucket): number => Math.ceil((to - from) / sizeOf(b));

/** Start (epoch ms) of the UTC bucket holding `ms`. */
export function bucketStart(ms: number, b: Bucket): number {
  if (b === 'month') {
    const d = new Date(ms);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  }
  const offset = b === 'week' ? FIRST_MONDAY : 0;
  return Math.floor((ms - offset) / FIXED[b]) * FIXED[b] + offset;
}

function nextStart(start: number, b: Bucket): number {
  if (b !== 'month') return start + FIXED[b];
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** Every bucket start from the bucket of `from` to the bucket holding `to - 1`. */
export function bucketStarts(from: number, to: number, b: Bucket): number[] {
  const out: number[] = [];
  for (let s = bucketStart(from, b); s < to; s = nextStart(s, b)) out.push(s);
  return out;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/**
 * A short axis label of a bucket start, in UTC: `14:00` (with the day when the chart spans
 * several days: `Jan 5 14:00`), `Jan 5`, `Jan 2025`.
 */
export function bucketLabel(start: number, b: Bucket, withDay = false): string {
  const d = new Date(start);
  const day = `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`;
  if (b === 'month') return `${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
  if (b === 'day' || b === 'week') return day;
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
  return withDay ? `${day} ${time}` : time;
}

/** Label steps, in buckets, that fall on round times (every 6 hours, every day, every quarter…). */
const LABEL_STEPS: Record<Bucket, number[]> = {
  minute: [1, 5, 10, 15, 30, 60, 120, 360],
  hour: [1, 2, 3, 6, 12, 24, 48, 168],
  day: [1, 2, 7, 14, 28],
  week: [1, 2, 4, 8, 13, 26, 52],
  month: [1, 2, 3, 6, 12, 24, 60],
};

/**
 * The indexes of `starts` that get an x-axis label: at most `most` of them, a round step apart
 * and on round times (hours divisible by the step, midnight for days; weeks and months count
 * from the first bucket).
 */
export function labelledBuckets(starts: readonly number[], b: Bucket, most = 7): number[] {
  const round = LABEL_STEPS[b].find((s) => starts.length / s <= most);
  const step = round ?? Math.ceil(starts.length / most);
  // Fixed-size buckets align on the clock; weeks, months and unusually long charts count from the first bucket.
  const size = round !== undefined && (b === 'minute' || b === 'hour' || b === 'day') ? FIXED[b] * step : 0;
  return starts.flatMap((t, i) => ((size > 0 ? t % size === 0 : i % step === 0) ? [i] : []));
}

/** The full name of a bucket, for tooltips: `2025-01-05 14:00 UTC`, `week of 2025-01-06`, `2025-01`. */
export function bucketTitle(start: number, b: Bucket): string {
  const d = new Date(start);
  const date = `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}`;
  if (b === 'month') return date.slice(0, 7);
  if (b === 'week') return `week of ${date}`;
  if (b === 'day') return date;
  return `${date} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())} UTC`;
}

const NOUN: Record<Bucket, string> = { minute: 'By minute', hour: 'Hourly', day: 'Daily', week: 'Weekly (from Monday)', month: 'Monthly' };
/** What a chart says about its buckets: `Hourly buckets, UTC`. */
export const bucketNote = (b: Bucket): string => `${NOUN[b]} buckets, UTC`;
