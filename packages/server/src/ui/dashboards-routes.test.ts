import { rawEvent } from '@sightline/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Engine, type TestApp } from '../testing/test-app.js';
import { Browser } from '../testing/ui-browser.js';
import { addMember } from './accounts.js';
import type { DashboardChart, DashboardListResponse, DashboardOverviewResponse, DashboardResponse, MetricsCatalogResponse } from './api-types.js';

const T0 = Date.UTC(2025, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString();
const HOUR = 3_600_000;
const gen = (id: string, traceId: string, model: string, startMs: number, latencyMs: number, cost: number, level = 'DEFAULT') =>
  rawEvent('generation-create', {
    id, traceId, name: 'llm', model, level, startTime: iso(startMs), endTime: iso(startMs + latencyMs), usageDetails: { input: 3, output: 2, total: 5 }, costDetails: { total: cost },
  }, iso(startMs));

const costByModel: DashboardChart = {
  id: 'c1', title: 'Cost by model', chartType: 'bar',
  query: { view: 'observations', dimensions: [{ field: 'providedModelName' }], metrics: [{ measure: 'totalCost', aggregation: 'sum' }], filters: [] },
};
const tracesPerHour: DashboardChart = {
  id: 'c2', title: 'Traces per hour', chartType: 'line', query: { view: 'traces', metrics: [{ measure: 'count', aggregation: 'count' }], timeDimension: { granularity: 'hour' } },
};

describe.each<Engine>(['sqlite', 'postgres'])('dashboard UI routes on %s', (engine) => {
  let t: TestApp;
  let a = '';
  let b = '';
  const member = () => signedIn('member@example.com');
  const viewer = () => signedIn('viewer@example.com');
  const outsider = () => signedIn('outsider@example.com');
  const browsers = new Map<string, Browser>();

  async function signedIn(email: string): Promise<Browser> {
    let br = browsers.get(email);
    if (!br) {
      br = new Browser(t).anonymous();
      expect((await br.post('/auth/sign-in', { email, password: 'correct horse' })).status).toBe(200);
      browsers.set(email, br);
    }
    return br;
  }

  beforeAll(async () => {
    t = await createTestApp(engine);
    a = t.a.project.id;
    b = t.b.project.id;
    const batch = [
      rawEvent('trace-create', { id: 't1', timestamp: iso(T0) }, iso(T0)),
      rawEvent('trace-create', { id: 't2', timestamp: iso(T0 + 2 * HOUR) }, iso(T0)),
      gen('g1', 't1', 'gpt-4o', T0, 1500, 0.5),
      gen('g2', 't2', 'claude-a-very-long-model-name', T0 + 2 * HOUR, 90_000, 0.25, 'ERROR'),
      rawEvent('score-create', { id: 's1', traceId: 't1', name: 'helpful', value: 0.5 }, iso(T0)),
      rawEvent('score-create', { id: 's2', traceId: 't2', name: 'helpful', value: 1, timestamp: iso(T0 + 2 * HOUR) }, iso(T0 + 2 * HOUR)),
      rawEvent('score-create', { id: 's3', traceId: 't1', name: 'tone', value: 'polite', dataType: 'CATEGORICAL' }, iso(T0)),
      rawEvent('score-create', { id: 's4', traceId: 't2', name: 'tone', value: 'rude', dataType: 'CATEGORICAL' }, iso(T0)),
      rawEvent('score-create', { id: 's5', traceId: 't2', name: 'tone', value: 'polite', dataType: 'CATEGORICAL' }, iso(T0)),
      rawEvent('score-create', { id: 's6', traceId: 't1', name: 'correct', value: 1, dataType: 'BOOLEAN' }, iso(T0)),
    ];
    expect((await t.json('POST', '/api/public/ingestion', { body: { batch } })).body.errors).toEqual([]);
    const other = [rawEvent('trace-create', { id: 'tb', timestamp: iso(T0) }, iso(T0)), gen('secret', 'tb', 'secret-model', T0, 5, 42)];
    expect((await t.json('POST', '/api/public/ingestion', { body: { batch: other }, auth: t.b.auth })).body.errors).toEqual([]);
    await addMember(t.storage, a, { email: 'member@example.com', role: 'member', password: 'correct horse' });
    await addMember(t.storage, a, { email: 'viewer@example.com', role: 'viewer', password: 'correct horse' });
    await addMember(t.storage, b, { email: 'outsider@example.com', role: 'owner', password: 'correct horse' });
  });
  afterAll(async () => t?.close());

  it('lets a member create, list, update (reorder, remove) and delete a dashboard, and a viewer read it', async () => {
    const m = await member();
    const created = await m.post(`/projects/${a}/dashboards`, { name: 'Spend', description: 'cost watch', charts: [costByModel, tracesPerHour] });
    expect(created.status).toBe(201);
    const d = (created.body as DashboardResponse).dashboard;
    expect(d).toMatchObject({ name: 'Spend', description: 'cost watch', charts: [costByModel, tracesPerHour] });

    const v = await viewer();
    const list = (await v.get(`/projects/${a}/dashboards`)).body as DashboardListResponse;
    expect(list.data).toEqual([{ id: d.id, name: 'Spend', description: 'cost watch', chartCount: 2, updatedAt: d.updatedAt }]);
    expect(((await v.get(`/projects/${a}/dashboards/${d.id}`)).body as DashboardResponse).dashboard.charts).toEqual([costByModel, tracesPerHour]);

    const reordered = await m.call('PUT', `/projects/${a}/dashboards/${d.id}`, { name: 'Spend 2', charts: [tracesPerHour, { ...costByModel, title: 'Model cost' }] });
    expect(reordered.status).toBe(200);
    expect((reordered.body as DashboardResponse).dashboard).toMatchObject({ name: 'Spend 2', description: null, charts: [tracesPerHour, { ...costByModel, title: 'Model cost' }] });
    const removed = await m.call('PUT', `/projects/${a}/dashboards/${d.id}`, { name: 'Spend 2', charts: [tracesPerHour] });
    expect(((await v.get(`/projects/${a}/dashboards/${d.id}`)).body as DashboardResponse).dashboard.charts).toEqual([tracesPerHour]);
    expect(removed.status).toBe(200);

    // Viewers read only.
    expect((await v.post(`/projects/${a}/dashboards`, { name: 'Mine' })).status).toBe(403);
    expect((await v.call('PUT', `/projects/${a}/dashboards/${d.id}`, { name: 'Mine' })).status).toBe(403);
    expect((await v.del(`/projects/${a}/dashboards/${d.id}`)).status).toBe(403);

    expect((await m.del(`/projects/${a}/dashboards/${d.id}`)).status).toBe(204);
    expect((await v.get(`/projects/${a}/dashboards/${d.id}`)).status).toBe(404);
    expect((await m.del(`/projects/${a}/dashboards/${d.id}`)).status).toBe(404);
  });

  it('keeps dashboards within their project', async () => {
    const m = await member();
    const d = ((await m.post(`/projects/${a}/dashboards`, { name: 'Private', charts: [costByModel] })).body as DashboardResponse).dashboard;
    const o = await outsider();
    // The outsider owns B: A's dashboard is not found through B, and A itself is not theirs.
    expect((await o.get(`/projects/${b}/dashboards/${d.id}`)).status).toBe(404);
    expect((await o.call('PUT', `/projects/${b}/dashboards/${d.id}`, { name: 'stolen' })).status).toBe(404);
    expect((await o.del(`/projects/${b}/dashboards/${d.id}`)).status).toBe(404);
    expect(((await o.get(`/projects/${b}/dashboards`)).body as DashboardListResponse).data).toEqual([]);
    expect((await o.get(`/projects/${a}/dashboards`)).status).toBe(404);
    expect((await o.get(`/projects/${a}/metrics?query=${encodeURIComponent(JSON.stringify({ view: 'traces', fromTimestamp: iso(0), toTimestamp: iso(T0 + HOUR) }))}`)).status).toBe(404);
    expect(((await m.get(`/projects/${a}/dashboards/${d.id}`)).body as DashboardResponse).dashboard.name).toBe('Private');
  });

  it('answers a chart query exactly as GET /api/public/metrics does, within the project', async () => {
    const v = await viewer();
    for (const chart of [costByModel, tracesPerHour]) {
      const query = encodeURIComponent(JSON.stringify({ ...chart.query, fromTimestamp: iso(T0 - HOUR), toTimestamp: iso(T0 + 3 * HOUR) }));
      const ui = await v.get(`/projects/${a}/metrics?query=${query}`);
      const pub = await t.json('GET', `/api/public/metrics?query=${query}`);
      expect(ui.status).toBe(200);
      expect(pub.status).toBe(200);
      expect(ui.body).toEqual(pub.body);
    }
    const q = encodeURIComponent(JSON.stringify({ ...costByModel.query, fromTimestamp: iso(T0 - HOUR), toTimestamp: iso(T0 + 3 * HOUR) }));
    const rows = ((await v.get(`/projects/${a}/metrics?query=${q}`)).body as { data: Record<string, unknown>[] }).data;
    expect(rows).toEqual([{ providedModelName: 'gpt-4o', sum_totalCost: 0.5 }, { providedModelName: 'claude-a-very-long-model-name', sum_totalCost: 0.25 }]);
    const catalog = (await v.get(`/projects/${a}/metrics/catalog`)).body as MetricsCatalogResponse;
    expect(catalog.views.find((x) => x.view === 'observations')?.measures).toContainEqual({ name: 'count', aggregations: ['count', 'sum'] });
  });

  it('refuses bad dashboards and bad queries with a 400 naming the field', async () => {
    const m = await member();
    const bad = async (body: unknown) => {
      const res = await m.post(`/projects/${a}/dashboards`, body);
      expect(res.status).toBe(400);
      return String((res.body as { message: string }).message);
    };
    expect(await bad({ name: '' })).toMatch(/^name: /);
    expect(await bad({ name: 'x', charts: [{ ...costByModel, chartType: 'pie' }] })).toMatch(/^charts\.0\.chartType|^charts\[0\]\.chartType/);
    expect(await bad({ name: 'x', charts: [{ ...costByModel, query: { ...costByModel.query, view: 'spans' } }] })).toMatch(/^charts\[0\]\.query\.view: unknown view "spans"/);
    expect(await bad({ name: 'x', charts: [tracesPerHour, { ...costByModel, query: { ...costByModel.query, metrics: [{ measure: 'costs', aggregation: 'sum' }] } }] }))
      .toMatch(/^charts\[1\]\.query\.metrics\[0\]\.measure: unknown measure "costs"/);
    expect(await bad({ name: 'x', charts: [{ ...costByModel, query: { ...costByModel.query, filters: [{ column: 'nope', operator: '=', type: 'string', value: 'x' }] } }] }))
      .toMatch(/^charts\[0\]\.query\.filters\[0\]/);
    expect(await bad({ name: 'x', charts: [costByModel, costByModel] })).toMatch(/^charts\[1\]\.id: /);
    expect(await bad({ name: 'x', charts: [{ ...tracesPerHour, query: { ...tracesPerHour.query, timeDimension: { granularity: 'fortnight' } } }] })).toMatch(/timeDimension/);
    expect((await m.call('PUT', `/projects/${a}/dashboards/unknown`, { name: 'x' })).status).toBe(404);
    expect((await m.get(`/projects/${a}/metrics?query=${encodeURIComponent('{"view":"traces"}')}`)).status).toBe(400);
  });

  it('gives the overview in the asked bucket: latency percentiles, per-model usage and scores per name', async () => {
    const v = await viewer();
    const res = await v.get(`/projects/${a}/dashboard?from=${T0}&to=${T0 + 4 * HOUR}&granularity=hour`);
    expect(res.status).toBe(200);
    const o = res.body as DashboardOverviewResponse;
    expect(o.granularity).toBe('hour');
    expect(o.traces.map((r) => [r.time_dimension, r.count_count])).toEqual([[iso(T0), 1], [iso(T0 + HOUR), 0], [iso(T0 + 2 * HOUR), 1], [iso(T0 + 3 * HOUR), 0]]);
    expect(o.observations.map((r) => r.count_count)).toEqual([1, 0, 1, 0]);
    expect(o.errors.map((r) => r.count_count)).toEqual([0, 0, 1, 0]);
    // Rollup percentiles are within 0.8 % of the exact value (histogram bins).
    const p50 = o.latencyOverTime.filter((r) => Number(r.count_count) > 0).map((r) => Number(r.p50_latency));
    expect(p50).toHaveLength(2);
    expect(Math.abs(p50[0] / 1500 - 1)).toBeLessThan(0.008);
    expect(Math.abs(p50[1] / 90_000 - 1)).toBeLessThan(0.008);
    expect(o.byModel.map((r) => r.providedModelName)).toEqual(['gpt-4o', 'claude-a-very-long-model-name']);
    expect(o.scoresNumeric.map((r) => [r.name, r.time_dimension, r.avg_value])).toEqual([['helpful', iso(T0), 0.5], ['helpful', iso(T0 + 2 * HOUR), 1]]);
    const categories = o.scoreCategories.map((r) => [r.name, r.dataType, r.stringValue, r.count_count]);
    expect(categories).toEqual(expect.arrayContaining([['tone', 'CATEGORICAL', 'polite', 2], ['tone', 'CATEGORICAL', 'rude', 1], ['correct', 'BOOLEAN', 'True', 1]]));
    expect(categories).toHaveLength(3);
    expect((await v.get(`/projects/${a}/dashboard?granularity=fortnight`)).status).toBe(400);
  });
});
