import type { LlmDeps } from '../../packages/server/src/llm/llm-deps.js';
import { createSecretBox } from '../../packages/server/src/llm/secret-box.js';
import { createUrlGuard, parseAllowList } from '../../packages/server/src/llm/ssrf-guard.js';

/** A fixed test key (never a real one) and another to prove a wrong key fails. */
export const KEY_A = Buffer.alloc(32, 7);
export const KEY_B = Buffer.alloc(32, 9);

/** LLM deps whose allow-list names only 127.0.0.1, where the fake providers listen. */
export const llmDeps = (key = KEY_A, allowed = '127.0.0.1'): LlmDeps => ({ box: createSecretBox(key), guard: createUrlGuard(parseAllowList(allowed)) });
