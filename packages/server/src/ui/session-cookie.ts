import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { WithClient } from '../http/client-address.js';
import type { UiEnv } from './ui-env.js';

export const SESSION_COOKIE = 'sightline_session';
/** Header carrying the CSRF token on every state-changing /api/ui request. */
export const CSRF_HEADER = 'x-sightline-csrf';
export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000;

export const newSessionToken = (): string => randomBytes(32).toString('base64url');
export const hashSessionToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/**
 * The session's CSRF token: derived from the session token, which only the browser's
 * httpOnly cookie holds, so another site can neither read nor compute it.
 */
export const csrfTokenFor = (token: string): string => createHash('sha256').update(`csrf\0${token}`).digest('base64url');

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** True when the browser reached us over https, directly or through a trusted proxy that says so. */
export const isHttps = (c: WithClient): boolean => c.get('client').https;

export const readSessionCookie = (c: Context): string | null => getCookie(c, SESSION_COOKIE) ?? null;

export function setSessionCookie(c: Context<UiEnv>, token: string): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: isHttps(c),
    path: '/',
    maxAge: Math.floor(SESSION_TTL_MS / 1000),
  });
}

export function clearSessionCookie(c: Context<UiEnv>): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'Lax', secure: isHttps(c) });
}
