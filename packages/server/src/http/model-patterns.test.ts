import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.js';

let n = 0;
const generation = (id: string, model: string) => ({
  id: `ev-pattern-${++n}`, type: 'generation-create', timestamp: new Date(Date.UTC(2024, 0, 1)).toISOString(),
  body: { id, traceId: `tr-${id}`, model, usage: { input: 10, output: 1 } },
});

describe.each(['sqlite', 'postgres'] as const)('model match patterns cannot stall ingestion on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(async () => {
    await t.close();
  });

  async function ingest(auth: string, ...batch: unknown[]) {
    const res = await t.json('POST', '/api/public/ingestion', { body: { batch }, auth });
    expect(res.status).toBe(207);
    expect(res.body.errors).toEqual([]);
  }
  const observation = async (id: string, auth = t.a.auth) => (await t.json('GET', `/api/public/observations/${id}`, { auth })).body;

  it('runs a catastrophic-backtracking pattern in linear time, and other projects keep ingesting', async () => {
    const created = await t.json('POST', '/api/public/models', { body: { modelName: 'redos', matchPattern: '^(a+)+$', inputPrice: 1 } });
    expect(created.status).toBe(200);
    // With a backtracking engine the first of these never finishes (2^31 paths), holding the writer.
    await ingest(t.a.auth, generation('g-redos-31', 'a'.repeat(31) + '!'), generation('g-redos-long', 'a'.repeat(499) + '!'), generation('g-redos-hit', 'a'.repeat(499)), generation('g-redos-2000', 'a'.repeat(1999) + '!'));
    expect((await observation('g-redos-31')).modelId).toBeNull();
    expect((await observation('g-redos-long')).modelId).toBeNull();
    expect((await observation('g-redos-hit')).modelId).toBe(created.body.id);
    expect((await observation('g-redos-2000')).modelId).toBeNull();

    await ingest(t.b.auth, generation('g-other-project', 'gpt-4o'));
    const other = await observation('g-other-project', t.b.auth);
    expect(other.modelId).toEqual(expect.any(String));
    expect(other.calculatedTotalCost).toBeGreaterThan(0);
  });

  it('refuses patterns outside the safe syntax with a 400 naming the field and the rule', async () => {
    const post = (body: Record<string, unknown>) => t.json('POST', '/api/public/models', { body: { modelName: 'x', inputPrice: 1, ...body } });
    const lookahead = await post({ matchPattern: '^gpt(?=-4)' });
    expect(lookahead.status).toBe(400);
    expect(lookahead.body.message).toMatch(/matchPattern: lookahead and lookbehind .* are not supported/);
    const backreference = await post({ matchPattern: '^(a)\\1$' });
    expect(backreference.body.message).toContain('matchPattern: backreferences');
    const oversized = await post({ matchPattern: 'a'.repeat(501) });
    expect(oversized.status).toBe(400);
    expect(oversized.body.message).toContain('matchPattern: must be at most 500 characters');
    const huge = await post({ matchPattern: '(a{100}){100}' });
    expect(huge.body.message).toContain('matchPattern: the pattern is too complex');
    const tier = await t.json('POST', '/api/public/models', {
      body: {
        modelName: 'x', matchPattern: 'x',
        pricingTiers: [
          { name: 'Standard', isDefault: true, priority: 0, conditions: [], prices: { input: 1 } },
          { name: 'Long', isDefault: false, priority: 1, conditions: [{ usageDetailPattern: '(?<=cache)input', operator: 'gt', value: 1 }], prices: { input: 2 } },
        ],
      },
    });
    expect(tier.status).toBe(400);
    expect(tier.body.message).toContain('pricingTiers.1.conditions.0.usageDetailPattern: lookahead and lookbehind');
    const models = (await t.json('GET', '/api/public/models?limit=100')).body.data as { modelName: string }[];
    expect(models.filter((m) => m.modelName === 'x')).toEqual([]);
  });

  it('ingests normally when a model stored before the check has a refused pattern: it never matches', async () => {
    const now = Date.now();
    await t.storage.models.create({
      id: `legacy-${engine}`, projectId: t.a.project.id, modelName: 'legacy', matchPattern: '(?i)^gpt-4o(?!-mini)', startDate: null, unit: null,
      tokenizerId: null, tokenizerConfig: null, createdAt: now, updatedAt: now,
      pricingTiers: [{ id: 'legacy-tier', name: 'Standard', isDefault: true, priority: 0, conditions: [], prices: { input: 1 } }],
    });
    await ingest(t.a.auth, generation('g-legacy', 'gpt-4o'), generation('g-legacy-unknown', 'gpt-4o-legacy'));
    const priced = await observation('g-legacy');
    expect(priced.modelId).not.toBe(`legacy-${engine}`);
    expect(priced.model).toBe('gpt-4o');
    expect(priced.calculatedTotalCost).toBeGreaterThan(0); // the built-in gpt-4o, not the refused project model
    expect((await observation('g-legacy-unknown')).modelId).toBeNull();
  });
});
