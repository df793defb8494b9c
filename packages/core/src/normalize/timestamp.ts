/** Latest instant we accept: year 9999. */
const MAX_MS = 253402300799999;

/** Parses an ISO-8601 datetime (already validated to carry an offset) into epoch ms. */
export function toEpochMs(iso: string): number {
  return Date.parse(iso);
}

/** True when `ms` is a storable instant: 1970-01-01 up to the end of year 9999. */
export function isStorableInstant(ms: number): boolean {
  return Number.isFinite(ms) && ms >= 0 && ms <= MAX_MS;
}

/** Formats epoch ms as an ISO-8601 string in UTC with millisecond precision. */
export function toIso(ms: number): string {
  // A read of one big trace formats tens of thousands of instants, most on the same day: the
  // day's text is formatted once, the time of day from tables (the same text as toISOString).
  if (!Number.isInteger(ms) || !isStorableInstant(ms)) return new Date(ms).toISOString();
  const t = ms % DAY_MS;
  if (ms - t !== lastDay) {
    lastDay = ms - t;
    lastDayText = new Date(lastDay).toISOString().slice(0, 11);
  }
  const s = Math.floor(t / 1000);
  return `${lastDayText}${TWO_DIGITS[Math.floor(s / 3600)]}:${TWO_DIGITS[Math.floor(s / 60) % 60]}:${TWO_DIGITS[s % 60]}.${THREE_DIGITS[t % 1000]}Z`;
}

const DAY_MS = 86_400_000;
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
let lastDay = -1;
let lastDayText = '';

/** Formats nullable epoch ms. */
export function toIsoOrNull(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : toIso(ms);
}
