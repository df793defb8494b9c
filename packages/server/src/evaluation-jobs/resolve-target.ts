import type { ObservationRecord } from '@sightline/core';
import type { EvaluationTarget, Storage } from '@sightline/storage';
import type { TargetData } from './variables.js';

/** An evaluation's target, found: where its score goes and what its variables are read from. */
export interface ResolvedTarget {
  traceId: string;
  /** The observation the score is attached to (observation targets; a run item's linked observation). */
  observationId: string | null;
  datasetId: string | null;
  /** The environment of the target's trace (the score is written in it). */
  environment: string;
  data: TargetData;
}

/** The latest observation of `name` in the trace (by start time), read once per name. */
function observationsByName(storage: Storage, projectId: string, traceId: string): (name: string) => Promise<ObservationRecord | null> {
  let all: Promise<ObservationRecord[]> | null = null;
  return async (name) => {
    all ??= storage.observations.ofTraces(projectId, [traceId]);
    const named = (await all).filter((o) => o.name === name);
    return named.reduce<ObservationRecord | null>((latest, o) => (latest === null || o.startTime >= latest.startTime ? o : latest), null);
  };
}

/** The target by its id (a trace, an observation or a dataset run item); null when it no longer exists. */
export async function resolveTarget(storage: Storage, projectId: string, target: EvaluationTarget, targetId: string): Promise<ResolvedTarget | null> {
  if (target === 'observation') {
    const observation = await storage.observations.get(projectId, targetId);
    if (!observation?.traceId) return null;
    const trace = await storage.traces.get(projectId, observation.traceId);
    return {
      traceId: observation.traceId, observationId: observation.id, datasetId: null, environment: trace?.environment ?? observation.environment,
      data: { trace, observation, datasetItem: null, observationNamed: observationsByName(storage, projectId, observation.traceId) },
    };
  }
  if (target === 'experiment') {
    const item = await storage.evaluationRuns.getRunItem(projectId, targetId);
    if (!item) return null;
    const [trace, observation, datasetItem] = await Promise.all([
      storage.traces.get(projectId, item.traceId),
      item.observationId ? storage.observations.get(projectId, item.observationId) : null,
      storage.datasets.getItem(projectId, item.datasetItemId),
    ]);
    if (!trace) return null;
    return {
      traceId: item.traceId, observationId: item.observationId, datasetId: item.datasetId, environment: trace.environment,
      data: { trace, observation, datasetItem, observationNamed: observationsByName(storage, projectId, item.traceId) },
    };
  }
  const trace = await storage.traces.get(projectId, targetId);
  if (!trace) return null;
  return {
    traceId: trace.id, observationId: null, datasetId: null, environment: trace.environment,
    data: { trace, observation: null, datasetItem: null, observationNamed: observationsByName(storage, projectId, trace.id) },
  };
}
