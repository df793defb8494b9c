import { permanent } from '../jobs/job-error.js';
import type { Ingestor } from '../ingest/ingestor.js';
import { processBatch } from '../ingest/process-batch.js';
import { loadScoreRefs } from '../ingest/score-refs.js';
import type { ChatMessage, ChatParams, ChatResult } from '../llm/chat-adapter.js';
import type { Storage } from '@sightline/storage';
import { EVALUATION_ENVIRONMENT } from './rule-match.js';

/** Ids an evaluation job writes, derived from the job id: a re-run writes the same rows again. */
export const evaluationIds = (jobId: string) => ({ scoreId: `eval-${jobId}`, executionTraceId: `eval-exec-${jobId}`, generationId: `eval-gen-${jobId}` });

/** Sends events through the ingestion path every client uses (validation, score configs, pricing, group commit). */
export async function ingestEvents(storage: Storage, ingestor: Ingestor, projectId: string, batch: Record<string, unknown>[]): Promise<void> {
  const result = processBatch(batch, 'all', await loadScoreRefs(storage, projectId, batch));
  if (result.errors.length > 0) {
    throw permanent(`the evaluation's events were refused: ${result.errors.map((e) => e.error ?? e.message ?? `status ${e.status}`).join('; ')}`);
  }
  await ingestor.submit({ projectId, events: result.events, raw: result.raw });
}

export interface JudgeCall {
  jobId: string;
  name: string;
  messages: ChatMessage[];
  params: ChatParams;
  provider: string;
  startedAt: number;
  endedAt: number;
  /** The answer, or the error the call or its parsing ended with. */
  result: ChatResult | null;
  error: string | null;
  metadata: Record<string, unknown>;
}

/**
 * The judge call as a trace of the project, in the `sightline-evaluation` environment (which no
 * rule evaluates): one generation with the model, its parameters, usage (priced by the model
 * table at ingestion) and, when the answer was unusable, the reason at level ERROR.
 */
export function judgeTraceEvents(call: JudgeCall): Record<string, unknown>[] {
  const ids = evaluationIds(call.jobId);
  const ts = new Date(call.endedAt).toISOString();
  const output = call.result?.text ?? null;
  const { model, temperature, maxTokens, topP } = call.params;
  const modelParameters = Object.fromEntries(Object.entries({ temperature, max_tokens: maxTokens, top_p: topP }).filter(([, v]) => v !== undefined));
  return [
    {
      id: `${ids.executionTraceId}-trace`, type: 'trace-create', timestamp: ts,
      body: { id: ids.executionTraceId, name: call.name, timestamp: new Date(call.startedAt).toISOString(), environment: EVALUATION_ENVIRONMENT, input: call.messages, output, metadata: call.metadata },
    },
    {
      id: `${ids.generationId}-create`, type: 'generation-create', timestamp: ts,
      body: {
        id: ids.generationId, traceId: ids.executionTraceId, name: 'judge', environment: EVALUATION_ENVIRONMENT,
        startTime: new Date(call.startedAt).toISOString(), endTime: ts, model: call.result?.model ?? model, modelParameters,
        input: call.messages, output, metadata: { provider: call.provider },
        usage: call.result?.usage ? { input: call.result.usage.input, output: call.result.usage.output, total: call.result.usage.total, unit: 'TOKENS' } : undefined,
        level: call.error ? 'ERROR' : 'DEFAULT', statusMessage: call.error ?? undefined,
      },
    },
  ];
}

/** The id of a job's score: `eval-<job id>`, or with the label's position for a multi-label verdict. */
export const scoreIdOf = (jobId: string, part: number | null) => (part === null ? `eval-${jobId}` : `eval-${jobId}-${part}`);

export interface EvalScore {
  jobId: string;
  /** Position of the label in a multi-label verdict; null for a single score. */
  part: number | null;
  traceId: string;
  observationId: string | null;
  environment: string;
  name: string;
  dataType: 'NUMERIC' | 'BOOLEAN' | 'CATEGORICAL';
  value: number | string;
  reasoning: string;
  configId: string | null;
  metadata: Record<string, unknown>;
}

/** The score an evaluation writes: source EVAL, the reasoning as its comment, the judge's trace linked. */
export function scoreEvent(s: EvalScore, at: number): Record<string, unknown> {
  const ids = evaluationIds(s.jobId);
  const scoreId = scoreIdOf(s.jobId, s.part);
  return {
    id: `${scoreId}-create`, type: 'score-create', timestamp: new Date(at).toISOString(),
    body: {
      id: scoreId, traceId: s.traceId, observationId: s.observationId ?? undefined, environment: s.environment, name: s.name,
      value: s.value, dataType: s.dataType, comment: s.reasoning, source: 'EVAL', configId: s.configId ?? undefined,
      executionTraceId: ids.executionTraceId, metadata: s.metadata,
    },
  };
}
