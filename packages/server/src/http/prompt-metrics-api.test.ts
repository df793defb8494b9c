import { rawEvent } from '@sightline/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Engine, type TestApp } from '../testing/test-app.js';

const T0 = Date.UTC(2025, 2, 1, 8);
const iso = (ms: number) => new Date(ms).toISOString();
const RANGE = { fromTimestamp: iso(T0 - 3_600_000), toTimestamp: iso(T0 + 3_600_000) };

/** A generation of `prompt` (name, version) at T0 + `i` s, taking `latency` ms and costing `cost` USD. */
const gen = (id: string, prompt: [string, number] | null, i: number, latency: number, cost: number) =>
  rawEvent('generation-create', {
    id, traceId: 't', startTime: iso(T0 + i * 1000), endTime: iso(T0 + i * 1000 + latency), costDetails: { total: cost },
    ...(prompt ? { promptName: prompt[0], promptVersion: prompt[1] } : {}),
  }, iso(T0));

// greet v1: 20 generations, latencies 10..200 ms (nearest-rank p95 = the 19th = 190), 0.01 USD each.
const V1 = Array.from({ length: 20 }, (_, i) => gen(`a${i}`, ['greet', 1], i, (i + 1) * 10, 0.01));
// greet v2: 3 generations, latencies 5, 50, 500 (p95 = the 3rd).
const V2 = [gen('b0', ['greet', 2], 30, 50, 0.5), gen('b1', ['greet', 2], 31, 500, 0.25), gen('b2', ['greet', 2], 32, 5, 0.25)];

describe.each<Engine>(['sqlite', 'postgres'])('metrics API by prompt version on %s', (engine) => {
  let t: TestApp;
  const metrics = async (q: Record<string, unknown>, auth?: string) => {
    const res = await t.json('GET', `/api/public/metrics?query=${encodeURIComponent(JSON.stringify({ ...RANGE, ...q }))}`, { auth });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.data as Record<string, unknown>[];
  };
  const byVersion = {
    view: 'observations',
    dimensions: [{ field: 'promptName' }, { field: 'promptVersion' }],
    metrics: [
      { measure: 'count', aggregation: 'count' },
      { measure: 'latency', aggregation: 'p95' },
      { measure: 'latency', aggregation: 'p50' },
      { measure: 'totalCost', aggregation: 'sum' },
    ],
    filters: [{ column: 'promptName', operator: '=', value: 'greet', type: 'string' }],
    orderBy: [{ field: 'promptVersion', direction: 'asc' }],
  };

  beforeAll(async () => {
    t = await createTestApp(engine);
    const batch = [rawEvent('trace-create', { id: 't', timestamp: iso(T0) }, iso(T0)), ...V1, ...V2, gen('c0', ['other', 1], 40, 9999, 9), gen('d0', null, 41, 9999, 9)];
    expect((await t.json('POST', '/api/public/ingestion', { body: { batch } })).body.errors).toEqual([]);
    const other = [rawEvent('trace-create', { id: 't', timestamp: iso(T0) }, iso(T0)), gen('x0', ['greet', 1], 1, 99999, 99)];
    expect((await t.json('POST', '/api/public/ingestion', { body: { batch: other }, auth: t.b.auth })).body.errors).toEqual([]);
  });
  afterAll(async () => t?.close());

  it('gives count, p50/p95 latency and total cost per prompt version', async () => {
    expect(await metrics(byVersion)).toEqual([
      { promptName: 'greet', promptVersion: 1, count_count: 20, p95_latency: 190, p50_latency: 100, sum_totalCost: expect.closeTo(0.2, 12) },
      { promptName: 'greet', promptVersion: 2, count_count: 3, p95_latency: 500, p50_latency: 50, sum_totalCost: 1 },
    ]);
    // Another project's generations of a prompt with the same name stay there.
    expect(await metrics(byVersion, t.b.auth)).toEqual([
      { promptName: 'greet', promptVersion: 1, count_count: 1, p95_latency: 99999, p50_latency: 99999, sum_totalCost: 99 },
    ]);
  });

  it('agrees with the per-version figures of the prompt page', async () => {
    const page = await t.storage.prompts.versionMetrics(t.a.project.id, 'greet');
    const api = await metrics(byVersion);
    for (const v of page) {
      const row = api.find((r) => r.promptVersion === v.version);
      expect(row).toMatchObject({ count_count: v.generations, p95_latency: v.latencyP95Ms, p50_latency: v.latencyP50Ms });
      expect(row?.sum_totalCost).toBeCloseTo(v.totalCost, 12);
    }
  });
});
