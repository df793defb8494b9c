import type { TestApp } from './test-app.js';
import { Browser } from './ui-browser.js';

export type RoleBrowsers = Record<'owner' | 'viewer' | 'member' | 'admin', Browser>;

/**
 * Signed-in browsers of one project, one per role: the owner signs up through the setup link
 * (`setupToken` of the test app) and adds the others as members with a password.
 */
export async function browsersByRole(t: TestApp, setupToken: string, projectId: string): Promise<RoleBrowsers> {
  const owner = new Browser(t);
  await owner.get(`/auth/setup?token=${setupToken}`);
  const signUp = await owner.anonymous().post('/auth/sign-up', { email: 'owner@example.com', password: 'correct horse' });
  if (signUp.status !== 201) throw new Error(`sign-up failed: ${signUp.status}`);
  const out = { owner } as RoleBrowsers;
  for (const role of ['viewer', 'member', 'admin'] as const) {
    const added = await owner.post(`/projects/${projectId}/members`, { email: `${role}@example.com`, role, password: 'password123' });
    out[role] = new Browser(t).anonymous();
    const signIn = await out[role].post('/auth/sign-in', { email: `${role}@example.com`, password: 'password123' });
    if (added.status !== 201 || signIn.status !== 200) throw new Error(`${role}: adding (${added.status}) or signing in (${signIn.status}) failed`);
  }
  return out;
}
