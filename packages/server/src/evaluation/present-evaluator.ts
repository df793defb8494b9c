import { toIso } from '@sightline/core';
import { filterType } from './rule-filters.js';
import type { EvaluationRuleRecord, EvaluatorRecord, RuleFilter, Storage, VariableMapping } from '@sightline/storage';

/** Langfuse's read mapping; trace rules (a Sightline extension) also say which object is read. */
export function presentMapping(m: VariableMapping, target: EvaluationRuleRecord['target'] | null) {
  return {
    variable: m.variable,
    source: m.source,
    jsonPath: m.jsonPath,
    ...(target === 'trace' && { object: m.object, observationName: m.observationName }),
  };
}

const presentFilter = (target: EvaluationRuleRecord['target'], f: RuleFilter) => ({
  type: filterType(target, f),
  column: f.column,
  operator: f.operator,
  value: f.value,
  ...(f.key !== null && { key: f.key }),
});

function outputDefinition(e: EvaluatorRecord) {
  const o = e.output;
  const reasoning = { description: o.reasoningDescription };
  if (o.dataType === 'NUMERIC') return { dataType: o.dataType, reasoning, score: { description: o.scoreDescription, minValue: o.minValue ?? null, maxValue: o.maxValue ?? null } };
  if (o.dataType === 'BOOLEAN') return { dataType: o.dataType, reasoning, score: { description: o.scoreDescription } };
  return { dataType: o.dataType, reasoning, score: { description: o.scoreDescription, categories: o.categories ?? [], shouldAllowMultipleMatches: o.allowMultipleMatches ?? false } };
}

/**
 * Langfuse's `unstableEvaluator` for the latest version of an evaluator. `id` is the evaluator's
 * stable id (its first version's); `versionId` (a Sightline field) the exact version's.
 */
export function presentEvaluator(latest: EvaluatorRecord, versions: EvaluatorRecord[], ruleCount: number) {
  const first = versions[versions.length - 1] ?? latest;
  return {
    id: first.id,
    versionId: latest.id,
    name: latest.name,
    version: latest.version,
    type: latest.type,
    variables: latest.variables,
    mapping: latest.defaultMapping ? latest.defaultMapping.map((m) => presentMapping(m, null)) : null,
    evaluationRuleCount: ruleCount,
    prompt: latest.prompt,
    outputDefinition: outputDefinition(latest),
    modelConfig: latest.provider && latest.model ? { provider: latest.provider, model: latest.model } : null,
    description: latest.description,
    scoreName: latest.scoreName,
    scoreConfigId: latest.scoreConfigId,
    modelParams: latest.modelParams,
    templateId: latest.templateId,
    createdAt: toIso(latest.createdAt),
    updatedAt: toIso(latest.updatedAt),
  };
}

/** Reads what presentEvaluator needs for the latest version of `name`. */
export async function loadEvaluator(storage: Storage, projectId: string, name: string) {
  const versions = await storage.evaluators.evaluatorVersions(projectId, name);
  if (versions.length === 0) return null;
  const rules = await storage.evaluators.rulesOfEvaluators(projectId, versions.map((v) => v.id));
  return presentEvaluator(versions[0], versions, rules.length);
}

/** Langfuse's `unstableEvaluationRule`; `delay` (ms) is a Sightline extension. */
export function presentRule(r: EvaluationRuleRecord, evaluator: EvaluatorRecord | null) {
  const ref = evaluator ? { id: evaluator.id, name: evaluator.name, type: evaluator.type } : null;
  const mapping = r.mapping.map((m) => presentMapping(m, r.target));
  return {
    id: r.id,
    name: r.name,
    evaluator: ref,
    evaluators: ref ? [{ evaluator: ref, mapping }] : [],
    enabled: r.enabled,
    status: r.status,
    pausedReason: r.pausedReason,
    pausedMessage: r.pausedMessage,
    sampling: r.sampling,
    target: r.target,
    filter: r.filter.map((f) => presentFilter(r.target, f)),
    mapping,
    delay: r.delayMs,
    createdAt: toIso(r.createdAt),
    updatedAt: toIso(r.updatedAt),
  };
}
