import type { TestApp } from './test-app.js';

/** A browser stand-in: keeps its cookies and sends the CSRF header the UI sends. */
export class Browser {
  cookies = new Map<string, string>();
  csrf: string | null = null;
  constructor(private readonly t: TestApp) {}

  /** The session cookie (`name=value`), or null; assignable to replay a copied cookie. */
  get cookie(): string | null {
    const v = this.cookies.get('sightline_session');
    return v ? `sightline_session=${v}` : null;
  }
  set cookie(pair: string | null) {
    if (pair) this.cookies.set('sightline_session', pair.slice(pair.indexOf('=') + 1));
    else this.cookies.delete('sightline_session');
  }

  async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, env?: unknown) {
    const h: Record<string, string> = { ...headers };
    if (this.cookies.size > 0) h.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (method !== 'GET' && this.csrf !== null && !('x-sightline-csrf' in h)) h['x-sightline-csrf'] = this.csrf;
    if (body !== undefined) h['content-type'] = 'application/json';
    const res = await this.t.app.request(`/api/ui${path}`, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) }, env);
    const setCookie = res.headers.get('set-cookie');
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, value] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
      if (value) this.cookies.set(name, value);
      else this.cookies.delete(name);
    }
    const text = await res.text();
    const json = text ? JSON.parse(text) : undefined;
    if (json && typeof json === 'object' && 'csrfToken' in json && json.csrfToken) this.csrf = json.csrfToken as string;
    return { status: res.status, body: json, setCookie, headers: res.headers };
  }
  get = (path: string) => this.call('GET', path);
  post = (path: string, body?: unknown) => this.call('POST', path, body ?? {});
  del = (path: string) => this.call('DELETE', path);
  /** Before sign-in the header only has to be present (a cross-site form cannot send it). */
  anonymous(): this {
    this.csrf = '1';
    return this;
  }
}

/**
 * Signs up the first user (the owner, through the setup token) and adds one member of each
 * given role to project A, each signed in on its own browser.
 */
export async function signedInBrowsers<R extends 'viewer' | 'member' | 'admin'>(t: TestApp, setupToken: string, roles: readonly R[]): Promise<Record<'owner' | R, Browser>> {
  const owner = new Browser(t);
  await owner.get(`/auth/setup?token=${setupToken}`);
  const signUp = await owner.anonymous().post('/auth/sign-up', { email: 'owner@example.com', password: 'correct horse' });
  if (signUp.status !== 201) throw new Error(`sign-up failed: ${JSON.stringify(signUp.body)}`);
  const out = { owner } as Record<'owner' | R, Browser>;
  for (const role of roles) {
    const added = await owner.post(`/projects/${t.a.project.id}/members`, { email: `${role}@example.com`, role, password: 'password123' });
    if (added.status !== 201) throw new Error(`adding the ${role} failed: ${JSON.stringify(added.body)}`);
    const b = new Browser(t).anonymous();
    if ((await b.post('/auth/sign-in', { email: `${role}@example.com`, password: 'password123' })).status !== 200) throw new Error(`${role} could not sign in`);
    out[role] = b;
  }
  return out;
}
