// Tenant isolation: data of project A is invisible to, and cannot be deleted or modified by,
// project B's keys — on every read route and every delete route.
import { beforeAll, describe, expect, it } from 'vitest';
import { API, ENGINES, enc, ev, get, getOk, ingestOk, uid, useTestApp, type TestApp } from './helpers.js';

describe.each(ENGINES)('tenant isolation (%s)', (engine) => {
  const app = useTestApp(engine);
  const traceId = uid('iso-trace');
  const spanId = uid('iso-span');
  const genId = uid('iso-gen');
  const scoreId = uid('iso-score');
  const sessionId = uid('iso-session');

  /** Every list route, some filtered down to A's entities. */
  const listRoutes = () => [
    `${API}/traces`,
    `${API}/traces?userId=a-user`,
    `${API}/traces?sessionId=${enc(sessionId)}`,
    `${API}/traces?tags=a-tag`,
    `${API}/observations`,
    `${API}/observations?traceId=${enc(traceId)}`,
    `${API}/v2/observations`,
    `${API}/v2/observations?traceId=${enc(traceId)}`,
    `${API}/scores`,
    `${API}/v2/scores`,
    `${API}/v2/scores?traceId=${enc(traceId)}`,
    `${API}/sessions`,
  ];

  beforeAll(async () => {
    await ingestOk(app(), [
      ev('trace-create', { id: traceId, name: 'a-trace', sessionId, userId: 'a-user', tags: ['a-tag'] }),
      ev('span-create', { id: spanId, traceId, name: 'a-span' }),
      ev('generation-create', { id: genId, traceId, parentObservationId: spanId, name: 'a-gen', model: 'gpt-4o', usage: { input: 1, output: 2 } }),
      ev('score-create', { id: scoreId, traceId, observationId: genId, name: 'a-score', value: 1 }),
    ]);
  });

  /** A's data, read with A's keys: everything is still there. */
  async function expectAIntact(t: TestApp) {
    const trace = await getOk(t, `${API}/traces/${enc(traceId)}`);
    expect(trace.name).toBe('a-trace');
    expect(trace.observations.map((o: { id: string }) => o.id).sort()).toEqual([spanId, genId].sort());
    expect(trace.scores.map((s: { id: string }) => s.id)).toEqual([scoreId]);
    expect((await getOk(t, `${API}/observations/${enc(genId)}`)).name).toBe('a-gen');
    expect((await getOk(t, `${API}/scores/${enc(scoreId)}`)).name).toBe('a-score');
    expect((await getOk(t, `${API}/sessions/${enc(sessionId)}`)).id).toBe(sessionId);
  }

  it('project A sees its own data (control)', async () => {
    const t = app();
    await expectAIntact(t);
    for (const path of listRoutes()) {
      const body = await getOk(t, path);
      expect(body.data.length, path).toBeGreaterThan(0);
    }
    expect((await getOk(t, `${API}/traces`)).data.map((r: { id: string }) => r.id)).toContain(traceId);
    expect((await getOk(t, `${API}/sessions`)).data.map((r: { id: string }) => r.id)).toContain(sessionId);
  });

  it('list routes return nothing of project A to project B', async () => {
    const t = app();
    for (const path of listRoutes()) {
      const res = await get(t, path, t.b.auth);
      expect(res.status, path).toBe(200);
      expect(res.body.data, path).toEqual([]);
      if (res.body.meta?.totalItems !== undefined) expect(res.body.meta.totalItems, path).toBe(0);
    }
  });

  it('get-by-id routes answer 404 to project B for project A\'s entities', async () => {
    const t = app();
    for (const path of [
      `${API}/traces/${enc(traceId)}`,
      `${API}/observations/${enc(spanId)}`,
      `${API}/observations/${enc(genId)}`,
      `${API}/scores/${enc(scoreId)}`,
      `${API}/sessions/${enc(sessionId)}`,
    ]) {
      const res = await get(t, path, t.b.auth);
      expect(res.status, path).toBe(404);
    }
  });

  it('delete routes with project B\'s keys do not delete project A\'s data', async () => {
    const t = app();
    await t.json('DELETE', `${API}/scores/${enc(scoreId)}`, { auth: t.b.auth });
    await t.json('DELETE', `${API}/traces/${enc(traceId)}`, { auth: t.b.auth });
    await t.json('DELETE', `${API}/traces`, { auth: t.b.auth, body: { traceIds: [traceId] } });
    await expectAIntact(t);
  });

  it('project B writing and then deleting the same ids affects only its own entities', async () => {
    const t = app();
    await ingestOk(
      t,
      [
        ev('trace-create', { id: traceId, name: 'b-trace', metadata: { owner: 'b' } }),
        ev('span-create', { id: spanId, traceId, name: 'b-span' }),
        ev('score-create', { id: scoreId, traceId, name: 'b-score', value: 0 }),
      ],
      t.b.auth,
    );
    await expectAIntact(t);
    const a = await getOk(t, `${API}/traces/${enc(traceId)}`);
    expect(a.metadata).toEqual({});
    expect((await getOk(t, `${API}/observations/${enc(spanId)}`)).name).toBe('a-span');
    const b = await getOk(t, `${API}/traces/${enc(traceId)}`, t.b.auth);
    expect(b).toMatchObject({ name: 'b-trace', metadata: { owner: 'b' } });
    expect(b.observations.map((o: { id: string }) => o.id)).toEqual([spanId]);
    expect(b.observations[0].name).toBe('b-span');
    expect(b.scores.map((s: { name: string }) => s.name)).toEqual(['b-score']);
    expect(b.projectId).toBe(t.b.project.id);
    expect(a.projectId).toBe(t.a.project.id);

    // B deletes its own same-id score and trace: only B's copies go.
    expect((await t.request('DELETE', `${API}/scores/${enc(scoreId)}`, { auth: t.b.auth })).status).toBe(204);
    expect((await t.json('DELETE', `${API}/traces/${enc(traceId)}`, { auth: t.b.auth })).status).toBe(200);
    expect((await get(t, `${API}/traces/${enc(traceId)}`, t.b.auth)).status).toBe(404);
    expect((await get(t, `${API}/observations/${enc(spanId)}`, t.b.auth)).status).toBe(404);
    expect((await get(t, `${API}/scores/${enc(scoreId)}`, t.b.auth)).status).toBe(404);
    await expectAIntact(t);
  });

  it('deleting with project A\'s keys does delete (control for the delete routes)', async () => {
    const t = app();
    const otherTrace = uid('iso-del');
    const otherScore = uid('iso-del-score');
    await ingestOk(t, [
      ev('trace-create', { id: otherTrace }),
      ev('score-create', { id: otherScore, traceId: otherTrace, name: 's', value: 1 }),
    ]);
    const delScore = await t.request('DELETE', `${API}/scores/${enc(otherScore)}`);
    expect(delScore.status).toBe(204); // OpenAPI legacy_scoreV1_delete: 204, no body
    expect((await get(t, `${API}/scores/${enc(otherScore)}`)).status).toBe(404);
    const delTrace = await t.json('DELETE', `${API}/traces/${enc(otherTrace)}`);
    expect(delTrace.status).toBe(200);
    expect(delTrace.body).toEqual({ message: 'Trace deleted successfully' });
    expect((await get(t, `${API}/traces/${enc(otherTrace)}`)).status).toBe(404);
    const batchTrace = uid('iso-del-batch');
    await ingestOk(t, [ev('trace-create', { id: batchTrace })]);
    const delMany = await t.json('DELETE', `${API}/traces`, { body: { traceIds: [batchTrace] } });
    expect(delMany.status).toBe(200);
    expect(delMany.body).toEqual({ message: 'Traces deleted successfully' });
    expect((await get(t, `${API}/traces/${enc(batchTrace)}`)).status).toBe(404);
  });
});
