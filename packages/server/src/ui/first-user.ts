import { createHash } from 'node:crypto';
import { AppError } from '@sightline/core';
import type { Storage } from '@sightline/storage';
import type { Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { isHttps, safeEqual } from './session-cookie.js';
import type { UiEnv } from './ui-env.js';

/** Holds the setup token in the browser that opened the setup link, until the first account exists. */
const SETUP_COOKIE = 'sightline_setup';
const digest = (s: string) => createHash('sha256').update(s).digest('hex');

/** The link `sightline serve` prints while there is no account: it lets that browser create the first one. */
export const setupLink = (baseUrl: string, token: string): string => `${baseUrl}/api/ui/auth/setup?token=${encodeURIComponent(token)}`;

/**
 * Who may create the first account (the owner of every project): a browser on the server's own
 * machine talking to it directly (loopback peer, a loopback host name — so a DNS-rebound page
 * does not qualify — and no proxy in between), or one that presents the setup token printed at
 * start, through the setup link's cookie or as `setupToken` in the sign-up body. Anyone else
 * could otherwise claim a fresh instance before its operator does.
 */
export function firstSignUpAllowed(c: Context<UiEnv>, setupToken: string | undefined, presented: unknown): boolean {
  if (c.get('client').local) return true;
  const given = typeof presented === 'string' && presented ? presented : getCookie(c, SETUP_COOKIE);
  return setupToken !== undefined && given !== undefined && safeEqual(digest(given), digest(setupToken));
}

export const SETUP_REQUIRED =
  'Creating the first account needs the setup link that `sightline serve` printed when it started, or a browser on the server machine itself (http://127.0.0.1:<port>)';

export function forgetSetupToken(c: Context<UiEnv>): void {
  deleteCookie(c, SETUP_COOKIE, { path: '/api/ui', secure: isHttps(c) });
}

/** `GET /api/ui/auth/setup?token=…`: the printed setup link; remembers the token in this browser and opens the UI. */
export function registerSetupLink(ui: Hono<UiEnv>, storage: Storage, setupToken: string | undefined): void {
  ui.get('/auth/setup', async (c) => {
    const token = c.req.query('token') ?? '';
    if (!setupToken || !safeEqual(digest(token), digest(setupToken))) {
      throw new AppError(403, 'setup_token_invalid', 'token: is not the setup token this server printed at start');
    }
    if ((await storage.accounts.countUsers()) === 0) {
      setCookie(c, SETUP_COOKIE, token, { httpOnly: true, sameSite: 'Strict', secure: isHttps(c), path: '/api/ui', maxAge: 3600 });
    }
    return c.redirect('/', 303);
  });
}
