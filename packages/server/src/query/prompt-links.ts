import type { ObservationRecord } from '@sightline/core';
import { promptRefKey, type PromptRef, type Storage } from '@sightline/storage';

/** The `promptId` of an observation: the id of the stored prompt version it names, or null. */
export type PromptIdOf = (o: Pick<ObservationRecord, 'promptName' | 'promptVersion'>) => string | null;

/** For pages without prompt links (and field groups that leave `promptId` out). */
export const noPromptIds: PromptIdOf = () => null;

/**
 * Resolves the prompt links of a page of observations with one lookup of its distinct
 * (name, version) pairs. The link is made when read, as in Langfuse: a version created after the
 * generation links it too, and a deleted version unlinks it.
 */
export async function loadPromptIds(storage: Storage, projectId: string, observations: readonly Pick<ObservationRecord, 'promptName' | 'promptVersion'>[]): Promise<PromptIdOf> {
  const refs: PromptRef[] = [];
  for (const o of observations) if (o.promptName !== null && o.promptVersion !== null) refs.push({ name: o.promptName, version: o.promptVersion });
  if (refs.length === 0) return noPromptIds;
  const ids = await storage.prompts.ids(projectId, refs);
  return (o) => (o.promptName === null || o.promptVersion === null ? null : (ids.get(promptRefKey(o.promptName, o.promptVersion)) ?? null));
}
