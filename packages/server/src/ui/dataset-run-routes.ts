import { badRequest } from '@sightline/core';
import type { Storage } from '@sightline/storage';
import type { Hono } from 'hono';
import { compress } from 'hono/compress';
import { z } from 'zod';
import { intParam, parseQuery } from '../query/parse-params.js';
import type { DatasetRunListResponse, RunComparisonResponse } from './api-types.js';
import { datasetOf } from './dataset-routes.js';
import { comparisonRows, runRows } from './run-aggregates.js';
import type { UiEnv } from './ui-env.js';

/** Runs a comparison may hold, and the characters of each text it shows (the trace has the rest). */
export const MAX_COMPARED_RUNS = 10;
export const PREVIEW_CHARS = 500;

const runsQuery = z.object({ page: intParam({ min: 1, fallback: 1 }), limit: intParam({ min: 1, max: 50, fallback: 20 }) });
const compareQuery = z.object({
  runs: z
    .array(z.string().max(1000))
    .min(2, 'pick at least two runs to compare')
    .max(MAX_COMPARED_RUNS, `must name at most ${MAX_COMPARED_RUNS} runs`)
    .optional(),
});

/** A dataset's runs with their aggregates, and the side-by-side comparison of some of them (any member, viewers included). */
export function registerDatasetRunUiRoutes(ui: Hono<UiEnv>, storage: Storage): void {
  const datasets = storage.datasets;

  ui.get('/projects/:projectId/datasets/:datasetId/runs', async (c) => {
    const dataset = await datasetOf(storage, c);
    const q = parseQuery(c, runsQuery);
    const pid = dataset.projectId;
    const page = await datasets.listRuns(pid, dataset.id, q);
    const ids = page.rows.map((r) => r.id);
    const [facts, scores] = await Promise.all([datasets.runItemFacts(pid, ids), datasets.runScores(pid, ids)]);
    return c.json({ data: runRows(page.rows, facts, scores), totalItems: page.totalItems, page: q.page, limit: q.limit } satisfies DatasetRunListResponse);
  });

  ui.get('/projects/:projectId/datasets/:datasetId/compare', compress(), async (c) => {
    const dataset = await datasetOf(storage, c);
    const requested = [...new Set(parseQuery(c, compareQuery, ['runs']).runs ?? [])];
    if (requested.length < 2) throw badRequest('runs: pick at least two different runs to compare');
    const pid = dataset.projectId;
    const runs = await datasets.getRunsByIds(pid, dataset.id, requested);
    const unknown = requested.find((id) => !runs.some((r) => r.id === id));
    if (unknown !== undefined) throw badRequest(`runs: '${unknown}' is not a run of dataset '${dataset.name}'`);
    const [facts, items, scores] = await Promise.all([
      datasets.runItemFacts(pid, requested, PREVIEW_CHARS),
      datasets.comparedItems(pid, requested, PREVIEW_CHARS),
      datasets.runScores(pid, requested),
    ]);
    const scoreNames = [...new Set(facts.flatMap((f) => f.scores.map((s) => s.name)))].sort();
    return c.json({
      runs: runRows(runs, facts, scores),
      scoreNames,
      rows: comparisonRows(requested, items, facts),
      previewChars: PREVIEW_CHARS,
    } satisfies RunComparisonResponse);
  });
}
