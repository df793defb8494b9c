import { toIso } from '@sightline/core';
import type { ExperimentItem, Storage } from '@sightline/storage';
import type { Hono } from 'hono';
import { z } from 'zod';
import { requireFullAccess } from '../auth/authenticate.js';
import { presentScoreV3 } from '../datasets/present-dataset.js';
import { decodeCursor, encodeCursor, fieldGroups, filterLists } from '../datasets/experiment-query.js';
import { csvParam, datetimeParam, filterParam, intParam, parseQuery } from '../query/parse-params.js';
import { parseStored } from '../query/presenters.js';
import type { AppDeps, AppEnv } from './app-env.js';

const EXPERIMENT_FIELDS = ['core', 'metadata', 'scores'] as const;
const ITEM_FIELDS = ['core', 'dataset', 'io', 'metadata', 'itemMetadata', 'experimentMetadata', 'scores'] as const;

const common = {
  fields: csvParam,
  limit: intParam({ min: 1, max: 100, fallback: 50 }),
  scoreLimit: intParam({ min: 1, max: 50, fallback: 50 }),
  cursor: z.string().optional(),
  fromStartTime: datetimeParam.refine((v) => v !== undefined, 'is required (an ISO-8601 datetime)'),
  toStartTime: datetimeParam,
  datasetId: csvParam,
  filter: filterParam,
};

/** One page of `rows` fetched with one extra row: the page and the cursor of the next one, if any. */
function page<T>(rows: T[], limit: number, offset: number): { rows: T[]; cursor?: string } {
  return rows.length > limit ? { rows: rows.slice(0, limit), cursor: encodeCursor(offset + limit) } : { rows };
}

/** An item's timing, level, environment and I/O come from the observation it links to, or else its trace. */
async function enrich(storage: Storage, projectId: string, it: ExperimentItem) {
  const obs = it.observationId ? await storage.observations.get(projectId, it.observationId) : null;
  if (obs) return { startTime: obs.startTime, endTime: obs.endTime, level: obs.level, environment: obs.environment, input: obs.input, output: obs.output, metadata: obs.metadata };
  const trace = await storage.traces.get(projectId, it.traceId);
  return { startTime: trace?.timestamp ?? it.startTime, endTime: null, level: 'DEFAULT', environment: trace?.environment ?? 'default', input: trace?.input ?? null, output: trace?.output ?? null, metadata: trace?.metadata ?? {} };
}

/**
 * Langfuse's newer experiment reads. An experiment here is a dataset run and an experiment item
 * one of its run items (experiments the v5 runner ran on local data, without a dataset, have no
 * run and are not listed; their traces carry the `langfuse.experiment.*` attributes instead).
 */
export function registerExperimentRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const { datasets, scores } = deps.storage;

  const runScores = async (projectId: string, runId: string, limit: number) =>
    (await scores.list(projectId, { datasetRunId: runId, page: 1, limit })).rows.map(presentScoreV3);

  app.get('/api/public/experiments', async (c) => {
    const q = parseQuery(c, z.object({ ...common, id: csvParam, name: csvParam }));
    const groups = fieldGroups(q.fields, EXPERIMENT_FIELDS, ['core']);
    const lists = filterLists(q.filter, { id: q.id, name: q.name, datasetId: q.datasetId });
    const auth = c.get('auth');
    requireFullAccess(auth);
    if (Object.values(lists).some((l) => l?.length === 0)) return c.json({ data: [], meta: {} });
    const offset = decodeCursor(q.cursor);
    const found = await datasets.listExperiments(auth.projectId, {
      fromStartTime: q.fromStartTime, toStartTime: q.toStartTime, ids: lists.id, names: lists.name, datasetIds: lists.datasetId, limit: q.limit + 1, offset,
    });
    const { rows, cursor } = page(found, q.limit, offset);
    const data = await Promise.all(
      rows.map(async (e) => ({
        id: e.id,
        name: e.name,
        description: e.description,
        startTime: toIso(e.startTime),
        endTime: toIso(e.endTime),
        itemCount: e.itemCount,
        datasetId: e.datasetId,
        ...(groups.has('metadata') && { metadata: e.metadata ?? {} }),
        ...(groups.has('scores') && { scores: await runScores(auth.projectId, e.id, q.scoreLimit) }),
      })),
    );
    return c.json({ data, meta: cursor ? { cursor } : {} });
  });

  app.get('/api/public/experiment-items', async (c) => {
    const q = parseQuery(c, z.object({ ...common, experimentId: csvParam, experimentName: csvParam, experimentItemId: csvParam }));
    const groups = fieldGroups(q.fields, ITEM_FIELDS, ['core', 'dataset']);
    const lists = filterLists(q.filter, { experimentId: q.experimentId, experimentName: q.experimentName, experimentItemId: q.experimentItemId, datasetId: q.datasetId });
    const auth = c.get('auth');
    requireFullAccess(auth);
    if (Object.values(lists).some((l) => l?.length === 0)) return c.json({ data: [], meta: {} });
    const offset = decodeCursor(q.cursor);
    const found = await datasets.listExperimentItems(auth.projectId, {
      fromStartTime: q.fromStartTime, toStartTime: q.toStartTime, experimentIds: lists.experimentId, experimentNames: lists.experimentName,
      itemIds: lists.experimentItemId, datasetIds: lists.datasetId, limit: q.limit + 1, offset,
    });
    const { rows, cursor } = page(found, q.limit, offset);
    const data = await Promise.all(
      rows.map(async (it) => {
        const at = await enrich(deps.storage, auth.projectId, it);
        const traceScores = groups.has('scores') ? (await scores.list(auth.projectId, { traceId: it.traceId, page: 1, limit: q.scoreLimit })).rows.map(presentScoreV3) : undefined;
        return {
          id: it.id,
          traceId: it.traceId,
          startTime: toIso(at.startTime),
          endTime: at.endTime === null ? null : toIso(at.endTime),
          level: at.level,
          environment: at.environment,
          experimentId: it.experimentId,
          experimentName: it.experimentName,
          experimentItemId: it.experimentItemId,
          ...(groups.has('dataset') && { experimentDatasetId: it.datasetId, experimentItemVersion: null }),
          ...(groups.has('io') && { input: parseStored(at.input), output: parseStored(at.output), expectedOutput: it.expectedOutput }),
          ...(groups.has('metadata') && { metadata: at.metadata }),
          ...(groups.has('itemMetadata') && { experimentItemMetadata: it.itemMetadata }),
          ...(groups.has('experimentMetadata') && { experimentMetadata: it.experimentMetadata, experimentDescription: it.experimentDescription }),
          ...(traceScores && { scores: traceScores }),
        };
      }),
    );
    return c.json({ data, meta: cursor ? { cursor } : {} });
  });
}
