import { rawEvent } from '@sightline/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Engine, type TestApp } from '../testing/test-app.js';
import { addMember } from './accounts.js';
import type { ObservationDetailResponse, PromptGenerationsResponse, PromptMetricsResponse } from './api-types.js';

const T0 = Date.UTC(2025, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString();
const gen = (id: string, traceId: string, version: number, startS: number, latencyMs: number, cost: number) =>
  rawEvent('generation-create', {
    id, traceId, name: 'llm', model: 'gpt-4o', promptName: 'greet', promptVersion: version,
    startTime: iso(T0 + startS * 1000), endTime: iso(T0 + startS * 1000 + latencyMs), usageDetails: { input: 3, output: 2, total: 5 }, costDetails: { total: cost },
  }, iso(T0));

describe.each<Engine>(['sqlite', 'postgres'])('prompt metrics UI routes on %s', (engine) => {
  let t: TestApp;
  let viewer = '';
  let a = '';
  let b = '';
  const promptIds: string[] = [];

  const get = async <T,>(path: string, cookie = viewer): Promise<{ status: number; body: T }> => {
    const res = await t.app.request(`/api/ui/projects${path}`, { headers: { cookie } });
    return { status: res.status, body: (await res.json()) as T };
  };

  beforeAll(async () => {
    t = await createTestApp(engine);
    a = t.a.project.id;
    b = t.b.project.id;
    for (const auth of [t.a.auth, t.a.auth, t.b.auth]) {
      const res = await t.json('POST', '/api/public/v2/prompts', { body: { name: 'greet', prompt: 'Hi' }, auth });
      expect(res.status).toBe(200);
      promptIds.push(res.body.id);
    }
    const batch = [
      rawEvent('trace-create', { id: 't1', timestamp: iso(T0) }, iso(T0)),
      gen('g1', 't1', 1, 1, 100, 0.5),
      gen('g2', 't1', 1, 2, 300, 0.25),
      gen('g3', 't1', 2, 3, 40, 1),
      rawEvent('score-create', { id: 's1', traceId: 't1', observationId: 'g3', name: 'helpful', value: 0.8 }, iso(T0)),
    ];
    expect((await t.json('POST', '/api/public/ingestion', { body: { batch } })).body.errors).toEqual([]);
    const other = [rawEvent('trace-create', { id: 'tb', timestamp: iso(T0) }, iso(T0)), gen('secret', 'tb', 1, 9, 99999, 42)];
    expect((await t.json('POST', '/api/public/ingestion', { body: { batch: other }, auth: t.b.auth })).body.errors).toEqual([]);

    // A viewer of project A only.
    await addMember(t.storage, a, { email: 'viewer@example.com', role: 'viewer', password: 'correct horse' });
    const signIn = await t.app.request('/api/ui/auth/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-sightline-csrf': '1' },
      body: JSON.stringify({ email: 'viewer@example.com', password: 'correct horse' }),
    });
    expect(signIn.status).toBe(200);
    viewer = signIn.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ');
  });
  afterAll(async () => t?.close());

  it('gives a viewer the per-version metrics of a prompt, newest version first', async () => {
    const { status, body } = await get<PromptMetricsResponse>(`/${a}/prompt-metrics?name=greet`);
    expect(status).toBe(200);
    expect(body.name).toBe('greet');
    expect(body.versions).toEqual([
      {
        version: 2, generations: 1, latencyP50Ms: 40, latencyP95Ms: 40, inputTokens: 3, outputTokens: 2, totalTokens: 5, totalCost: 1,
        scores: [{ name: 'helpful', average: 0.8, count: 1 }], firstUsedAt: T0 + 3000, lastUsedAt: T0 + 3000,
      },
      {
        version: 1, generations: 2, latencyP50Ms: 100, latencyP95Ms: 300, inputTokens: 6, outputTokens: 4, totalTokens: 10, totalCost: 0.75,
        scores: [], firstUsedAt: T0 + 1000, lastUsedAt: T0 + 2000,
      },
    ]);
  });

  it('pages the generations of one version, newest first', async () => {
    const first = await get<PromptGenerationsResponse>(`/${a}/prompt-generations?name=greet&version=1&limit=1`);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      data: [{ traceId: 't1', observationId: 'g2', name: 'llm', model: 'gpt-4o', startTime: T0 + 2000, latencyMs: 300, totalCost: 0.25 }],
      totalItems: 2, page: 1, limit: 1,
    });
    const second = await get<PromptGenerationsResponse>(`/${a}/prompt-generations?name=greet&version=1&limit=1&page=2`);
    expect(second.body.data.map((r) => r.observationId)).toEqual(['g1']);
    expect((await get<PromptGenerationsResponse>(`/${a}/prompt-generations?name=${encodeURIComponent('no/such')}&version=1`)).body).toEqual({ data: [], totalItems: 0, page: 1, limit: 50 });
  });

  it('shows the observation’s prompt version id on its UI detail', async () => {
    const { body } = await get<ObservationDetailResponse>(`/${a}/observations/g3`);
    expect(body.promptId).toBe(promptIds[1]);
  });

  it('answers 400 naming the missing or invalid parameter', async () => {
    const cases: [string, string][] = [
      [`/${a}/prompt-metrics`, 'name'],
      [`/${a}/prompt-metrics?name=`, 'name'],
      [`/${a}/prompt-generations?version=1`, 'name'],
      [`/${a}/prompt-generations?name=greet`, 'version'],
      [`/${a}/prompt-generations?name=greet&version=0`, 'version'],
      [`/${a}/prompt-generations?name=greet&version=1.5`, 'version'],
      [`/${a}/prompt-generations?name=greet&version=1&limit=1000`, 'limit'],
      [`/${a}/prompt-generations?name=greet&version=1&page=0`, 'page'],
    ];
    for (const [path, field] of cases) {
      const { status, body } = await get<{ message: string }>(path);
      expect(status, path).toBe(400);
      expect(body.message, path).toMatch(new RegExp(`^${field}: `));
    }
  });

  it('never shows another project’s data: a non-member gets 404, a member sees only their project', async () => {
    for (const path of [`/${b}/prompt-metrics?name=greet`, `/${b}/prompt-generations?name=greet&version=1`]) {
      const { status, body } = await get<Record<string, unknown>>(path);
      expect(status, path).toBe(404);
      expect(JSON.stringify(body)).not.toContain('secret');
    }
    const ownA = await get<PromptGenerationsResponse>(`/${a}/prompt-generations?name=greet&version=1`);
    expect(ownA.body.data.map((r) => r.observationId)).not.toContain('secret');
    expect((await get<unknown>(`/${a}/prompt-metrics?name=greet`, '')).status).toBe(401);
  });
});
