import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '@sightline/core';

/**
 * Encrypts secrets at rest (LLM provider keys, extra header values) with AES-256-GCM. An
 * envelope is `v1.<key id>.<iv>.<tag>.<ciphertext>` (base64url): the key id (a hash prefix of the
 * key, never the key) lets a wrong key be named instead of failing as "bad tag", and the project
 * id is the additional authenticated data, so a ciphertext copied to another project's row does
 * not decrypt.
 */
export interface SecretBox {
  /** Hash prefix of the key, safe to print. */
  readonly keyId: string;
  encrypt(plain: string, projectId: string): string;
  decrypt(envelope: string, projectId: string): string;
}

export const KEY_FILE = 'encryption.key';
export const KEY_ENV = 'SIGHTLINE_ENCRYPTION_KEY';

const keyIdOf = (key: Buffer) => createHash('sha256').update(key).digest('hex').slice(0, 12);

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error(`${KEY_ENV}: must be 32 bytes (AES-256), got ${key.length}`);
  const keyId = keyIdOf(key);
  return {
    keyId,
    encrypt(plain, projectId) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(projectId));
      const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return ['v1', keyId, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
    },
    decrypt(envelope, projectId) {
      const [version, id, iv, tag, ct] = envelope.split('.');
      if (version !== 'v1' || ct === undefined) throw new AppError(500, 'secret_unreadable', 'a stored secret is not in the v1 envelope format');
      if (id !== keyId) {
        throw new AppError(500, 'encryption_key_mismatch',
          `a stored secret was encrypted with key ${id}, but the current ${KEY_ENV} is key ${keyId}: restore the key it was saved with, or save the connection again`);
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAAD(Buffer.from(projectId));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        throw new AppError(500, 'secret_unreadable', 'a stored secret failed authentication (tampered with, or moved from another project)');
      }
    },
  };
}

/** A 32-byte key written as 64 hex digits or as base64 (standard or url-safe). */
export function parseEncryptionKey(text: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : /^[A-Za-z0-9+/_-]{43}=?$/.test(t) ? Buffer.from(t, 'base64') : null;
  if (!key || key.length !== 32) throw new Error(`${KEY_ENV}: must be 32 bytes written as 64 hex digits or base64 (generate one with \`openssl rand -hex 32\`)`);
  return key;
}

export interface LoadedKey {
  key: Buffer;
  /** Where it came from: the environment, the data directory's key file, or a file written just now. */
  source: 'env' | 'file' | 'generated';
  file?: string;
}

/**
 * The encryption key: `SIGHTLINE_ENCRYPTION_KEY` when set; else `<dataDir>/encryption.key`,
 * generated (mode 0600) on first start. Instances sharing one PostgreSQL database must all be
 * given the same key through the environment; a per-instance file cannot be shared.
 */
export function loadEncryptionKey(env: NodeJS.ProcessEnv, dataDir: string): LoadedKey {
  const fromEnv = env[KEY_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return { key: parseEncryptionKey(fromEnv), source: 'env' };
  const file = join(dataDir, KEY_FILE);
  if (existsSync(file)) {
    try {
      return { key: parseEncryptionKey(readFileSync(file, 'utf8')), source: 'file', file };
    } catch (err) {
      throw new Error(`${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  // 'wx': never overwrite a key another process wrote a moment ago; reread it instead.
  try {
    writeFileSync(file, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return loadEncryptionKey(env, dataDir);
    throw err;
  }
  chmodSync(file, 0o600);
  return { key, source: 'generated', file };
}

/** `...abcd`: the last four characters, as Langfuse shows a provider key. */
export const maskSecret = (secret: string): string => (secret.length >= 8 ? `...${secret.slice(-4)}` : '...');
