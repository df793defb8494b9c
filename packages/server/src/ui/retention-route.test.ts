import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Engine, type TestApp } from '../testing/test-app.js';
import { browsersByRole, type RoleBrowsers } from '../testing/ui-roles.js';

const SETUP_TOKEN = 'setup-token-for-the-retention-ui-test';

describe.each<Engine>(['sqlite', 'postgres'])('retention setting in the UI API on %s', (engine) => {
  let t: TestApp;
  let pid = '';
  let as: RoleBrowsers;
  const path = () => `/projects/${pid}/retention`;

  beforeAll(async () => {
    t = await createTestApp(engine, { setupToken: SETUP_TOKEN });
    pid = t.a.project.id;
    as = await browsersByRole(t, SETUP_TOKEN, pid);
  });
  afterAll(async () => t?.close());

  it('is shown to every member and set by owners and admins only', async () => {
    expect((await as.viewer.get(path())).body).toEqual({ retentionDays: null });
    expect(await as.admin.post(path(), { retentionDays: 30 })).toMatchObject({ status: 200, body: { retentionDays: 30 } });
    for (const role of ['viewer', 'member'] as const) {
      expect((await as[role].post(path(), { retentionDays: 1 })).status).toBe(403);
    }
    expect((await as.member.get(path())).body).toEqual({ retentionDays: 30 });
    expect(await as.owner.post(path(), { retentionDays: null })).toMatchObject({ status: 200, body: { retentionDays: null } });
    expect(await t.storage.retention.get(pid)).toBeNull();
  });

  it('refuses periods that are not a whole number of days from 1 to 36500 with a 400 naming the field', async () => {
    for (const retentionDays of [-1, 0, 1.5, 1e9, 36_501, 'soon', true, [7], undefined]) {
      const res = await as.admin.post(path(), retentionDays === undefined ? {} : { retentionDays });
      expect(res.status, JSON.stringify(retentionDays)).toBe(400);
      expect(res.body.message).toMatch(/^retentionDays: must be a whole number of days from 1 to 36500/);
    }
    expect(await as.admin.post(path(), { retentionDays: 36_500 })).toMatchObject({ status: 200, body: { retentionDays: 36_500 } });
    expect(await t.storage.retention.get(pid)).toBe(36_500);
  });

  it('does not reach a project the user is not a member of', async () => {
    const other = `/projects/${t.b.project.id}/retention`;
    expect((await as.admin.get(other)).status).toBe(404);
    expect((await as.admin.post(other, { retentionDays: 1 })).status).toBe(404);
    expect(await t.storage.retention.get(t.b.project.id)).toBeNull();
  });
});
