import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.js';

let n = 0;
const ts = (s: number) => new Date(Date.UTC(2024, 0, 1, 0, 0, s)).toISOString();
const gen = (type: string, body: Record<string, unknown>, second = 0) => ({ id: `ev-${++n}`, type, timestamp: ts(second), body });

describe.each(['sqlite', 'postgres'] as const)('usage and cost on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(async () => {
    await t.close();
  });

  async function ingest(...batch: unknown[]) {
    const res = await t.json('POST', '/api/public/ingestion', { body: { batch } });
    expect(res.status).toBe(207);
    expect(res.body.errors).toEqual([]);
  }
  const observation = async (id: string) => (await t.json('GET', `/api/public/observations/${id}`)).body;

  it('prices a built-in model from usage, exactly', async () => {
    await ingest(gen('generation-create', { id: 'g-price', traceId: 'tr-price', model: 'gpt-3.5-turbo', usage: { input: 1000, output: 100 } }));
    const o = await observation('g-price');
    expect(o.usageDetails).toEqual({ input: 1000, output: 100, total: 1100 });
    expect(o.costDetails).toEqual({ input: 0.0005, output: 0.00015, total: 0.00065 });
    expect(o.calculatedTotalCost).toBe(0.00065);
    expect(o.modelId).toEqual(expect.any(String));
    expect(o.inputPrice).toBe(5e-7);
    expect(o.outputPrice).toBe(1.5e-6);
  });

  it('recomputes cost when a later update changes the model or the usage', async () => {
    await ingest(gen('generation-create', { id: 'g-upd', traceId: 'tr-upd', model: 'unknown-model', usage: { input: 1000, output: 100 } }, 1));
    expect((await observation('g-upd')).costDetails).toEqual({});
    await ingest(gen('generation-update', { id: 'g-upd', model: 'gpt-3.5-turbo' }, 2));
    expect((await observation('g-upd')).costDetails.total).toBe(0.00065);
    await ingest(gen('generation-update', { id: 'g-upd', usage: { input: 2000, output: 0 } }, 3));
    expect((await observation('g-upd')).costDetails).toEqual({ input: 0.001, output: 0, total: 0.001 });
  });

  it('tokenises input and output when no usage is given (item 20)', async () => {
    await ingest(gen('generation-create', { id: 'g-tok', traceId: 'tr-tok', model: 'gpt-3.5-turbo', input: { key: 'value' }, output: { key: 'this is a great gpt output' } }));
    expect((await observation('g-tok')).usageDetails).toEqual({ input: 5, output: 11, total: 16 });
    await ingest(gen('generation-create', { id: 'g-err', traceId: 'tr-tok', model: 'gpt-3.5-turbo', level: 'ERROR', input: { key: 'value' } }));
    expect((await observation('g-err')).usageDetails).toEqual({});
  });

  it('lets provided costs win over computed ones (item 19)', async () => {
    await ingest(gen('generation-create', { id: 'g-prov', traceId: 'tr-prov', model: 'gpt-3.5-turbo', usage: { input: 1000, output: 100 }, costDetails: { input: 1 } }));
    expect((await observation('g-prov')).costDetails).toEqual({ input: 1, total: 1 });
  });

  it('sums trace totalCost over its observations exactly (0.1 + 0.2 = 0.3)', async () => {
    await ingest(
      gen('trace-create', { id: 'tr-sum' }),
      gen('generation-create', { id: 'g-s1', traceId: 'tr-sum', costDetails: { total: 0.1 } }),
      gen('generation-create', { id: 'g-s2', traceId: 'tr-sum', costDetails: { total: 0.2 } }),
    );
    const trace = (await t.json('GET', '/api/public/traces/tr-sum')).body;
    expect(trace.totalCost).toBe(0.3);
    const listed = (await t.json('GET', '/api/public/traces?name=&limit=100')).body.data.find((r: { id: string }) => r.id === 'tr-sum');
    expect(listed.totalCost).toBe(0.3);
  });

  it('creates, lists, reads and deletes project models; project models override built-ins', async () => {
    const created = await t.json('POST', '/api/public/models', {
      body: { modelName: 'my-gpt', matchPattern: '(?i)^gpt-3.5-turbo$', inputPrice: 0.001, outputPrice: 0.002, unit: 'TOKENS' },
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ modelName: 'my-gpt', inputPrice: 0.001, isLangfuseManaged: false });
    await ingest(gen('generation-create', { id: 'g-custom', traceId: 'tr-custom', model: 'gpt-3.5-turbo', usage: { input: 10, output: 1 } }));
    const o = await observation('g-custom');
    expect(o.modelId).toBe(created.body.id);
    expect(o.costDetails).toEqual({ input: 0.01, output: 0.002, total: 0.012 });

    const list = (await t.json('GET', '/api/public/models?limit=100')).body;
    expect(list.data[0].id).toBe(created.body.id);
    expect(list.meta.totalItems).toBeGreaterThan(167);
    expect((await t.json('GET', `/api/public/models/${created.body.id}`)).body.modelName).toBe('my-gpt');
    expect((await t.json('GET', `/api/public/models/${created.body.id}`, { auth: t.b.auth })).status).toBe(404);
    expect((await t.json('DELETE', `/api/public/models/${created.body.id}`, { auth: t.b.auth })).status).toBe(404);
    expect((await t.json('DELETE', `/api/public/models/${created.body.id}`)).status).toBe(200);
    expect((await t.json('GET', `/api/public/models/${created.body.id}`)).status).toBe(404);
  });

  it('refuses to delete a built-in model and rejects invalid model definitions with the rule', async () => {
    const builtin = (await t.json('GET', '/api/public/models?limit=1')).body.data[0];
    expect(builtin.isLangfuseManaged).toBe(true);
    const del = await t.json('DELETE', `/api/public/models/${builtin.id}`);
    expect(del.status).toBe(400);
    const bad = await t.json('POST', '/api/public/models', { body: { modelName: 'x', matchPattern: '(', inputPrice: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('matchPattern');
    const both = await t.json('POST', '/api/public/models', { body: { modelName: 'x', matchPattern: 'x', totalPrice: 1, inputPrice: 1 } });
    expect(both.status).toBe(400);
    expect(both.body.message).toContain('totalPrice');
  });
});
