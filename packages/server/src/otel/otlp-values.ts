/**
 * Conversions of OTLP wire values as they arrive from protobuf decoding or from OTLP/JSON
 * produced by any SDK: ids (hex strings or bytes in several encodings), nanosecond times
 * (string, number or protobuf Long) and `AnyValue` attribute values.
 */

import { badRequest, setOwn } from '@sightline/core';

export type Attributes = Record<string, unknown>;

/** Deepest nesting of array/kvlist attribute values accepted (real SDKs stay far below). */
export const MAX_VALUE_DEPTH = 64;

/** An attribute value nested deeper than `MAX_VALUE_DEPTH`: the export is rejected rather than half-read. */
const tooDeep = () => badRequest(`Invalid OTLP trace export: attribute values must not nest deeper than ${MAX_VALUE_DEPTH} levels`);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** Bytes in the shapes SDKs send them: Buffer/Uint8Array, a number array, or `{type:'Buffer', data}` / `{data}`. */
function asBytes(v: unknown): Uint8Array | undefined {
  if (v instanceof Uint8Array) return v;
  if (Array.isArray(v) && v.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)) return Uint8Array.from(v as number[]);
  if (isObject(v) && Array.isArray(v.data)) return asBytes(v.data);
  return undefined;
}

/**
 * A trace/span id as Langfuse stores it: a string is kept as-is (OTLP/JSON sends hex), bytes
 * are hex-encoded. Empty values and anything else give `undefined`.
 */
export function parseId(v: unknown): string | undefined {
  if (typeof v === 'string') return v === '' ? undefined : v;
  const bytes = asBytes(v);
  if (!bytes || bytes.length === 0) return undefined;
  return Buffer.from(bytes).toString('hex');
}

/** Whether a value can be read as an id (used to reject spans that cannot be stored). */
export const isIdLike = (v: unknown): boolean => parseId(v) !== undefined;

const TWO_POW_32 = 2n ** 32n;

/** A 64-bit integer from a decimal string, a number, a bigint or a protobuf Long `{low, high}`. */
export function toBigInt(v: unknown): bigint | undefined {
  try {
    if (typeof v === 'bigint') return v;
    if (typeof v === 'number') return Number.isFinite(v) ? BigInt(Math.trunc(v)) : undefined;
    if (typeof v === 'string') return /^-?\d+$/.test(v.trim()) ? BigInt(v.trim()) : undefined;
    if (isObject(v) && typeof v.low === 'number' && typeof v.high === 'number') {
      const low = BigInt(v.low >>> 0);
      const high = v.unsigned === true ? BigInt(v.high >>> 0) : BigInt(v.high | 0);
      return high * TWO_POW_32 + low;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** Epoch milliseconds of a `*UnixNano` value (truncated to ms), or `undefined` when absent/zero/invalid. */
export function nanosToMs(v: unknown): number | undefined {
  const nanos = toBigInt(v);
  if (nanos === undefined || nanos <= 0n) return undefined;
  const ms = Number(nanos / 1_000_000n);
  return Number.isFinite(ms) && ms <= 8.64e15 ? ms : undefined;
}

/** An int64 as a plain number when it is exactly representable, else as its decimal string. */
function intValue(v: unknown): unknown {
  const n = toBigInt(v);
  if (n === undefined) return typeof v === 'string' ? v : JSON.stringify(v);
  const asNumber = Number(n);
  return Number.isSafeInteger(asNumber) ? asNumber : n.toString();
}

/** A double as JSON sends it: a number, or "NaN"/"Infinity"/"-Infinity" strings. */
function doubleValue(v: unknown): unknown {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  return v;
}

/**
 * An OTLP `AnyValue` as plain JavaScript: string, boolean, number (int64 beyond 2^53 stays a
 * decimal string), array, object (kvlist) or base64 string (bytes). Unknown shapes are
 * JSON-stringified, as Langfuse does.
 */
export function anyValueToJs(value: unknown, depth = 0): unknown {
  if (!isObject(value)) return value ?? null;
  if (depth > MAX_VALUE_DEPTH) throw tooDeep();
  if ('stringValue' in value && value.stringValue != null) return value.stringValue;
  if ('boolValue' in value && value.boolValue != null) return value.boolValue;
  if ('intValue' in value && value.intValue != null) return intValue(value.intValue);
  if ('doubleValue' in value && value.doubleValue != null) return doubleValue(value.doubleValue);
  if ('arrayValue' in value && isObject(value.arrayValue)) {
    const values = value.arrayValue.values;
    return Array.isArray(values) ? values.map((v) => anyValueToJs(v, depth + 1)) : [];
  }
  if ('kvlistValue' in value && isObject(value.kvlistValue)) {
    const values = value.kvlistValue.values;
    return Array.isArray(values) ? keyValuesToObject(values, depth + 1) : {};
  }
  if ('bytesValue' in value && value.bytesValue != null) {
    const bytes = asBytes(value.bytesValue);
    return bytes ? Buffer.from(bytes).toString('base64') : value.bytesValue;
  }
  // An empty AnyValue (no field set) means "no value".
  if (Object.keys(value).length === 0) return null;
  return JSON.stringify(value);
}

/** A `KeyValue[]` list as a plain object; entries without a string key are skipped, later keys win. */
export function keyValuesToObject(list: unknown, depth = 0): Attributes {
  const out: Attributes = {};
  if (!Array.isArray(list)) return out;
  for (const kv of list) {
    if (!isObject(kv) || typeof kv.key !== 'string') continue;
    setOwn(out, kv.key, anyValueToJs(kv.value, depth));
  }
  return out;
}
