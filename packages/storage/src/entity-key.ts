import type { EntityKind } from '@sightline/core';

/**
 * What a lock key names: a stored entity, a session (locked after the entities of its traces),
 * or a prompt name (its versions and labels change under that one lock).
 */
export type LockedKind = EntityKind | 'session' | 'prompt';

/**
 * The key of one stored entity, as ingestion and deletion lock it (`SqlDialect.lockKeys`): both
 * must build it the same way, or they would not exclude each other.
 */
export function entityKey(projectId: string, kind: LockedKind, id: string): string {
  return `${projectId}\u0000${kind}\u0000${id}`;
}

/**
 * The lock level of a key. Every transaction locks its entities before any session, so sessions
 * have a level of their own; `lockKeys` keeps levels apart, which keeps lock orders acyclic
 * when it locks coarsely (postgres/driver.ts).
 */
export function lockLevel(key: string): 0 | 1 {
  const start = key.indexOf('\u0000');
  return start >= 0 && key.startsWith('session\u0000', start + 1) ? 1 : 0;
}
