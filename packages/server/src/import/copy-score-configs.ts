import type { ScoreConfigRecord } from '@sightline/core';
import type { Storage } from '@sightline/storage';
import { allPages, epochOr } from './paging.js';
import type { SourceClient } from './source-client.js';

/** A score config as the source answers it (ISO times, optional fields). */
type SourceScoreConfig = Omit<ScoreConfigRecord, 'projectId' | 'createdAt' | 'updatedAt' | 'minValue' | 'maxValue' | 'categories' | 'description'> &
  Partial<Pick<ScoreConfigRecord, 'minValue' | 'maxValue' | 'categories' | 'description'>> & { createdAt?: string; updatedAt?: string };

/**
 * Copies the score configs with their ids, so the imported scores that name a config find it here
 * (annotation, the score's config in the UI). A config already here is overwritten with the source's.
 */
export async function copyScoreConfigs(source: SourceClient, storage: Storage, projectId: string): Promise<number> {
  let copied = 0;
  for await (const c of allPages<SourceScoreConfig>(source, 'score-configs')) {
    const created = epochOr(c.createdAt, Date.now());
    const config: ScoreConfigRecord = {
      id: c.id, projectId, name: c.name, dataType: c.dataType, isArchived: c.isArchived ?? false, minValue: c.minValue ?? null,
      maxValue: c.maxValue ?? null, categories: c.categories ?? null, description: c.description ?? null, createdAt: created, updatedAt: epochOr(c.updatedAt, created),
    };
    if (!(await storage.scoreConfigs.replace(config))) await storage.scoreConfigs.create(config);
    copied++;
  }
  return copied;
}
