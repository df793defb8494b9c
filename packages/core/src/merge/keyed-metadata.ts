import { setOwn } from '../domain/own-keys.js';
import type { JsonObject, JsonValue, MetaKeys } from '../domain/records.js';

/**
 * The metadata deep merge (deep-merge.ts) made independent of the order events are applied in:
 * every path remembers the sort key of its last non-object value (`s`) and of its last object
 * value (`o`), so an event that sorts before others is merged in one step, as if it had come
 * first. Applied in sort order it gives exactly `deepMerge`: objects merge key by key, anything
 * else replaces, and a non-object value wipes what older events wrote below it.
 */

interface Slot {
  keys: MetaKeys | undefined;
  value: JsonValue | undefined;
}

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const later = (a: string | undefined, b: string | undefined): string | undefined => (a === undefined || (b !== undefined && b > a) ? b : a);
const own = <T>(o: Record<string, T> | undefined, key: string): T | undefined => (o && Object.hasOwn(o, key) ? o[key] : undefined);

/** Drops what was written before `floor`: a non-object value written at `floor` above this path replaced it. */
function prune(node: MetaKeys, cur: JsonValue | undefined, floor: string): Slot {
  const s = node.s !== undefined && node.s > floor ? node.s : undefined;
  const o = node.o !== undefined && node.o > floor ? node.o : undefined;
  if (o === undefined || (s !== undefined && s > o)) return s === undefined ? { keys: undefined, value: undefined } : { keys: { s }, value: cur };
  const c: Record<string, MetaKeys> = {};
  const value: JsonObject = {};
  for (const [key, child] of Object.entries(node.c ?? {})) {
    const r = prune(child, own(isObject(cur) ? cur : undefined, key), later(floor, s) ?? '');
    if (r.keys) {
      setOwn(c, key, r.keys);
      setOwn(value, key, r.value as JsonValue);
    }
  }
  return { keys: s === undefined ? { o, c } : { s, o, c }, value };
}

/** Merges `patch`, sent by the event with sort key `k`, into the value `cur` at one path. */
function mergeAt(node: MetaKeys | undefined, cur: JsonValue | undefined, patch: JsonValue, k: string, floor: string): Slot {
  const s = node?.s;
  const o = node?.o;
  if (k < floor || (s !== undefined && s > k)) return { keys: node, value: cur }; // replaced by a later value
  if (!isObject(patch)) {
    if (o === undefined || o < k) return { keys: { s: k }, value: patch };
    // An object sent later survives, holding only what was written after this value.
    return prune({ ...node, s: k }, cur, floor);
  }
  const isObjectNow = o !== undefined && (s === undefined || o > s) && isObject(cur);
  const c: Record<string, MetaKeys> = isObjectNow ? { ...node?.c } : {};
  const value: JsonObject = isObjectNow ? { ...cur } : {};
  for (const [key, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    const r = mergeAt(own(c, key), own(value, key), v, k, later(floor, s) ?? '');
    if (r.keys) {
      setOwn(c, key, r.keys);
      setOwn(value, key, r.value as JsonValue);
    }
  }
  return { keys: s === undefined ? { o: later(o, k), c } : { s, o: later(o, k), c }, value };
}

/**
 * Merges the metadata of the event with sort key `k` into `metadata`, whatever the order events
 * arrive in. Empty or absent metadata changes nothing.
 */
export function mergeKeyedMetadata(keys: MetaKeys, metadata: JsonObject, patch: JsonObject | undefined, k: string): { keys: MetaKeys; metadata: JsonObject } {
  if (!patch || Object.keys(patch).length === 0) return { keys, metadata };
  const r = mergeAt(keys, metadata, patch, k, '');
  return { keys: r.keys ?? {}, metadata: isObject(r.value) ? r.value : {} };
}
