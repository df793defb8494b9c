import type { Logger } from '../logger.js';
import type { LlmDeps } from './llm-deps.js';
import { createSecretBox, KEY_ENV, KEY_FILE, loadEncryptionKey, parseEncryptionKey, type SecretBox } from './secret-box.js';
import { createUrlGuard, parseAllowList } from './ssrf-guard.js';

/**
 * LLM connection settings from the environment: the encryption key (SIGHTLINE_ENCRYPTION_KEY, or
 * the data directory's key file, generated the first time a secret is stored or read) and the
 * SSRF allow-list (SIGHTLINE_LLM_ALLOWED_HOSTS). A malformed key or allow-list stops the start.
 * Returns lines to print at startup; never the key itself.
 */
export function llmFromEnv(env: NodeJS.ProcessEnv, dataDir: string, sharedByInstances: boolean, logger: Logger): { llm: LlmDeps; notices: string[] } {
  const fromEnv = env[KEY_ENV];
  if (fromEnv !== undefined && fromEnv !== '') parseEncryptionKey(fromEnv);
  const guard = createUrlGuard(parseAllowList(env.SIGHTLINE_LLM_ALLOWED_HOSTS));
  const notices: string[] = [];
  if (sharedByInstances && (fromEnv === undefined || fromEnv === '')) {
    const warning = `${KEY_ENV} is not set: LLM provider secrets would be encrypted with a key of this instance's own (${dataDir}/${KEY_FILE}). Every instance on one PostgreSQL database must be given the same key through ${KEY_ENV}.`;
    logger.warn(warning);
    notices.push(warning);
  }
  // Loaded (or generated) on first use, so an install that never stores a provider secret writes no key file.
  let box: SecretBox | null = null;
  const open = (): SecretBox => {
    if (box) return box;
    const loaded = loadEncryptionKey(env, dataDir);
    box = createSecretBox(loaded.key);
    if (loaded.source === 'generated') logger.info('generated the encryption key of stored LLM secrets; back it up with the database', { file: loaded.file, keyId: box.keyId });
    return box;
  };
  const lazy: SecretBox = {
    get keyId() {
      return open().keyId;
    },
    encrypt: (plain, projectId) => open().encrypt(plain, projectId),
    decrypt: (envelope, projectId) => open().decrypt(envelope, projectId),
  };
  return { llm: { box: lazy, guard }, notices };
}
