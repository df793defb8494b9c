import { rawEvent } from '@sightline/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Engine, type TestApp } from '../testing/test-app.js';
import { Browser } from '../testing/ui-browser.js';

const SETUP_TOKEN = 'setup-token-for-the-export-ui-test';

describe.each<Engine>(['sqlite', 'postgres'])('UI export routes on %s', (engine) => {
  let t: TestApp;
  let owner: Browser;
  let viewer: Browser;
  const at = (ms: number) => new Date(Date.now() - 60_000 + ms).toISOString();

  beforeAll(async () => {
    t = await createTestApp(engine, { setupToken: SETUP_TOKEN });
    const batch = [
      rawEvent('trace-create', { id: 'a1', name: 'chat', userId: 'u1', timestamp: at(0), input: 'needle here' }, at(0)),
      rawEvent('trace-create', { id: 'a2', name: 'chat', userId: 'u2', timestamp: at(1) }, at(0)),
      rawEvent('trace-create', { id: 'a3', name: 'other', userId: 'u1', timestamp: at(2) }, at(0)),
    ];
    expect((await t.json('POST', '/api/public/ingestion', { body: { batch } })).body.errors).toEqual([]);
    await t.json('POST', '/api/public/ingestion', { auth: t.b.auth, body: { batch: [rawEvent('trace-create', { id: 'b1', name: 'secret-of-project-b', timestamp: at(0) }, at(0))] } });
    owner = new Browser(t);
    await owner.get(`/auth/setup?token=${SETUP_TOKEN}`);
    expect((await owner.anonymous().post('/auth/sign-up', { email: 'owner@example.com', password: 'correct horse' })).status).toBe(201);
    expect((await owner.post(`/projects/${t.a.project.id}/members`, { email: 'viewer@example.com', role: 'viewer', password: 'password123' })).status).toBe(201);
    viewer = new Browser(t).anonymous();
    expect((await viewer.post('/auth/sign-in', { email: 'viewer@example.com', password: 'password123' })).status).toBe(200);
  });
  afterAll(async () => t?.close());

  const download = async (who: Browser, path: string) => {
    const res = await t.app.request(`/api/ui${path}`, { headers: { cookie: who.cookie ?? '' } });
    return { status: res.status, text: await res.text(), type: res.headers.get('content-type') };
  };
  const ids = (text: string) => text.split('\n').filter(Boolean).map((l) => JSON.parse(l).id as string);

  it('exports what the traces page selects (filters, search, sort), to any member', async () => {
    const pid = t.a.project.id;
    const all = await download(viewer, `/projects/${pid}/export/traces`);
    expect(all.status).toBe(200);
    expect(all.type).toContain('application/x-ndjson');
    expect(ids(all.text)).toEqual(['a3', 'a2', 'a1']); // the page's default sort: newest first
    expect(ids((await download(viewer, `/projects/${pid}/export/traces?userId=u1&sort=timestamp.asc&limit=1`)).text)).toEqual(['a1', 'a3']);
    expect(ids((await download(viewer, `/projects/${pid}/export/traces?q=needle`)).text)).toEqual(['a1']);
    const csv = await download(viewer, `/projects/${pid}/export/traces?format=csv&name=other`);
    expect(csv.text.split('\r\n').filter(Boolean).map((r) => r.split(',')[0])).toEqual(['id', 'a3']);
    const bad = await download(viewer, `/projects/${pid}/export/traces?format=pdf`);
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text).message).toContain('format:');
  });

  it('never exports a project the user is not a member of', async () => {
    const res = await download(viewer, `/projects/${t.b.project.id}/export/traces`);
    expect([403, 404]).toContain(res.status);
    expect(res.text).not.toContain('secret-of-project-b');
    expect((await download(new Browser(t), `/projects/${t.a.project.id}/export/traces`)).status).toBe(401);
  });

  it('lets admins, not viewers, set the scheduled export', async () => {
    const pid = t.a.project.id;
    expect((await owner.get(`/projects/${pid}/export-schedule`)).body).toEqual({ schedule: null });
    expect((await viewer.get(`/projects/${pid}/export-schedule`)).status).toBe(403);
    expect((await viewer.post(`/projects/${pid}/export-schedule`, { frequency: 'hourly', enabled: true })).status).toBe(403);
    const bad = await owner.post(`/projects/${pid}/export-schedule`, { frequency: 'weekly', enabled: true });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('frequency:');
    const saved = await owner.post(`/projects/${pid}/export-schedule`, { frequency: 'hourly', enabled: true, csv: true });
    expect(saved.status).toBe(200);
    expect(saved.body.schedule).toMatchObject({ frequency: 'hourly', formats: ['jsonl', 'csv'], enabled: true, lastRunAt: null });
    expect(saved.body.schedule.nextRunAt % 3_600_000).toBe(0);
    expect((await owner.get(`/projects/${t.b.project.id}/export-schedule`)).body).toEqual({ schedule: null });
  });
});
