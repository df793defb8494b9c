import { randomUUID } from 'node:crypto';
import { AppError, badRequest, notFound } from '@sightline/core';
import type { DashboardRecord, Storage } from '@sightline/storage';
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { readJson } from '../http/read-json.js';
import { parseMetricsQuery, savedMetricsQuerySchema, toMetricsQuery } from '../query/metrics-query.js';
import { hasNul, NO_NUL, parseWith } from '../query/parse-params.js';
import type { DashboardChart, DashboardListResponse, DashboardResponse, DashboardView, MetricsCatalogResponse, MetricsResponse } from './api-types.js';
import { requireRole, requireUser } from './guard.js';
import type { UiEnv } from './ui-env.js';

const CHART_TYPES = ['line', 'bar', 'number', 'table'] as const;
const MAX_CHARTS = 50;

const chartSchema = z.object({
  id: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }).max(100, { error: 'must be at most 100 characters' }),
  title: z.string({ error: 'must be a string' }).trim().min(1, { error: 'must not be empty' }).max(200, { error: 'must be at most 200 characters' }),
  chartType: z.enum(CHART_TYPES, { error: `must be one of ${CHART_TYPES.join(', ')}` }),
  query: savedMetricsQuerySchema,
});
const dashboardBody = z.object({
  name: z.string({ error: 'required: a string' }).trim().min(1, { error: 'must not be empty' }).max(200, { error: 'must be at most 200 characters' }),
  description: z.string({ error: 'must be a string' }).max(2000, { error: 'must be at most 2000 characters' }).nullish(),
  charts: z.array(chartSchema, { error: 'must be an array of charts' }).max(MAX_CHARTS, { error: `must hold at most ${MAX_CHARTS} charts` }).default([]),
});
type DashboardBody = z.output<typeof dashboardBody>;

/**
 * The body of a create or update: the shape by zod, then every chart's query checked by the
 * metrics engine against its view exactly as `GET /api/public/metrics` would check it (over a
 * placeholder range; the range is the viewer's), so a saved chart cannot fail on its names.
 */
async function parseDashboard(c: Context<UiEnv>, storage: Storage): Promise<DashboardBody> {
  const raw = await readJson(c);
  if (hasNul(raw)) throw badRequest(`body: ${NO_NUL}`);
  const body = parseWith(dashboardBody, raw);
  const ids = new Set<string>();
  body.charts.forEach((chart, i) => {
    if (ids.has(chart.id)) throw badRequest(`charts[${i}].id: ${JSON.stringify(chart.id)} is used by another chart of this dashboard`);
    ids.add(chart.id);
    try {
      storage.metrics.check(toMetricsQuery(chart.query, 0, 1));
    } catch (err) {
      if (err instanceof AppError && err.status === 400) throw badRequest(`charts[${i}].query.${err.message}`);
      throw err;
    }
  });
  return body;
}

const definitionOf = (body: DashboardBody) => ({ charts: body.charts });

function view(d: DashboardRecord): DashboardView {
  const charts = (d.definition as { charts?: DashboardChart[] } | null)?.charts ?? [];
  return { id: d.id, name: d.name, description: d.description, charts, createdAt: d.createdAt, updatedAt: d.updatedAt };
}

/**
 * Custom dashboards (viewers read; members create, edit and delete) and the metrics query the
 * UI charts them with: the same parser and engine as `GET /api/public/metrics`.
 */
export function registerDashboardsRoutes(ui: Hono<UiEnv>, storage: Storage): void {
  const projectId = (c: Context<UiEnv>) => c.get('member').projectId;
  const dashboardNotFound = (id: string) => notFound(`Dashboard not found: '${id}'`);

  ui.get('/projects/:projectId/metrics', async (c) => {
    const { data } = await storage.metrics.query(projectId(c), parseMetricsQuery(c.req.query('query'), 'v1'));
    return c.json({ data } satisfies MetricsResponse);
  });

  ui.get('/projects/:projectId/metrics/catalog', (c) => c.json({ views: storage.metrics.catalog() } satisfies MetricsCatalogResponse));

  ui.get('/projects/:projectId/dashboards', async (c) => {
    const rows = await storage.dashboards.list(projectId(c));
    const data = rows.map(view).map((d) => ({ id: d.id, name: d.name, description: d.description, chartCount: d.charts.length, updatedAt: d.updatedAt }));
    return c.json({ data } satisfies DashboardListResponse);
  });

  ui.get('/projects/:projectId/dashboards/:id', async (c) => {
    const d = await storage.dashboards.get(projectId(c), c.req.param('id'));
    if (!d) throw dashboardNotFound(c.req.param('id'));
    return c.json({ dashboard: view(d) } satisfies DashboardResponse);
  });

  ui.post('/projects/:projectId/dashboards', async (c) => {
    const user = requireUser(c);
    requireRole(c, 'member');
    const body = await parseDashboard(c, storage);
    const now = Date.now();
    const record: DashboardRecord = {
      id: randomUUID(), projectId: projectId(c), name: body.name, description: body.description ?? null, definition: definitionOf(body),
      createdBy: user.id, createdAt: now, updatedAt: now,
    };
    await storage.dashboards.create(record);
    return c.json({ dashboard: view(record) } satisfies DashboardResponse, 201);
  });

  ui.put('/projects/:projectId/dashboards/:id', async (c) => {
    requireRole(c, 'member');
    const body = await parseDashboard(c, storage);
    const changes = { name: body.name, description: body.description ?? null, definition: definitionOf(body), updatedAt: Date.now() };
    const updated = await storage.dashboards.update(projectId(c), c.req.param('id'), changes);
    if (!updated) throw dashboardNotFound(c.req.param('id'));
    return c.json({ dashboard: view(updated) } satisfies DashboardResponse);
  });

  ui.delete('/projects/:projectId/dashboards/:id', async (c) => {
    requireRole(c, 'member');
    if (!(await storage.dashboards.delete(projectId(c), c.req.param('id')))) throw dashboardNotFound(c.req.param('id'));
    return c.body(null, 204);
  });
}
