// The code-only legacy write routes (POST /traces, /events, /spans, /generations, /scores and the
// PATCH updates): each wraps its body in an ingestion event and answers with the entity.
import { describe, expect, it } from 'vitest';
import { API, ENGINES, enc, get, getOk, uid, useTestApp } from './helpers.js';

describe.each(ENGINES)('legacy routes (%s)', (engine) => {
  const app = useTestApp(engine);

  it('POST /traces with an explicit id upserts: a second call merges into the same trace', async () => {
    const t = app();
    const id = uid('legacy-trace');
    const first = await t.json('POST', `${API}/traces`, { body: { id, name: 'first', metadata: { a: 1 }, tags: ['x'] } });
    expect(first.status).toBe(200);
    expect(first.body.id).toBe(id);
    const second = await t.json('POST', `${API}/traces`, { body: { id, userId: 'u', metadata: { b: 2 }, tags: ['y'] } });
    expect(second.status).toBe(200);
    const trace = await getOk(t, `${API}/traces/${enc(id)}`);
    expect(trace).toMatchObject({ id, name: 'first', userId: 'u', metadata: { a: 1, b: 2 } });
    expect([...trace.tags].sort()).toEqual(['x', 'y']);
  });

  it('POST /generations then PATCH /generations (generationId, completion, usage) updates the generation', async () => {
    const t = app();
    const trace = (await t.json('POST', `${API}/traces`, { body: { name: 'gen-trace' } })).body;
    const created = await t.json('POST', `${API}/generations`, {
      body: { traceId: trace.id, name: 'g', model: 'gpt-4o', prompt: 'Say hi', startTime: '2024-03-01T10:00:00Z' },
    });
    expect(created.status).toBe(200);
    expect(typeof created.body.id).toBe('string');
    const patched = await t.json('PATCH', `${API}/generations`, {
      body: {
        generationId: created.body.id,
        completion: 'hi',
        endTime: '2024-03-01T10:00:02Z',
        usage: { promptTokens: 3, completionTokens: 1 },
      },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.id).toBe(created.body.id);
    const obs = await getOk(t, `${API}/observations/${enc(created.body.id)}`);
    expect(obs).toMatchObject({
      traceId: trace.id,
      type: 'GENERATION',
      name: 'g',
      model: 'gpt-4o',
      input: 'Say hi',
      output: 'hi',
      startTime: '2024-03-01T10:00:00.000Z',
      endTime: '2024-03-01T10:00:02.000Z',
      usageDetails: { input: 3, output: 1, total: 4 },
    });
  });

  it('POST /spans without a traceId creates a span on a new, readable trace', async () => {
    const t = app();
    const res = await t.json('POST', `${API}/spans`, { body: { name: 'lonely-span' } });
    expect(res.status).toBe(200);
    expect(typeof res.body.id).toBe('string');
    expect(typeof res.body.traceId).toBe('string');
    const trace = await getOk(t, `${API}/traces/${enc(res.body.traceId)}`);
    expect(trace.observations.map((o: { id: string }) => o.id)).toEqual([res.body.id]);
  });

  it('PATCH /spans without spanId is a 400', async () => {
    const t = app();
    const res = await t.json('PATCH', `${API}/spans`, { body: { endTime: '2024-03-01T10:00:00Z' } });
    expect(res.status).toBe(400);
    expect(typeof res.body.message).toBe('string');
  });

  it('POST /scores answers with the score id (generated when missing, kept when given) and the score is readable', async () => {
    const t = app();
    const trace = (await t.json('POST', `${API}/traces`, { body: { name: 'score-trace' } })).body;
    const generated = await t.json('POST', `${API}/scores`, { body: { traceId: trace.id, name: 'g', value: 0.3 } });
    expect(generated.status).toBe(200);
    expect(typeof generated.body.id).toBe('string');
    expect(generated.body.id.length).toBeGreaterThan(0);
    const givenId = uid('legacy-score');
    const given = await t.json('POST', `${API}/scores`, { body: { id: givenId, traceId: trace.id, name: 'c', value: 'good' } });
    expect(given.status).toBe(200);
    expect(given.body.id).toBe(givenId);
    expect(await getOk(t, `${API}/scores/${enc(generated.body.id)}`)).toMatchObject({ traceId: trace.id, name: 'g', value: 0.3 });
    expect(await getOk(t, `${API}/scores/${enc(givenId)}`)).toMatchObject({ dataType: 'CATEGORICAL', stringValue: 'good' });
  });

  it('an invalid legacy body is a 400 and stores nothing', async () => {
    const t = app();
    const id = uid('legacy-bad-score');
    const res = await t.json('POST', `${API}/scores`, { body: { id, traceId: uid('trace'), value: 1 } });
    expect(res.status).toBe(400);
    expect(typeof res.body.message).toBe('string');
    expect((await get(t, `${API}/scores/${enc(id)}`)).status).toBe(404);
    const notJson = await t.json('POST', `${API}/traces`, { body: '{not json' });
    expect(notJson.status).toBe(400);
  });
});
