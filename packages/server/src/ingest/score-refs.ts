import { bindScoreToConfig, type ScoreBody, type ScoreChange, type ScoreConfigRecord } from '@sightline/core';
import type { Storage } from '@sightline/storage';
import { MAX_ID_BYTES } from './field-limits.js';
import { replaceLoneSurrogates } from './lone-surrogates.js';

/** The score configs and annotation queues a batch's scores name, as found in the project. */
export interface ScoreRefs {
  configs: ReadonlyMap<string, ScoreConfigRecord>;
  queues: ReadonlySet<string>;
}

/** For batches that name no config or queue, and for routes that cannot carry scores (OTLP). */
export const NO_SCORE_REFS: ScoreRefs = { configs: new Map(), queues: new Set() };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The id as validation will see it (lone surrogates replaced), or undefined when the event will
 * fail validation anyway (too long, NUL): such ids are never sent to the database.
 */
function storableId(v: unknown): string | undefined {
  if (typeof v !== 'string' || v.length > MAX_ID_BYTES || v.includes('\u0000')) return undefined;
  return replaceLoneSurrogates(v) as string;
}

/** The distinct config and queue ids named by the score-create events of a raw batch (one cheap pass, no validation). */
export function referencedIds(batch: readonly unknown[]): { configIds: string[]; queueIds: string[] } {
  const configIds = new Set<string>();
  const queueIds = new Set<string>();
  for (const e of batch) {
    if (!isObject(e) || e.type !== 'score-create' || !isObject(e.body)) continue;
    const configId = storableId(e.body.configId);
    const queueId = storableId(e.body.queueId);
    if (configId !== undefined) configIds.add(configId);
    if (queueId !== undefined) queueIds.add(queueId);
  }
  return { configIds: [...configIds], queueIds: [...queueIds] };
}

/**
 * Loads what the batch's scores refer to: one indexed read per kind, and none at all for a batch
 * that names no config or queue (the common case costs nothing). Read per batch rather than cached,
 * so an archive or a new config is honoured by the next batch on every instance.
 */
export async function loadScoreRefs(storage: Storage, projectId: string, batch: readonly unknown[]): Promise<ScoreRefs> {
  const { configIds, queueIds } = referencedIds(batch);
  if (configIds.length === 0 && queueIds.length === 0) return NO_SCORE_REFS;
  const [configs, queues] = await Promise.all([
    configIds.length > 0 ? storage.scoreConfigs.getMany(projectId, configIds) : new Map<string, ScoreConfigRecord>(),
    queueIds.length > 0 ? storage.annotationQueues.existing(projectId, queueIds) : new Set<string>(),
  ]);
  return { configs, queues };
}

export type BoundChange = { ok: true; change: ScoreChange; config?: ScoreConfigRecord } | { ok: false; error: string };

/** Checks a valid score's `queueId` and `configId` against the project's queues and configs (a config of another project is unknown). */
export function bindScoreRefs(body: ScoreBody, change: ScoreChange, refs: ScoreRefs): BoundChange {
  if (body.queueId != null && !refs.queues.has(body.queueId)) {
    return { ok: false, error: `queueId: no annotation queue '${body.queueId}' in this project` };
  }
  if (body.configId == null) return { ok: true, change };
  const config = refs.configs.get(body.configId);
  if (!config) return { ok: false, error: `configId: no score config '${body.configId}' in this project` };
  const bound = bindScoreToConfig(body, change, config);
  return bound.ok ? { ...bound, config } : bound;
}
