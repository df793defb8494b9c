import { randomUUID } from 'node:crypto';
import { badRequest } from '@sightline/core';
import type { Storage } from '@sightline/storage';
import type { Ingestor } from '../ingest/ingestor.js';
import { processBatch } from '../ingest/process-batch.js';
import { loadScoreRefs } from '../ingest/score-refs.js';

/**
 * Writes people's scores (source ANNOTATION) through the same checks and group commit as any
 * ingested score-create event: the schema, the project's score configs and queues. All or
 * nothing: the first invalid score is a 400 naming the field and the rule, and nothing is stored.
 * Returns the new score ids in the order given.
 */
export async function writeAnnotationScores(
  storage: Storage,
  ingestor: Ingestor,
  projectId: string,
  bodies: Record<string, unknown>[],
  annotatedBy: string,
): Promise<string[]> {
  const ids = bodies.map(() => randomUUID());
  const timestamp = new Date().toISOString();
  const events = bodies.map((body, i) => ({
    id: `ui-${randomUUID()}`,
    type: 'score-create',
    timestamp,
    body: { ...body, id: ids[i], source: 'ANNOTATION', metadata: { annotatedBy } },
  }));
  if (events.length === 0) return [];
  const result = processBatch(events, 'all', await loadScoreRefs(storage, projectId, events));
  if (result.errors.length > 0) {
    const e = result.errors[0];
    const which = bodies.length > 1 ? `scores[${events.findIndex((ev) => ev.id === e.id)}]: ` : '';
    throw badRequest(`${which}${e.error ?? e.message ?? 'invalid score'}`);
  }
  await ingestor.submit({ projectId, events: result.events, raw: result.raw });
  return ids;
}
