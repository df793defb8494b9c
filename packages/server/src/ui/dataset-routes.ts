import { randomUUID } from 'node:crypto';
import { AppError, badRequest, notFound } from '@sightline/core';
import type { Dataset, DatasetItem, DatasetItemUpsert, Storage } from '@sightline/storage';
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { createDatasetBody, createItemBody, DATASET_LIMITS } from '../datasets/dataset-schema.js';
import { checkItem, checkNewSchemas } from '../datasets/item-schema.js';
import { readJson } from '../http/read-json.js';
import { loadById } from '../query/load-by-id.js';
import { enumParam, intParam, parseQuery, parseWith } from '../query/parse-params.js';
import type { DatasetDetailResponse, DatasetImportResponse, DatasetItemListResponse, DatasetItemResponse, DatasetItemView, DatasetListResponse, DatasetRow } from './api-types.js';
import { EXPORT_FORMATS, exportLines } from './dataset-export.js';
import { requireRole } from './guard.js';
import type { UiEnv } from './ui-env.js';

/** Rows an import request may carry; the page sends a file in chunks of this many. */
export const IMPORT_CHUNK = 500;
const IMPORT_BODY_LIMIT = 16 * 1024 * 1024;
const EXPORT_PAGE = 1000;

const pageQuery = z.object({ page: intParam({ min: 1, fallback: 1 }), limit: intParam({ min: 1, max: 100, fallback: 50 }) });
const itemsQuery = pageQuery.extend({ status: enumParam(['active', 'all'] as const) });
const itemBody = createItemBody.omit({ datasetName: true });
const importRow = createItemBody.pick({ id: true, input: true, expectedOutput: true, metadata: true });
const importBody = z.object({ items: z.array(importRow).min(1, 'must hold at least one item').max(IMPORT_CHUNK, `must hold at most ${IMPORT_CHUNK} items; send more in several requests`) });
const exportQuery = z.object({ format: enumParam(EXPORT_FORMATS) });

export const itemView = (i: DatasetItem): DatasetItemView => ({
  id: i.id, status: i.status, input: i.input, expectedOutput: i.expectedOutput, metadata: i.metadata,
  sourceTraceId: i.sourceTraceId, sourceObservationId: i.sourceObservationId, createdAt: i.createdAt, updatedAt: i.updatedAt,
});

/** The project's dataset of `:datasetId`, or a 404 (another project's dataset is not found either). */
export async function datasetOf(storage: Storage, c: Context<UiEnv>): Promise<Dataset> {
  const pid = c.get('member').projectId;
  const dataset = await loadById(c.req.param('datasetId') ?? '', (id) => storage.datasets.getById(pid, id), null);
  if (!dataset) throw notFound(`Dataset ${c.req.param('datasetId')} not found`);
  return dataset;
}

async function rows(storage: Storage, projectId: string, datasets: Dataset[]): Promise<DatasetRow[]> {
  const counts = await storage.datasets.counts(projectId, datasets.map((d) => d.id));
  return datasets.map((d) => ({
    id: d.id, name: d.name, description: d.description, metadata: d.metadata, inputSchema: d.inputSchema, expectedOutputSchema: d.expectedOutputSchema,
    ...counts.get(d.id)!, createdAt: d.createdAt, updatedAt: d.updatedAt,
  }));
}

/** Source links must name a trace of the project, and an observation of that trace. */
async function checkSources(storage: Storage, projectId: string, traceId: string | null | undefined, observationId: string | null | undefined): Promise<void> {
  if (traceId && !(await storage.traces.get(projectId, traceId))) throw notFound(`Trace ${traceId} not found`);
  if (observationId) {
    const o = await storage.observations.get(projectId, observationId);
    if (!o || (traceId && o.traceId !== traceId)) throw badRequest('sourceObservationId: must be an observation of the source trace');
  }
}

const fileName = (name: string) => name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 100) || 'dataset';

/** Datasets and their items for the UI: viewers read; members create, edit, archive, import. */
export function registerDatasetUiRoutes(ui: Hono<UiEnv>, storage: Storage): void {
  const datasets = storage.datasets;
  const projectId = (c: Context<UiEnv>) => c.get('member').projectId;

  ui.get('/projects/:projectId/datasets', async (c) => {
    const q = parseQuery(c, pageQuery);
    const page = await datasets.list(projectId(c), q);
    return c.json({ data: await rows(storage, projectId(c), page.rows), totalItems: page.totalItems, page: q.page, limit: q.limit } satisfies DatasetListResponse);
  });

  ui.post('/projects/:projectId/datasets', async (c) => {
    const { projectId: pid } = requireRole(c, 'member');
    const body = parseWith(createDatasetBody, await readJson(c));
    if (await datasets.get(pid, body.name)) throw new AppError(409, 'conflict', `name: a dataset named '${body.name}' exists already`);
    await checkNewSchemas(datasets, pid, body.name, body);
    const dataset = await datasets.upsert({ id: randomUUID(), projectId: pid, ...body, at: Date.now() });
    return c.json({ dataset: (await rows(storage, pid, [dataset]))[0] } satisfies DatasetDetailResponse, 201);
  });

  ui.get('/projects/:projectId/datasets/:datasetId', async (c) => {
    const dataset = await datasetOf(storage, c);
    return c.json({ dataset: (await rows(storage, projectId(c), [dataset]))[0] } satisfies DatasetDetailResponse);
  });

  ui.get('/projects/:projectId/datasets/:datasetId/items', async (c) => {
    const dataset = await datasetOf(storage, c);
    const q = parseQuery(c, itemsQuery);
    const page = await datasets.listItems(projectId(c), { datasetId: dataset.id, includeArchived: q.status === 'all', page: q.page, limit: q.limit });
    return c.json({ data: page.rows.map(itemView), totalItems: page.totalItems, page: q.page, limit: q.limit } satisfies DatasetItemListResponse);
  });

  ui.post('/projects/:projectId/datasets/:datasetId/items', async (c) => {
    const { projectId: pid } = requireRole(c, 'member');
    const dataset = await datasetOf(storage, c);
    const body = parseWith(itemBody, await readJson(c, DATASET_LIMITS.itemBodyBytes));
    checkItem(dataset, body);
    await checkSources(storage, pid, body.sourceTraceId, body.sourceObservationId);
    const saved = await datasets.upsertItem({ ...body, id: body.id ?? randomUUID(), status: body.status ?? undefined, projectId: pid, datasetId: dataset.id, at: Date.now() });
    if ('otherDatasetId' in saved) throw badRequest(`id: dataset item '${body.id}' belongs to another dataset of this project; item ids are unique per project`);
    return c.json({ item: itemView(saved) } satisfies DatasetItemResponse);
  });

  ui.post('/projects/:projectId/datasets/:datasetId/items/import', async (c) => {
    const { projectId: pid } = requireRole(c, 'member');
    const dataset = await datasetOf(storage, c);
    const { items } = parseWith(importBody, await readJson(c, IMPORT_BODY_LIMIT));
    items.forEach((item, i) => checkItem(dataset, item, `items[${i}].`));
    const at = Date.now();
    const upserts: DatasetItemUpsert[] = items.map((item) => ({ ...item, id: item.id ?? randomUUID(), projectId: pid, datasetId: dataset.id, at }));
    const saved = await datasets.upsertItems(upserts);
    if (!Array.isArray(saved)) throw badRequest('items: an id belongs to an item of another dataset of this project; item ids are unique per project; nothing was imported from this chunk');
    return c.json({ imported: saved.length } satisfies DatasetImportResponse);
  });

  ui.get('/projects/:projectId/datasets/:datasetId/export', async (c) => {
    const dataset = await datasetOf(storage, c);
    const format = parseQuery(c, exportQuery).format ?? 'jsonl';
    const pid = projectId(c);
    let page = 1;
    const encoder = new TextEncoder();
    // Streamed a page at a time: a large dataset is never held in memory whole.
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { rows: items } = await datasets.listItems(pid, { datasetId: dataset.id, page, limit: EXPORT_PAGE });
        controller.enqueue(encoder.encode(exportLines(items, format, page === 1)));
        page++;
        if (items.length < EXPORT_PAGE) controller.close();
      },
    });
    return new Response(body, {
      headers: {
        'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
        'content-disposition': `attachment; filename="${fileName(dataset.name)}.${format}"`,
        'cache-control': 'no-store',
      },
    });
  });
}
