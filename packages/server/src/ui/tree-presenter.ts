import { LEVELS, OBSERVATION_TYPES } from '@sightline/core';
import type { TreeNodeRow } from '@sightline/storage';

/**
 * A trace's observations in a compact, columnar form: parallel arrays instead of one object
 * per observation, parents as indexes, names and models deduplicated into tables, times as
 * offsets from the trace's first start. 100,000 observations stay a few megabytes of JSON
 * (much less gzipped) and parse in one pass. Details are fetched per selected observation.
 */
export interface CompactTree {
  count: number;
  /** Epoch ms that `start` and `end` are relative to. */
  t0: number;
  types: readonly string[];
  levels: readonly string[];
  names: string[];
  models: string[];
  id: string[];
  /** Index of the parent in these arrays, or -1 for a root (or a parent that is not in the trace). */
  parent: number[];
  /** Index into `names`, -1 without a name. */
  name: number[];
  type: number[];
  level: number[];
  model: number[];
  start: number[];
  /** -1 while the observation has not ended. */
  end: number[];
  cost: (number | null)[];
  tokens: (number | null)[];
}

export function presentTree(rows: TreeNodeRow[]): CompactTree {
  const t0 = rows.reduce((m, r) => Math.min(m, r.startTime), rows.length ? Infinity : 0);
  const index = new Map<string, number>();
  rows.forEach((r, i) => index.set(r.id, i));
  const names: string[] = [];
  const nameIndex = new Map<string, number>();
  const models: string[] = [];
  const modelIndex = new Map<string, number>();
  const intern = (v: string | null, table: string[], map: Map<string, number>) => {
    if (v === null) return -1;
    let i = map.get(v);
    if (i === undefined) {
      i = table.push(v) - 1;
      map.set(v, i);
    }
    return i;
  };
  const out: CompactTree = {
    count: rows.length, t0, types: OBSERVATION_TYPES, levels: LEVELS, names, models,
    id: [], parent: [], name: [], type: [], level: [], model: [], start: [], end: [], cost: [], tokens: [],
  };
  for (const r of rows) {
    out.id.push(r.id);
    const p = r.parentObservationId === null ? undefined : index.get(r.parentObservationId);
    out.parent.push(p === undefined || r.parentObservationId === r.id ? -1 : p);
    out.name.push(intern(r.name, names, nameIndex));
    out.type.push(OBSERVATION_TYPES.indexOf(r.type));
    out.level.push(LEVELS.indexOf(r.level));
    out.model.push(intern(r.model, models, modelIndex));
    out.start.push(r.startTime - t0);
    out.end.push(r.endTime === null ? -1 : r.endTime - t0);
    out.cost.push(r.totalCost);
    out.tokens.push(r.totalTokens);
  }
  return out;
}
