import type { EvaluatorStore, Storage } from '@sightline/storage';
import { z } from 'zod';
import type { Ingestor } from '../ingest/ingestor.js';
import { JobError, permanent } from '../jobs/job-error.js';
import type { JobKind } from '../jobs/job-kind.js';
import type { ChatResult } from '../llm/chat-adapter.js';
import { JudgeOutputError } from '../llm/judge-output.js';
import { adapterFor, type LlmDeps } from '../llm/llm-deps.js';
import { judgeRequest, readVerdict, type JudgedScore } from './judge-request.js';
import { resolveTarget } from './resolve-target.js';
import { sampled, targetMatches } from './rule-match.js';
import { fillPrompt, renderVariables } from './variables.js';
import { evaluationIds, ingestEvents, judgeTraceEvents, scoreEvent, scoreIdOf } from './write-evaluation.js';

export const EVALUATION = 'evaluation';

/** The reads of evaluator definitions the execution needs (the evaluator store, or a stand-in in tests). */
export type EvaluatorSource = Pick<EvaluatorStore, 'getRule' | 'getEvaluator' | 'activeRules'>;

export interface EvaluationDeps {
  storage: Storage;
  llm: LlmDeps;
  ingestor: Ingestor;
  evaluators: EvaluatorSource;
}

const payloadSchema = z.object({
  ruleId: z.string().min(1),
  target: z.enum(['trace', 'observation', 'experiment']),
  /** The trace, observation or dataset run item id. */
  targetId: z.string().min(1),
  /** The connection's provider name when the job was queued: the concurrency key. */
  provider: z.string().nullish(),
  /** The evaluator version when the job was queued: a job keeps it when the evaluator gets a new version. */
  evaluatorId: z.string().nullish(),
  /** Queued by a bulk run: runs even when the rule is not active for new targets. */
  bulk: z.boolean().optional(),
});
export type EvaluationPayload = z.infer<typeof payloadSchema>;

/** The idempotency key of a rule and target: one job, and so one score, per pair. */
export const evaluationKey = (ruleId: string, targetId: string) => `eval:${ruleId}:${targetId}`;

/**
 * One LLM-as-a-judge evaluation: re-checks the rule (still active, target still matching its
 * filter, in the sample), fills the evaluator's prompt from the target, calls the judge through the
 * project's connection, records the call as a trace, and writes the score through ingestion. A
 * skipped target succeeds with the reason as its result; an unusable answer fails the job with the
 * reason (not retried: the same prompt would likely get the same answer); provider rate limits and
 * outages are retried by the runner.
 */
export function evaluationKind(deps: EvaluationDeps): JobKind {
  const { storage } = deps;
  return {
    name: EVALUATION,
    concurrencyKey: (job) => {
      const provider = (job.payload as { provider?: unknown } | null)?.provider;
      return `${job.projectId}:${typeof provider === 'string' ? provider : ''}`;
    },
    async run(payload, { job, signal }) {
      const parsed = payloadSchema.safeParse(payload);
      if (!parsed.success) throw permanent(`evaluation payload: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
      const p = parsed.data;
      const projectId = job.projectId;
      const rule = await deps.evaluators.getRule(projectId, p.ruleId);
      if (!rule) return { skipped: 'the rule was deleted' };
      if (!p.bulk && (!rule.enabled || rule.status !== 'active')) return { skipped: `the rule is ${rule.enabled ? rule.status : 'disabled'}` };
      if (!sampled(rule.id, p.targetId, rule.sampling)) return { skipped: 'not in the sample' };
      const target = await resolveTarget(storage, projectId, p.target, p.targetId);
      if (!target) return { skipped: `the ${p.target === 'experiment' ? 'run item' : p.target} no longer exists` };
      if (!targetMatches(rule, { trace: target.data.trace, observation: target.data.observation, datasetId: target.datasetId })) return { skipped: 'no longer matches the rule filter' };

      const evaluatorId = p.evaluatorId ?? rule.evaluatorId;
      const evaluator = await deps.evaluators.getEvaluator(projectId, evaluatorId);
      if (!evaluator) throw permanent(`evaluator ${evaluatorId} of rule ${rule.name} not found`);
      const connection = evaluator.provider
        ? await storage.llmConnections.getByProvider(projectId, evaluator.provider)
        : ((await storage.llmConnections.list(projectId, { page: 1, limit: 1 })).rows[0] ?? null);
      if (!connection) throw permanent(evaluator.provider ? `LLM connection ${evaluator.provider} not found in the project` : 'the project has no LLM connection for the evaluator');
      const model = evaluator.model ?? connection.customModels[0];
      if (!model) throw permanent(`evaluator ${evaluator.name} names no model and connection ${connection.provider} has no custom model`);
      const config = evaluator.scoreConfigId ? await storage.scoreConfigs.get(projectId, evaluator.scoreConfigId) : null;
      if (evaluator.scoreConfigId && !config) throw permanent(`score config ${evaluator.scoreConfigId} of evaluator ${evaluator.name} not found`);

      const mapping = rule.mapping.length > 0 ? rule.mapping : (evaluator.defaultMapping ?? []);
      const values = await renderVariables(mapping, rule.target, target.data);
      const request = judgeRequest(evaluator, fillPrompt(evaluator.prompt, values), config, model);
      const ids = evaluationIds(job.id);
      const metadata = { ruleId: rule.id, evaluatorId: evaluator.id, evaluatorName: evaluator.name, evaluatorVersion: evaluator.version, jobId: job.id };
      const startedAt = Date.now();
      // A provider error (rate limit, outage) goes back to the runner to retry; nothing is written for that attempt.
      const result: ChatResult = await adapterFor(deps.llm, connection).chat(request.messages, request.params, signal);
      let failure: Error | null = null;
      let verdicts: JudgedScore[] = [];
      try {
        verdicts = readVerdict(result.text, evaluator.output, config);
      } catch (err) {
        if (!(err instanceof JudgeOutputError)) throw err;
        failure = err;
      }
      const call = {
        jobId: job.id, name: `evaluation: ${evaluator.name}`, messages: request.messages, params: request.params, provider: connection.provider,
        startedAt, endedAt: Date.now(), result, error: failure ? failure.message : null,
        metadata: { ...metadata, targetTraceId: target.traceId, targetObservationId: target.observationId },
      };
      const events = judgeTraceEvents(call);
      verdicts.forEach((verdict, i) => {
        events.push(scoreEvent({
          jobId: job.id, part: verdicts.length > 1 ? i : null, traceId: target.traceId, observationId: target.observationId, environment: target.environment, name: evaluator.scoreName,
          dataType: verdict.dataType, value: verdict.value, reasoning: verdict.reasoning, configId: evaluator.scoreConfigId, metadata: { ...metadata, executionTraceId: ids.executionTraceId },
        }, call.endedAt));
      });
      await ingestEvents(storage, deps.ingestor, projectId, events);
      if (failure) throw new JobError(`malformed judge output: ${failure.message} (judge trace ${ids.executionTraceId})`, false);
      return { scoreIds: verdicts.map((_, i) => scoreIdOf(job.id, verdicts.length > 1 ? i : null)), values: verdicts.map((v) => v.value), executionTraceId: ids.executionTraceId, model: result.model, usage: result.usage };
    },
  };
}
