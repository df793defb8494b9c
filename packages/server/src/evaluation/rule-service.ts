import { randomUUID } from 'node:crypto';
import { AppError } from '@sightline/core';
import type { EvaluationRuleRecord, EvaluationTarget, EvaluatorRecord, RuleFilter, Storage, VariableMapping } from '@sightline/storage';
import { evalError } from './eval-errors.js';
import { preflight } from './judge-model.js';
import { checkDatasetIds, checkFilters } from './rule-filters.js';
import { checkMapping } from './rule-mapping.js';
import { MAX_ACTIVE_RULES } from './rule-status.js';

export const RULE_LIMITS = { name: 200, maxDelayMs: 24 * 3600_000, defaultDelayMs: 30_000 } as const;

/** A rule as a client describes it; `mapping` null inherits the evaluator's default mapping. */
export interface RuleDraft {
  name: string;
  /** The evaluator's name: the rule runs its latest version. */
  evaluatorName: string;
  target: EvaluationTarget;
  filter: RuleFilter[];
  mapping: VariableMapping[] | null;
  sampling: number;
  delayMs: number;
  enabled: boolean;
}

const invalid = (field: string, rule: string) => evalError('invalid_body', `${field}: ${rule}`, { field });

async function latestEvaluator(storage: Storage, projectId: string, name: string, field: string): Promise<EvaluatorRecord> {
  const [latest] = await storage.evaluators.evaluatorVersions(projectId, name);
  if (!latest) throw evalError('resource_not_found', `${field}: the project has no evaluator named '${name}'`, { field });
  return latest;
}

/**
 * Checks a complete rule and derives its evaluator version and status: every field's rule (400
 * with Langfuse's code), the judge model when enabled (422), the active cap when it would become
 * active (409). Returns the record to store.
 */
async function resolveRule(storage: Storage, projectId: string, d: RuleDraft, base: EvaluationRuleRecord | null, now: number): Promise<EvaluationRuleRecord> {
  if (d.name.trim() === '' || d.name.length > RULE_LIMITS.name) throw invalid('name', `must be 1 to ${RULE_LIMITS.name} characters`);
  if (!(d.sampling > 0 && d.sampling <= 1)) throw invalid('sampling', 'must be greater than 0 and at most 1');
  if (!Number.isInteger(d.delayMs) || d.delayMs < 0 || d.delayMs > RULE_LIMITS.maxDelayMs) throw invalid('delay', `must be a whole number of milliseconds from 0 to ${RULE_LIMITS.maxDelayMs} (24 hours)`);
  const evaluator = await latestEvaluator(storage, projectId, d.evaluatorName, 'evaluator.name');
  const mapping = d.mapping ?? evaluator.defaultMapping ?? [];
  checkFilters(d.target, d.filter);
  await checkDatasetIds(storage, projectId, d.filter);
  checkMapping(d.target, evaluator.variables, mapping);
  if (d.enabled) await preflight(storage, projectId, evaluator);
  const wasActive = base?.status === 'active';
  if (d.enabled && !wasActive) {
    const active = (await storage.evaluators.activeRules(projectId)).length;
    if (active >= MAX_ACTIVE_RULES) {
      throw evalError('conflict', `enabled: the project already has ${active} active evaluation rules (at most ${MAX_ACTIVE_RULES}); disable another rule first`, { field: 'enabled', limit: MAX_ACTIVE_RULES });
    }
  }
  return {
    projectId,
    id: base?.id ?? randomUUID(),
    name: d.name,
    evaluatorId: evaluator.id,
    target: d.target,
    filter: d.filter,
    mapping,
    sampling: d.sampling,
    delayMs: d.delayMs,
    enabled: d.enabled,
    status: d.enabled ? 'active' : 'inactive',
    pausedReason: null,
    pausedMessage: null,
    createdAt: base?.createdAt ?? now,
    updatedAt: now,
  };
}

const nameTaken = (name: string) =>
  evalError('name_conflict', `name: the project already has an evaluation rule named '${name}'; update it instead`, { field: 'name' });

async function save(write: () => Promise<unknown>, name: string): Promise<void> {
  try {
    await write();
  } catch (err) {
    if (err instanceof AppError && err.status === 409) throw nameTaken(name);
    throw err;
  }
}

/** Creates a rule; 409 `name_conflict` when the project has one of that name. */
export async function createRule(storage: Storage, projectId: string, d: RuleDraft, now = Date.now()): Promise<EvaluationRuleRecord> {
  if (await storage.evaluators.getRuleByName(projectId, d.name)) throw nameTaken(d.name);
  const rule = await resolveRule(storage, projectId, d, null, now);
  await save(() => storage.evaluators.createRule(rule), d.name);
  return rule;
}

/** The draft of a stored rule, to apply a partial update to. */
export async function draftOf(storage: Storage, rule: EvaluationRuleRecord): Promise<RuleDraft> {
  const evaluator = await storage.evaluators.getEvaluator(rule.projectId, rule.evaluatorId);
  return {
    name: rule.name,
    evaluatorName: evaluator?.name ?? '',
    target: rule.target,
    filter: rule.filter,
    mapping: rule.mapping,
    sampling: rule.sampling,
    delayMs: rule.delayMs,
    enabled: rule.enabled,
  };
}

/** Replaces a rule by the merged draft, checked as a whole (404 when it is gone, 409 on a taken name). */
export async function updateRule(storage: Storage, base: EvaluationRuleRecord, d: RuleDraft, now = Date.now()): Promise<EvaluationRuleRecord> {
  if (d.name !== base.name) {
    const other = await storage.evaluators.getRuleByName(base.projectId, d.name);
    if (other && other.id !== base.id) throw nameTaken(d.name);
  }
  const rule = await resolveRule(storage, base.projectId, d, base, now);
  let found = true;
  await save(async () => {
    found = await storage.evaluators.updateRule(rule);
  }, d.name);
  if (!found) throw evalError('resource_not_found', `evaluation rule ${base.id} not found within authorized project`);
  return rule;
}
