import { AppError, badRequest } from '@sightline/core';
import type { Storage } from '@sightline/storage';
import type { Context, Hono } from 'hono';
import { createFailureLimiter } from '../auth/failure-limiter.js';
import { clientAddress } from '../http/client-address.js';
import { readJson } from '../http/read-json.js';
import { checkCredentials, signUpFirstUser } from './accounts.js';
import { requireUser } from './guard.js';
import { decoyHash, hashPassword, verifyPassword } from './passwords.js';
import { clearSessionCookie, csrfTokenFor, hashSessionToken, newSessionToken, SESSION_TTL_MS, setSessionCookie } from './session-cookie.js';
import { publicUser, type UiEnv } from './ui-env.js';

export async function readObject(c: Context): Promise<Record<string, unknown>> {
  const body = await readJson(c);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('Request body must be a JSON object');
  return body as Record<string, unknown>;
}

/** Sign-up (first user only), sign-in, sign-out, password change and the session summary. */
export function registerAccountRoutes(ui: Hono<UiEnv>, storage: Storage): void {
  // Password guessing is slowed per client address and per account, like API-key guessing.
  const limiter = createFailureLimiter({ maxPerAddress: 20, maxPerKey: 10, windowMs: 5 * 60_000 });
  async function startSession(c: Context<UiEnv>, userId: string) {
    const token = newSessionToken();
    const now = Date.now();
    // Sign-ins are rare: a good moment to drop sessions that have expired.
    await storage.accounts.deleteExpiredSessions(now);
    await storage.accounts.createSession({ tokenHash: hashSessionToken(token), userId, createdAt: now, expiresAt: now + SESSION_TTL_MS });
    setSessionCookie(c, token);
    return csrfTokenFor(token);
  }

  async function summary(c: Context<UiEnv>, csrfToken?: string) {
    const user = c.get('user');
    if (!user) return { user: null, csrfToken: null, signUpOpen: (await storage.accounts.countUsers()) === 0, projects: [] };
    const projects = await Promise.all(
      (await storage.accounts.listMemberships(user.id)).map(async (m) => ({ id: m.projectId, name: (await storage.getProject(m.projectId))?.name ?? m.projectId, role: m.role })),
    );
    const token = c.get('sessionToken');
    return { user: publicUser(user), csrfToken: csrfToken ?? (token ? csrfTokenFor(token) : null), signUpOpen: false, projects };
  }

  ui.get('/session', async (c) => c.json(await summary(c)));

  ui.post('/auth/sign-up', async (c) => {
    const body = await readObject(c);
    const { email, password } = checkCredentials(body.email, body.password);
    const name = typeof body.name === 'string' && body.name.trim() ? body.name.trim().slice(0, 200) : null;
    const user = await signUpFirstUser(storage, email, password, name);
    if (!user) throw new AppError(403, 'sign_up_closed', 'Sign-up is closed: this Sightline has users. Ask a project owner or admin to add you.');
    const csrf = await startSession(c, user.id);
    c.set('user', user);
    return c.json(await summary(c, csrf), 201);
  });

  ui.post('/auth/sign-in', async (c) => {
    const body = await readObject(c);
    const email = typeof body.email === 'string' ? body.email.trim().toLowerCase() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const address = clientAddress(c);
    limiter.checkAddress(address);
    const user = email ? await storage.accounts.findUserByEmail(email) : null;
    // Unknown emails cost one KDF run too, so timing does not tell which emails have accounts.
    const ok = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()));
    if (!user || !ok) {
      limiter.checkKey(email);
      limiter.fail(address, email);
      throw new AppError(401, 'invalid_credentials', 'Email or password is wrong');
    }
    const csrf = await startSession(c, user.id);
    c.set('user', user);
    return c.json(await summary(c, csrf));
  });

  ui.post('/auth/sign-out', async (c) => {
    const token = c.get('sessionToken');
    if (token) await storage.accounts.deleteSession(hashSessionToken(token));
    clearSessionCookie(c);
    return c.json({ ok: true });
  });

  ui.post('/auth/password', async (c) => {
    const user = requireUser(c);
    const body = await readObject(c);
    if (typeof body.currentPassword !== 'string' || !(await verifyPassword(body.currentPassword, user.passwordHash))) {
      throw new AppError(403, 'invalid_credentials', 'currentPassword: is wrong');
    }
    const { password } = checkCredentials(user.email, body.newPassword);
    await storage.accounts.setPasswordHash(user.id, await hashPassword(password));
    // Every other browser is signed out; this one gets a fresh session.
    await storage.accounts.deleteSessionsOfUser(user.id, Date.now());
    const csrf = await startSession(c, user.id);
    return c.json(await summary(c, csrf));
  });
}
