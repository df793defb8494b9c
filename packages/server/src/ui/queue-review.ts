import { AppError, badRequest, type ScoreRecord } from '@sightline/core';
import type { AnnotationQueueRecord, QueueItemRecord, Storage } from '@sightline/storage';
import { COMMENT_MAX_CHARS } from '../http/comment-routes.js';
import type { QueueObjectView } from './api-types.js';

const SESSION_TRACES_SHOWN = 20;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What a queue item points at, read-only: the trace, the observation, or a session's first traces. */
export async function queueObject(storage: Storage, projectId: string, item: QueueItemRecord): Promise<QueueObjectView> {
  switch (item.objectType) {
    case 'TRACE': {
      const trace = await storage.traces.get(projectId, item.objectId);
      return trace ? { kind: 'TRACE', trace } : { kind: 'MISSING' };
    }
    case 'OBSERVATION': {
      const observation = await storage.observations.get(projectId, item.objectId);
      return observation ? { kind: 'OBSERVATION', observation } : { kind: 'MISSING' };
    }
    case 'SESSION': {
      const session = await storage.sessions.get(projectId, item.objectId);
      if (!session) return { kind: 'MISSING' };
      const traces = await storage.traces.list(projectId, {
        sessionId: session.id, page: 1, limit: SESSION_TRACES_SHOWN, orderBy: { field: 'timestamp', direction: 'asc' },
        withObservations: false, withScores: false, withMetrics: true,
      });
      return { kind: 'SESSION', sessionId: session.id, traces: traces.rows };
    }
  }
}

/** The scores this queue already gave the item's object (newest first). */
export async function reviewScores(storage: Storage, projectId: string, queueId: string, item: QueueItemRecord): Promise<ScoreRecord[]> {
  const target =
    item.objectType === 'TRACE' ? { traceId: item.objectId } : item.objectType === 'OBSERVATION' ? { observationId: item.objectId } : { sessionId: item.objectId };
  const { rows } = await storage.scores.list(projectId, { ...target, queueId, page: 1, limit: 100, skipCount: true });
  return rows.filter((s) => item.objectType !== 'TRACE' || s.observationId === null).map(({ trace: _trace, ...score }) => score);
}

/** Where a score on the item's object points (a trace, an observation of its trace, or a session). */
async function scoreTarget(storage: Storage, projectId: string, item: QueueItemRecord): Promise<Record<string, unknown>> {
  const gone = () => new AppError(409, 'conflict', `The ${item.objectType.toLowerCase()} ${item.objectId} of this item no longer exists; remove the item`);
  if (item.objectType === 'SESSION') return { sessionId: item.objectId };
  if (item.objectType === 'TRACE') {
    const trace = await storage.traces.get(projectId, item.objectId);
    if (!trace) throw gone();
    return { traceId: trace.id, environment: trace.environment };
  }
  const o = await storage.observations.get(projectId, item.objectId);
  if (!o?.traceId) throw gone();
  return { traceId: o.traceId, observationId: o.id, environment: o.environment };
}

/**
 * The score-create bodies of a review: `given` is `[{ configId, value, comment? }]`, each config
 * one of the queue's, at most once. The value is checked against its config by the write path.
 */
export async function scoreBodies(storage: Storage, projectId: string, queue: AnnotationQueueRecord, item: QueueItemRecord, given: unknown[]): Promise<Record<string, unknown>[]> {
  const configs = await storage.scoreConfigs.getMany(projectId, queue.scoreConfigIds);
  const seen = new Set<string>();
  const target = given.length > 0 ? await scoreTarget(storage, projectId, item) : {};
  return given.map((g, i) => {
    const at = `scores[${i}]`;
    if (!isObject(g)) throw badRequest(`${at}: must be an object { configId, value, comment? }`);
    const config = typeof g.configId === 'string' && queue.scoreConfigIds.includes(g.configId) ? configs.get(g.configId) : undefined;
    if (!config) throw badRequest(`${at}.configId: must be one of the queue's score configs`);
    if (seen.has(config.id)) throw badRequest(`${at}.configId: config '${config.name}' is scored twice`);
    seen.add(config.id);
    if (typeof g.value !== 'number' && typeof g.value !== 'string') throw badRequest(`${at}.value: required, a number or a string`);
    if (g.comment !== undefined && g.comment !== null && (typeof g.comment !== 'string' || g.comment.length > COMMENT_MAX_CHARS)) {
      throw badRequest(`${at}.comment: must be a string of at most ${COMMENT_MAX_CHARS} characters`);
    }
    return { ...target, name: config.name, value: g.value, dataType: config.dataType, configId: config.id, queueId: queue.id, comment: g.comment || undefined };
  });
}
