import { rawEvent } from '@sightline/storage/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type Engine, type TestApp } from '../testing/test-app.js';

const at = '2025-01-01T00:00:00.000Z';
const gen = (id: string, prompt?: [string, number]) =>
  rawEvent('generation-create', { id, traceId: 't1', name: id, startTime: at, ...(prompt ? { promptName: prompt[0], promptVersion: prompt[1] } : {}) }, at);

describe.each<Engine>(['sqlite', 'postgres'])('promptId in observation reads on %s', (engine) => {
  let t: TestApp;
  const ids: Record<string, string> = {};

  const createPrompt = async (name: string, auth?: string) => {
    const res = await t.json('POST', '/api/public/v2/prompts', { body: { name, prompt: 'Hi' }, auth });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as { id: string; version: number };
  };
  const byId = (rows: { id: string; promptId?: string | null }[]) => Object.fromEntries(rows.map((r) => [r.id, r.promptId]));

  beforeAll(async () => {
    t = await createTestApp(engine);
    ids.v1 = (await createPrompt('greet')).id;
    ids.v2 = (await createPrompt('greet')).id;
    ids.b1 = (await createPrompt('greet', t.b.auth)).id;
    const batch = [rawEvent('trace-create', { id: 't1', timestamp: at }, at), gen('g1', ['greet', 1]), gen('g2', ['greet', 2]), gen('g3', ['greet', 7]), gen('g4', ['late', 1]), gen('g5')];
    expect((await t.json('POST', '/api/public/ingestion', { body: { batch } })).body.errors).toEqual([]);
    const other = [rawEvent('trace-create', { id: 't1', timestamp: at }, at), gen('g1', ['greet', 1])];
    expect((await t.json('POST', '/api/public/ingestion', { body: { batch: other }, auth: t.b.auth })).body.errors).toEqual([]);
  });
  afterAll(async () => t?.close());

  it('links each observation to the stored version it names, with one lookup per page', async () => {
    const lookups = vi.spyOn(t.storage.prompts, 'ids');
    try {
      const expected = { g1: ids.v1, g2: ids.v2, g3: null, g4: null, g5: null };
      expect((await t.json('GET', '/api/public/observations/g1')).body).toMatchObject({ promptId: ids.v1, promptName: 'greet', promptVersion: 1 });
      expect((await t.json('GET', '/api/public/observations/g5')).body.promptId).toBeNull();

      lookups.mockClear();
      expect(byId((await t.json('GET', '/api/public/observations?traceId=t1')).body.data)).toEqual(expected);
      expect(lookups).toHaveBeenCalledTimes(1);

      lookups.mockClear();
      expect(byId((await t.json('GET', '/api/public/v2/observations?traceId=t1&fields=core,prompt')).body.data)).toEqual(expected);
      expect(lookups).toHaveBeenCalledTimes(1);

      lookups.mockClear();
      const withoutGroup = (await t.json('GET', '/api/public/v2/observations?traceId=t1&fields=core')).body.data as object[];
      expect(withoutGroup.every((o) => !('promptId' in o))).toBe(true);
      expect(lookups).not.toHaveBeenCalled();

      expect(byId((await t.json('GET', '/api/public/traces/t1')).body.observations)).toEqual(expected);
    } finally {
      lookups.mockRestore();
    }
  });

  it('links to the caller’s own project only', async () => {
    expect((await t.json('GET', '/api/public/observations/g1', { auth: t.b.auth })).body.promptId).toBe(ids.b1);
    expect(ids.b1).not.toBe(ids.v1);
  });

  it('resolves the link when read: a version created later links, a deleted version unlinks', async () => {
    const late = await createPrompt('late');
    expect((await t.json('GET', '/api/public/observations/g4')).body.promptId).toBe(late.id);
    expect((await t.json('DELETE', '/api/public/v2/prompts/greet?version=2')).status).toBe(204);
    expect((await t.json('GET', '/api/public/observations/g2')).body.promptId).toBeNull();
    expect((await t.json('GET', '/api/public/observations/g1')).body.promptId).toBe(ids.v1);
  });

  it('links the observation a legacy create route returns', async () => {
    const res = await t.json('POST', '/api/public/generations', { body: { id: 'legacy', traceId: 't1', promptName: 'greet', promptVersion: 1, startTime: at } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.promptId).toBe(ids.v1);
  });
});
