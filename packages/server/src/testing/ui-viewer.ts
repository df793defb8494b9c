import type { Storage } from '@sightline/storage';
import { addMember } from '../ui/accounts.js';
import type { TestApp } from './test-app.js';

/** Adds a viewer of `projectId` only and signs them in; returns their session cookie (`name=value; …`). */
export async function signInViewer(t: TestApp, storage: Storage, projectId: string, email = 'viewer@example.com'): Promise<string> {
  await addMember(storage, projectId, { email, role: 'viewer', password: 'correct horse' });
  const res = await t.app.request('/api/ui/auth/sign-in', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-sightline-csrf': '1' },
    body: JSON.stringify({ email, password: 'correct horse' }),
  });
  if (res.status !== 200) throw new Error(`sign-in: ${res.status}`);
  return res.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ');
}
