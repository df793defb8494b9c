import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Engine, type TestApp } from '../testing/test-app.js';

const V3 = '/api/public/v3/scores';
let seq = 0;
const score = (body: Record<string, unknown>, minute: number) => ({
  id: `ev-${++seq}`, type: 'score-create', timestamp: new Date(Date.UTC(2024, 4, 1, 10, minute)).toISOString(),
  body,
});

describe.each<Engine>(['sqlite', 'postgres'])('GET /v3/scores on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
    const batch = [
      score({ id: 'num', traceId: 't1', name: 'accuracy', value: 0.75, comment: 'ok', metadata: { k: 'v' } }, 1),
      score({ id: 'bool', traceId: 't1', observationId: 'o1', name: 'helpful', value: 1, dataType: 'BOOLEAN', source: 'ANNOTATION' }, 2),
      score({ id: 'cat', sessionId: 's1', name: 'tone', value: 'kind', environment: 'prod' }, 3),
      score({ id: 'text', datasetRunId: 'run-1', name: 'notes', value: 'needs work', dataType: 'TEXT' }, 4),
      score({ id: 'num2', traceId: 't2', name: 'accuracy', value: 0.25 }, 5),
    ];
    expect((await t.json('POST', '/api/public/ingestion', { body: { batch } })).body.errors).toEqual([]);
    await t.json('POST', '/api/public/ingestion', { auth: t.b.auth, body: { batch: [score({ id: 'theirs', traceId: 't1', name: 'accuracy', value: 1 }, 6)] } });
  });
  afterAll(async () => t?.close());

  const get = async (query: string, auth?: string) => {
    const res = await t.json('GET', `${V3}${query}`, { auth });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as { data: Record<string, unknown>[]; meta: { limit: number; cursor?: string } };
  };

  it('returns typed values and only the field groups asked for, newest first', async () => {
    const all = await get('');
    expect(all.meta).toEqual({ limit: 50 });
    expect(all.data.map((s) => s.id)).toEqual(['num2', 'text', 'cat', 'bool', 'num']);
    expect(all.data.find((s) => s.id === 'bool')).toEqual({
      id: 'bool', projectId: t.a.project.id, name: 'helpful', value: true, dataType: 'BOOLEAN', source: 'ANNOTATION',
      timestamp: '2024-05-01T10:02:00.000Z', environment: 'default', createdAt: expect.any(String), updatedAt: expect.any(String),
    });
    const detailed = await get('?fields=details,subject,annotation&id=num,bool,cat,text');
    const byId = Object.fromEntries(detailed.data.map((s) => [s.id, s]));
    expect(byId.num).toMatchObject({ value: 0.75, comment: 'ok', configId: null, metadata: { k: 'v' }, subject: { kind: 'trace', id: 't1' }, authorUserId: null, queueId: null });
    expect(byId.bool.subject).toEqual({ kind: 'observation', id: 'o1', traceId: 't1' });
    expect(byId.cat).toMatchObject({ value: 'kind', dataType: 'CATEGORICAL', subject: { kind: 'session', id: 's1' } });
    expect(byId.text).toMatchObject({ value: 'needs work', subject: { kind: 'experiment', id: 'run-1' } });
  });

  it('pages with a cursor until the last page, which has none', async () => {
    const seen: unknown[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await get(`?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.data.map((s) => s.id));
      cursor = page.meta.cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(['num2', 'text', 'cat', 'bool', 'num']);
  });

  it('filters by lists, values and ranges', async () => {
    const ids = async (q: string) => (await get(q)).data.map((s) => s.id);
    expect(await ids('?name=accuracy,tone')).toEqual(['num2', 'cat', 'num']);
    expect(await ids('?source=annotation')).toEqual(['bool']);
    expect(await ids('?dataType=numeric&valueMin=0.5')).toEqual(['num']);
    expect(await ids('?dataType=NUMERIC&value=0.25,0.5')).toEqual(['num2']);
    expect(await ids('?dataType=BOOLEAN&value=true')).toEqual(['bool']);
    expect(await ids('?dataType=CATEGORICAL&value=kind')).toEqual(['cat']);
    expect(await ids('?traceId=t1&observationId=o1')).toEqual(['bool']);
    expect(await ids('?sessionId=s1')).toEqual(['cat']);
    expect(await ids('?experimentId=run-1')).toEqual(['text']);
    expect(await ids('?environment=prod')).toEqual(['cat']);
    expect(await ids('?fromTimestamp=2024-05-01T10:02:00Z&toTimestamp=2024-05-01T10:04:00Z')).toEqual(['cat', 'bool']);
  });

  it('answers 400 for what the spec forbids', async () => {
    for (const q of ['?limit=101', '?fields=details,trace', '?value=1', '?dataType=NUMERIC,BOOLEAN&value=1', '?dataType=BOOLEAN&value=yes', '?dataType=TEXT&valueMin=1',
      '?observationId=o1', '?traceId=t1&sessionId=s1', '?source=HUMAN', '?cursor=not-a-cursor']) {
      expect((await t.json('GET', `${V3}${q}`)).status, q).toBe(400);
    }
  });

  it('keeps projects apart and refuses a Bearer public key', async () => {
    expect((await get('', t.b.auth)).data.map((s) => s.id)).toEqual(['theirs']);
    expect((await get('?id=theirs')).data).toEqual([]);
    expect((await t.json('GET', V3, { auth: `Bearer ${t.a.publicKey}` })).status).toBe(403);
  });
});
