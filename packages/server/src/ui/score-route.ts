import { AppError, badRequest } from '@sightline/core';
import type { Storage } from '@sightline/storage';
import type { Hono } from 'hono';
import type { Ingestor } from '../ingest/ingestor.js';
import { readObject } from './account-routes.js';
import { writeAnnotationScores } from './annotation-write.js';
import { requireRole, requireUser } from './guard.js';
import type { UiEnv } from './ui-env.js';

const DATA_TYPES = ['NUMERIC', 'CATEGORICAL', 'BOOLEAN'] as const;

/**
 * A person's score on a trace or an observation (source ANNOTATION, with a comment). It goes
 * through the same validation and group commit as any ingested score-create event.
 */
export function registerScoreRoute(ui: Hono<UiEnv>, storage: Storage, ingestor: Ingestor): void {
  ui.post('/projects/:projectId/scores', async (c) => {
    const user = requireUser(c);
    const { projectId } = requireRole(c, 'member');
    const b = await readObject(c);
    if (typeof b.traceId !== 'string' || !b.traceId) throw badRequest('traceId: required');
    const trace = await storage.traces.get(projectId, b.traceId);
    if (!trace) throw new AppError(404, 'not_found', `Trace ${b.traceId} not found`);
    let observationId: string | undefined;
    if (b.observationId !== undefined && b.observationId !== null) {
      const o = typeof b.observationId === 'string' ? await storage.observations.get(projectId, b.observationId) : null;
      if (!o || o.traceId !== trace.id) throw badRequest('observationId: must be an observation of the trace');
      observationId = o.id;
    }
    const dataType = b.dataType ?? (typeof b.value === 'string' ? 'CATEGORICAL' : 'NUMERIC');
    if (!(DATA_TYPES as readonly unknown[]).includes(dataType)) throw badRequest(`dataType: must be one of ${DATA_TYPES.join(', ')}`);
    if (b.comment !== undefined && b.comment !== null && (typeof b.comment !== 'string' || b.comment.length > 5000)) {
      throw badRequest('comment: must be a string of at most 5000 characters');
    }
    const [id] = await writeAnnotationScores(storage, ingestor, projectId, [
      { traceId: trace.id, observationId, name: b.name, value: b.value, dataType, comment: b.comment ?? undefined, environment: trace.environment },
    ], user.email);
    const stored = await storage.scores.get(projectId, id);
    return c.json({ score: stored }, 201);
  });
}
