import type { Hono } from 'hono';
import { requireFullAccess } from '../auth/authenticate.js';
import { evalError } from '../evaluation/eval-errors.js';
import { createRuleBody, mergeRuleDraft, toRuleDraft, updateRuleBody } from '../evaluation/evaluator-api-schema.js';
import { readEvalBody, readEvalPage } from '../evaluation/eval-request.js';
import { presentRule } from '../evaluation/present-evaluator.js';
import { createRule, draftOf, updateRule } from '../evaluation/rule-service.js';
import { pageMeta } from '../query/parse-params.js';
import type { AppDeps, AppEnv } from './app-env.js';

const BASE = '/api/public/unstable/evaluation-rules';

/**
 * Langfuse's unstable evaluation-rules API: which targets an evaluator scores (observations,
 * experiment items, and as a Sightline extension whole traces), how often and with which
 * variables. Full access only; another project's ids are 404.
 */
export function registerEvaluationRuleRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const { storage } = deps;
  const notFound = (id: string) => evalError('resource_not_found', `Evaluation rule ${id} not found within authorized project`);
  const present = async (projectId: string, rule: Parameters<typeof presentRule>[0]) =>
    presentRule(rule, await storage.evaluators.getEvaluator(projectId, rule.evaluatorId));

  app.post(BASE, async (c) => {
    const body = await readEvalBody(c, createRuleBody);
    const auth = c.get('auth');
    requireFullAccess(auth);
    const rule = await createRule(storage, auth.projectId, toRuleDraft(body));
    return c.json(await present(auth.projectId, rule));
  });

  app.get(BASE, async (c) => {
    const q = readEvalPage(c);
    const auth = c.get('auth');
    requireFullAccess(auth);
    const { rows, totalItems } = await storage.evaluators.listRules(auth.projectId, q);
    const data = [];
    for (const rule of rows) data.push(await present(auth.projectId, rule));
    return c.json({ data, meta: pageMeta(q.page, q.limit, totalItems) });
  });

  app.get(`${BASE}/:id`, async (c) => {
    const auth = c.get('auth');
    requireFullAccess(auth);
    const rule = await storage.evaluators.getRule(auth.projectId, c.req.param('id'));
    if (!rule) throw notFound(c.req.param('id'));
    return c.json(await present(auth.projectId, rule));
  });

  app.patch(`${BASE}/:id`, async (c) => {
    const body = await readEvalBody(c, updateRuleBody);
    const auth = c.get('auth');
    requireFullAccess(auth);
    const base = await storage.evaluators.getRule(auth.projectId, c.req.param('id'));
    if (!base) throw notFound(c.req.param('id'));
    const rule = await updateRule(storage, base, mergeRuleDraft(await draftOf(storage, base), body));
    return c.json(await present(auth.projectId, rule));
  });

  app.delete(`${BASE}/:id`, async (c) => {
    const auth = c.get('auth');
    requireFullAccess(auth);
    if (!(await storage.evaluators.deleteRule(auth.projectId, c.req.param('id')))) throw notFound(c.req.param('id'));
    return c.json({ message: 'Evaluation rule successfully deleted' });
  });
}
