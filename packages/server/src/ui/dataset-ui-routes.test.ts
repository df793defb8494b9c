import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Engine, type TestApp } from '../testing/test-app.js';
import { signedInBrowsers, type Browser } from '../testing/ui-browser.js';

const SETUP_TOKEN = 'setup-token-for-the-dataset-ui-test';
const now = () => new Date().toISOString();

describe.each<Engine>(['sqlite', 'postgres'])('dataset UI routes on %s', (engine) => {
  let t: TestApp;
  let pid = '';
  let datasetId = '';
  let as: Record<'owner' | 'viewer' | 'member', Browser>;
  const publicOk = async (method: string, path: string, body?: unknown, auth?: string) => {
    const res = await t.json(method, path, { body, auth });
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    return res.body;
  };

  beforeAll(async () => {
    t = await createTestApp(engine, { setupToken: SETUP_TOKEN });
    pid = t.a.project.id;
    as = await signedInBrowsers(t, SETUP_TOKEN, ['viewer', 'member'] as const);
    await publicOk('POST', '/api/public/ingestion', {
      batch: [
        { id: 'e1', type: 'trace-create', timestamp: now(), body: { id: 'src-trace', input: { q: 'from prod' }, output: 'prod answer' } },
        { id: 'e2', type: 'span-create', timestamp: now(), body: { id: 'src-span', traceId: 'src-trace', input: 'span in', output: 'span out' } },
      ],
    });
  });
  afterAll(async () => t?.close());

  it('lets members create datasets and items, viewers only read, with item and run counts', async () => {
    expect((await as.viewer.post(`/projects/${pid}/datasets`, { name: 'qa' })).status).toBe(403);
    const created = await as.member.post(`/projects/${pid}/datasets`, { name: 'qa', description: 'questions', expectedOutputSchema: { type: 'string' } });
    expect(created.status).toBe(201);
    datasetId = created.body.dataset.id;
    expect((await as.member.post(`/projects/${pid}/datasets`, { name: 'qa' })).status).toBe(409);

    expect((await as.viewer.post(`/projects/${pid}/datasets/${datasetId}/items`, { input: 'x' })).status).toBe(403);
    const item = await as.member.post(`/projects/${pid}/datasets/${datasetId}/items`, { input: { q: 'hand' }, expectedOutput: 'made', metadata: { by: 'hand' } });
    expect(item.status).toBe(200);
    const edited = await as.member.post(`/projects/${pid}/datasets/${datasetId}/items`, { id: item.body.item.id, expectedOutput: 'edited' });
    expect(edited.body.item).toMatchObject({ input: { q: 'hand' }, expectedOutput: 'edited', status: 'ACTIVE' });
    const wrong = await as.member.post(`/projects/${pid}/datasets/${datasetId}/items`, { input: 1, expectedOutput: 42 });
    expect(wrong.status).toBe(400);
    expect(wrong.body.message).toContain('expectedOutput: must be string');

    const fromTrace = await as.member.post(`/projects/${pid}/datasets/${datasetId}/items`, { input: 'span in', expectedOutput: 'span out', sourceTraceId: 'src-trace', sourceObservationId: 'src-span' });
    expect(fromTrace.body.item).toMatchObject({ sourceTraceId: 'src-trace', sourceObservationId: 'src-span' });
    expect((await as.member.post(`/projects/${pid}/datasets/${datasetId}/items`, { input: 1, sourceTraceId: 'no-such-trace' })).status).toBe(404);

    const archived = await as.member.post(`/projects/${pid}/datasets/${datasetId}/items`, { id: fromTrace.body.item.id, status: 'ARCHIVED' });
    expect(archived.body.item.status).toBe('ARCHIVED');
    expect((await as.viewer.get(`/projects/${pid}/datasets/${datasetId}/items`)).body.data.map((i: { id: string }) => i.id)).toEqual([item.body.item.id]);
    expect((await as.viewer.get(`/projects/${pid}/datasets/${datasetId}/items?status=all`)).body.totalItems).toBe(2);

    const list = await as.viewer.get(`/projects/${pid}/datasets`);
    expect(list.body.data).toEqual([expect.objectContaining({ id: datasetId, name: 'qa', itemCount: 1, runCount: 0, lastRunAt: null })]);
  });

  it('imports chunks all or none, checking the schema row by row, and exports JSONL and CSV', async () => {
    const good = await as.member.post(`/projects/${pid}/datasets/${datasetId}/items/import`, {
      items: [{ input: { q: 'a' }, expectedOutput: 'A' }, { id: 'imported-b', input: { q: 'b' }, expectedOutput: '=B, "quoted"', metadata: { row: 2 } }],
    });
    expect(good.body).toEqual({ imported: 2 });
    const bad = await as.member.post(`/projects/${pid}/datasets/${datasetId}/items/import`, { items: [{ input: 'fine', expectedOutput: 'ok' }, { input: 'x', expectedOutput: { not: 'a string' } }] });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('items[1].expectedOutput: must be string');
    expect((await as.viewer.get(`/projects/${pid}/datasets/${datasetId}`)).body.dataset.itemCount).toBe(3);
    expect((await as.member.post(`/projects/${pid}/datasets/${datasetId}/items/import`, { items: Array.from({ length: 501 }, () => ({ input: 1 })) })).status).toBe(400);

    const download = async (format: string) => {
      const res = await t.app.request(`/api/ui/projects/${pid}/datasets/${datasetId}/export?format=${format}`, { headers: { cookie: as.viewer.cookie! } });
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="qa.${format}"`);
      return res.text();
    };
    const jsonl = (await download('jsonl')).trim().split('\n').map((l) => JSON.parse(l) as { id: string; expectedOutput: unknown });
    expect(jsonl.find((r) => r.id === 'imported-b')).toMatchObject({ expectedOutput: '=B, "quoted"', metadata: { row: 2 }, status: 'ACTIVE' });
    expect(jsonl).toHaveLength(3);
    const csv = await download('csv');
    expect(csv.split('\r\n')[0]).toBe('id,status,input,expectedOutput,metadata,sourceTraceId,sourceObservationId');
    expect(csv).toContain(`imported-b,ACTIVE,"{""q"":""b""}","'=B, ""quoted""","{""row"":2}",,`);
  });

  it('aggregates runs and compares them item by item', async () => {
    const ds = 'qa';
    for (const [id, expected] of [['c-1', 'yes'], ['c-2', 'no']]) await publicOk('POST', '/api/public/dataset-items', { datasetName: ds, id, input: id, expectedOutput: expected });
    const events = [];
    for (const [run, outputs, scores] of [['base', ['yes', 'yes'], [1, 0]], ['next', ['yes', 'no'], [1, 1]]] as const) {
      for (let i = 0; i < 2; i++) {
        const trace = `${run}-t${i}`;
        events.push({ id: `${trace}-e`, type: 'trace-create', timestamp: now(), body: { id: trace, output: outputs[i] } });
        events.push({ id: `${trace}-g`, type: 'generation-create', timestamp: now(), body: { id: `${trace}-g`, traceId: trace, startTime: '2024-01-01T00:00:00Z', endTime: `2024-01-01T00:00:0${i + 1}Z`, costDetails: { total: 0.01 } } });
        events.push({ id: `${trace}-s`, type: 'score-create', timestamp: now(), body: { traceId: trace, name: 'correct', value: scores[i] } });
        await publicOk('POST', '/api/public/dataset-run-items', { runName: run, datasetItemId: `c-${i + 1}`, traceId: trace });
      }
    }
    await publicOk('POST', '/api/public/ingestion', { batch: events });

    const runs = await as.viewer.get(`/projects/${pid}/datasets/${datasetId}/runs`);
    expect(runs.body.data.map((r: { name: string; itemCount: number; avgLatencyMs: number; totalCost: number; scores: unknown }) => [r.name, r.itemCount, r.avgLatencyMs, r.totalCost, r.scores])).toEqual([
      ['next', 2, 1500, 0.02, [{ name: 'correct', average: 1, count: 2 }]],
      ['base', 2, 1500, 0.02, [{ name: 'correct', average: 0.5, count: 2 }]],
    ]);
    const [next, base] = runs.body.data.map((r: { id: string }) => r.id);
    const cmp = await as.viewer.get(`/projects/${pid}/datasets/${datasetId}/compare?runs=${base}&runs=${next}`);
    expect(cmp.status).toBe(200);
    expect(cmp.body.scoreNames).toEqual(['correct']);
    expect(cmp.body.runs.map((r: { name: string }) => r.name)).toEqual(['base', 'next']);
    const second = cmp.body.rows.find((r: { itemId: string }) => r.itemId === 'c-2');
    expect(second.expectedOutput).toEqual({ text: '"no"', length: 4 });
    expect(second.cells.map((c: { output: { text: string }; scores: unknown; traceId: string }) => [c.traceId, c.output.text, c.scores])).toEqual([
      ['base-t1', '"yes"', [{ name: 'correct', value: 0, label: null }]],
      ['next-t1', '"no"', [{ name: 'correct', value: 1, label: null }]],
    ]);
    expect((await as.viewer.get(`/projects/${pid}/datasets/${datasetId}/compare?runs=${base}`)).status).toBe(400);
    const foreign = await as.viewer.get(`/projects/${pid}/datasets/${datasetId}/compare?runs=${base}&runs=not-a-run`);
    expect(foreign.status).toBe(400);
    expect(foreign.body.message).toContain("runs: 'not-a-run' is not a run of dataset 'qa'");
    expect((await as.viewer.get(`/projects/${pid}/datasets`)).body.data[0]).toMatchObject({ runCount: 2 });
  });

  it("never reads or changes another project's datasets", async () => {
    const bDataset = await publicOk('POST', '/api/public/v2/datasets', { name: 'b-secret' }, t.b.auth);
    const bId = t.b.project.id;
    expect((await as.member.get(`/projects/${bId}/datasets`)).status).toBe(404);
    expect((await as.member.post(`/projects/${bId}/datasets`, { name: 'x' })).status).toBe(404);
    for (const path of ['', '/items', '/runs', '/export', `/compare?runs=a&runs=b`]) {
      expect((await as.owner.get(`/projects/${pid}/datasets/${bDataset.id}${path}`)).status, path).toBe(404);
    }
    expect((await as.owner.post(`/projects/${pid}/datasets/${bDataset.id}/items`, { input: 'x' })).status).toBe(404);
    expect((await as.owner.post(`/projects/${pid}/datasets/${bDataset.id}/items/import`, { items: [{ input: 'x' }] })).status).toBe(404);
    expect((await as.owner.get(`/projects/${pid}/datasets`)).body.data.map((d: { name: string }) => d.name)).toEqual(['qa']);
    expect((await as.owner.get(`/projects/${pid}/datasets/a%00b/items`)).status).toBe(404);
  });
});
