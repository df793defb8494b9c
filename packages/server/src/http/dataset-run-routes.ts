import { randomUUID } from 'node:crypto';
import { badRequest, notFound } from '@sightline/core';
import type { DatasetRun } from '@sightline/storage';
import type { Hono } from 'hono';
import { z } from 'zod';
import { requireFullAccess } from '../auth/authenticate.js';
import { createRunItemBody } from '../datasets/dataset-schema.js';
import { datasetOr404 } from '../datasets/lookup.js';
import { presentRun, presentRunItem } from '../datasets/present-dataset.js';
import { pageMeta, pageParams, parseQuery, parseWith } from '../query/parse-params.js';
import type { AppDeps, AppEnv } from './app-env.js';
import { readJson } from './read-json.js';

/** Names in these paths are one URL-encoded segment each (the SDKs encode `/` as %2F). */
const RUNS = '/api/public/datasets/:name/runs';
const RUN = `${RUNS}/:run`;
/** GET of one run returns all its items, as Langfuse does; bounded so one response stays finite. */
const MAX_RUN_ITEMS = 100_000;

const runNotFound = (dataset: string, run: string) => notFound(`Dataset run not found: '${run}' of dataset '${dataset}'`);

/** Dataset runs (created by name on the first run item linked to them) and their run items. */
export function registerDatasetRunRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const datasets = deps.storage.datasets;

  const runOr404 = async (projectId: string, datasetName: string, name: string): Promise<DatasetRun> => {
    const dataset = await datasetOr404(datasets, projectId, datasetName);
    const run = await datasets.getRun(projectId, dataset.id, name);
    if (!run) throw runNotFound(datasetName, name);
    return run;
  };

  app.post('/api/public/dataset-run-items', async (c) => {
    const body = parseWith(createRunItemBody, await readJson(c));
    const auth = c.get('auth');
    requireFullAccess(auth);
    const item = await datasets.getItem(auth.projectId, body.datasetItemId);
    if (!item || item.status !== 'ACTIVE') throw notFound(`Dataset item not found or archived: '${body.datasetItemId}'`);
    // Older SDKs sent only the observation; its trace is inferred when the observation is stored.
    const traceId = body.traceId ?? (body.observationId ? (await deps.storage.observations.get(auth.projectId, body.observationId))?.traceId : undefined);
    if (!traceId) throw badRequest('traceId: required (it can be inferred from observationId only once that observation is stored)');
    const runItem = await datasets.linkRunItem({
      projectId: auth.projectId,
      datasetId: item.datasetId,
      runId: randomUUID(),
      runName: body.runName,
      runDescription: body.runDescription,
      runMetadata: body.metadata,
      itemId: randomUUID(),
      datasetItemId: item.id,
      traceId,
      observationId: body.observationId ?? null,
      at: body.createdAt ?? Date.now(),
    });
    return c.json(presentRunItem(runItem));
  });

  app.get('/api/public/dataset-run-items', async (c) => {
    const q = parseQuery(c, z.object({ datasetId: z.string('is required'), runName: z.string('is required'), ...pageParams }));
    const auth = c.get('auth');
    requireFullAccess(auth);
    const dataset = await datasets.getById(auth.projectId, q.datasetId);
    if (!dataset) throw notFound(`Dataset not found: id '${q.datasetId}'`);
    const run = await datasets.getRun(auth.projectId, dataset.id, q.runName);
    if (!run) throw runNotFound(dataset.name, q.runName);
    const { rows, totalItems } = await datasets.listRunItems(auth.projectId, run.id, q);
    return c.json({ data: rows.map(presentRunItem), meta: pageMeta(q.page, q.limit, totalItems) });
  });

  app.get(RUNS, async (c) => {
    const q = parseQuery(c, z.object(pageParams));
    const auth = c.get('auth');
    requireFullAccess(auth);
    const dataset = await datasetOr404(datasets, auth.projectId, c.req.param('name'));
    const { rows, totalItems } = await datasets.listRuns(auth.projectId, dataset.id, q);
    return c.json({ data: rows.map(presentRun), meta: pageMeta(q.page, q.limit, totalItems) });
  });

  app.get(RUN, async (c) => {
    const auth = c.get('auth');
    requireFullAccess(auth);
    const run = await runOr404(auth.projectId, c.req.param('name'), c.req.param('run'));
    const items = await datasets.listRunItems(auth.projectId, run.id, { page: 1, limit: MAX_RUN_ITEMS });
    return c.json({ ...presentRun(run), datasetRunItems: items.rows.map(presentRunItem) });
  });

  app.delete(RUN, async (c) => {
    const auth = c.get('auth');
    requireFullAccess(auth);
    const run = await runOr404(auth.projectId, c.req.param('name'), c.req.param('run'));
    await datasets.deleteRun(auth.projectId, run.id);
    return c.json({ message: 'Dataset run successfully deleted' });
  });
}
