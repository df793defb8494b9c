import { LEVELS, OBSERVATION_TYPES } from '@sightline/core';
import type { ObservationNode } from '@sightline/storage';
import type { CompactTree } from './api-types.js';

/** A trace's observations as the UI's compact tree (see `CompactTree`). */
export function presentTree(rows: ObservationNode[]): CompactTree {
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
