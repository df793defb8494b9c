import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSecretBox, loadEncryptionKey, maskSecret, parseEncryptionKey } from './secret-box.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'sl-key-'));
  dirs.push(d);
  return d;
};

describe('secret box', () => {
  it('round-trips, never repeats a ciphertext, and binds it to the project', () => {
    const box = createSecretBox(Buffer.alloc(32, 1));
    const a = box.encrypt('sk-secret', 'p1');
    expect(a).not.toBe(box.encrypt('sk-secret', 'p1'));
    expect(a).not.toContain('sk-secret');
    expect(box.decrypt(a, 'p1')).toBe('sk-secret');
    expect(() => box.decrypt(a, 'p2')).toThrow(/failed authentication/);
    const tampered = a.slice(0, -2) + (a.endsWith('A') ? 'BB' : 'AA');
    expect(() => box.decrypt(tampered, 'p1')).toThrow(/failed authentication/);
  });

  it('names both keys when the key changed', () => {
    const old = createSecretBox(Buffer.alloc(32, 1));
    const now = createSecretBox(Buffer.alloc(32, 2));
    expect(() => now.decrypt(old.encrypt('x', 'p'), 'p')).toThrow(`encrypted with key ${old.keyId}, but the current SIGHTLINE_ENCRYPTION_KEY is key ${now.keyId}`);
  });

  it('reads a key as hex or base64, and refuses anything else', () => {
    const key = Buffer.alloc(32, 3);
    expect(parseEncryptionKey(key.toString('hex'))).toEqual(key);
    expect(parseEncryptionKey(key.toString('base64'))).toEqual(key);
    expect(parseEncryptionKey(key.toString('base64url'))).toEqual(key);
    expect(() => parseEncryptionKey('too-short')).toThrow(/SIGHTLINE_ENCRYPTION_KEY: must be 32 bytes/);
  });

  it('generates a 0600 key file on first start and reuses it; the environment wins', () => {
    const dir = tempDir();
    const first = loadEncryptionKey({}, dir);
    expect(first.source).toBe('generated');
    expect(statSync(first.file!).mode & 0o777).toBe(0o600);
    const again = loadEncryptionKey({}, dir);
    expect(again).toMatchObject({ source: 'file' });
    expect(again.key).toEqual(first.key);
    expect(readFileSync(first.file!, 'utf8').trim()).toBe(first.key.toString('hex'));
    const env = loadEncryptionKey({ SIGHTLINE_ENCRYPTION_KEY: Buffer.alloc(32, 4).toString('hex') }, dir);
    expect(env).toMatchObject({ source: 'env' });
    expect(env.key).toEqual(Buffer.alloc(32, 4));
  });

  it('masks a key to its last four characters', () => {
    expect(maskSecret('sk-proj-abcdefgh1234')).toBe('...1234');
    expect(maskSecret('short')).toBe('...');
  });
});
