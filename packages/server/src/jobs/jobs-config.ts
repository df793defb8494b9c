import type { Storage } from '@sightline/storage';
import type { LlmDeps } from '../llm/llm-deps.js';
import type { Logger } from '../logger.js';
import { createJobRunner, type JobRunner } from './job-runner.js';
import { llmCallKind } from './llm-call-kind.js';

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name}: must be an integer >= ${min}, got ${raw}`);
  return n;
}

/**
 * The job runner `serve` starts, configured from the environment: SIGHTLINE_JOBS=off disables it
 * (an instance that only serves requests), SIGHTLINE_JOB_CONCURRENCY (default 20),
 * SIGHTLINE_LLM_CONCURRENCY per connection (default 10), SIGHTLINE_JOB_LEASE_MS (default 60000).
 */
export function jobRunnerFromEnv(env: NodeJS.ProcessEnv, storage: Storage, logger: Logger, llm: LlmDeps): JobRunner | null {
  if (env.SIGHTLINE_JOBS === 'off') return null;
  return createJobRunner({
    storage,
    logger,
    kinds: [llmCallKind(storage, llm)],
    concurrency: intFromEnv(env, 'SIGHTLINE_JOB_CONCURRENCY', 20, 1),
    perKeyConcurrency: intFromEnv(env, 'SIGHTLINE_LLM_CONCURRENCY', 10, 1),
    leaseMs: intFromEnv(env, 'SIGHTLINE_JOB_LEASE_MS', 60_000, 1_000),
  });
}
