import type { EvaluationRuleRecord, Storage } from '@sightline/storage';
import { resolveJudgeModel } from './judge-model.js';

/** Langfuse's cap on effectively active rules per project. */
export const MAX_ACTIVE_RULES = 500;

/** Why Sightline pauses an enabled rule (its `pausedReason`). */
export const PAUSED_REASONS = {
  /** The evaluator's LLM connection (or the project's default one) is gone or cannot serve its model. */
  connection: 'llm_connection_unavailable',
  /** A new evaluator version has variables the rule's mapping does not fill; fixed by a new mapping. */
  mapping: 'invalid_variable_mapping',
} as const;

/** Every rule of the project, oldest first. */
export async function allRules(storage: Storage, projectId: string): Promise<EvaluationRuleRecord[]> {
  const out: EvaluationRuleRecord[] = [];
  for (let page = 1; ; page++) {
    const { rows } = await storage.evaluators.listRules(projectId, { page, limit: 500 });
    out.push(...rows);
    if (rows.length < 500) return out.reverse();
  }
}

/**
 * Re-derives the status of the project's enabled rules from their evaluators' connections: an
 * active rule whose judge model can no longer be resolved (its connection was deleted) is paused
 * with the reason; a rule paused for that reason runs again once the connection is back (within
 * the cap of active rules). Called after a connection is created, replaced or deleted.
 */
export async function refreshRuleStatuses(storage: Storage, projectId: string, now = Date.now()): Promise<void> {
  const rules = (await allRules(storage, projectId)).filter((r) => r.enabled);
  let active = rules.filter((r) => r.status === 'active').length;
  for (const rule of rules) {
    const waiting = rule.status === 'paused' && rule.pausedReason === PAUSED_REASONS.connection;
    if (rule.status !== 'active' && !waiting) continue;
    const evaluator = await storage.evaluators.getEvaluator(projectId, rule.evaluatorId);
    if (!evaluator) continue;
    const resolved = await resolveJudgeModel(storage, projectId, evaluator);
    if (rule.status === 'active' && 'problem' in resolved) {
      await storage.evaluators.updateRule({ ...rule, status: 'paused', pausedReason: PAUSED_REASONS.connection, pausedMessage: `paused: ${resolved.problem}; re-create the connection to resume`, updatedAt: now });
      active--;
    } else if (waiting && !('problem' in resolved) && active < MAX_ACTIVE_RULES) {
      await storage.evaluators.updateRule({ ...rule, status: 'active', pausedReason: null, pausedMessage: null, updatedAt: now });
      active++;
    }
  }
}
