import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Engine, type TestApp } from '../testing/test-app.js';

const at = '2024-05-01T10:00:00.000Z';
let seq = 0;
const score = (body: Record<string, unknown>) => ({ id: `ev-${++seq}`, type: 'score-create', timestamp: at, body: { traceId: 't1', ...body } });

describe.each<Engine>(['sqlite', 'postgres'])('scores checked against their config at ingestion on %s', (engine) => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    t = await createTestApp(engine);
    const create = async (body: Record<string, unknown>, auth = t.a.auth) => (await t.json('POST', '/api/public/score-configs', { body, auth })).body.id as string;
    ids.range = await create({ name: 'accuracy', dataType: 'NUMERIC', minValue: 0, maxValue: 1 });
    ids.tone = await create({ name: 'tone', dataType: 'CATEGORICAL', categories: [{ label: 'rude', value: 0 }, { label: 'kind', value: 2 }] });
    ids.helpful = await create({ name: 'helpful', dataType: 'BOOLEAN' });
    ids.notes = await create({ name: 'notes', dataType: 'TEXT' });
    ids.old = await create({ name: 'old', dataType: 'NUMERIC' });
    await t.json('PATCH', `/api/public/score-configs/${ids.old}`, { body: { isArchived: true } });
    ids.foreign = await create({ name: 'foreign', dataType: 'NUMERIC' }, t.b.auth);
  });
  afterAll(async () => t?.close());

  const ingest = async (batch: unknown[], auth?: string) => {
    const res = await t.json('POST', '/api/public/ingestion', { body: { batch }, auth });
    expect(res.status).toBe(207);
    return res.body as { successes: { id: string }[]; errors: { id: string; status: number; error: string }[] };
  };
  const stored = (id: string) => t.storage.scores.get(t.a.project.id, id);

  it('rejects each broken rule in errors[] and stores the rest of the batch', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ id: 'high', configId: ids.range, name: 'x', value: 1.5 }, `value: 1.5 is above the maxValue 1 of score config 'accuracy'`],
      [{ id: 'low', configId: ids.range, name: 'x', value: -0.1 }, 'value: -0.1 is below the minValue 0'],
      [{ id: 'cat', configId: ids.tone, name: 'x', value: 'meh' }, `value: "meh" is not a category of score config 'tone' (${ids.tone}); expected one of the labels "rude", "kind"`],
      [{ id: 'type', configId: ids.range, name: 'x', value: 1, dataType: 'BOOLEAN' }, `dataType: BOOLEAN does not match the NUMERIC data type of score config 'accuracy'`],
      [{ id: 'bool', configId: ids.helpful, name: 'x', value: 2 }, 'is BOOLEAN and needs 0 or 1'],
      [{ id: 'text', configId: ids.notes, name: 'x', value: 3 }, 'is TEXT and needs a string of 1 to 500 characters'],
      [{ id: 'arch', configId: ids.old, name: 'x', value: 1 }, `configId: score config 'old' (${ids.old}) is archived`],
      [{ id: 'unknown', configId: 'no-such-config', name: 'x', value: 1 }, "configId: no score config 'no-such-config' in this project"],
      [{ id: 'other', configId: ids.foreign, name: 'x', value: 1 }, `configId: no score config '${ids.foreign}' in this project`],
      [{ id: 'queue', name: 'x', value: 1, queueId: 'no-such-queue' }, "queueId: no annotation queue 'no-such-queue' in this project"],
    ];
    const events = cases.map(([body]) => score(body));
    const good = score({ id: 'good', configId: ids.range, name: 'x', value: 0.5 });
    const trace = { id: `ev-${++seq}`, type: 'trace-create', timestamp: at, body: { id: 't1', name: 'with scores' } };
    const res = await ingest([events[0], trace, ...events.slice(1), good]);
    expect(res.successes.map((s) => s.id)).toEqual([trace.id, good.id]);
    expect(res.errors).toHaveLength(cases.length);
    cases.forEach(([, message], i) => {
      expect(res.errors[i]).toMatchObject({ id: events[i].id, status: 400, message: 'Invalid request data' });
      expect(res.errors[i].error).toContain(message);
    });
    for (const [body] of cases) expect(await stored(body.id as string)).toBeNull();
    expect(await stored('good')).toMatchObject({ name: 'accuracy', value: 0.5, dataType: 'NUMERIC', configId: ids.range });
    expect(await t.storage.traces.get(t.a.project.id, 't1')).not.toBeNull();
  });

  it('stores a category label with its value, booleans as True/False, and takes the config name and data type', async () => {
    const res = await ingest([
      score({ id: 'c-kind', configId: ids.tone, name: 'whatever', value: 'kind' }),
      score({ id: 'c-rude', configId: ids.tone, name: 'tone', value: 'rude', dataType: 'CATEGORICAL' }),
      score({ id: 'b-yes', configId: ids.helpful, name: 'h', value: 1 }),
      score({ id: 'b-no', configId: ids.helpful, name: 'h', value: 0, dataType: 'BOOLEAN' }),
      score({ id: 'txt', configId: ids.notes, name: 'n', value: 'needs sources' }),
    ]);
    expect(res.errors).toEqual([]);
    expect(await stored('c-kind')).toMatchObject({ name: 'tone', dataType: 'CATEGORICAL', value: 2, stringValue: 'kind', configId: ids.tone });
    expect(await stored('c-rude')).toMatchObject({ value: 0, stringValue: 'rude' });
    expect(await stored('b-yes')).toMatchObject({ name: 'helpful', dataType: 'BOOLEAN', value: 1, stringValue: 'True' });
    expect(await stored('b-no')).toMatchObject({ dataType: 'BOOLEAN', value: 0, stringValue: 'False' });
    expect(await stored('txt')).toMatchObject({ name: 'notes', dataType: 'TEXT', value: 0, stringValue: 'needs sources' });
    const read = await t.json('GET', '/api/public/v2/scores/c-kind');
    expect(read.body).toMatchObject({ name: 'tone', value: 2, stringValue: 'kind', dataType: 'CATEGORICAL', configId: ids.tone });
  });

  it('answers 400 on POST /scores, also for a Bearer public key, and 200 when valid', async () => {
    const bad = await t.json('POST', '/api/public/scores', { body: { traceId: 't1', name: 'a', value: 7, configId: ids.range } });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('value: 7 is above the maxValue 1');
    const bearer = `Bearer ${t.a.publicKey}`;
    const badBearer = await t.json('POST', '/api/public/scores', { auth: bearer, body: { traceId: 't1', name: 'a', value: 'meh', configId: ids.tone } });
    expect(badBearer.status).toBe(400);
    const ok = await t.json('POST', '/api/public/scores', { auth: bearer, body: { id: 'via-post', traceId: 't1', name: 'a', value: 'rude', configId: ids.tone } });
    expect(ok.status).toBe(200);
    expect(await stored('via-post')).toMatchObject({ name: 'tone', value: 0, stringValue: 'rude' });
  });

  it('accepts a score naming a queue of the project and refuses another project\'s queue', async () => {
    const now = Date.now();
    await t.storage.annotationQueues.create({ id: 'q-a', projectId: t.a.project.id, name: 'a', description: null, scoreConfigIds: [], createdAt: now, updatedAt: now });
    await t.storage.annotationQueues.create({ id: 'q-b', projectId: t.b.project.id, name: 'b', description: null, scoreConfigIds: [], createdAt: now, updatedAt: now });
    const res = await ingest([
      score({ id: 'queued', name: 'x', value: 1, queueId: 'q-a', source: 'ANNOTATION', configId: ids.range }),
      score({ id: 'foreign-queue', name: 'x', value: 1, queueId: 'q-b' }),
    ]);
    expect(res.errors.map((e) => e.error)).toEqual(["queueId: no annotation queue 'q-b' in this project"]);
    expect(await stored('queued')).toMatchObject({ queueId: 'q-a', source: 'ANNOTATION', name: 'accuracy' });
  });
});
