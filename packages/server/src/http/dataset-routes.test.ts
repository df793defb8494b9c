import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Engine, type TestApp } from '../testing/test-app.js';

const enc = encodeURIComponent;

describe.each<Engine>(['sqlite', 'postgres'])('dataset API on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(async () => t?.close());

  const ok = async (method: string, path: string, body?: unknown, auth?: string) => {
    const res = await t.json(method, path, { body, auth });
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(200);
    return res.body;
  };
  const ingest = (batch: unknown[]) => t.json('POST', '/api/public/ingestion', { body: { batch } });

  it('creates datasets by the legacy and the v2 route, upserting by name, and lists and reads them', async () => {
    const legacy = await ok('POST', '/api/public/datasets', { name: 'folder/qa', description: 'first', metadata: { team: 'a' } });
    expect(legacy).toMatchObject({ name: 'folder/qa', description: 'first', metadata: { team: 'a' }, inputSchema: null, expectedOutputSchema: null, projectId: t.a.project.id });
    const again = await ok('POST', '/api/public/v2/datasets', { name: 'folder/qa', inputSchema: { type: 'object' } });
    expect(again).toMatchObject({ id: legacy.id, description: 'first', inputSchema: { type: 'object' } });
    expect(await ok('GET', `/api/public/v2/datasets/${enc('folder/qa')}`)).toMatchObject({ id: legacy.id, name: 'folder/qa' });
    expect(await ok('GET', '/api/public/v2/datasets/folder/qa')).toMatchObject({ id: legacy.id });
    await ok('POST', '/api/public/v2/datasets', { name: 'second' });
    const listed = await ok('GET', '/api/public/v2/datasets?limit=1&page=2');
    expect(listed.meta).toEqual({ page: 2, limit: 1, totalItems: 2, totalPages: 2 });
    expect(listed.data).toHaveLength(1);
    const missing = await t.json('GET', '/api/public/v2/datasets/nope');
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe("Dataset not found: 'nope'");
    expect((await t.json('POST', '/api/public/v2/datasets', { body: { description: 'x' } })).body.message).toContain('name');
  });

  it('upserts items by id, lists active items only, keeps archived ones readable by id, and deletes', async () => {
    await ok('POST', '/api/public/v2/datasets', { name: 'items' });
    const a = await ok('POST', '/api/public/dataset-items', { datasetName: 'items', id: 'item-a', input: { q: 'a' }, expectedOutput: 'A', metadata: { k: 1 }, sourceTraceId: 'tr-1' });
    expect(a).toMatchObject({ id: 'item-a', status: 'ACTIVE', input: { q: 'a' }, expectedOutput: 'A', metadata: { k: 1 }, sourceTraceId: 'tr-1', sourceObservationId: null, datasetName: 'items', mediaReferences: [] });
    const b = await ok('POST', '/api/public/dataset-items', { datasetName: 'items', input: 'b' });
    expect(b.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await ok('POST', '/api/public/dataset-items', { datasetName: 'items', id: 'item-a', input: { q: 'a2' } })).toMatchObject({ input: { q: 'a2' }, expectedOutput: 'A', createdAt: a.createdAt });
    await ok('POST', '/api/public/dataset-items', { datasetName: 'items', id: b.id, status: 'ARCHIVED' });

    const list = await ok('GET', '/api/public/dataset-items?datasetName=items');
    expect(list.data.map((i: { id: string }) => i.id)).toEqual(['item-a']);
    expect(list.meta).toEqual({ page: 1, limit: 50, totalItems: 1, totalPages: 1 });
    expect((await ok('GET', '/api/public/dataset-items?sourceTraceId=tr-1')).data.map((i: { id: string }) => i.id)).toEqual(['item-a']);
    expect(await ok('GET', `/api/public/dataset-items/${b.id}`)).toMatchObject({ status: 'ARCHIVED', input: 'b' });

    await ok('POST', '/api/public/dataset-items', { datasetName: 'items', id: 'folder/item', input: 'slash' });
    expect(await ok('GET', `/api/public/dataset-items/${enc('folder/item')}`)).toMatchObject({ id: 'folder/item', input: 'slash' });
    expect(await ok('DELETE', `/api/public/dataset-items/${enc('folder/item')}`)).toEqual({ message: 'Dataset item successfully deleted' });
    expect(await ok('DELETE', `/api/public/dataset-items/${b.id}`)).toEqual({ message: 'Dataset item successfully deleted' });
    expect((await t.json('GET', `/api/public/dataset-items/${b.id}`)).status).toBe(404);
    expect((await t.json('DELETE', `/api/public/dataset-items/${b.id}`)).status).toBe(404);
  });

  it('returns the items as they were at a version timestamp', async () => {
    await ok('POST', '/api/public/v2/datasets', { name: 'versioned' });
    await ok('POST', '/api/public/dataset-items', { datasetName: 'versioned', id: 'v-1', input: 'old' });
    const before = (await ok('GET', '/api/public/dataset-items/v-1')).updatedAt as string;
    // The next write must land in a later millisecond than `before`.
    while (Date.now() <= Date.parse(before)) await new Promise((r) => setImmediate(r));
    await ok('POST', '/api/public/dataset-items', { datasetName: 'versioned', id: 'v-1', input: 'new' });
    await ok('POST', '/api/public/dataset-items', { datasetName: 'versioned', id: 'v-2', input: 'added' });
    const at = async (version: string) => (await ok('GET', `/api/public/dataset-items?datasetName=versioned&version=${enc(version)}`)).data.map((i: { id: string; input: unknown }) => [i.id, i.input]);
    expect(await at(before)).toEqual([['v-1', 'old']]);
    expect(await at(new Date(Date.now() + 60_000).toISOString())).toEqual([['v-2', 'added'], ['v-1', 'new']]);
    expect(await at('2000-01-01T00:00:00Z')).toEqual([]);
    expect((await t.json('GET', `/api/public/v2/datasets/versioned?version=${enc(before)}`)).status).toBe(200);
    const noName = await t.json('GET', `/api/public/dataset-items?version=${enc(before)}`);
    expect(noName.status).toBe(400);
    expect(noName.body.message).toBe('version: requires datasetName');
  });

  it('answers bad input with a clear 4xx', async () => {
    await ok('POST', '/api/public/v2/datasets', { name: 'limits' });
    const unknown = await t.json('POST', '/api/public/dataset-items', { body: { datasetName: 'no-such-dataset', input: 1 } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toBe("Dataset not found: 'no-such-dataset'");
    expect((await t.json('GET', '/api/public/dataset-items?datasetName=no-such-dataset')).status).toBe(404);
    const huge = await t.json('POST', '/api/public/dataset-items', { body: { datasetName: 'limits', input: 'x'.repeat(10 * 1024 * 1024) } });
    expect(huge.status).toBe(413);
    expect(huge.body.message).toContain('Dataset item is larger than the limit of 4.5 MB');
    const longId = await t.json('POST', '/api/public/dataset-items', { body: { datasetName: 'limits', id: 'i'.repeat(256) } });
    expect(longId.status).toBe(400);
    expect(longId.body.message).toContain('id: must be at most 255 characters');
    const badStatus = await t.json('POST', '/api/public/dataset-items', { body: { datasetName: 'limits', status: 'GONE' } });
    expect(badStatus.body.message).toContain('status: must be one of ACTIVE, ARCHIVED');
    await ok('POST', '/api/public/v2/datasets', { name: 'other' });
    await ok('POST', '/api/public/dataset-items', { datasetName: 'limits', id: 'taken' });
    const moved = await t.json('POST', '/api/public/dataset-items', { body: { datasetName: 'other', id: 'taken' } });
    expect(moved.status).toBe(400);
    expect(moved.body.message).toContain("dataset item 'taken' belongs to another dataset");
    const longRun = await t.json('POST', '/api/public/dataset-run-items', { body: { runName: 'r'.repeat(5000), datasetItemId: 'taken', traceId: 't' } });
    expect(longRun.status).toBe(400);
    expect(longRun.body.message).toContain('runName: must be at most 1000 bytes');
    const longName = await t.json('POST', '/api/public/v2/datasets', { body: { name: 'n'.repeat(5000) } });
    expect(longName.body.message).toContain('name: must be at most 1000 bytes');
    const noTrace = await t.json('POST', '/api/public/dataset-run-items', { body: { runName: 'r', datasetItemId: 'taken' } });
    expect(noTrace.status).toBe(400);
    expect(noTrace.body.message).toContain('traceId: required');
    expect((await t.json('POST', '/api/public/dataset-run-items', { body: { runName: 'r', datasetItemId: 'no-such-item', traceId: 't' } })).status).toBe(404);
    expect((await t.json('GET', '/api/public/experiments')).body.message).toContain('fromStartTime');
    for (const [method, path] of [
      ['GET', '/api/public/v2/datasets/a%00b'], ['GET', '/api/public/dataset-items/a%00b'], ['DELETE', '/api/public/dataset-items/a%00b'],
      ['GET', '/api/public/datasets/a%00b/runs'], ['GET', '/api/public/datasets/limits/runs/a%00b'], ['DELETE', '/api/public/datasets/limits/runs/a%00b'],
    ] as const) {
      const res = await t.json(method, path);
      expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
  });

  it('links run items, creating the run by name; reads runs and their items; deletes a run but not its traces', async () => {
    await ok('POST', '/api/public/v2/datasets', { name: 'runs/ds' });
    for (const id of ['r-1', 'r-2', 'r-archived']) await ok('POST', '/api/public/dataset-items', { datasetName: 'runs/ds', id, input: id, expectedOutput: `${id}!` });
    await ok('POST', '/api/public/dataset-items', { datasetName: 'runs/ds', id: 'r-archived', status: 'ARCHIVED' });
    expect((await ingest([{ id: 'e1', type: 'trace-create', timestamp: new Date().toISOString(), body: { id: 'trace-1', name: 'app', input: 'r-1', output: 'out-1' } }])).status).toBe(207);

    const first = await ok('POST', '/api/public/dataset-run-items', { runName: 'run/v1', runDescription: 'baseline', metadata: { model: 'm' }, datasetItemId: 'r-1', traceId: 'trace-1' });
    expect(first).toMatchObject({ datasetRunName: 'run/v1', datasetItemId: 'r-1', traceId: 'trace-1', observationId: null });
    const second = await ok('POST', '/api/public/dataset-run-items', { runName: 'run/v1', datasetItemId: 'r-2', traceId: 'trace-not-yet-sent', observationId: 'obs-2' });
    expect(second.datasetRunId).toBe(first.datasetRunId);
    expect((await t.json('POST', '/api/public/dataset-run-items', { body: { runName: 'run/v1', datasetItemId: 'r-archived', traceId: 't' } })).status).toBe(404);

    const ds = await ok('GET', `/api/public/v2/datasets/${enc('runs/ds')}`);
    const runs = await ok('GET', `/api/public/datasets/${enc('runs/ds')}/runs`);
    expect(runs.data).toEqual([expect.objectContaining({ id: first.datasetRunId, name: 'run/v1', description: 'baseline', metadata: { model: 'm' }, datasetId: ds.id, datasetName: 'runs/ds' })]);
    const run = await ok('GET', `/api/public/datasets/${enc('runs/ds')}/runs/${enc('run/v1')}`);
    expect(run).toMatchObject({ id: first.datasetRunId, name: 'run/v1' });
    expect(run.datasetRunItems.map((i: { datasetItemId: string }) => i.datasetItemId)).toEqual(['r-1', 'r-2']);
    const items = await ok('GET', `/api/public/dataset-run-items?datasetId=${ds.id}&runName=${enc('run/v1')}&limit=1`);
    expect(items.meta).toMatchObject({ totalItems: 2, totalPages: 2 });

    const experiments = await ok('GET', `/api/public/experiments?fromStartTime=2000-01-01T00:00:00Z&fields=core,metadata`);
    expect(experiments.data).toContainEqual(expect.objectContaining({ id: first.datasetRunId, name: 'run/v1', itemCount: 2, datasetId: ds.id, metadata: { model: 'm' } }));
    const expItems = await ok('GET', `/api/public/experiment-items?fromStartTime=2000-01-01T00:00:00Z&experimentId=${first.datasetRunId}&fields=core,io&limit=1`);
    expect(expItems.data).toHaveLength(1);
    expect(expItems.meta.cursor).toEqual(expect.any(String));
    const next = await ok('GET', `/api/public/experiment-items?fromStartTime=2000-01-01T00:00:00Z&experimentId=${first.datasetRunId}&fields=core,io&cursor=${expItems.meta.cursor}`);
    const all = [...expItems.data, ...next.data];
    expect(next.meta).toEqual({});
    expect(all.find((i) => i.experimentItemId === 'r-1')).toMatchObject({ traceId: 'trace-1', experimentName: 'run/v1', input: 'r-1', output: 'out-1', expectedOutput: 'r-1!' });

    expect(await ok('DELETE', `/api/public/datasets/${enc('runs/ds')}/runs/${enc('run/v1')}`)).toEqual({ message: 'Dataset run successfully deleted' });
    expect((await t.json('GET', `/api/public/datasets/${enc('runs/ds')}/runs/${enc('run/v1')}`)).status).toBe(404);
    expect((await t.json('GET', `/api/public/dataset-run-items?datasetId=${ds.id}&runName=${enc('run/v1')}`)).status).toBe(404);
    expect((await t.json('GET', '/api/public/traces/trace-1')).status).toBe(200);
  });

  it('gives one run when many clients link to the same new run name at once', async () => {
    await ok('POST', '/api/public/v2/datasets', { name: 'race' });
    for (let i = 0; i < 4; i++) await ok('POST', '/api/public/dataset-items', { datasetName: 'race', id: `race-${i}` });
    const links = await Promise.all(
      Array.from({ length: 24 }, (_, i) => t.json('POST', '/api/public/dataset-run-items', { body: { runName: 'same-name', runDescription: `client ${i}`, datasetItemId: `race-${i % 4}`, traceId: `race-trace-${i}` } })),
    );
    expect(links.map((l) => l.status)).toEqual(links.map(() => 200));
    expect(new Set(links.map((l) => l.body.datasetRunId)).size).toBe(1);
    expect((await ok('GET', '/api/public/datasets/race/runs')).data).toHaveLength(1);
    expect((await ok('GET', '/api/public/datasets/race/runs/same-name')).datasetRunItems).toHaveLength(24);
  });

  it('stores scores that target a dataset run and returns them with the experiment', async () => {
    await ok('POST', '/api/public/v2/datasets', { name: 'scored' });
    await ok('POST', '/api/public/dataset-items', { datasetName: 'scored', id: 's-1', input: 1 });
    const link = await ok('POST', '/api/public/dataset-run-items', { runName: 'scored-run', datasetItemId: 's-1', traceId: 'st-1' });
    const res = await ingest([{ id: 'sc1', type: 'score-create', timestamp: new Date().toISOString(), body: { id: 'run-score', name: 'accuracy', value: 0.75, datasetRunId: link.datasetRunId } }]);
    expect(res.body.successes).toHaveLength(1);
    const scores = await ok('GET', `/api/public/v2/scores?datasetRunId=${link.datasetRunId}`);
    expect(scores.data.map((s: { id: string; datasetRunId: string }) => [s.id, s.datasetRunId])).toEqual([['run-score', link.datasetRunId]]);
    const exp = await ok('GET', `/api/public/experiments?fromStartTime=2000-01-01T00:00:00Z&id=${link.datasetRunId}&fields=scores`);
    expect(exp.data[0].scores.map((s: { name: string; value: number }) => [s.name, s.value])).toEqual([['accuracy', 0.75]]);
  });

  it('keeps projects apart on every route and refuses a Bearer public key', async () => {
    await ok('POST', '/api/public/v2/datasets', { name: 'private' });
    await ok('POST', '/api/public/dataset-items', { datasetName: 'private', id: 'private-item', input: 'secret' });
    const link = await ok('POST', '/api/public/dataset-run-items', { runName: 'private-run', datasetItemId: 'private-item', traceId: 'pt' });
    const ds = await ok('GET', '/api/public/v2/datasets/private');
    const asB = (method: string, path: string, body?: unknown) => t.json(method, path, { auth: t.b.auth, body });
    const from = 'fromStartTime=2000-01-01T00:00:00Z';
    expect((await asB('GET', '/api/public/v2/datasets/private')).status).toBe(404);
    expect((await asB('GET', '/api/public/v2/datasets')).body.data).toEqual([]);
    expect((await asB('GET', '/api/public/dataset-items/private-item')).status).toBe(404);
    expect((await asB('GET', '/api/public/dataset-items')).body.data).toEqual([]);
    expect((await asB('GET', '/api/public/dataset-items?datasetName=private')).status).toBe(404);
    expect((await asB('DELETE', '/api/public/dataset-items/private-item')).status).toBe(404);
    expect((await asB('POST', '/api/public/dataset-items', { datasetName: 'private', id: 'private-item' })).status).toBe(404);
    expect((await asB('POST', '/api/public/dataset-run-items', { runName: 'private-run', datasetItemId: 'private-item', traceId: 'x' })).status).toBe(404);
    expect((await asB('GET', `/api/public/dataset-run-items?datasetId=${ds.id}&runName=private-run`)).status).toBe(404);
    expect((await asB('GET', '/api/public/datasets/private/runs')).status).toBe(404);
    expect((await asB('GET', '/api/public/datasets/private/runs/private-run')).status).toBe(404);
    expect((await asB('DELETE', '/api/public/datasets/private/runs/private-run')).status).toBe(404);
    expect((await asB('GET', `/api/public/experiments?${from}`)).body.data).toEqual([]);
    expect((await asB('GET', `/api/public/experiment-items?${from}`)).body.data).toEqual([]);
    // B's own dataset of the same name is another dataset; A's is untouched.
    const bDs = (await asB('POST', '/api/public/datasets', { name: 'private', description: 'B' })).body;
    expect(bDs.id).not.toBe(ds.id);
    expect((await ok('GET', '/api/public/v2/datasets/private')).description).toBeNull();
    expect((await ok('GET', '/api/public/datasets/private/runs/private-run')).datasetRunItems).toHaveLength(1);
    expect(link.datasetRunId).toEqual(expect.any(String));

    const bearer = `Bearer ${t.a.publicKey}`;
    for (const [method, path, body] of [
      ['GET', '/api/public/v2/datasets'], ['POST', '/api/public/datasets', { name: 'x' }], ['GET', '/api/public/dataset-items/private-item'],
      ['GET', '/api/public/datasets/private/runs'], ['GET', `/api/public/experiments?${from}`],
      ['POST', '/api/public/dataset-run-items', { runName: 'x', datasetItemId: 'private-item', traceId: 'x' }],
      ['POST', '/api/public/dataset-items', { datasetName: 'private' }],
    ] as const) {
      expect((await t.json(method, path, { auth: bearer, body })).status, `${method} ${path}`).toBe(403);
    }
  });
});
