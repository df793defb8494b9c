import { randomUUID } from 'node:crypto';
import { AppError, badRequest, notFound } from '@sightline/core';
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { requireFullAccess } from '../auth/authenticate.js';
import { createDatasetBody, createItemBody, DATASET_LIMITS } from '../datasets/dataset-schema.js';
import { presentDataset, presentItem } from '../datasets/present-dataset.js';
import { datasetOr404 } from '../datasets/lookup.js';
import { checkItem, checkNewSchemas } from '../datasets/item-schema.js';
import { datetimeParam, pageMeta, pageParams, parseQuery, parseWith, stringParam } from '../query/parse-params.js';
import type { AppDeps, AppEnv } from './app-env.js';
import { registerDatasetRunRoutes } from './dataset-run-routes.js';
import { registerExperimentRoutes } from './experiment-routes.js';
import { readJson } from './read-json.js';

const V2 = '/api/public/v2/datasets';
const ITEMS = '/api/public/dataset-items';

/** Reads an item body up to Langfuse's 4.5 MB, refusing a larger one with a message saying what is too large. */
async function readItemBody(c: Context): Promise<unknown> {
  try {
    return await readJson(c, DATASET_LIMITS.itemBodyBytes);
  } catch (err) {
    if (err instanceof AppError && err.status === 413) {
      throw new AppError(413, 'payload_too_large', `Dataset item is larger than the limit of 4.5 MB (input, expectedOutput and metadata together)`);
    }
    throw err;
  }
}

/**
 * The public dataset API: datasets (v2 and the legacy create the v3 SDK calls) and their items,
 * which are versioned (`version` reads the items as they were then). Runs, run items and
 * experiments register from their own files.
 */
export function registerDatasetRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const datasets = deps.storage.datasets;

  const createDataset = async (c: Context<AppEnv>) => {
    const body = parseWith(createDatasetBody, await readJson(c));
    const auth = c.get('auth');
    requireFullAccess(auth);
    await checkNewSchemas(datasets, auth.projectId, body.name, body);
    const dataset = await datasets.upsert({ id: randomUUID(), projectId: auth.projectId, ...body, at: Date.now() });
    return c.json(presentDataset(dataset));
  };
  app.post('/api/public/datasets', createDataset);
  app.post(V2, createDataset);

  app.get(V2, async (c) => {
    const q = parseQuery(c, z.object(pageParams));
    const auth = c.get('auth');
    requireFullAccess(auth);
    const { rows, totalItems } = await datasets.list(auth.projectId, q);
    return c.json({ data: rows.map(presentDataset), meta: pageMeta(q.page, q.limit, totalItems) });
  });

  app.get(`${V2}/:name{.+}`, async (c) => {
    parseQuery(c, z.object({ version: datetimeParam }));
    const auth = c.get('auth');
    requireFullAccess(auth);
    return c.json(presentDataset(await datasetOr404(datasets, auth.projectId, c.req.param('name'))));
  });

  app.post(ITEMS, async (c) => {
    const body = parseWith(createItemBody, await readItemBody(c));
    const auth = c.get('auth');
    requireFullAccess(auth);
    const dataset = await datasetOr404(datasets, auth.projectId, body.datasetName);
    checkItem(dataset, body);
    const id = body.id ?? randomUUID();
    const saved = await datasets.upsertItem({
      id,
      projectId: auth.projectId,
      datasetId: dataset.id,
      status: body.status ?? undefined,
      input: body.input,
      expectedOutput: body.expectedOutput,
      metadata: body.metadata,
      sourceTraceId: body.sourceTraceId,
      sourceObservationId: body.sourceObservationId,
      at: Date.now(),
    });
    if ('otherDatasetId' in saved) {
      throw badRequest(`id: dataset item '${id}' belongs to another dataset of this project; item ids are unique per project`);
    }
    return c.json(presentItem(saved));
  });

  app.get(ITEMS, async (c) => {
    const q = parseQuery(c, z.object({ datasetName: stringParam, sourceTraceId: stringParam, sourceObservationId: stringParam, version: datetimeParam, ...pageParams }));
    if (q.version !== undefined && q.datasetName === undefined) throw badRequest('version: requires datasetName');
    const auth = c.get('auth');
    requireFullAccess(auth);
    const dataset = q.datasetName === undefined ? undefined : await datasetOr404(datasets, auth.projectId, q.datasetName);
    const { rows, totalItems } = await datasets.listItems(auth.projectId, { ...q, datasetId: dataset?.id });
    return c.json({ data: rows.map(presentItem), meta: pageMeta(q.page, q.limit, totalItems) });
  });

  app.get(`${ITEMS}/:id`, async (c) => {
    const auth = c.get('auth');
    requireFullAccess(auth);
    const item = await datasets.getItem(auth.projectId, c.req.param('id'));
    if (!item) throw notFound(`Dataset item not found: '${c.req.param('id')}'`);
    return c.json(presentItem(item));
  });

  app.delete(`${ITEMS}/:id`, async (c) => {
    const auth = c.get('auth');
    requireFullAccess(auth);
    if (!(await datasets.deleteItem(auth.projectId, c.req.param('id'), Date.now()))) throw notFound(`Dataset item not found: '${c.req.param('id')}'`);
    return c.json({ message: 'Dataset item successfully deleted' });
  });

  registerDatasetRunRoutes(app, deps);
  registerExperimentRoutes(app, deps);
}
