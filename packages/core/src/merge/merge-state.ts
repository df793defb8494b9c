import type { MergeState, MetaKeys } from '../domain/records.js';

/**
 * The stored form of a `MergeState`: each distinct sort key once (`k`), referred to by index,
 * because one event usually sets many fields and its key holds the client's event id.
 */
interface Stored {
  k: string[];
  f: number;
  l: Record<string, number>;
  m: StoredMeta;
  e?: number | null;
}
interface StoredMeta {
  s?: number;
  o?: number;
  c?: Record<string, StoredMeta>;
}

function mapMeta<A, B>(node: { s?: A; o?: A; c?: Record<string, unknown> }, f: (a: A) => B): { s?: B; o?: B; c?: Record<string, unknown> } {
  const out: { s?: B; o?: B; c?: Record<string, unknown> } = {};
  if (node.s !== undefined) out.s = f(node.s);
  if (node.o !== undefined) out.o = f(node.o);
  if (node.c) {
    const c: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(node.c)) {
      Object.defineProperty(c, key, { value: mapMeta(child as typeof node, f), enumerable: true, writable: true, configurable: true });
    }
    out.c = c;
  }
  return out;
}

/** Serialises a merge state as JSON text; `null` stays `null` (rows written before merge states existed). */
export function encodeMergeState(state: MergeState | null | undefined): string | null {
  if (!state) return null;
  const keys: string[] = [];
  const index = new Map<string, number>();
  const ref = (key: string): number => {
    let i = index.get(key);
    if (i === undefined) index.set(key, (i = keys.push(key) - 1));
    return i;
  };
  const stored: Stored = {
    k: keys,
    f: ref(state.first),
    l: Object.fromEntries(Object.entries(state.fields).map(([field, key]) => [field, ref(key)])),
    m: mapMeta(state.meta, ref) as StoredMeta,
  };
  if (state.end !== undefined) stored.e = state.end;
  return JSON.stringify(stored);
}

/** Parses what `encodeMergeState` wrote; anything else (null, a missing column) gives `null`. */
export function decodeMergeState(text: unknown): MergeState | null {
  if (typeof text !== 'string' || text === '') return null;
  const stored = JSON.parse(text) as Stored;
  const key = (i: number): string => stored.k[i];
  const state: MergeState = {
    first: key(stored.f),
    fields: Object.fromEntries(Object.entries(stored.l).map(([field, i]) => [field, key(i)])),
    meta: mapMeta(stored.m, key) as MetaKeys,
  };
  if (stored.e !== undefined) state.end = stored.e;
  return state;
}
