// Errors of the /ingestion envelope (as opposed to per-event errors): bad shape, bad JSON,
// oversized bodies — and that such failures never disturb data accepted earlier.
import { describe, expect, it } from 'vitest';
import { API, ENGINES, enc, ev, getOk, ingest, ingestOk, uid, useTestApp } from './helpers.js';

describe.each(ENGINES)('ingestion envelope (%s)', (engine) => {
  const app = useTestApp(engine);

  it('a batch that is not an array is a 400 "Invalid request data" with an errors list', async () => {
    const t = app();
    for (const body of [{ batch: {} }, { batch: 'x' }, { batch: null }, {}, [], 'just a string', 42]) {
      const res = await t.json('POST', `${API}/ingestion`, { body: JSON.stringify(body) });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.message, JSON.stringify(body)).toBe('Invalid request data');
      expect(Array.isArray(res.body.errors), JSON.stringify(body)).toBe(true);
    }
  });

  it('a body that is not JSON is a 400', async () => {
    const t = app();
    for (const body of ['{"batch": [', 'not json at all', '']) {
      const res = await t.request('POST', `${API}/ingestion`, { body, headers: { 'content-type': 'application/json' } });
      expect(res.status, JSON.stringify(body)).toBe(400);
      const parsed = (await res.json()) as { message?: string };
      expect(typeof parsed.message).toBe('string');
    }
  });

  it('a body over 4.5 MB is a 413 with a clear message', async () => {
    const t = app();
    const big = 'x'.repeat(4.6 * 1024 * 1024);
    const res = await t.json('POST', `${API}/ingestion`, { body: { batch: [ev('trace-create', { id: uid('big'), input: big })] } });
    expect(res.status).toBe(413);
    expect(typeof res.body.message).toBe('string');
    expect(res.body.message).toMatch(/4\.5\s?MB|too large|limit/i);
  });

  it('a body just under 4.5 MB is accepted', async () => {
    const t = app();
    const id = uid('almost-big');
    const input = 'y'.repeat(4 * 1024 * 1024);
    await ingestOk(t, [ev('trace-create', { id, input })]);
    expect((await getOk(t, `${API}/traces/${enc(id)}`)).input).toBe(input);
  });

  it('data accepted earlier is still readable after envelope failures', async () => {
    const t = app();
    const id = uid('survivor');
    await ingestOk(t, [ev('trace-create', { id, name: 'survivor' })]);
    expect((await t.json('POST', `${API}/ingestion`, { body: { batch: {} } })).status).toBe(400);
    expect((await t.request('POST', `${API}/ingestion`, { body: '{"batch": [' })).status).toBe(400);
    const big = 'z'.repeat(4.6 * 1024 * 1024);
    expect((await t.json('POST', `${API}/ingestion`, { body: { batch: [ev('trace-create', { id, name: 'overwritten', input: big })] } })).status).toBe(413);
    const trace = await getOk(t, `${API}/traces/${enc(id)}`);
    expect(trace).toMatchObject({ id, name: 'survivor', input: null });
  });

  it('an empty batch is a 207 with empty successes and errors', async () => {
    const t = app();
    const res = await ingest(t, []);
    expect(res.status).toBe(207);
    expect(res.body).toEqual({ successes: [], errors: [] });
  });

  it('an unknown event type is a per-event 400 naming the type, and the other events are stored', async () => {
    const t = app();
    const id = uid('trace-with-unknown');
    const unknown = ev('trace-explode', { id: uid('x') });
    const good = ev('trace-create', { id });
    const res = await ingest(t, [unknown, good]);
    expect(res.status).toBe(207);
    expect(res.body.successes).toEqual([{ id: good.id, status: 201 }]);
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors[0]).toMatchObject({ id: unknown.id, status: 400 });
    expect(`${res.body.errors[0].message ?? ''} ${res.body.errors[0].error ?? ''}`).toContain('trace-explode');
    expect((await getOk(t, `${API}/traces/${enc(id)}`)).id).toBe(id);
  });

  it('an event with a timestamp lacking an offset, or a missing body id on an observation, is a per-event 400', async () => {
    const t = app();
    const noOffset = ev('trace-create', { id: uid('t') }, '2024-01-01T00:00:00');
    const noObsId = ev('span-create', { traceId: uid('t') });
    const res = await ingest(t, [noOffset, noObsId]);
    expect(res.status).toBe(207);
    expect(res.body.successes).toEqual([]);
    expect(res.body.errors.map((e) => [e.id, e.status])).toEqual([
      [noOffset.id, 400],
      [noObsId.id, 400],
    ]);
  });
});
