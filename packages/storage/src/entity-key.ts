import type { EntityKind } from '@sightline/core';

/**
 * What a lock key names: a stored entity, a session (locked after the entities of its traces),
 * a prompt name (its versions and labels change under that one lock), a dataset item (its
 * current state and its version history change together), or one trace's scores of one name
 * (their mean in trace_score_means, locked last: scores/trace-score-means.ts).
 */
export type LockedKind = EntityKind | 'session' | 'prompt' | 'dataset-item' | 'trace-score';

/**
 * The key of one stored entity, as ingestion and deletion lock it (`SqlDialect.lockKeys`): both
 * must build it the same way, or they would not exclude each other.
 */
export function entityKey(projectId: string, kind: LockedKind, id: string): string {
  return `${projectId}\u0000${kind}\u0000${id}`;
}

/**
 * The lock level of a key. Every transaction locks its entities before any session, and
 * trace-score keys last of all, so sessions and trace-score keys have a level of their own; `lockKeys` keeps levels apart, which keeps lock orders acyclic
 * when it locks coarsely (postgres/driver.ts).
 */
export function lockLevel(key: string): 0 | 1 | 2 {
  const start = key.indexOf('\u0000');
  if (start < 0) return 0;
  if (key.startsWith('session\u0000', start + 1)) return 1;
  return key.startsWith('trace-score\u0000', start + 1) ? 2 : 0;
}
