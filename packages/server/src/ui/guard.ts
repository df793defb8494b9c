import { AppError } from '@sightline/core';
import { PROJECT_ROLES, type Membership, type ProjectRole, type Storage, type UserRecord } from '@sightline/storage';
import type { Context, MiddlewareHandler } from 'hono';
import { loadById } from '../query/load-by-id.js';
import { CSRF_HEADER, csrfTokenFor, hashSessionToken, readSessionCookie, safeEqual } from './session-cookie.js';
import type { UiEnv } from './ui-env.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Loads the signed-in user from the session cookie (or null); never fails the request. */
export function loadSession(storage: Storage): MiddlewareHandler<UiEnv> {
  return async (c, next) => {
    const token = readSessionCookie(c);
    let user: UserRecord | null = null;
    if (token) {
      const session = await storage.accounts.getSession(hashSessionToken(token), Date.now());
      if (session) user = await storage.accounts.getUser(session.userId);
    }
    c.set('user', user);
    c.set('sessionToken', user ? token : null);
    await next();
  };
}

/**
 * CSRF protection for state-changing requests: a cross-origin `Origin` is refused, and the
 * custom header must be present (a cross-site form cannot set it, and a cross-site script
 * cannot send it without a preflight that the UI API never grants with credentials). With a
 * session, the header must equal that session's token.
 */
export const csrfProtection: MiddlewareHandler<UiEnv> = async (c, next) => {
  if (SAFE_METHODS.has(c.req.method)) return next();
  const origin = c.req.header('origin');
  if (origin && origin !== 'null') {
    let host = '';
    try {
      host = new URL(origin).host.toLowerCase();
    } catch {
      // malformed: refused below
    }
    // The host the browser addressed: X-Forwarded-Host counts only from a trusted proxy.
    if (host !== c.get('client').host) throw new AppError(403, 'csrf', `Origin ${origin} may not change data here; use the Sightline UI itself`);
  } else if (origin === 'null') {
    throw new AppError(403, 'csrf', 'Requests from an opaque origin may not change data');
  }
  const presented = c.req.header(CSRF_HEADER);
  if (!presented) throw new AppError(403, 'csrf', `${CSRF_HEADER}: header required on state-changing requests`);
  const token = c.get('sessionToken');
  if (token && !safeEqual(presented, csrfTokenFor(token))) throw new AppError(403, 'csrf', `${CSRF_HEADER}: does not match this session; reload the page`);
  return next();
};

export function requireUser(c: Context<UiEnv>): UserRecord {
  const user = c.get('user');
  if (!user) throw new AppError(401, 'unauthenticated', 'Sign in first');
  return user;
}

const RANK: Record<ProjectRole, number> = { owner: 4, admin: 3, member: 2, viewer: 1 };
export const roleAtLeast = (role: ProjectRole, min: ProjectRole): boolean => RANK[role] >= RANK[min];
export const isRole = (v: unknown): v is ProjectRole => typeof v === 'string' && (PROJECT_ROLES as readonly string[]).includes(v);

/**
 * Loads the user's membership of `:projectId`. A project the user is not a member of is a 404
 * (its existence is not revealed); a role too low for the route is a 403.
 */
export function projectAccess(storage: Storage): MiddlewareHandler<UiEnv> {
  return async (c, next) => {
    const user = requireUser(c);
    const projectId = c.req.param('projectId') ?? '';
    const member = await loadById(projectId, (id) => storage.accounts.getMembership(id, user.id), null);
    if (!member) throw new AppError(404, 'not_found', `Project ${projectId} not found`);
    c.set('member', member);
    await next();
  };
}

/** Throws a 403 unless the request's membership has at least `min`. */
export function requireRole(c: Context<UiEnv>, min: ProjectRole): Membership {
  const member = c.get('member');
  if (!roleAtLeast(member.role, min)) {
    throw new AppError(403, 'forbidden', `This needs the ${min} role or higher in the project; you are ${member.role}`);
  }
  return member;
}
