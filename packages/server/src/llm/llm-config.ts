import type { Logger } from '../logger.js';
import type { LlmDeps } from './llm-deps.js';
import { createSecretBox, KEY_ENV, loadEncryptionKey } from './secret-box.js';
import { createUrlGuard, parseAllowList } from './ssrf-guard.js';

/**
 * LLM connection settings from the environment: the encryption key (SIGHTLINE_ENCRYPTION_KEY, or
 * the data directory's key file, generated on first start) and the SSRF allow-list
 * (SIGHTLINE_LLM_ALLOWED_HOSTS). Returns lines to print at startup; never the key itself.
 */
export function llmFromEnv(env: NodeJS.ProcessEnv, dataDir: string, sharedByInstances: boolean, logger: Logger): { llm: LlmDeps; notices: string[] } {
  const loaded = loadEncryptionKey(env, dataDir);
  const box = createSecretBox(loaded.key);
  const notices: string[] = [];
  if (loaded.source === 'generated') notices.push(`Generated the encryption key of stored LLM secrets in ${loaded.file} (mode 0600); back it up with the database.`);
  if (sharedByInstances && loaded.source !== 'env') {
    const warning = `${KEY_ENV} is not set: this instance encrypts LLM secrets with ${loaded.file}. Every instance on one PostgreSQL database must be given the same key through ${KEY_ENV}.`;
    logger.warn(warning, { keyId: box.keyId });
    notices.push(warning);
  }
  return { llm: { box, guard: createUrlGuard(parseAllowList(env.SIGHTLINE_LLM_ALLOWED_HOSTS)) }, notices };
}
