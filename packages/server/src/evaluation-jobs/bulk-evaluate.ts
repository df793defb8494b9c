import { builtinModels, matchModel, notFound } from '@sightline/core';
import type { EvaluationRuleRecord, EvaluatorRecord, ObservationCursor, Storage, TraceExportCursor } from '@sightline/storage';
import { enqueueJob } from '../jobs/enqueue.js';
import { EVALUATION, evaluationKey, type EvaluationPayload, type EvaluatorSource } from './evaluation-kind.js';
import { outputInstructions } from './judge-request.js';
import { resolveTarget } from './resolve-target.js';
import { sampled, targetMatches } from './rule-match.js';
import { fillPrompt, renderVariables } from './variables.js';

/** Most targets one bulk run may queue (a wider range is split by the user). */
export const MAX_BULK_TARGETS = 50_000;
/** Targets whose prompts are rendered to estimate the tokens per evaluation. */
const ESTIMATE_SAMPLE = 20;
/** Output tokens assumed per evaluation when the evaluator sets no max_tokens (a score and a few sentences). */
const DEFAULT_OUTPUT_TOKENS = 200;
const PAGE = 500;

export interface BulkRange {
  from: number;
  to: number;
}

export interface BulkEstimate {
  /** Targets in the range that match the rule and fall in its sample. */
  targets: number;
  /** True when counting stopped at MAX_BULK_TARGETS. */
  capped: boolean;
  model: string | null;
  inputTokensPerEvaluation: number;
  outputTokensPerEvaluation: number;
  totalTokens: number;
  /** USD from the model price table; null when the model has no price. */
  costUsd: number | null;
}

/** The rule and its evaluator, or a 404 naming what is missing. */
export async function ruleWithEvaluator(evaluators: EvaluatorSource, projectId: string, ruleId: string): Promise<{ rule: EvaluationRuleRecord; evaluator: EvaluatorRecord }> {
  const rule = await evaluators.getRule(projectId, ruleId);
  if (!rule) throw notFound(`evaluation rule ${ruleId} not found within authorized project`);
  const evaluator = await evaluators.getEvaluator(projectId, rule.evaluatorId);
  if (!evaluator) throw notFound(`evaluator ${rule.evaluatorId} of rule ${rule.name} not found`);
  return { rule, evaluator };
}

/**
 * The existing targets of a rule in a time range (trace timestamp, observation start, run item
 * creation) that match its filter and its sample, in pages of ids.
 */
export async function* matchingTargets(storage: Storage, rule: EvaluationRuleRecord, range: BulkRange): AsyncGenerator<string[]> {
  const p = rule.projectId;
  const tracesOf = async (ids: string[]) => new Map((await storage.traces.getMany(p, [...new Set(ids)])).map((t) => [t.id, t]));
  if (rule.target === 'trace') {
    let after: TraceExportCursor | null = null;
    for (;;) {
      const page = await storage.traces.exportPage(p, { fromTimestamp: range.from, toTimestamp: range.to }, after, PAGE);
      const ids = page.filter((t) => sampled(rule.id, t.id, rule.sampling) && targetMatches(rule, { trace: t, observation: null })).map((t) => t.id);
      if (ids.length > 0) yield ids;
      if (page.length < PAGE) return;
      after = { timestamp: page[page.length - 1].timestamp, id: page[page.length - 1].id };
    }
  } else if (rule.target === 'observation') {
    let cursor: ObservationCursor | undefined;
    for (;;) {
      const page = await storage.observations.listAfter(p, { fromStartTime: range.from, toStartTime: range.to, limit: PAGE, cursor });
      const candidates = page.filter((o) => o.traceId !== null && sampled(rule.id, o.id, rule.sampling));
      const traces = await tracesOf(candidates.map((o) => o.traceId!));
      const ids = candidates.filter((o) => targetMatches(rule, { trace: traces.get(o.traceId!) ?? null, observation: o })).map((o) => o.id);
      if (ids.length > 0) yield ids;
      if (page.length < PAGE) return;
      const last = page[page.length - 1];
      cursor = { lastStartTime: last.startTime, lastTraceId: last.traceId ?? '', lastId: last.id };
    }
  } else {
    let at = { at: range.from, id: '' }; // ids are never empty: items created at `from` are included
    for (;;) {
      const items = await storage.evaluationRuns.runItemsAfter(p, at, range.to, PAGE);
      const candidates = items.filter((i) => sampled(rule.id, i.id, rule.sampling));
      const traces = await tracesOf(candidates.map((i) => i.traceId));
      const ids = candidates.filter((i) => targetMatches(rule, { trace: traces.get(i.traceId) ?? null, observation: null, datasetId: i.datasetId })).map((i) => i.id);
      if (ids.length > 0) yield ids;
      if (items.length < PAGE) return;
      at = { at: items[items.length - 1].createdAt, id: items[items.length - 1].id };
    }
  }
}

/** Counts the matching targets (up to the cap) and prices them from a sample of rendered prompts. */
export async function estimateBulk(storage: Storage, rule: EvaluationRuleRecord, evaluator: EvaluatorRecord, range: BulkRange): Promise<BulkEstimate> {
  let targets = 0;
  const sample: string[] = [];
  for await (const ids of matchingTargets(storage, rule, range)) {
    for (const id of ids) if (sample.length < ESTIMATE_SAMPLE) sample.push(id);
    targets += ids.length;
    if (targets >= MAX_BULK_TARGETS) break;
  }
  const capped = targets >= MAX_BULK_TARGETS;
  targets = Math.min(targets, MAX_BULK_TARGETS);
  const config = evaluator.scoreConfigId ? await storage.scoreConfigs.get(rule.projectId, evaluator.scoreConfigId) : null;
  let chars = 0;
  for (const id of sample) {
    const target = await resolveTarget(storage, rule.projectId, rule.target, id);
    if (!target) continue;
    const mapping = rule.mapping.length > 0 ? rule.mapping : (evaluator.defaultMapping ?? []);
    const prompt = fillPrompt(evaluator.prompt, await renderVariables(mapping, rule.target, target.data));
    chars += prompt.length + outputInstructions(evaluator.output, config).length;
  }
  // About four characters a token for English text: an estimate, said so in the UI.
  const inputTokens = sample.length === 0 ? 0 : Math.ceil(chars / sample.length / 4);
  const maxTokens = Number(evaluator.modelParams.max_tokens ?? evaluator.modelParams.maxTokens);
  const outputTokens = Number.isFinite(maxTokens) && maxTokens > 0 ? Math.min(maxTokens, DEFAULT_OUTPUT_TOKENS) : DEFAULT_OUTPUT_TOKENS;
  const model = evaluator.model;
  const price = model ? matchModel(model, await storage.models.list(rule.projectId), builtinModels()) : null;
  const prices = price?.pricingTiers.find((t) => t.isDefault)?.prices;
  const costUsd = prices ? targets * (inputTokens * (prices.input ?? 0) + outputTokens * (prices.output ?? 0)) : null;
  return { targets, capped, model, inputTokensPerEvaluation: inputTokens, outputTokensPerEvaluation: outputTokens, totalTokens: targets * (inputTokens + outputTokens), costUsd };
}

/**
 * Queues an evaluation of every matching target in the range, in batches, with the same
 * idempotency keys as new targets get: a target already evaluated (or queued) by the rule is not
 * evaluated again.
 */
export async function runBulk(storage: Storage, rule: EvaluationRuleRecord, evaluator: EvaluatorRecord, range: BulkRange): Promise<{ queued: number; existing: number; capped: boolean }> {
  let queued = 0;
  let existing = 0;
  for await (const page of matchingTargets(storage, rule, range)) {
    const ids = page.slice(0, MAX_BULK_TARGETS - queued - existing);
    const results = await Promise.all(ids.map((id) => {
      const payload: EvaluationPayload = { ruleId: rule.id, target: rule.target, targetId: id, provider: evaluator.provider, evaluatorId: evaluator.id, bulk: true };
      return enqueueJob(storage, { projectId: rule.projectId, kind: EVALUATION, payload, idempotencyKey: evaluationKey(rule.id, id) });
    }));
    for (const r of results) if (r.created) queued++;
    else existing++;
    if (queued + existing >= MAX_BULK_TARGETS) return { queued, existing, capped: true };
  }
  return { queued, existing, capped: false };
}

/** Jobs of the rule (new targets and bulk runs alike), by state. */
export const bulkProgress = (storage: Storage, projectId: string, ruleId: string) => storage.evaluationRuns.jobCounts(projectId, `eval:${ruleId}:`);
