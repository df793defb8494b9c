import type { EvaluationTarget, Storage } from '@sightline/storage';
import type { Hono } from 'hono';
import { z } from 'zod';
import { filterItem, mappingItem, toFilter, toMapping } from '../evaluation/evaluator-api-schema.js';
import { evalError } from '../evaluation/eval-errors.js';
import { createEvaluatorVersion } from '../evaluation/evaluator-versions.js';
import { readBody } from '../evaluation/read-body.js';
import { RULE_FILTER_COLUMNS } from '../evaluation/rule-filters.js';
import { createRule, updateRule, type RuleDraft } from '../evaluation/rule-service.js';
import { allRules } from '../evaluation/rule-status.js';
import { EVALUATOR_TEMPLATES } from '../evaluation/templates.js';
import { EVALUATION_TARGETS, EVALUATOR_DATA_TYPES } from '@sightline/storage';
import type { EvaluationRuleView, EvaluatorsPageResponse, EvaluatorSummary, EvaluatorVersionsResponse, LlmConnectionOption } from './api-types.js';
import { requireRole } from './guard.js';
import type { UiEnv } from './ui-env.js';

const nullableText = z.string().nullable();
const evaluatorBody = z.object({
  name: z.string({ error: 'required, a string' }),
  description: nullableText,
  prompt: z.string({ error: 'required, a string' }),
  provider: nullableText,
  model: nullableText,
  modelParams: z.record(z.string(), z.unknown()),
  output: z.object({
    dataType: z.enum(EVALUATOR_DATA_TYPES, { error: `must be one of ${EVALUATOR_DATA_TYPES.join(', ')}` }),
    scoreDescription: z.string({ error: 'required, a string' }),
    reasoningDescription: z.string({ error: 'required, a string' }),
    categories: z.array(z.string()).nullable(),
    minValue: z.number().nullish(),
    maxValue: z.number().nullish(),
    allowMultipleMatches: z.boolean().optional(),
  }),
  scoreName: z.string({ error: 'required, a string' }),
  scoreConfigId: nullableText,
  templateId: nullableText,
});

const ruleBody = z.object({
  name: z.string({ error: 'required, a string' }),
  evaluatorName: z.string({ error: 'required, a string' }),
  target: z.enum(EVALUATION_TARGETS, { error: `must be one of ${EVALUATION_TARGETS.join(', ')}` }),
  filter: z.array(filterItem).max(50, 'at most 50 conditions'),
  mapping: z.array(mappingItem).max(100, 'at most 100 entries'),
  sampling: z.number({ error: 'must be a number' }),
  delayMs: z.number({ error: 'must be a number of milliseconds' }),
  enabled: z.boolean({ error: 'must be true or false' }),
});

const toDraft = (b: z.output<typeof ruleBody>): RuleDraft => ({ ...b, filter: b.filter.map(toFilter), mapping: b.mapping.map(toMapping) });

const connectionOption = (c: LlmConnectionOption): LlmConnectionOption => ({ provider: c.provider, adapter: c.adapter, customModels: c.customModels, withDefaultModels: c.withDefaultModels });

/** The Evaluators page: viewers read evaluators, rules, templates and connection names; members write. */
export function registerEvaluatorUiRoutes(ui: Hono<UiEnv>, storage: Storage): void {
  const connections = async (projectId: string) => (await storage.llmConnections.list(projectId, { page: 1, limit: 100 })).rows.map(connectionOption);

  ui.get('/projects/:projectId/evaluators', async (c) => {
    const { projectId } = c.get('member');
    const { rows } = await storage.evaluators.listEvaluators(projectId, { page: 1, limit: 500 });
    const counts = await storage.evaluators.versionCounts(projectId);
    const rules = await allRules(storage, projectId);
    const versionOf = new Map<string, { name: string; version: number }>();
    for (const e of rows) {
      for (const v of await storage.evaluators.evaluatorVersions(projectId, e.name)) versionOf.set(v.id, { name: v.name, version: v.version });
    }
    const evaluators: EvaluatorSummary[] = rows.map((latest) => ({
      latest,
      versionCount: counts[latest.name] ?? 1,
      ruleCount: rules.filter((r) => versionOf.get(r.evaluatorId)?.name === latest.name).length,
    }));
    const ruleViews: EvaluationRuleView[] = rules.reverse().map((r) => ({ ...r, evaluatorName: versionOf.get(r.evaluatorId)?.name ?? null, evaluatorVersion: versionOf.get(r.evaluatorId)?.version ?? null }));
    const filterColumns = Object.fromEntries(EVALUATION_TARGETS.map((t) => [t, Object.keys(RULE_FILTER_COLUMNS[t])])) as Record<EvaluationTarget, string[]>;
    return c.json({ evaluators, rules: ruleViews, templates: [...EVALUATOR_TEMPLATES], connections: await connections(projectId), filterColumns } satisfies EvaluatorsPageResponse);
  });

  ui.get('/projects/:projectId/evaluators/:name/versions', async (c) => {
    const versions = await storage.evaluators.evaluatorVersions(c.get('member').projectId, c.req.param('name'));
    if (versions.length === 0) throw evalError('resource_not_found', `No evaluator named ${c.req.param('name')} in this project`);
    return c.json({ versions } satisfies EvaluatorVersionsResponse);
  });

  ui.post('/projects/:projectId/evaluators', async (c) => {
    const { projectId } = requireRole(c, 'member');
    const body = await readBody(c, evaluatorBody);
    const evaluator = await createEvaluatorVersion(storage, projectId, { ...body, defaultMapping: null });
    return c.json({ evaluator }, 201);
  });

  ui.delete('/projects/:projectId/evaluators/:name', async (c) => {
    const { projectId } = requireRole(c, 'member');
    if (!(await storage.evaluators.deleteEvaluator(projectId, c.req.param('name')))) throw evalError('resource_not_found', `No evaluator named ${c.req.param('name')} in this project`);
    return c.json({ deleted: true });
  });

  ui.post('/projects/:projectId/evaluation-rules', async (c) => {
    const { projectId } = requireRole(c, 'member');
    const rule = await createRule(storage, projectId, toDraft(await readBody(c, ruleBody)));
    return c.json({ rule }, 201);
  });

  ui.put('/projects/:projectId/evaluation-rules/:ruleId', async (c) => {
    const { projectId } = requireRole(c, 'member');
    const body = await readBody(c, ruleBody);
    const base = await storage.evaluators.getRule(projectId, c.req.param('ruleId'));
    if (!base) throw evalError('resource_not_found', `No evaluation rule ${c.req.param('ruleId')} in this project`);
    return c.json({ rule: await updateRule(storage, base, toDraft(body)) });
  });

  ui.delete('/projects/:projectId/evaluation-rules/:ruleId', async (c) => {
    const { projectId } = requireRole(c, 'member');
    if (!(await storage.evaluators.deleteRule(projectId, c.req.param('ruleId')))) throw evalError('resource_not_found', `No evaluation rule ${c.req.param('ruleId')} in this project`);
    return c.json({ deleted: true });
  });
}
