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
  return new Date(ms).toISOString();
}

/** Formats nullable epoch ms. */
export function toIsoOrNull(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : toIso(ms);
}
