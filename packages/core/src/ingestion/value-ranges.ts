import { isStorableInstant } from '../normalize/timestamp.js';
import type { ValidEvent } from './event-schemas.js';

/**
 * Ranges every stored value must fall in, so that what is stored is what was sent and every
 * sum over it stays finite. An event breaking one is rejected on its own (a 400 in `errors[]`).
 *
 * - Datetimes: 1970-01-01T00:00:00.000Z to 9999-12-31T23:59:59.999Z, in UTC after applying the
 *   offset (a year-0000 or a `9999-12-31T23:59:59-14:00` instant cannot be served back as sent).
 * - Usage counts (`usage.*` and `usageDetails`, the same rule for both): integers from 0 to
 *   2^53-1, the largest integer a JSON client reads exactly.
 * - Costs (`usage.*Cost`, `costDetails`): at most 1,000,000 (USD) each; metrics add them up in
 *   fixed point (10^-12 USD) in 64-bit integers.
 * - Numeric score values: magnitude at most 10^15, so score sums stay finite.
 */
export const VALUE_RANGES = { maxCost: 1e6, maxScoreMagnitude: 1e15, maxCount: Number.MAX_SAFE_INTEGER, maxDetailKeys: 100, maxDetailKeyLength: 200 } as const;

/**
 * `usageDetails`/`costDetails` keys become priced, stored and charted usage types: at most
 * `maxDetailKeys` of them per map, each at most `maxDetailKeyLength` characters, so one event
 * cannot make the pricing step (which runs on the shared writer) or the rollups arbitrarily big.
 */
function detailKeysProblem(value: unknown, path: string): string | null {
  if (!isRecord(value)) return null;
  const keys = Object.keys(value);
  if (keys.length > VALUE_RANGES.maxDetailKeys) return `${path}: at most ${VALUE_RANGES.maxDetailKeys} keys; got ${keys.length}`;
  const long = keys.find((k) => k.length > VALUE_RANGES.maxDetailKeyLength);
  return long === undefined ? null : `${path}: keys must be at most ${VALUE_RANGES.maxDetailKeyLength} characters; got one of ${long.length}`;
}

const DATETIME_RULE = 'must be between 1970-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z (UTC, after applying the offset)';
const COUNT_RULE = `usage counts must be integers from 0 to ${VALUE_RANGES.maxCount}`;
const COST_RULE = `costs must be finite and at most ${VALUE_RANGES.maxCost}`;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const badCount = (v: unknown) => typeof v === 'number' && !(Number.isInteger(v) && v >= 0 && v <= VALUE_RANGES.maxCount);
const badCost = (v: unknown) => typeof v === 'number' && !(Number.isFinite(v) && v <= VALUE_RANGES.maxCost);

/** The first number in `value` (one level of nested `*_details` objects included) that `bad` flags, as `path: rule`. */
function firstBad(value: unknown, path: string, bad: (v: unknown) => boolean, rule: string): string | null {
  if (!isRecord(value)) return null;
  for (const [k, v] of Object.entries(value)) {
    if (bad(v)) return `${path}.${k}: ${rule}; got ${String(v)}`;
    if (isRecord(v)) {
      for (const [k2, v2] of Object.entries(v)) if (bad(v2)) return `${path}.${k}.${k2}: ${rule}; got ${String(v2)}`;
    }
  }
  return null;
}

const COUNT_KEYS = ['input', 'output', 'total', 'promptTokens', 'completionTokens', 'totalTokens'];
const COST_KEYS = ['inputCost', 'outputCost', 'totalCost'];

/** The first of `keys` in `usage` (in the order given) whose value `bad` flags, as `path.key: rule`. */
function badKey(usage: Record<string, unknown> | undefined, keys: readonly string[], path: string, bad: (v: unknown) => boolean, rule: string): string | null {
  if (!usage) return null;
  for (const k of keys) if (Object.hasOwn(usage, k) && bad(usage[k])) return `${path}.${k}: ${rule}; got ${String(usage[k])}`;
  return null;
}

/** The first value of a validated event outside its documented range (see `VALUE_RANGES`), as a message naming it; null when all fit. */
export function valueRangeError(e: ValidEvent): string | null {
  if (!isStorableInstant(Date.parse(e.timestamp))) return `timestamp: ${DATETIME_RULE}; got ${e.timestamp}`;
  const b = e.body as Record<string, unknown>;
  for (const field of ['timestamp', 'startTime', 'endTime', 'completionStartTime']) {
    const v = b[field];
    if (typeof v === 'string' && !isStorableInstant(Date.parse(v))) return `body.${field}: ${DATETIME_RULE}; got ${v}`;
  }
  if (e.type === 'score-create') {
    const v = e.body.value;
    if (typeof v === 'number' && !(Math.abs(v) <= VALUE_RANGES.maxScoreMagnitude)) {
      return `body.value: a numeric score value must have a magnitude of at most ${VALUE_RANGES.maxScoreMagnitude}; got ${v}`;
    }
    return null;
  }
  const usage = isRecord(b.usage) ? b.usage : undefined;
  return (
    badKey(usage, COUNT_KEYS, 'body.usage', badCount, COUNT_RULE) ??
    detailKeysProblem(b.usageDetails, 'body.usageDetails') ??
    detailKeysProblem(b.costDetails, 'body.costDetails') ??
    firstBad(b.usageDetails, 'body.usageDetails', badCount, COUNT_RULE) ??
    badKey(usage, COST_KEYS, 'body.usage', badCost, COST_RULE) ??
    firstBad(b.costDetails, 'body.costDetails', badCost, COST_RULE)
  );
}
