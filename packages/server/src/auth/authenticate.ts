import type { ApiKey, Storage } from '@sightline/storage';
import { AppError } from '@sightline/core';
import type { AuthContext } from '../http/app-env.js';
import type { Logger } from '../logger.js';
import { secretMatches } from './api-keys.js';
import { createFailureLimiter, type FailureLimiter } from './failure-limiter.js';

/** How long a looked-up key is trusted before it is read again; bounds how late a revocation takes effect. */
export const KEY_CACHE_MS = 5_000;

const unauthorized = (message: string) => new AppError(401, 'unauthorized', message);
const INVALID_CREDENTIALS = "Invalid credentials. Confirm that you've configured the correct host.";

export interface Authenticator {
  /**
   * Resolves an Authorization header to a project, or throws a 401 AppError (a 429 instead
   * once the client address or the public key has failed too often; see failure-limiter.ts).
   */
  authenticate(header: string | undefined, clientAddress?: string): Promise<AuthContext>;
}

/** The public key a header presents (Basic user name or Bearer token), cut short for use as a map key. */
function presentedKey(header: string | undefined): string | undefined {
  const [scheme, value] = (header ?? '').trim().split(/\s+/, 2);
  if (!value) return undefined;
  const key = /^basic$/i.test(scheme) ? Buffer.from(value, 'base64').toString('utf8').split(':', 1)[0] : value;
  return key ? key.slice(0, 128) : undefined;
}

export interface AuthenticatorOptions {
  limiter?: FailureLimiter;
  /** Receives one warning per failed authentication: the public key presented and the address, never a secret. */
  logger?: Logger;
}

export function createAuthenticator(storage: Storage, options: AuthenticatorOptions = {}): Authenticator {
  const limiter = options.limiter ?? createFailureLimiter();
  const cache = new Map<string, { key: ApiKey | null; at: number }>();
  async function lookup(publicKey: string): Promise<ApiKey | null> {
    const hit = cache.get(publicKey);
    const now = Date.now();
    if (hit && now - hit.at < KEY_CACHE_MS) return hit.key;
    const key = await storage.projects.findKey(publicKey);
    if (cache.size > 10_000) cache.clear();
    cache.set(publicKey, { key, at: now });
    return key;
  }
  async function check(header: string | undefined): Promise<AuthContext> {
    if (!header) throw unauthorized('No authorization header');
    const [scheme, value] = header.trim().split(/\s+/, 2);
    if (!value) throw unauthorized('Invalid authorization header');
    if (/^basic$/i.test(scheme)) {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const sep = decoded.indexOf(':');
      if (sep < 0) throw unauthorized('Invalid authorization header');
      const publicKey = decoded.slice(0, sep);
      const secretKey = decoded.slice(sep + 1);
      const key = await lookup(publicKey);
      if (!key || key.revokedAt !== null || !secretMatches(secretKey, key.secretHash)) throw unauthorized(INVALID_CREDENTIALS);
      return { projectId: key.projectId, publicKey, accessLevel: 'all' };
    }
    if (/^bearer$/i.test(scheme)) {
      const key = await lookup(value);
      if (!key || key.revokedAt !== null) throw unauthorized('Invalid public key. Confirm that you\'ve configured the correct host.');
      return { projectId: key.projectId, publicKey: value, accessLevel: 'scores' };
    }
    throw unauthorized('Invalid authorization header');
  }
  return {
    async authenticate(header, address) {
      try {
        // Checked whatever the address or key failed before: a correct key is never refused
        // for someone else's mistakes (secrets are 192-bit random, so checking costs no safety).
        return await check(header);
      } catch (err) {
        if (err instanceof AppError && err.status === 401) {
          const key = presentedKey(header);
          const refused = limiter.fail(address, key);
          // Once refusing, stop logging too: a flood of failures must not flood the log.
          if (refused) throw refused;
          options.logger?.warn('authentication failed', { reason: err.message, publicKey: key?.startsWith('pk-') ? key : undefined, address });
        }
        throw err;
      }
    },
  };
}

/** Throws the Langfuse 403 unless the request has full access. */
export function requireFullAccess(auth: AuthContext): void {
  if (auth.accessLevel !== 'all') throw new AppError(403, 'forbidden', 'Access denied - insufficient permissions for this endpoint');
}
