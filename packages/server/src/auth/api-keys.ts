import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { ApiKey } from '@sightline/storage';

/** SHA-256 hex of a secret key. Secrets are 192-bit random strings, so a fast hash is safe here. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Constant-time comparison of a presented secret with a stored hash. */
export function secretMatches(secret: string, secretHash: string): boolean {
  const a = Buffer.from(hashSecret(secret), 'hex');
  const b = Buffer.from(secretHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `sk-lf-…a1b2`: enough to recognise a secret in a listing, never enough to use it. */
export function displaySecret(secret: string): string {
  return `${secret.slice(0, 6)}…${secret.slice(-4)}`;
}

export interface NewKey {
  key: ApiKey;
  /** The secret in clear text: shown once, never stored. */
  secretKey: string;
}

/**
 * Makes an API key pair in Langfuse's format (`pk-lf-…`/`sk-lf-…`). Fixed keys may be given
 * for headless setups (SIGHTLINE_INIT_PUBLIC_KEY / SIGHTLINE_INIT_SECRET_KEY).
 */
export function createKeyPair(projectId: string, fixed?: { publicKey: string; secretKey: string }, note: string | null = null): NewKey {
  const publicKey = fixed?.publicKey ?? `pk-lf-${randomUUID()}`;
  const secretKey = fixed?.secretKey ?? `sk-lf-${randomBytes(24).toString('hex')}`;
  return {
    secretKey,
    key: {
      id: randomUUID(),
      projectId,
      publicKey,
      secretHash: hashSecret(secretKey),
      displaySecret: displaySecret(secretKey),
      note,
      createdAt: Date.now(),
      revokedAt: null,
    },
  };
}
