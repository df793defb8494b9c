import { rawEvent } from '@sightline/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTrustedProxies } from '../http/trusted-proxies.js';
import { createTestApp, type Engine, type TestApp } from '../testing/test-app.js';
import { Browser } from '../testing/ui-browser.js';

const SETUP_TOKEN = 'setup-token-for-the-ui-api-test';
/** A TCP peer for in-process requests (what @hono/node-server's getConnInfo reads). */
const fromPeer = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress } } });

const ENGINES: Engine[] = ['sqlite', 'postgres'];

describe.each(ENGINES)('UI API on %s', (engine) => {
  let t: TestApp;
  let owner: Browser;
  const now = Date.now();
  const at = (ms: number) => new Date(now - 60_000 + ms).toISOString();

  beforeAll(async () => {
    t = await createTestApp(engine, { setupToken: SETUP_TOKEN, trustedProxies: parseTrustedProxies('10.0.0.0/8') });
    const res = await t.json('POST', '/api/public/ingestion', {
      body: {
        batch: [
          rawEvent('trace-create', { id: 'ta1', name: 'chat', userId: 'u1', sessionId: 's1', tags: ['prod'], metadata: { tenant: 'acme' }, input: 'find the needle', timestamp: at(0) }, at(0)),
          rawEvent('span-create', { id: 'oa1', traceId: 'ta1', name: 'root', startTime: at(0), endTime: at(2000) }, at(0)),
          rawEvent('generation-create', {
            id: 'oa2', traceId: 'ta1', parentObservationId: 'oa1', name: 'llm', model: 'gpt-4o', startTime: at(100), endTime: at(900),
            usageDetails: { input: 10, output: 5 }, input: [{ role: 'user', content: 'hi' }], output: 'hello', level: 'ERROR',
          }, at(0)),
          ...Array.from({ length: 7 }, (_, i) => rawEvent('trace-create', { id: `tp${i}`, name: 'page', userId: 'u2', timestamp: at(1000 + i) }, at(0))),
        ],
      },
    });
    expect(res.body.errors).toEqual([]);
    const b = await t.json('POST', '/api/public/ingestion', {
      auth: t.b.auth,
      body: { batch: [rawEvent('trace-create', { id: 'tb1', name: 'secret-of-b', timestamp: at(0) }, at(0))] },
    });
    expect(b.body.errors).toEqual([]);
    owner = new Browser(t);
  });
  afterAll(async () => t?.close());

  it('lets only a local browser or the setup link create the first account', async () => {
    const stranger = new Browser(t).anonymous();
    const first = { email: 'evil@example.com', password: 'correct horse' };
    // A page elsewhere, claiming through headers to be this host, local, or proxied.
    const spoof = { origin: 'http://evil.example', host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-for': '127.0.0.1' };
    expect((await stranger.call('POST', '/auth/sign-up', first, spoof, fromPeer('203.0.113.5'))).status).toBe(403);
    const remote = await stranger.call('POST', '/auth/sign-up', first, {}, fromPeer('203.0.113.5'));
    expect(remote.status).toBe(403);
    expect(remote.body.message).toContain('setup link');
    // Loopback, but relayed by a proxy on this machine, or under a DNS-rebound host name.
    expect((await stranger.call('POST', '/auth/sign-up', first, { 'x-forwarded-for': '198.51.100.1' }, fromPeer('127.0.0.1'))).status).toBe(403);
    expect((await stranger.call('POST', '/auth/sign-up', first, { host: 'rebound.example:3000' }, fromPeer('127.0.0.1'))).status).toBe(403);
    expect((await stranger.post('/auth/sign-up', { ...first, setupToken: 'a guess' })).status).toBe(403);
    expect((await stranger.get('/auth/setup?token=a-guess')).status).toBe(403);
    expect((await stranger.get('/session')).body).toMatchObject({ user: null, signUpOpen: true, signUpNeedsSetupLink: true });
    expect(await t.storage.accounts.countUsers()).toBe(0);
    // A browser on the server machine itself needs no link (no sign-up here: just not refused for that).
    const local = await stranger.call('GET', '/session', undefined, { host: '127.0.0.1:3000' }, fromPeer('127.0.0.1'));
    expect(local.body.signUpNeedsSetupLink).toBe(false);
  });

  it('signs up the first user through the setup link as owner of every project, with a hashed password and an httpOnly SameSite cookie', async () => {
    const link = await owner.get(`/auth/setup?token=${SETUP_TOKEN}`);
    expect(link.status).toBe(303);
    expect(link.setCookie).toMatch(/HttpOnly/i);
    expect(link.setCookie).toMatch(/SameSite=Strict/i);
    const before = await owner.get('/session');
    expect(before.body).toMatchObject({ user: null, signUpOpen: true, signUpNeedsSetupLink: false });
    expect((await owner.post('/auth/sign-up', { email: 'Owner@Example.com', password: 'correct horse' })).status).toBe(403); // no CSRF header
    const res = await owner.anonymous().post('/auth/sign-up', { email: 'Owner@Example.com', password: 'correct horse' });
    expect(res.status).toBe(201);
    expect(res.setCookie).toMatch(/HttpOnly/i);
    expect(res.setCookie).toMatch(/SameSite=Lax/i);
    expect(res.setCookie).not.toMatch(/Secure/i);
    expect(res.body.user).toMatchObject({ email: 'owner@example.com' });
    expect(res.body.user.passwordHash).toBeUndefined();
    expect(owner.cookies.has('sightline_setup')).toBe(false);
    expect(res.body.projects.map((p: { id: string; role: string }) => [p.id, p.role]).sort()).toEqual([[t.a.project.id, 'owner'], [t.b.project.id, 'owner']].sort());
    const stored = await t.storage.accounts.findUserByEmail('owner@example.com');
    expect(stored!.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(stored!.passwordHash).not.toContain('correct horse');
  });

  it('closes sign-up after the first user, and signs in and out', async () => {
    const other = new Browser(t).anonymous();
    expect((await other.post('/auth/sign-up', { email: 'x@example.com', password: 'password123' })).status).toBe(403);
    expect((await other.post('/auth/sign-in', { email: 'owner@example.com', password: 'wrong password' })).status).toBe(401);
    expect((await other.post('/auth/sign-in', { email: 'nobody@example.com', password: 'wrong password' })).status).toBe(401);
    const ok = await other.post('/auth/sign-in', { email: 'OWNER@example.com', password: 'correct horse' });
    expect(ok.status).toBe(200);
    const cookie = other.cookie;
    expect((await other.get(`/projects/${t.a.project.id}/traces`)).status).toBe(200);
    expect((await other.post('/auth/sign-out')).status).toBe(200);
    other.cookie = cookie; // a stolen copy of the signed-out cookie is worthless
    expect((await other.get(`/projects/${t.a.project.id}/traces`)).status).toBe(401);
    expect((await other.get('/session')).body.user).toBeNull();
  });

  it('slows password guessing on one account without locking its owner out', async () => {
    const guesser = new Browser(t).anonymous();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await guesser.post('/auth/sign-in', { email: 'owner@example.com', password: `guess ${i}` })).status);
    // At most 10 failures per account in the window (one was spent by an earlier test).
    const limited = statuses.indexOf(429);
    expect(limited).toBeGreaterThan(0);
    expect(limited).toBeLessThanOrEqual(10);
    expect(statuses.slice(0, limited).every((s) => s === 401)).toBe(true);
    expect((await guesser.post('/auth/sign-in', { email: 'owner@example.com', password: 'correct horse' })).status).toBe(200);
  });

  it('marks the cookie Secure behind https, as told by a trusted proxy only', async () => {
    const signIn = (peer: string) =>
      t.app.request(
        '/api/ui/auth/sign-in',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-sightline-csrf': '1', 'x-forwarded-proto': 'https' },
          body: JSON.stringify({ email: 'owner@example.com', password: 'correct horse' }),
        },
        fromPeer(peer),
      );
    const proxied = await signIn('10.0.0.2');
    expect(proxied.status).toBe(200);
    expect(proxied.headers.get('set-cookie')).toMatch(/Secure/);
    const direct = await signIn('192.168.1.9');
    expect(direct.status).toBe(200);
    expect(direct.headers.get('set-cookie')).not.toMatch(/Secure/);
  });

  it('refuses state-changing requests without the session CSRF token or from another origin', async () => {
    const pid = t.a.project.id;
    expect((await owner.call('POST', `/projects/${pid}/api-keys`, {}, { 'x-sightline-csrf': 'forged' })).status).toBe(403);
    expect((await owner.call('POST', `/projects/${pid}/api-keys`, {}, { 'x-sightline-csrf': '' })).status).toBe(403);
    expect((await owner.call('POST', `/projects/${pid}/api-keys`, {}, { origin: 'http://evil.example' })).status).toBe(403);
    // X-Forwarded-Host names the host only when a trusted proxy sends it.
    const spoofed = { origin: 'http://evil.example', 'x-forwarded-host': 'evil.example' };
    expect((await owner.call('POST', `/projects/${pid}/api-keys`, {}, spoofed)).status).toBe(403);
    expect((await owner.call('POST', `/projects/${pid}/api-keys`, {}, spoofed, fromPeer('192.168.1.9'))).status).toBe(403);
    expect((await owner.call('POST', `/projects/${pid}/api-keys`, { note: 'via proxy' }, { ...spoofed, origin: 'https://sightline.example', 'x-forwarded-host': 'sightline.example' }, fromPeer('10.0.0.2'))).status).toBe(201);
    expect((await owner.call('POST', `/projects/${pid}/api-keys`, { note: 'ok' }, { origin: 'http://localhost', host: 'localhost' })).status).toBe(201);
  });

  it('creates an API key whose secret is shown once and works, lists it without the secret, and revokes it', async () => {
    const pid = t.a.project.id;
    const created = await owner.post(`/projects/${pid}/api-keys`, { note: 'ci' });
    expect(created.status).toBe(201);
    expect(created.body.secretKey).toMatch(/^sk-lf-/);
    const auth = `Basic ${Buffer.from(`${created.body.publicKey}:${created.body.secretKey}`).toString('base64')}`;
    expect((await t.json('GET', '/api/public/traces', { auth })).status).toBe(200);
    const list = await owner.get(`/projects/${pid}/api-keys`);
    expect(JSON.stringify(list.body)).not.toContain(created.body.secretKey);
    expect(list.body.data.find((k: { id: string }) => k.id === created.body.id)).toMatchObject({ note: 'ci', revokedAt: null });
    expect((await owner.del(`/projects/${pid}/api-keys/${created.body.id}`)).status).toBe(200);
    expect((await owner.get(`/projects/${pid}/api-keys`)).body.data.find((k: { id: string }) => k.id === created.body.id).revokedAt).toBeTypeOf('number');
    // A key of project B cannot be revoked through project A.
    expect((await owner.del(`/projects/${pid}/api-keys/${t.b.key.id}`)).status).toBe(404);
  });

  it('enforces roles: viewers read, members annotate, admins manage keys, owners grant admin', async () => {
    const pid = t.a.project.id;
    for (const [email, role] of [['viewer@example.com', 'viewer'], ['member@example.com', 'member'], ['admin@example.com', 'admin']]) {
      expect((await owner.post(`/projects/${pid}/members`, { email, role, password: 'password123' })).status).toBe(201);
    }
    const signIn = async (email: string) => {
      const b = new Browser(t).anonymous();
      expect((await b.post('/auth/sign-in', { email, password: 'password123' })).status).toBe(200);
      return b;
    };
    const viewer = await signIn('viewer@example.com');
    const member = await signIn('member@example.com');
    const admin = await signIn('admin@example.com');

    expect((await viewer.get(`/projects/${pid}/traces`)).status).toBe(200);
    expect((await viewer.get(`/projects/${pid}/api-keys`)).status).toBe(403);
    expect((await viewer.post(`/projects/${pid}/api-keys`, {})).status).toBe(403);
    expect((await viewer.post(`/projects/${pid}/scores`, { traceId: 'ta1', name: 'q', value: 1 })).status).toBe(403);
    expect((await viewer.post(`/projects/${pid}/members`, { email: 'v2@example.com', role: 'viewer', password: 'password123' })).status).toBe(403);

    expect((await member.post(`/projects/${pid}/scores`, { traceId: 'ta1', name: 'q', value: 1, comment: 'fine' })).status).toBe(201);
    expect((await member.post(`/projects/${pid}/api-keys`, {})).status).toBe(403);

    expect((await admin.post(`/projects/${pid}/api-keys`, {})).status).toBe(201);
    expect((await admin.post(`/projects/${pid}/members`, { email: 'viewer@example.com', role: 'owner' })).status).toBe(403);
    expect((await admin.post(`/projects/${pid}/members`, { email: 'viewer@example.com', role: 'member' })).status).toBe(201);
    const owners = (await admin.get(`/projects/${pid}/members`)).body.data.filter((m: { role: string }) => m.role === 'owner');
    expect((await admin.del(`/projects/${pid}/members/${owners[0].userId}`)).status).toBe(403);
  });

  it('isolates projects: a member of A sees nothing of B', async () => {
    const b = new Browser(t).anonymous();
    expect((await b.post('/auth/sign-in', { email: 'viewer@example.com', password: 'password123' })).status).toBe(200);
    expect((await b.get('/session')).body.projects.map((p: { id: string }) => p.id)).toEqual([t.a.project.id]);
    expect((await b.get(`/projects/${t.b.project.id}/traces`)).status).toBe(404);
    expect((await b.get(`/projects/${t.b.project.id}/traces/tb1`)).status).toBe(404);
    expect((await b.get(`/projects/${t.a.project.id}/traces/tb1`)).status).toBe(404);
    const list = await b.get(`/projects/${t.a.project.id}/traces?q=secret`);
    expect(list.body.data).toEqual([]);
    expect((await new Browser(t).get(`/projects/${t.a.project.id}/traces`)).status).toBe(401);
    // Viewers and members cannot create projects (and so keys of their own); owners and admins can, and own them.
    const refused = await b.post('/projects', { name: 'viewer-own' });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('owner or admin');
    expect((await b.get('/session')).body).toMatchObject({ canCreateProjects: false });
    expect((await t.storage.projects.list()).map((p) => p.name)).not.toContain('viewer-own');
    const admin = new Browser(t).anonymous();
    expect((await admin.post('/auth/sign-in', { email: 'admin@example.com', password: 'password123' })).status).toBe(200);
    expect((await admin.get('/session')).body).toMatchObject({ canCreateProjects: true });
    const created = await admin.post('/projects', { name: 'admin-own' });
    expect(created.body).toMatchObject({ name: 'admin-own', role: 'owner' });
    expect((await admin.get(`/projects/${created.body.id}/traces`)).body.data).toEqual([]);
    expect((await admin.post(`/projects/${created.body.id}/api-keys`, {})).status).toBe(201);
    expect((await owner.get(`/projects/${created.body.id}/traces`)).status).toBe(404);
    expect((await b.get(`/projects/${created.body.id}/traces`)).status).toBe(404);
  });

  it('bounds password guessing per address and account, while the right password from anywhere else still works', async () => {
    const at = (peer: string) => ({ incoming: { socket: { remoteAddress: peer } } });
    const guesser = new Browser(t).anonymous();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      // X-Forwarded-For from a peer that is not a trusted proxy names nobody: rotating it changes nothing.
      const headers = { 'x-forwarded-for': `198.51.100.${i}` };
      statuses.push((await guesser.call('POST', '/auth/sign-in', { email: 'member@example.com', password: `guess ${i}` }, headers, at('203.0.113.66'))).status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
    // The guesser's own address is no longer heard on that account, not even with the right password…
    expect((await guesser.call('POST', '/auth/sign-in', { email: 'member@example.com', password: 'password123' }, {}, at('203.0.113.66'))).status).toBe(429);
    // …but the member, elsewhere, signs in, and so do other accounts from the guesser's address.
    expect((await new Browser(t).anonymous().call('POST', '/auth/sign-in', { email: 'member@example.com', password: 'password123' }, {}, at('192.0.2.33'))).status).toBe(200);
    expect((await new Browser(t).anonymous().call('POST', '/auth/sign-in', { email: 'admin@example.com', password: 'password123' }, {}, at('203.0.113.66'))).status).toBe(200);
  });

  it('answers 404 for ids with NUL bytes in the path and 400 for NUL in a body, never 500', async () => {
    const pid = t.a.project.id;
    for (const path of [
      `/projects/${pid}/traces/a%00b`,
      `/projects/${pid}/observations/a%00b`,
      `/projects/${pid}/sessions/a%00b`,
      `/projects/a%00b/traces`,
      `/projects/a%00b/traces/ta1`,
    ]) {
      expect((await owner.get(path)).status, path).toBe(404);
    }
    expect((await owner.get(`/projects/${pid}/traces/a%00b/tree`)).body.count).toBe(0);
    expect((await owner.del(`/projects/${pid}/members/a%00b`)).status).toBe(404);
    const nul = await owner.post(`/projects/${pid}/scores`, { traceId: 'ta\u0000', name: 'q', value: 1 });
    expect(nul.status).toBe(400);
    expect(nul.body.message).toContain('NUL');
    expect((await new Browser(t).anonymous().post('/auth/sign-in', { email: 'owner@example.com\u0000', password: 'x' })).status).toBe(400);
    expect((await owner.post('/projects', { name: 'a\u0000b' })).status).toBe(400);
  });

  it('lists traces with filters, search, sort and keyset pages', async () => {
    const p = `/projects/${t.a.project.id}/traces`;
    const ids = (r: { body: { data: { id: string }[] } }) => r.body.data.map((x) => x.id);
    expect(ids(await owner.get(`${p}?q=NEEDLE`))).toEqual(['ta1']);
    expect(ids(await owner.get(`${p}?q=hello`))).toEqual(['ta1']); // an observation's output
    expect(ids(await owner.get(`${p}?level=ERROR`))).toEqual(['ta1']);
    expect(ids(await owner.get(`${p}?metadata=tenant%3Dacme`))).toEqual(['ta1']);
    expect(ids(await owner.get(`${p}?tags=prod&userId=u1&sessionId=s1&name=chat`))).toEqual(['ta1']);
    expect(ids(await owner.get(`${p}?from=${now + 3_600_000}`))).toEqual([]);
    const first = await owner.get(`${p}?userId=u2&limit=3&sort=timestamp.asc`);
    expect(ids(first)).toEqual(['tp0', 'tp1', 'tp2']);
    const second = await owner.get(`${p}?userId=u2&limit=3&sort=timestamp.asc&cursor=${first.body.nextCursor}`);
    expect(ids(second)).toEqual(['tp3', 'tp4', 'tp5']);
    const third = await owner.get(`${p}?userId=u2&limit=3&sort=timestamp.asc&cursor=${second.body.nextCursor}`);
    expect(ids(third)).toEqual(['tp6']);
    expect(third.body.nextCursor).toBeNull();
    const row = (await owner.get(`${p}?name=chat`)).body.data[0];
    expect(row).toMatchObject({ latencyMs: 2000, totalTokens: 15, observationCount: 2, errorCount: 1 });
    expect(row.scores.map((s: { name: string }) => s.name)).toContain('q');
    expect((await owner.get(`${p}?sort=cost.desc`)).status).toBe(200);
    expect((await owner.get(`${p}?sort=colour.desc`)).status).toBe(400);
  });

  it('sends the tree compactly and one observation in full', async () => {
    const tree = (await owner.get(`/projects/${t.a.project.id}/traces/ta1/tree`)).body;
    expect(tree.count).toBe(2);
    expect(tree.id).toEqual(['oa1', 'oa2']);
    expect(tree.parent).toEqual([-1, 0]);
    expect(tree.names[tree.name[1]]).toBe('llm');
    expect(tree.types[tree.type[1]]).toBe('GENERATION');
    expect(tree.levels[tree.level[1]]).toBe('ERROR');
    expect(tree.end[0] - tree.start[0]).toBe(2000);
    const o = (await owner.get(`/projects/${t.a.project.id}/observations/oa2`)).body;
    expect(o.observation).toMatchObject({ id: 'oa2', model: 'gpt-4o', output: '"hello"' });
  });

  it('adds an annotation score through the ingestor', async () => {
    const pid = t.a.project.id;
    const res = await owner.post(`/projects/${pid}/scores`, { traceId: 'ta1', observationId: 'oa2', name: 'helpful', value: 0.5, comment: 'half right' });
    expect(res.status).toBe(201);
    expect(res.body.score).toMatchObject({ source: 'ANNOTATION', comment: 'half right', observationId: 'oa2', value: 0.5 });
    const o = (await owner.get(`/projects/${pid}/observations/oa2`)).body;
    expect(o.scores.map((s: { name: string }) => s.name)).toEqual(['helpful']);
    expect((await owner.post(`/projects/${pid}/scores`, { traceId: 'tb1', name: 'x', value: 1 })).status).toBe(404);
    expect((await owner.post(`/projects/${pid}/scores`, { traceId: 'ta1', name: '', value: 1 })).status).toBe(400);
  });

  it('lists sessions, users and a dashboard', async () => {
    const pid = t.a.project.id;
    const sessions = (await owner.get(`/projects/${pid}/sessions`)).body;
    expect(sessions.data).toMatchObject([{ id: 's1', traceCount: 1, userIds: ['u1'] }]);
    const session = (await owner.get(`/projects/${pid}/sessions/s1`)).body;
    expect(session.traces.map((x: { id: string }) => x.id)).toEqual(['ta1']);
    const users = (await owner.get(`/projects/${pid}/users`)).body;
    expect(users.data.map((u: { userId: string }) => u.userId).sort()).toEqual(['u1', 'u2']);
    expect(users.data.find((u: { userId: string }) => u.userId === 'u1')).toMatchObject({ traceCount: 1, totalTokens: 15 });
    const dash = await owner.get(`/projects/${pid}/dashboard?from=${now - 3_600_000}&to=${now + 3_600_000}`);
    expect(dash.status).toBe(200);
    expect(dash.body.traces.reduce((n: number, r: { count_count: number }) => n + Number(r.count_count), 0)).toBe(8);
    expect(dash.body.byModel[0]).toMatchObject({ providedModelName: 'gpt-4o' });
  });

  it('streams live changes of the project over server-sent events', async () => {
    const pid = t.a.project.id;
    const res = await t.app.request(`/api/ui/projects/${pid}/live`, { headers: { cookie: owner.cookie! } });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    let text = '';
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${needle}: ${text}`);
        text += new TextDecoder().decode(value);
      }
    };
    await readUntil('event: ready');
    await t.json('POST', '/api/public/ingestion', { body: { batch: [rawEvent('trace-create', { id: 'live-1', name: 'live' }, new Date().toISOString())] } });
    await readUntil('live-1');
    expect(text).toMatch(/event: traces\ndata: \{"traceIds":\["live-1"\]\}/);
    await reader.cancel();
  });
});
