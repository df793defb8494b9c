import { rawEvent, type RawEvent } from '@sightline/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Engine, type TestApp } from '../testing/test-app.js';

/** Each project holds one session, trace, observation and score; ids differ so every leak is visible. */
function projectData(p: string): RawEvent[] {
  const now = new Date().toISOString();
  return [
    rawEvent('trace-create', { id: `${p}-t`, timestamp: '2024-01-01T00:00:00Z', name: `${p}-trace`, userId: 'shared-user', sessionId: `${p}-s`, tags: ['shared'] }, now),
    rawEvent('span-create', { id: `${p}-o`, traceId: `${p}-t`, name: 'shared-name', startTime: '2024-01-01T00:00:01Z' }, now),
    rawEvent('score-create', { id: `${p}-sc`, traceId: `${p}-t`, name: 'shared-score', value: 1 }, now),
  ];
}

describe.each<Engine>(['sqlite', 'postgres'])('tenant isolation on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
    for (const [p, auth] of [['a', t.a.auth], ['b', t.b.auth]] as const) {
      const res = await t.json('POST', '/api/public/ingestion', { body: { batch: projectData(p) }, auth });
      expect(res.body.errors).toEqual([]);
    }
  });
  afterAll(async () => t?.close());

  const asB = (method: string, path: string, body?: unknown) => t.json(method, path, { auth: t.b.auth, body });
  const idsOf = (rows: { id: string }[]) => rows.map((r) => r.id);

  it('lists show only the caller’s rows', async () => {
    const lists: [string, string[]][] = [
      ['/api/public/traces', ['b-t']],
      ['/api/public/traces?userId=shared-user&tags=shared', ['b-t']],
      ['/api/public/observations', ['b-o']],
      ['/api/public/observations?name=shared-name', ['b-o']],
      ['/api/public/v2/observations', ['b-o']],
      ['/api/public/v2/observations?userId=shared-user&fields=basic,trace_context', ['b-o']],
      ['/api/public/scores', ['b-sc']],
      ['/api/public/v2/scores', ['b-sc']],
      ['/api/public/v2/scores?name=shared-score&userId=shared-user&traceTags=shared', ['b-sc']],
      ['/api/public/sessions', ['b-s']],
    ];
    for (const [path, expected] of lists) {
      const { status, body } = await asB('GET', path);
      expect(status, path).toBe(200);
      expect(idsOf(body.data), path).toEqual(expected);
      if (body.meta.totalItems !== undefined) expect(body.meta.totalItems, path).toBe(1);
    }
  });

  it('queries naming another project’s ids find nothing', async () => {
    for (const path of ['/api/public/traces?sessionId=a-s', '/api/public/observations?traceId=a-t', '/api/public/v2/observations?traceId=a-t', '/api/public/v2/scores?traceId=a-t', '/api/public/v2/scores?scoreIds=a-sc']) {
      const { status, body } = await asB('GET', path);
      expect(status, path).toBe(200);
      expect(body.data, path).toEqual([]);
    }
  });

  it('reads by id answer 404 for another project’s rows', async () => {
    for (const path of ['/api/public/traces/a-t', '/api/public/observations/a-o', '/api/public/scores/a-sc', '/api/public/v2/scores/a-sc', '/api/public/sessions/a-s']) {
      expect((await asB('GET', path)).status, path).toBe(404);
    }
    const own = await asB('GET', '/api/public/traces/b-t');
    expect(idsOf(own.body.observations)).toEqual(['b-o']);
    expect(idsOf(own.body.scores)).toEqual(['b-sc']);
    expect(idsOf((await asB('GET', '/api/public/sessions/b-s')).body.traces)).toEqual(['b-t']);
  });

  it('deletes never touch another project’s rows', async () => {
    expect((await asB('DELETE', '/api/public/scores/a-sc')).status).toBe(404);
    expect((await asB('DELETE', '/api/public/traces/a-t')).status).toBe(200);
    expect((await asB('DELETE', '/api/public/traces', { traceIds: ['a-t'] })).status).toBe(200);
    expect((await t.json('GET', '/api/public/traces/a-t')).status).toBe(200);
    expect((await t.json('GET', '/api/public/observations/a-o')).status).toBe(200);
    expect((await t.json('GET', '/api/public/scores/a-sc')).status).toBe(200);
  });
});
