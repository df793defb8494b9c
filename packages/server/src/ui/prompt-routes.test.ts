import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Engine, type TestApp } from '../testing/test-app.js';
import { Browser } from '../testing/ui-browser.js';

const SETUP_TOKEN = 'setup-token-for-the-prompt-ui-test';
const ENGINES: Engine[] = ['sqlite', 'postgres'];

describe.each(ENGINES)('prompt UI routes on %s', (engine) => {
  let t: TestApp;
  let pid = '';
  const as: Record<'owner' | 'viewer' | 'member' | 'admin', Browser> = {} as never;
  const publicCreate = async (body: Record<string, unknown>, auth?: string) => {
    const res = await t.json('POST', '/api/public/v2/prompts', { body, auth });
    expect(res.status).toBe(200);
    return res.body;
  };
  const served = (name: string, query = '') => t.json('GET', `/api/public/v2/prompts/${encodeURIComponent(name)}${query}`);

  beforeAll(async () => {
    t = await createTestApp(engine, { setupToken: SETUP_TOKEN });
    pid = t.a.project.id;
    as.owner = new Browser(t);
    await as.owner.get(`/auth/setup?token=${SETUP_TOKEN}`);
    expect((await as.owner.anonymous().post('/auth/sign-up', { email: 'owner@example.com', password: 'correct horse' })).status).toBe(201);
    for (const role of ['viewer', 'member', 'admin'] as const) {
      expect((await as.owner.post(`/projects/${pid}/members`, { email: `${role}@example.com`, role, password: 'password123' })).status).toBe(201);
      as[role] = new Browser(t).anonymous();
      expect((await as[role].post('/auth/sign-in', { email: `${role}@example.com`, password: 'password123' })).status).toBe(200);
    }
    await publicCreate({ name: 'greeting', prompt: 'Hello {{name}}', labels: ['production'], commitMessage: 'first', config: { temperature: 0.2 } });
    await publicCreate({ name: 'greeting', prompt: 'Hi {{name}}!', labels: ['staging'], tags: ['web'] });
    await publicCreate({ name: 'support/email/welcome', type: 'chat', prompt: [{ role: 'system', content: 'Welcome {{user}}' }, { type: 'placeholder', name: 'history' }] });
    await publicCreate({ name: 'support/faq', prompt: 'FAQ', tags: ['faq'], labels: ['production'] });
    await publicCreate({ name: 'secret-of-b', prompt: 'B only', labels: ['production'] }, t.b.auth);
  });
  afterAll(async () => t?.close());

  it('lists a folder’s direct sub-folders and prompts, searches names flat, and filters by label and tag', async () => {
    const root = await as.viewer.get(`/projects/${pid}/prompts`);
    expect(root.status).toBe(200);
    expect(root.body.folders).toEqual([{ path: 'support', name: 'support', promptCount: 2 }]);
    expect(root.body.prompts).toEqual([
      { name: 'greeting', type: 'text', versionCount: 2, labels: ['production', 'staging', 'latest'], tags: ['web'], lastUpdatedAt: expect.any(Number) },
    ]);
    expect(root.body.allLabels).toEqual(['latest', 'production', 'staging']);
    expect(root.body.allTags).toEqual(['faq', 'web']);
    const support = await as.viewer.get(`/projects/${pid}/prompts?folder=support`);
    expect(support.body.folders).toEqual([{ path: 'support/email', name: 'email', promptCount: 1 }]);
    expect(support.body.prompts.map((p: { name: string }) => p.name)).toEqual(['support/faq']);
    const search = await as.viewer.get(`/projects/${pid}/prompts?q=WELC`);
    expect(search.body.folders).toEqual([]);
    expect(search.body.prompts.map((p: { name: string }) => p.name)).toEqual(['support/email/welcome']);
    const tagged = await as.viewer.get(`/projects/${pid}/prompts?tag=faq`);
    expect(tagged.body.folders).toEqual([{ path: 'support', name: 'support', promptCount: 1 }]);
    expect(tagged.body.prompts).toEqual([]);
    const staging = await as.viewer.get(`/projects/${pid}/prompts?label=staging`);
    expect(staging.body.prompts.map((p: { name: string }) => p.name)).toEqual(['greeting']);
    expect(staging.body.folders).toEqual([]);
  });

  it('gives every version of a prompt, newest first, with who, when, labels, config and commit message', async () => {
    const res = await as.viewer.get(`/projects/${pid}/prompts/history?name=greeting`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'greeting', type: 'text', tags: ['web'] });
    expect(res.body.versions).toMatchObject([
      { version: 2, prompt: 'Hi {{name}}!', labels: ['staging', 'latest'], commitMessage: null, createdBy: 'API', config: {} },
      { version: 1, prompt: 'Hello {{name}}', labels: ['production'], commitMessage: 'first', createdBy: 'API', config: { temperature: 0.2 } },
    ]);
    const chat = await as.viewer.get(`/projects/${pid}/prompts/history?name=${encodeURIComponent('support/email/welcome')}`);
    expect(chat.body.versions[0].prompt).toEqual([{ role: 'system', content: 'Welcome {{user}}' }, { type: 'placeholder', name: 'history' }]);
    const missing = await as.viewer.get(`/projects/${pid}/prompts/history?name=nope`);
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe("Prompt not found: 'nope'");
    expect((await as.viewer.get(`/projects/${pid}/prompts/history`)).status).toBe(400);
  });

  it('lets members create versions (validated as the public API does), signed with their email; viewers cannot', async () => {
    const chat = { name: 'support/email/welcome', type: 'chat', prompt: [{ role: 'system', content: 'Hi {{user}}' }, { type: 'placeholder', name: 'history' }], labels: ['staging'], commitMessage: 'shorter' };
    const viewer = await as.viewer.post(`/projects/${pid}/prompts`, chat);
    expect(viewer.status).toBe(403);
    expect(viewer.body.message).toContain('member role');
    const res = await as.member.post(`/projects/${pid}/prompts`, chat);
    expect(res.status).toBe(201);
    expect(res.body.version).toMatchObject({ version: 2, createdBy: 'member@example.com', labels: ['staging', 'latest'], commitMessage: 'shorter' });
    const pub = await served('support/email/welcome', '?label=staging');
    expect(pub.body).toMatchObject({ version: 2, prompt: chat.prompt, commitMessage: 'shorter' });
    expect(pub.body.createdBy).not.toBe('API');

    const bad = await as.member.post(`/projects/${pid}/prompts`, { name: 'x', type: 'chat', prompt: [{ role: 'user', content: 42 }] });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('prompt');
    const retype = await as.member.post(`/projects/${pid}/prompts`, { name: 'greeting', type: 'chat', prompt: [] });
    expect(retype.status).toBe(400);
    expect(retype.body.message).toContain("'greeting' is a text prompt");
    const badLabel = await as.member.post(`/projects/${pid}/prompts`, { name: 'greeting', prompt: 'x', labels: ['Prod!'] });
    expect(badLabel.status).toBe(400);
    expect(badLabel.body.message).toContain('labels[0]: must consist of lower-case');
    const cycle = await as.member.post(`/projects/${pid}/prompts`, { name: 'loop', prompt: '@@@langfusePrompt:name=loop|label=latest@@@' });
    expect(cycle.status).toBe(400);
    const prod = await as.member.post(`/projects/${pid}/prompts`, { name: 'greeting', prompt: 'sneaky', labels: ['production'] });
    expect(prod.status).toBe(403);
    expect(prod.body.message).toContain("'production'");
    expect((await served('greeting')).body.version).toBe(1);
    expect((await as.member.get(`/projects/${pid}/prompts/history?name=greeting`)).body.versions).toHaveLength(2);
    const byAdmin = await as.admin.post(`/projects/${pid}/prompts`, { name: 'released', prompt: 'v1', labels: ['production'] });
    expect(byAdmin.status).toBe(201);
    expect((await served('released')).body).toMatchObject({ version: 1, prompt: 'v1' });
  });

  it('moves labels: members any but production, admins production too — served by the public API at once', async () => {
    expect((await served('greeting')).body.version).toBe(1); // the cache holds version 1 now
    expect((await as.viewer.post(`/projects/${pid}/prompts/labels`, { name: 'greeting', version: 2, newLabels: ['qa'] })).status).toBe(403);
    const qa = await as.member.post(`/projects/${pid}/prompts/labels`, { name: 'greeting', version: 1, newLabels: ['qa'] });
    expect(qa.status).toBe(200);
    expect(qa.body.version.labels).toEqual(['production', 'qa']);
    const refused = await as.member.post(`/projects/${pid}/prompts/labels`, { name: 'greeting', version: 2, newLabels: ['production'] });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toBe("Only admins and owners may give a version the 'production' label; you are member");
    expect((await as.admin.post(`/projects/${pid}/prompts/labels`, { name: 'greeting', version: 2, newLabels: ['latest'] })).status).toBe(400);
    expect((await as.admin.post(`/projects/${pid}/prompts/labels`, { name: 'greeting', version: 9, newLabels: ['production'] })).status).toBe(404);
    const promoted = await as.admin.post(`/projects/${pid}/prompts/labels`, { name: 'greeting', version: 2, newLabels: ['production'] });
    expect(promoted.status).toBe(200);
    const pub = await served('greeting');
    expect(pub.status).toBe(200);
    expect(pub.body).toMatchObject({ version: 2, prompt: 'Hi {{name}}!' });
    expect(pub.body.labels).toContain('production');
  });

  it('lets only admins delete a version or a whole prompt', async () => {
    await publicCreate({ name: 'doomed', prompt: 'one' });
    await publicCreate({ name: 'doomed', prompt: 'two' });
    const member = await as.member.del(`/projects/${pid}/prompts?name=doomed&version=2`);
    expect(member.status).toBe(403);
    expect(member.body.message).toContain('admin role');
    expect((await as.admin.del(`/projects/${pid}/prompts?name=doomed&version=2`)).status).toBe(204);
    expect((await served('doomed', '?label=latest')).body.version).toBe(1);
    expect((await as.admin.del(`/projects/${pid}/prompts?name=doomed&version=2`)).status).toBe(404);
    expect((await as.owner.del(`/projects/${pid}/prompts?name=doomed`)).status).toBe(204);
    expect((await served('doomed', '?label=latest')).status).toBe(404);
    expect((await as.owner.del(`/projects/${pid}/prompts?name=doomed`)).status).toBe(404);
  });

  it("never reads or changes another project's prompts", async () => {
    const bId = t.b.project.id;
    // The member belongs to project A only; B is not revealed.
    expect((await as.member.get(`/projects/${bId}/prompts`)).status).toBe(404);
    expect((await as.member.get(`/projects/${bId}/prompts/history?name=secret-of-b`)).status).toBe(404);
    expect((await as.member.post(`/projects/${bId}/prompts`, { name: 'secret-of-b', prompt: 'x' })).status).toBe(404);
    // Through A's routes, B's prompt is simply not there, even for A's owner.
    const list = await as.owner.get(`/projects/${pid}/prompts?q=secret`);
    expect(list.body.prompts).toEqual([]);
    expect((await as.owner.get(`/projects/${pid}/prompts/history?name=secret-of-b`)).status).toBe(404);
    expect((await as.owner.post(`/projects/${pid}/prompts/labels`, { name: 'secret-of-b', version: 1, newLabels: ['hijacked'] })).status).toBe(404);
    expect((await as.owner.del(`/projects/${pid}/prompts?name=secret-of-b`)).status).toBe(404);
    const b = await served('secret-of-b', '');
    expect(b.status).toBe(404); // with A's key
    const own = await t.json('GET', '/api/public/v2/prompts/secret-of-b', { auth: t.b.auth });
    expect(own.body).toMatchObject({ version: 1, prompt: 'B only', labels: ['production', 'latest'] });
    expect((await t.json('GET', '/api/public/v2/prompts', { auth: t.b.auth })).body.data.map((p: { name: string }) => p.name)).toEqual(['secret-of-b']);
  });
});
