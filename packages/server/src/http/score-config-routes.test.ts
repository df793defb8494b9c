import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Engine, type TestApp } from '../testing/test-app.js';

const BASE = '/api/public/score-configs';

describe.each<Engine>(['sqlite', 'postgres'])('score config API on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(async () => t?.close());

  const create = async (body: Record<string, unknown>, auth?: string) => {
    const res = await t.json('POST', BASE, { body, auth });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };

  it('creates each data type and reads it back in the spec shape', async () => {
    const numeric = await create({ name: 'accuracy', dataType: 'NUMERIC', minValue: 0, maxValue: 1, description: 'share right' });
    expect(numeric).toEqual({
      id: expect.any(String), name: 'accuracy', projectId: t.a.project.id, dataType: 'NUMERIC', isArchived: false, minValue: 0, maxValue: 1,
      categories: null, description: 'share right', createdAt: expect.stringMatching(/Z$/), updatedAt: numeric.createdAt,
    });
    const categorical = await create({ name: 'tone', dataType: 'CATEGORICAL', categories: [{ label: 'rude', value: 0 }, { label: 'kind', value: 1 }] });
    expect(categorical.categories).toEqual([{ label: 'rude', value: 0 }, { label: 'kind', value: 1 }]);
    const boolean = await create({ name: 'helpful', dataType: 'BOOLEAN' });
    expect(boolean.categories).toEqual([{ label: 'True', value: 1 }, { label: 'False', value: 0 }]);
    const text = await create({ name: 'notes (free)', dataType: 'TEXT' });
    expect(text).toMatchObject({ dataType: 'TEXT', minValue: null, maxValue: null, categories: null });
    expect((await t.json('GET', `${BASE}/${categorical.id}`)).body).toEqual(categorical);
  });

  it('refuses inconsistent configs with a 400 naming the rule', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 'r', dataType: 'NUMERIC', minValue: 2, maxValue: 1 }, 'minValue: must not be greater than maxValue'],
      [{ name: 'c', dataType: 'CATEGORICAL' }, 'categories: a CATEGORICAL config needs at least one category'],
      [{ name: 'c', dataType: 'CATEGORICAL', categories: [] }, 'at least one category'],
      [{ name: 'c', dataType: 'CATEGORICAL', categories: [{ label: 'a', value: 1 }, { label: 'a', value: 2 }] }, 'labels must be unique'],
      [{ name: 'c', dataType: 'CATEGORICAL', categories: [{ label: 'a', value: 1 }, { label: 'b', value: 1 }] }, 'values must be unique'],
      [{ name: 'b', dataType: 'BOOLEAN', categories: [{ label: 'yes', value: 1 }] }, 'categories: a BOOLEAN config has the categories True = 1 and False = 0'],
      [{ name: 't', dataType: 'TEXT', maxValue: 3 }, 'only a NUMERIC config has a range'],
      [{ name: 'n', dataType: 'NUMERIC', categories: [{ label: 'a', value: 1 }] }, 'only a CATEGORICAL config has categories'],
      [{ name: 'x', dataType: 'CORRECTION' }, 'dataType: must be one of NUMERIC, CATEGORICAL, BOOLEAN, TEXT'],
      [{ name: 'way too long a name for any score config at all', dataType: 'TEXT' }, 'name: must be 1 to 35 characters'],
      [{ name: 'bad/name', dataType: 'TEXT' }, 'name: must be 1 to 35 characters'],
      [{ dataType: 'TEXT' }, 'name:'],
      [{ name: 'nul', dataType: 'TEXT', description: 'a\u0000b' }, 'NUL'],
    ];
    for (const [body, message] of cases) {
      const res = await t.json('POST', BASE, { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.message, JSON.stringify(body)).toContain(message);
    }
  });

  it('lists newest first with page meta', async () => {
    const res = await t.json('GET', `${BASE}?limit=2&page=1`, { auth: t.b.auth });
    expect(res.body).toEqual({ data: [], meta: { page: 1, limit: 2, totalItems: 0, totalPages: 0 } });
    for (const name of ['first', 'second', 'third']) await create({ name, dataType: 'NUMERIC' }, t.b.auth);
    const page = await t.json('GET', `${BASE}?limit=2&page=1`, { auth: t.b.auth });
    expect(page.body.meta).toEqual({ page: 1, limit: 2, totalItems: 3, totalPages: 2 });
    expect(page.body.data.map((c: { name: string }) => c.name)).toEqual(['third', 'second']);
    expect((await t.json('GET', `${BASE}?limit=101`)).status).toBe(400);
  });

  it('updates and archives instead of deleting, keeping the config consistent', async () => {
    const c = await create({ name: 'range', dataType: 'NUMERIC', minValue: 0, maxValue: 10, description: 'd' });
    const patched = await t.json('PATCH', `${BASE}/${c.id}`, { body: { isArchived: true, maxValue: 5, description: null, name: 'range v2' } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id: c.id, name: 'range v2', isArchived: true, minValue: 0, maxValue: 5, description: null, dataType: 'NUMERIC' });
    expect((await t.json('GET', `${BASE}/${c.id}`)).body.isArchived).toBe(true);
    const bad = await t.json('PATCH', `${BASE}/${c.id}`, { body: { minValue: 6 } });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('minValue: must not be greater than maxValue (6 > 5)');
    expect((await t.json('PATCH', `${BASE}/${c.id}`, { body: { isArchived: 'yes' } })).status).toBe(400);
    expect((await t.json('PATCH', `${BASE}/${c.id}`, { body: { isArchived: false } })).body.isArchived).toBe(false);
    expect((await t.json('DELETE', `${BASE}/${c.id}`)).status).toBe(404);
  });

  it('keeps projects apart and refuses a Bearer public key', async () => {
    const theirs = await create({ name: 'theirs', dataType: 'BOOLEAN' }, t.b.auth);
    expect((await t.json('GET', `${BASE}/${theirs.id}`)).status).toBe(404);
    expect((await t.json('PATCH', `${BASE}/${theirs.id}`, { body: { isArchived: true } })).status).toBe(404);
    expect((await t.json('GET', `${BASE}/${theirs.id}`, { auth: t.b.auth })).body.isArchived).toBe(false);
    const mine = (await t.json('GET', `${BASE}?limit=100`)).body.data.map((c: { id: string }) => c.id);
    expect(mine).not.toContain(theirs.id);
    const bearer = `Bearer ${t.a.publicKey}`;
    expect((await t.json('GET', BASE, { auth: bearer })).status).toBe(403);
    expect((await t.json('POST', BASE, { auth: bearer, body: { name: 'x', dataType: 'TEXT' } })).status).toBe(403);
    expect((await t.json('GET', BASE, { auth: null })).status).toBe(401);
  });
});
