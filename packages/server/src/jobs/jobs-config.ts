import type { Storage } from '@sightline/storage';
import { evaluationKind, type EvaluatorSource } from '../evaluation-jobs/evaluation-kind.js';
import { createEvaluationScanner } from '../evaluation-jobs/evaluation-scanner.js';
import type { Ingestor } from '../ingest/ingestor.js';
import type { LlmDeps } from '../llm/llm-deps.js';
import type { Logger } from '../logger.js';
import { createJobRunner, type JobRunner } from './job-runner.js';
import type { JobKind } from './job-kind.js';
import { llmCallKind } from './llm-call-kind.js';

/** What evaluation jobs need beyond the runner: the ingestion path their scores and judge traces take, and the rules. */
export interface EvaluationWiring {
  ingestor: Ingestor;
  evaluators: EvaluatorSource;
}

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name}: must be an integer >= ${min}, got ${raw}`);
  return n;
}

/**
 * The job runner `serve` starts, configured from the environment: SIGHTLINE_JOBS=off (or 0)
 * disables it (an instance that only serves requests), SIGHTLINE_JOB_CONCURRENCY (default 20),
 * SIGHTLINE_LLM_CONCURRENCY per connection (default 10), SIGHTLINE_JOB_LEASE_MS (default 60000).
 * With `evaluation`, it also runs evaluation jobs and the scanner that queues new targets of
 * active rules (SIGHTLINE_EVAL_SCAN_MS between scans, default 2000; SIGHTLINE_EVAL_SETTLE_MS, default 2000).
 */
export function jobRunnerFromEnv(env: NodeJS.ProcessEnv, storage: Storage, logger: Logger, llm: LlmDeps, evaluation?: EvaluationWiring): JobRunner | null {
  if (env.SIGHTLINE_JOBS === 'off' || env.SIGHTLINE_JOBS === '0') return null;
  const kinds: JobKind[] = [llmCallKind(storage, llm)];
  if (evaluation) kinds.push(evaluationKind({ storage, llm, ...evaluation }));
  const runner = createJobRunner({
    storage,
    logger,
    kinds,
    concurrency: intFromEnv(env, 'SIGHTLINE_JOB_CONCURRENCY', 20, 1),
    perKeyConcurrency: intFromEnv(env, 'SIGHTLINE_LLM_CONCURRENCY', 10, 1),
    leaseMs: intFromEnv(env, 'SIGHTLINE_JOB_LEASE_MS', 60_000, 1_000),
  });
  if (!evaluation) return runner;
  const scanner = createEvaluationScanner({
    storage, logger, evaluators: evaluation.evaluators, owner: runner.owner, onQueued: () => runner.wake(),
    intervalMs: intFromEnv(env, 'SIGHTLINE_EVAL_SCAN_MS', 2_000, 50),
    settleMs: intFromEnv(env, 'SIGHTLINE_EVAL_SETTLE_MS', 2_000, 0),
  });
  return {
    owner: runner.owner,
    start() {
      runner.start();
      scanner.start();
    },
    wake: () => runner.wake(),
    async drain() {
      await scanner.stop();
      await runner.drain();
    },
  };
}
