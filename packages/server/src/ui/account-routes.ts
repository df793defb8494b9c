import { AppError, badRequest } from '@sightline/core';
import type { Storage } from '@sightline/storage';
import type { Context, Hono } from 'hono';
import { createFailureLimiter } from '../auth/failure-limiter.js';
import { clientAddress } from '../http/client-address.js';
import { readJson } from '../http/read-json.js';
import { hasNul, NO_NUL } from '../query/parse-params.js';
import { checkCredentials, signUpFirstUser } from './accounts.js';
import type { AccountSummary } from './api-types.js';
import { firstSignUpAllowed, forgetSetupToken, registerSetupLink, SETUP_REQUIRED } from './first-user.js';
import { requireUser, roleAtLeast } from './guard.js';
import { decoyHash, hashPassword, verifyPassword } from './passwords.js';
import { clearSessionCookie, csrfTokenFor, hashSessionToken, newSessionToken, SESSION_TTL_MS, setSessionCookie } from './session-cookie.js';
import { publicUser, type UiEnv } from './ui-env.js';

export async function readObject(c: Context): Promise<Record<string, unknown>> {
  const body = await readJson(c);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('Request body must be a JSON object');
  // Names, emails and ids end up in database text, which cannot hold NUL.
  if (hasNul(body)) throw badRequest(`body: ${NO_NUL}`);
  return body as Record<string, unknown>;
}

/**
 * Sign-up (first user only, see first-user.ts), sign-in, sign-out, password change and the
 * session summary. `setupToken` lets a browser elsewhere create the first account.
 */
export function registerAccountRoutes(ui: Hono<UiEnv>, storage: Storage, setupToken?: string): void {
  // Password guessing is bounded per address and account; only failures are refused (failure-limiter.ts).
  const limiter = createFailureLimiter({ maxPerAddress: 20, maxPerIdentity: 10, windowMs: 5 * 60_000 });
  registerSetupLink(ui, storage, setupToken);
  async function startSession(c: Context<UiEnv>, userId: string) {
    const token = newSessionToken();
    const now = Date.now();
    // Sign-ins are rare: a good moment to drop sessions that have expired.
    await storage.accounts.deleteExpiredSessions(now);
    await storage.accounts.createSession({ tokenHash: hashSessionToken(token), userId, createdAt: now, expiresAt: now + SESSION_TTL_MS });
    setSessionCookie(c, token);
    return csrfTokenFor(token);
  }

  async function summary(c: Context<UiEnv>, csrfToken?: string): Promise<AccountSummary> {
    const user = c.get('user');
    if (!user) {
      const signUpOpen = (await storage.accounts.countUsers()) === 0;
      return { user: null, csrfToken: null, signUpOpen, signUpNeedsSetupLink: signUpOpen && !firstSignUpAllowed(c, setupToken, undefined), projects: [] };
    }
    const memberships = await storage.accounts.listMemberships(user.id);
    const projects = await Promise.all(memberships.map(async (m) => ({ id: m.projectId, name: (await storage.projects.get(m.projectId))?.name ?? m.projectId, role: m.role })));
    const token = c.get('sessionToken');
    const canCreateProjects = memberships.some((m) => roleAtLeast(m.role, 'admin'));
    return { user: publicUser(user), csrfToken: csrfToken ?? (token ? csrfTokenFor(token) : null), signUpOpen: false, canCreateProjects, projects };
  }

  ui.get('/session', async (c) => c.json(await summary(c)));

  ui.post('/auth/sign-up', async (c) => {
    const body = await readObject(c);
    const { email, password } = checkCredentials(body.email, body.password);
    const name = typeof body.name === 'string' && body.name.trim() ? body.name.trim().slice(0, 200) : null;
    const closed = () => new AppError(403, 'sign_up_closed', 'Sign-up is closed: this Sightline has users. Ask a project owner or admin to add you.');
    if (!firstSignUpAllowed(c, setupToken, body.setupToken)) {
      throw (await storage.accounts.countUsers()) > 0 ? closed() : new AppError(403, 'setup_required', SETUP_REQUIRED);
    }
    const user = await signUpFirstUser(storage, email, password, name);
    if (!user) throw closed();
    forgetSetupToken(c);
    const csrf = await startSession(c, user.id);
    c.set('user', user);
    return c.json(await summary(c, csrf), 201);
  });

  ui.post('/auth/sign-in', async (c) => {
    const body = await readObject(c);
    const email = typeof body.email === 'string' ? body.email.trim().toLowerCase() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const address = clientAddress(c);
    // Only this address's own failures on this account can refuse a right password.
    limiter.checkPair(address, email);
    const user = email ? await storage.accounts.findUserByEmail(email) : null;
    // Unknown emails cost one KDF run too, so timing does not tell which emails have accounts.
    const ok = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()));
    if (!user || !ok) throw limiter.fail(address, email) ?? new AppError(401, 'invalid_credentials', 'Email or password is wrong');
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
    // A stolen session must not become a fast oracle for the password.
    limiter.checkPair(clientAddress(c), user.email);
    if (typeof body.currentPassword !== 'string' || !(await verifyPassword(body.currentPassword, user.passwordHash))) {
      throw limiter.fail(clientAddress(c), user.email) ?? new AppError(403, 'invalid_credentials', 'currentPassword: is wrong');
    }
    const { password } = checkCredentials(user.email, body.newPassword);
    await storage.accounts.setPasswordHash(user.id, await hashPassword(password));
    // Every other browser is signed out; this one gets a fresh session.
    await storage.accounts.deleteSessionsOfUser(user.id, Date.now());
    const csrf = await startSession(c, user.id);
    return c.json(await summary(c, csrf));
  });
}
