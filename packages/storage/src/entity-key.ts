import type { EntityKind } from '@sightline/core';

/**
 * The key of one stored entity, as ingestion and deletion lock it (`SqlDialect.lockKeys`): both
 * must build it the same way, or they would not exclude each other.
 */
export function entityKey(projectId: string, kind: EntityKind, id: string): string {
  return `${projectId}\u0000${kind}\u0000${id}`;
}
