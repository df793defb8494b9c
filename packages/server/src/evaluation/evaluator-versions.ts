import { randomUUID } from 'node:crypto';
import { AppError } from '@sightline/core';
import type { EvaluationTarget, EvaluatorOutput, EvaluatorRecord, Storage, VariableMapping } from '@sightline/storage';
import { evalError } from './eval-errors.js';
import { preflight } from './judge-model.js';
import { promptVariables } from './prompt-variables.js';
import { checkMapping } from './rule-mapping.js';
import { refreshRuleStatuses } from './rule-status.js';

export const EVALUATOR_LIMITS = { name: 200, prompt: 50_000, variables: 50, description: 10_000, categories: 100, label: 200 } as const;

/** What a new evaluator version is made of (the public API's and the UI's bodies both become one). */
export interface EvaluatorDraft {
  name: string;
  description: string | null;
  prompt: string;
  provider: string | null;
  model: string | null;
  modelParams: Record<string, unknown>;
  output: EvaluatorOutput;
  scoreName: string;
  scoreConfigId: string | null;
  templateId: string | null;
  defaultMapping: VariableMapping[] | null;
}

const invalid = (field: string, rule: string) => evalError('invalid_body', `${field}: ${rule}`, { field });

/** Throws `invalid_body` naming the field and the rule of the first thing wrong with a draft. */
async function checkDraft(storage: Storage, projectId: string, d: EvaluatorDraft, variables: string[]): Promise<void> {
  const L = EVALUATOR_LIMITS;
  if (d.name.trim() === '' || d.name.length > L.name) throw invalid('name', `must be 1 to ${L.name} characters`);
  if (d.prompt.trim() === '' || d.prompt.length > L.prompt) throw invalid('prompt', `must be 1 to ${L.prompt} characters`);
  if (variables.length > L.variables) throw invalid('prompt', `at most ${L.variables} distinct {{variables}}`);
  if (d.description !== null && d.description.length > L.description) throw invalid('description', `must be at most ${L.description} characters`);
  if (d.scoreName.trim() === '' || d.scoreName.length > L.name) throw invalid('scoreName', `must be 1 to ${L.name} characters`);
  if ((d.provider === null) !== (d.model === null)) throw invalid('modelConfig', 'name both provider and model, or neither (the project default)');
  for (const key of ['temperature', 'max_tokens', 'top_p']) {
    const v = d.modelParams[key];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < 0)) throw invalid(`modelParams.${key}`, 'must be a non-negative number');
  }
  const o = d.output;
  if (o.dataType === 'CATEGORICAL') {
    const cats = o.categories ?? [];
    if (cats.length === 0 || cats.length > L.categories) throw invalid('outputDefinition.score.categories', `a CATEGORICAL evaluator needs 1 to ${L.categories} categories`);
    if (cats.some((c) => c.trim() === '' || c.length > L.label)) throw invalid('outputDefinition.score.categories', `each category must be 1 to ${L.label} characters`);
    if (new Set(cats).size !== cats.length) throw invalid('outputDefinition.score.categories', 'categories must be distinct');
  } else if (o.categories !== null && o.categories.length > 0) {
    throw invalid('outputDefinition.score.categories', 'only a CATEGORICAL evaluator has categories');
  }
  if (o.minValue != null && o.maxValue != null && o.minValue > o.maxValue) throw invalid('outputDefinition.score.minValue', 'must not exceed maxValue');
  if (d.scoreConfigId !== null) {
    const config = await storage.scoreConfigs.get(projectId, d.scoreConfigId);
    if (!config) throw invalid('scoreConfigId', `the project has no score config '${d.scoreConfigId}'`);
    if (config.dataType !== o.dataType) throw invalid('scoreConfigId', `the score config is ${config.dataType}, the evaluator's output ${o.dataType}`);
  }
  if (d.defaultMapping) {
    // A default mapping may leave variables out (a rule then maps them); what it names must exist.
    checkMapping('experiment', variables, d.defaultMapping, 'mapping', false);
  }
}

/**
 * Writes the next version of the evaluator `draft.name` (version 1 for a new name) after checking
 * it and its judge model (422 when it cannot run), then moves the evaluator's rules to the new
 * version: Langfuse rules always run the latest version. A rule whose mapping no longer fits the
 * new variables is paused until its mapping is fixed.
 */
export async function createEvaluatorVersion(storage: Storage, projectId: string, draft: EvaluatorDraft, now = Date.now()): Promise<EvaluatorRecord> {
  const variables = promptVariables(draft.prompt);
  await checkDraft(storage, projectId, draft, variables);
  await preflight(storage, projectId, draft);
  const older = await storage.evaluators.evaluatorVersions(projectId, draft.name);
  const record: EvaluatorRecord = {
    projectId,
    id: randomUUID(),
    name: draft.name,
    version: (older[0]?.version ?? 0) + 1,
    type: 'llm_as_judge',
    description: draft.description,
    prompt: draft.prompt,
    variables,
    provider: draft.provider,
    model: draft.model,
    modelParams: draft.modelParams,
    output: draft.output,
    scoreName: draft.scoreName,
    scoreConfigId: draft.scoreConfigId,
    templateId: draft.templateId,
    defaultMapping: draft.defaultMapping,
    createdAt: now,
    updatedAt: now,
  };
  try {
    await storage.evaluators.createEvaluator(record);
  } catch (err) {
    if (err instanceof AppError && err.status === 409) throw evalError('conflict', `name: another version of '${draft.name}' was written at the same time; retry`, { field: 'name' });
    throw err;
  }
  const rules = await storage.evaluators.rulesOfEvaluators(projectId, older.map((e) => e.id));
  for (const rule of rules) {
    const moved = { ...rule, evaluatorId: record.id, updatedAt: now };
    const fits = mappingFits(rule.target, variables, rule.mapping);
    await storage.evaluators.updateRule(fits || !rule.enabled ? moved : { ...moved, status: 'paused', pausedReason: 'invalid_variable_mapping', pausedMessage: `version ${record.version} of '${record.name}' has the variables ${variables.join(', ')}; update the rule's mapping` });
  }
  if (rules.length > 0) await refreshRuleStatuses(storage, projectId, now);
  return record;
}

/** Whether a rule's mapping still maps every variable exactly once with valid sources. */
export function mappingFits(target: EvaluationTarget, variables: string[], mapping: VariableMapping[]): boolean {
  try {
    checkMapping(target, variables, mapping);
    return true;
  } catch {
    return false;
  }
}
