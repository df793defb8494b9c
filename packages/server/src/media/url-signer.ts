import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** What a signed media URL lets its holder do, for one project's media id, until `expires` (epoch s). */
export interface MediaGrant {
  op: 'put' | 'get';
  projectId: string;
  mediaId: string;
  expires: number;
}

export type GrantCheck = { ok: true } | { ok: false; reason: 'expired' | 'invalid' };

export interface UrlSigner {
  sign(grant: MediaGrant): string;
  verify(grant: MediaGrant, signature: string): GrantCheck;
}

/**
 * HMAC-SHA256 over everything a URL grants (operation, project, media id, expiry): changing any
 * of them — another project's media, a download turned into an upload, a later expiry —
 * invalidates the signature.
 */
export function createUrlSigner(key: Uint8Array, now: () => number = Date.now): UrlSigner {
  const mac = (g: MediaGrant) => createHmac('sha256', key).update(`sightline-media-v1\n${g.op}\n${g.projectId}\n${g.mediaId}\n${g.expires}`).digest();
  return {
    sign: (grant) => mac(grant).toString('base64url'),
    verify(grant, signature) {
      const given = Buffer.from(signature, 'base64url');
      const wanted = mac(grant);
      if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return { ok: false, reason: 'invalid' };
      if (!Number.isSafeInteger(grant.expires) || grant.expires * 1000 <= now()) return { ok: false, reason: 'expired' };
      return { ok: true };
    },
  };
}

/**
 * The signing key: `SIGHTLINE_MEDIA_SIGNING_KEY` (at least 32 characters; the same on every
 * instance behind one balancer), else `<dataDir>/media-signing.key`, created with a random key
 * on first start (mode 0600). Replacing the key invalidates the URLs handed out before.
 */
export function loadSigningKey(env: NodeJS.ProcessEnv, dataDir: string): Uint8Array {
  const fixed = env.SIGHTLINE_MEDIA_SIGNING_KEY;
  if (fixed) {
    if (fixed.length < 32) throw new Error('SIGHTLINE_MEDIA_SIGNING_KEY: must be at least 32 characters');
    return Buffer.from(fixed, 'utf8');
  }
  const file = join(dataDir, 'media-signing.key');
  if (!existsSync(file)) {
    // Written whole under a temporary name, then linked into place: instances starting together
    // on one data directory agree on one key and none reads a half-written file.
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    writeFileSync(tmp, randomBytes(32).toString('base64') + '\n', { flag: 'wx', mode: 0o600 });
    try {
      linkSync(tmp, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      unlinkSync(tmp);
    }
  }
  const key = readFileSync(file, 'utf8').trim();
  if (key.length < 32) throw new Error(`${file}: the media signing key is shorter than 32 characters; delete the file to get a new one`);
  return Buffer.from(key, 'utf8');
}
