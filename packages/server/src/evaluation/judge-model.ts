import type { EvaluatorRecord, LlmConnectionRecord, Storage } from '@sightline/storage';
import { evalError } from './eval-errors.js';

/** The connection and model a judge call of an evaluator goes to. */
export interface JudgeModel {
  connection: LlmConnectionRecord;
  model: string;
}

/**
 * Resolves an evaluator's judge model in its project: its provider's connection, or with no
 * provider the project's oldest connection (Sightline's "default evaluation model"); its model, or
 * with none the connection's first custom model. A reason instead when it cannot run.
 */
export async function resolveJudgeModel(
  storage: Storage,
  projectId: string,
  ev: Pick<EvaluatorRecord, 'provider' | 'model'>,
): Promise<JudgeModel | { problem: string }> {
  const connection = ev.provider
    ? await storage.llmConnections.getByProvider(projectId, ev.provider)
    : ((await storage.llmConnections.list(projectId, { page: 1, limit: 1 })).rows[0] ?? null);
  if (!connection) {
    return { problem: ev.provider ? `the project has no LLM connection for provider '${ev.provider}'` : 'the project has no LLM connection to use as the default evaluation model' };
  }
  const model = ev.model ?? connection.customModels[0] ?? null;
  if (!model) return { problem: `no model: name one in modelConfig, or add a custom model to the '${connection.provider}' connection` };
  if (!connection.withDefaultModels && !connection.customModels.includes(model)) {
    return { problem: `the '${connection.provider}' connection offers only its custom models (${connection.customModels.join(', ')}), not '${model}'` };
  }
  return { connection, model };
}

/** Throws `evaluator_preflight_failed` (422) when the evaluator cannot run in the project now. */
export async function preflight(storage: Storage, projectId: string, ev: Pick<EvaluatorRecord, 'name' | 'provider' | 'model'>): Promise<JudgeModel> {
  const resolved = await resolveJudgeModel(storage, projectId, ev);
  if ('problem' in resolved) {
    throw evalError('evaluator_preflight_failed', `evaluator '${ev.name}' cannot run: ${resolved.problem}`, { evaluatorName: ev.name, provider: ev.provider, model: ev.model });
  }
  return resolved;
}
