// §2 authentication: Basic pk:sk for everything, Bearer public key only for score creation.
import { describe, expect, it } from 'vitest';
import { createApiKey } from '../../packages/server/src/admin/projects.js';
import { API, ENGINES, basicAuth, enc, ev, get, getOk, ingest, uid, useTestApp } from './helpers.js';

const INVALID_CREDENTIALS = "Invalid credentials. Confirm that you've configured the correct host.";
const FORBIDDEN = 'Access denied - insufficient permissions for this endpoint';

describe.each(ENGINES)('authentication (%s)', (engine) => {
  const app = useTestApp(engine);

  it('a request without an Authorization header is a 401 "No authorization header"', async () => {
    const t = app();
    for (const [method, path, body] of [
      ['GET', `${API}/traces`, undefined],
      ['POST', `${API}/ingestion`, { batch: [] }],
      ['POST', `${API}/scores`, { traceId: 'x', name: 'n', value: 1 }],
    ] as const) {
      const res = await t.json(method, path, { auth: null, body });
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.body.message).toBe('No authorization header');
    }
  });

  it('a malformed Authorization header is a 401', async () => {
    const t = app();
    for (const header of [
      'Basic',
      'Basic !!!not-base64!!!',
      `Basic ${Buffer.from('no-colon-here').toString('base64')}`,
      'Token abc',
      'garbage',
    ]) {
      const res = await get(t, `${API}/traces`, header);
      expect(res.status, header).toBe(401);
      expect(typeof res.body.message, header).toBe('string');
    }
  });

  it('a wrong secret key is a 401 with the Langfuse message', async () => {
    const t = app();
    const res = await get(t, `${API}/traces`, basicAuth(t.a.publicKey, 'sk-lf-wrong'));
    expect(res.status).toBe(401);
    expect(res.body.message).toBe(INVALID_CREDENTIALS);
    const ing = await ingest(t, [ev('trace-create', { id: uid('t') })], basicAuth(t.a.publicKey, `${t.a.secretKey}x`));
    expect(ing.status).toBe(401);
  });

  it('an unknown public key is a 401 (Basic and Bearer)', async () => {
    const t = app();
    const basic = await get(t, `${API}/traces`, basicAuth('pk-lf-unknown', t.a.secretKey));
    expect(basic.status).toBe(401);
    expect(typeof basic.body.message).toBe('string');
    const bearer = await t.json('POST', `${API}/scores`, { auth: 'Bearer pk-lf-unknown', body: { traceId: 'x', name: 'n', value: 1 } });
    expect(bearer.status).toBe(401);
    expect(typeof bearer.body.message).toBe('string');
  });

  it('a revoked key is a 401 while the project\'s other keys keep working', async () => {
    const t = app();
    const fresh = await createApiKey(t.storage, t.a.project.id);
    expect(await t.storage.projects.revokeKey(fresh.key.publicKey, Date.now())).toBe(true);
    const res = await get(t, `${API}/traces`, basicAuth(fresh.key.publicKey, fresh.secretKey));
    expect(res.status).toBe(401);
    const bearer = await t.json('POST', `${API}/scores`, { auth: `Bearer ${fresh.key.publicKey}`, body: { traceId: 'x', name: 'n', value: 1 } });
    expect(bearer.status).toBe(401);
    expect((await get(t, `${API}/traces`)).status).toBe(200);
  });

  it('a Bearer public key on a read or non-score route is a 403', async () => {
    const t = app();
    const bearer = `Bearer ${t.a.publicKey}`;
    for (const [method, path, body] of [
      ['GET', `${API}/traces`, undefined],
      ['GET', `${API}/traces/some-id`, undefined],
      ['GET', `${API}/observations`, undefined],
      ['GET', `${API}/scores`, undefined],
      ['GET', `${API}/v2/scores`, undefined],
      ['GET', `${API}/sessions`, undefined],
      ['DELETE', `${API}/traces/some-id`, undefined],
      ['POST', `${API}/traces`, { name: 'x' }],
      ['POST', `${API}/spans`, { name: 'x' }],
    ] as const) {
      const res = await t.json(method, path, { auth: bearer, body });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.message, `${method} ${path}`).toBe(FORBIDDEN);
    }
  });

  it('a Bearer public key may POST /scores, and the score lands in the key\'s project', async () => {
    const t = app();
    const traceId = uid('trace-bearer');
    const res = await t.json('POST', `${API}/scores`, {
      auth: `Bearer ${t.a.publicKey}`,
      body: { traceId, name: 'user-feedback', value: 1, comment: 'from the browser' },
    });
    expect(res.status).toBe(200);
    expect(typeof res.body.id).toBe('string');
    expect(await getOk(t, `${API}/scores/${enc(res.body.id)}`)).toMatchObject({
      traceId,
      name: 'user-feedback',
      value: 1,
      comment: 'from the browser',
    });
    expect((await get(t, `${API}/scores/${enc(res.body.id)}`, t.b.auth)).status).toBe(404);
  });

  it('a Bearer ingestion batch accepts score-create and rejects trace-create with a per-event 401', async () => {
    const t = app();
    const traceId = uid('trace-bearer-ing');
    const scoreId = uid('score-bearer-ing');
    const scoreEv = ev('score-create', { id: scoreId, traceId, name: 'thumbs', value: 1 });
    const traceEv = ev('trace-create', { id: traceId, name: 'should-not-exist' });
    const spanEv = ev('span-create', { id: uid('span'), traceId });
    const res = await ingest(t, [scoreEv, traceEv, spanEv], `Bearer ${t.a.publicKey}`);
    expect(res.status).toBe(207);
    expect(res.body.successes).toEqual([{ id: scoreEv.id, status: 201 }]);
    expect(res.body.errors).toEqual([
      { id: traceEv.id, status: 401, message: 'Authentication error', error: 'Access Scope Denied' },
      { id: spanEv.id, status: 401, message: 'Authentication error', error: 'Access Scope Denied' },
    ]);
    expect(await getOk(t, `${API}/scores/${enc(scoreId)}`)).toMatchObject({ traceId, name: 'thumbs' });
    expect((await get(t, `${API}/traces/${enc(traceId)}`)).status).toBe(404);
  });

  it('health and ready answer 200 without authentication', async () => {
    const t = app();
    for (const path of [`${API}/health`, `${API}/ready`]) {
      const res = await get(t, path, null);
      expect(res.status, path).toBe(200);
      expect(res.body.status, path).toBe('OK');
    }
  });
});
