import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Engine, type TestApp } from '../testing/test-app.js';
import { Browser } from '../testing/ui-browser.js';

const SETUP_TOKEN = 'setup-token-for-the-evaluation-ui-test';
const ENGINES: Engine[] = ['sqlite', 'postgres'];
const HOUR = 3_600_000;

describe.each(ENGINES)('comments, queues and scores UI routes on %s', (engine) => {
  let t: TestApp;
  let pid = '';
  let pidB = '';
  const as: Record<'owner' | 'viewer' | 'member', Browser> = {} as never;
  const t0 = Date.now() - 10 * HOUR;
  const at = (h: number) => new Date(t0 + h * HOUR).toISOString();
  let seq = 0;
  const ev = (type: string, body: Record<string, unknown>, timestamp = at(0)) => ({ id: `e-${++seq}`, type, timestamp, body });
  const ingest = async (batch: unknown[], auth?: string) => {
    const res = await t.json('POST', '/api/public/ingestion', { body: { batch }, auth });
    expect(res.body.errors).toEqual([]);
  };
  const config = async (body: Record<string, unknown>, who: Browser = as.member) => {
    const res = await who.post(`/projects/${pid}/score-configs`, body);
    expect(res.status).toBe(201);
    return res.body.config.id as string;
  };

  beforeAll(async () => {
    t = await createTestApp(engine, { setupToken: SETUP_TOKEN });
    pid = t.a.project.id;
    pidB = t.b.project.id;
    as.owner = new Browser(t);
    await as.owner.get(`/auth/setup?token=${SETUP_TOKEN}`);
    expect((await as.owner.anonymous().post('/auth/sign-up', { email: 'owner@example.com', password: 'correct horse' })).status).toBe(201);
    for (const role of ['viewer', 'member'] as const) {
      expect((await as.owner.post(`/projects/${pid}/members`, { email: `${role}@example.com`, role, password: 'password123' })).status).toBe(201);
      as[role] = new Browser(t).anonymous();
      expect((await as[role].post('/auth/sign-in', { email: `${role}@example.com`, password: 'password123' })).status).toBe(200);
    }
    await ingest([
      ev('trace-create', { id: 'ta1', name: 'answer', sessionId: 'sa', input: 'q1', output: 'a1' }, at(1)),
      ev('trace-create', { id: 'ta2', name: 'answer', sessionId: 'sa', input: 'q2', output: 'a2' }, at(2)),
      ev('trace-create', { id: 'ta3', name: 'other' }, at(3)),
      ev('span-create', { id: 'oa1', traceId: 'ta1', name: 'step', startTime: at(1) }, at(1)),
    ]);
    await ingest([ev('trace-create', { id: 'tb1', name: 'answer', sessionId: 'sb' })], t.b.auth);
  });
  afterAll(async () => t?.close());

  it('creates score configs as the public API checks them; viewers read only', async () => {
    await config({ name: 'helpful', dataType: 'NUMERIC', minValue: 0, maxValue: 5 });
    const bad = await as.member.post(`/projects/${pid}/score-configs`, { name: 'tone', dataType: 'CATEGORICAL', categories: [{ label: 'a', value: 1 }, { label: 'a', value: 2 }] });
    expect(bad.status).toBe(400);
    expect((await as.member.post(`/projects/${pid}/score-configs`, { name: 'x', dataType: 'COLOUR' })).body.message).toMatch(/dataType/);
    expect((await as.viewer.post(`/projects/${pid}/score-configs`, { name: 'v', dataType: 'TEXT' })).status).toBe(403);
    const list = await as.viewer.get(`/projects/${pid}/score-configs`);
    expect(list.body.data.map((c: { name: string }) => c.name)).toContain('helpful');
    expect((await as.member.get(`/projects/${pidB}/score-configs`)).status).toBe(404);
  });

  it('keeps comment threads with authors, counts them per object, and refuses bad or foreign targets', async () => {
    const post = (body: Record<string, unknown>, who: Browser = as.member) => who.post(`/projects/${pid}/comments`, body);
    expect((await post({ objectType: 'TRACE', objectId: 'ta1', content: 'first **look**' })).status).toBe(201);
    expect((await post({ objectType: 'trace', objectId: 'ta1', content: 'second' }, as.owner)).status).toBe(201);
    expect((await post({ objectType: 'SESSION', objectId: 'sa', content: 'session note' })).status).toBe(201);
    expect((await post({ objectType: 'OBSERVATION', objectId: 'oa1', content: 'obs note' })).status).toBe(201);
    const thread = await as.viewer.get(`/projects/${pid}/comments?objectType=TRACE&objectId=ta1`);
    expect(thread.body.data.map((c: { content: string; author: { email: string } }) => [c.content, c.author.email])).toEqual([
      ['first **look**', 'member@example.com'],
      ['second', 'owner@example.com'],
    ]);
    const counts = await as.viewer.get(`/projects/${pid}/comments/counts?objectType=TRACE&ids=ta1&ids=ta2&ids=tb1`);
    expect(counts.body.counts).toEqual({ ta1: 2 });
    expect((await post({ objectType: 'TRACE', objectId: 'tb1', content: 'x' })).status).toBe(404);
    expect((await post({ objectType: 'TRACE', objectId: 'ta1', content: 'x'.repeat(5001) })).body.message).toMatch(/content: must be at most 5000/);
    expect((await post({ objectType: 'TRACE', objectId: 'ta1', content: '   ' })).status).toBe(400);
    expect((await post({ objectType: 'DATASET', objectId: 'ta1', content: 'x' })).status).toBe(400);
    expect((await post({ objectType: 'TRACE', objectId: 'ta1', content: 'x' }, as.viewer)).status).toBe(403);
    expect((await as.viewer.get(`/projects/${pid}/comments?objectType=TRACE`)).status).toBe(400);
    expect((await as.member.get(`/projects/${pidB}/comments?objectType=TRACE&objectId=tb1`)).status).toBe(404);
  });

  it('creates queues, adds selected and filtered traces, reviews an item and writes ANNOTATION scores carrying the queue id', async () => {
    const helpful = (await as.viewer.get(`/projects/${pid}/score-configs`)).body.data.find((c: { name: string }) => c.name === 'helpful').id as string;
    const tone = await config({ name: 'tone', dataType: 'CATEGORICAL', categories: [{ label: 'calm', value: 1 }, { label: 'rude', value: 0 }] });
    expect((await as.member.post(`/projects/${pid}/queues`, { name: 'q', scoreConfigIds: [] })).status).toBe(400);
    expect((await as.member.post(`/projects/${pid}/queues`, { name: 'q', scoreConfigIds: ['nope'] })).body.message).toMatch(/scoreConfigIds/);
    expect((await as.viewer.post(`/projects/${pid}/queues`, { name: 'q', scoreConfigIds: [helpful] })).status).toBe(403);
    const created = await as.member.post(`/projects/${pid}/queues`, { name: 'review', scoreConfigIds: [helpful, tone] });
    expect(created.status).toBe(201);
    const qid = created.body.queue.id as string;
    expect((await as.member.post(`/projects/${pid}/queues`, { name: 'review', scoreConfigIds: [helpful] })).status).toBe(409);

    const items = `/projects/${pid}/queues/${qid}/items`;
    expect((await as.member.post(items, { objectType: 'TRACE', objectIds: ['ta1', 'tb1'] })).status).toBe(404);
    expect((await as.member.post(items, { objectType: 'DATASET', objectIds: ['ta1'] })).status).toBe(400);
    expect((await as.member.post(items, { objectType: 'TRACE', objectIds: ['ta1'] })).body).toMatchObject({ added: 1, matched: 1 });
    const filtered = await as.member.post(`${items}/from-traces?name=answer&from=${t0}`);
    expect(filtered.body).toEqual({ added: 1, matched: 2, capped: false, limit: 1000 });
    expect((await as.member.post(`${items}/from-traces?sort=bogus.up`)).status).toBe(400);
    expect((await as.member.post(items, { objectType: 'SESSION', objectIds: ['sa'] })).status).toBe(201);

    const detail = await as.viewer.get(`/projects/${pid}/queues/${qid}`);
    expect(detail.body.configs.map((c: { name: string }) => c.name)).toEqual(['helpful', 'tone']);
    expect(detail.body.items.map((i: { objectId: string }) => i.objectId)).toEqual(['ta1', 'ta2', 'sa']);
    expect(detail.body.queue).toMatchObject({ pending: 3, completed: 0 });
    const first = detail.body.items[0].id as string;
    const item = await as.viewer.get(`${items}/${first}`);
    expect(item.body.object).toMatchObject({ kind: 'TRACE', trace: { id: 'ta1', input: '"q1"', output: '"a1"' } });
    const session = await as.viewer.get(`${items}/${detail.body.items[2].id}`);
    expect(session.body.object.traces.map((x: { id: string }) => x.id)).toEqual(['ta1', 'ta2']);

    const complete = (body: unknown, who: Browser = as.member) => who.post(`${items}/${first}/complete`, body);
    expect((await complete({ scores: [{ configId: helpful, value: 9 }] })).body.message).toMatch(/above the maxValue 5/);
    expect((await complete({ scores: [{ configId: tone, value: 'bored' }] })).body.message).toMatch(/not a category/);
    expect((await complete({ scores: [{ configId: 'other', value: 1 }] })).status).toBe(400);
    expect((await complete({ scores: [{ configId: helpful, value: 4 }] }, as.viewer)).status).toBe(403);
    expect((await as.viewer.get(`/projects/${pid}/queues/${qid}`)).body.queue.completed).toBe(0);
    const done = await complete({ scores: [{ configId: helpful, value: 4, comment: 'clear' }, { configId: tone, value: 'calm' }] });
    expect(done.status).toBe(200);
    expect(done.body.item.status).toBe('COMPLETED');
    expect((await as.viewer.get(`${items}/${first}`)).body.scores.map((s: { name: string }) => s.name).sort()).toEqual(['helpful', 'tone']);

    const v3 = await t.json('GET', `/api/public/v3/scores?queueId=${qid}&fields=subject,annotation`);
    expect(v3.body.data.map((s: Record<string, unknown>) => [s.name, s.value, s.source, s.queueId, (s.subject as { id: string }).id]).sort()).toEqual([
      ['helpful', 4, 'ANNOTATION', qid, 'ta1'],
      ['tone', 'calm', 'ANNOTATION', qid, 'ta1'],
    ]);
    const list = await as.viewer.get(`/projects/${pid}/queues`);
    expect(list.body.data.find((q: { id: string }) => q.id === qid)).toMatchObject({ pending: 2, completed: 1 });

    // A skip is the reviewer's own and lasts: it is kept for their next visit, never shown to another reviewer,
    // refused to viewers and for a completed item, and unknown items and other projects' queues are 404.
    const second = detail.body.items[1].id as string;
    expect((await as.member.post(`${items}/${second}/skip`, {})).body).toEqual({ skipped: [second] });
    expect((await as.member.get(`/projects/${pid}/queues/${qid}`)).body.skipped).toEqual([second]);
    expect((await as.owner.get(`/projects/${pid}/queues/${qid}`)).body.skipped).toEqual([]);
    expect((await as.viewer.post(`${items}/${second}/skip`, {})).status).toBe(403);
    expect((await as.member.post(`${items}/${first}/skip`, {})).status).toBe(409);
    expect((await as.member.post(`${items}/nope/skip`, {})).status).toBe(404);
    expect((await as.member.post(`/projects/${pidB}/queues/${qid}/items/${second}/skip`, {})).status).toBe(404);
    // Skipped again, later than another item: the order of skips is the order they come back in.
    const third = detail.body.items[2].id as string;
    await as.member.post(`${items}/${third}/skip`, {});
    expect((await as.member.post(`${items}/${second}/skip`, {})).body).toEqual({ skipped: [third, second] });

    // Session and observation items are scored on the session and on the observation (with its trace).
    const sessionItem = detail.body.items[2].id as string;
    expect((await as.member.post(`${items}/${sessionItem}/complete`, { scores: [{ configId: helpful, value: 3 }] })).status).toBe(200);
    const added = await as.member.post(items, { objectType: 'OBSERVATION', objectIds: ['oa1'] });
    expect(added.body.added).toBe(1);
    const obsItem = (await as.viewer.get(`/projects/${pid}/queues/${qid}`)).body.items.find((i: { objectId: string }) => i.objectId === 'oa1').id as string;
    expect((await as.viewer.get(`${items}/${obsItem}`)).body.object).toMatchObject({ kind: 'OBSERVATION', observation: { id: 'oa1', traceId: 'ta1' } });
    expect((await as.member.post(`${items}/${obsItem}/complete`, { scores: [{ configId: tone, value: 'rude' }] })).status).toBe(200);
    const subjects = await t.json('GET', `/api/public/v3/scores?queueId=${qid}&fields=subject`);
    expect(subjects.body.data.map((s: { subject: unknown }) => s.subject)).toEqual(
      expect.arrayContaining([{ kind: 'session', id: 'sa' }, { kind: 'observation', id: 'oa1', traceId: 'ta1' }]),
    );

    // Project B's queue is not reachable through project A, nor A's through B.
    const other = await as.owner.post(`/projects/${pidB}/score-configs`, { name: 'b', dataType: 'BOOLEAN' });
    const qb = await as.owner.post(`/projects/${pidB}/queues`, { name: 'b', scoreConfigIds: [other.body.config.id] });
    expect((await as.owner.get(`/projects/${pid}/queues/${qb.body.queue.id}`)).status).toBe(404);
    expect((await as.owner.get(`/projects/${pidB}/queues/${qid}/items/${first}`)).status).toBe(404);
    expect((await as.member.get(`/projects/${pidB}/queues`)).status).toBe(404);
    expect((await as.owner.post(`/projects/${pidB}/queues`, { name: 'c', scoreConfigIds: [helpful] })).status).toBe(400);
  });

  it('lists scores with filters, sorting and keyset pages, and their distributions', async () => {
    await ingest([
      ev('score-create', { id: 's1', traceId: 'ta2', name: 'latency-ok', value: 1 }, at(4)),
      ev('score-create', { id: 's2', traceId: 'ta2', name: 'latency-ok', value: 3 }, at(5)),
      ev('score-create', { id: 's3', traceId: 'ta3', name: 'latency-ok', value: 2 }, at(6)),
    ]);
    await ingest([ev('score-create', { id: 'sb', traceId: 'tb1', name: 'latency-ok', value: 9 })], t.b.auth);
    const page = await as.viewer.get(`/projects/${pid}/scores?name=latency-ok&sort=value.desc&limit=2`);
    expect(page.body.data.map((s: { id: string }) => s.id)).toEqual(['s2', 's3']);
    const next = await as.viewer.get(`/projects/${pid}/scores?name=latency-ok&sort=value.desc&limit=2&cursor=${page.body.nextCursor}`);
    expect(next.body).toMatchObject({ data: [{ id: 's1' }], nextCursor: null });
    const annotated = await as.viewer.get(`/projects/${pid}/scores?source=ANNOTATION`);
    expect(annotated.body.data.map((s: { author: string }) => s.author)).toEqual(Array(4).fill('member@example.com'));
    expect((await as.viewer.get(`/projects/${pid}/scores?min=2&max=3&name=latency-ok`)).body.data.map((s: { id: string }) => s.id)).toEqual(['s3', 's2']);
    expect((await as.viewer.get(`/projects/${pid}/scores?sort=colour.asc`)).status).toBe(400);
    expect((await as.viewer.get(`/projects/${pid}/scores?min=3&max=1`)).status).toBe(400);
    expect((await as.viewer.get(`/projects/${pid}/scores?cursor=zzz`)).status).toBe(400);
    expect((await as.viewer.get(`/projects/${pid}/scores?dataType=COLOUR`)).status).toBe(400);
    const dist = await as.viewer.get(`/projects/${pid}/scores/distributions?from=${t0}`);
    const by = Object.fromEntries(dist.body.data.map((d: { name: string }) => [d.name, d]));
    expect(by['latency-ok']).toMatchObject({ dataType: 'NUMERIC', count: 3 });
    expect(by.tone).toMatchObject({ dataType: 'CATEGORICAL', categories: [{ label: 'calm', count: 1 }, { label: 'rude', count: 1 }] });
    expect((await as.member.get(`/projects/${pidB}/scores`)).status).toBe(404);
  });
});
