import { getOwn, setOwn } from '../domain/own-keys.js';
import type { JsonObject } from '../domain/records.js';

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Deep-merges `patch` into `base` without mutating either: nested objects merge key by key,
 * every other value (arrays included) replaces what was there. `undefined` never overwrites.
 * Every key is data: `__proto__` or `constructor` are stored like any other key.
 */
export function deepMerge(base: JsonObject, patch: JsonObject): JsonObject {
  const out: JsonObject = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const current = getOwn(out, key);
    setOwn(out, key, isObject(current) && isObject(value) ? deepMerge(current, value) : value);
  }
  return out;
}
