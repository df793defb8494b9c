import type { Hono } from 'hono';
import { requireFullAccess } from '../auth/authenticate.js';
import { evalError } from '../evaluation/eval-errors.js';
import { createEvaluatorBody, toEvaluatorDraft } from '../evaluation/evaluator-api-schema.js';
import { readEvalBody, readEvalPage } from '../evaluation/eval-request.js';
import { createEvaluatorVersion } from '../evaluation/evaluator-versions.js';
import { loadEvaluator, presentEvaluator } from '../evaluation/present-evaluator.js';
import { pageMeta } from '../query/parse-params.js';
import type { AppDeps, AppEnv } from './app-env.js';

const BASE = '/api/public/unstable/evaluators';

/**
 * Langfuse's unstable evaluators API: LLM-as-a-judge evaluators, versioned by name (a create with
 * a known name writes the next version). Full access (Basic auth) only; another project's ids are 404.
 */
export function registerEvaluatorRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const { storage } = deps;
  const notFound = (id: string) => evalError('resource_not_found', `Evaluator ${id} not found within authorized project`);
  const nameOf = async (projectId: string, id: string) => (await storage.evaluators.getEvaluator(projectId, id))?.name ?? null;

  app.post(BASE, async (c) => {
    const body = await readEvalBody(c, createEvaluatorBody);
    const auth = c.get('auth');
    requireFullAccess(auth);
    const created = await createEvaluatorVersion(storage, auth.projectId, toEvaluatorDraft(body));
    return c.json(await loadEvaluator(storage, auth.projectId, created.name));
  });

  app.get(BASE, async (c) => {
    const q = readEvalPage(c);
    const auth = c.get('auth');
    requireFullAccess(auth);
    const { rows, totalItems } = await storage.evaluators.listEvaluators(auth.projectId, q);
    const data = [];
    for (const latest of rows) {
      const versions = await storage.evaluators.evaluatorVersions(auth.projectId, latest.name);
      const rules = await storage.evaluators.rulesOfEvaluators(auth.projectId, versions.map((v) => v.id));
      data.push(presentEvaluator(latest, versions, rules.length));
    }
    return c.json({ data, meta: pageMeta(q.page, q.limit, totalItems) });
  });

  app.get(`${BASE}/:id`, async (c) => {
    const auth = c.get('auth');
    requireFullAccess(auth);
    const id = c.req.param('id');
    const name = await nameOf(auth.projectId, id);
    const found = name === null ? null : await loadEvaluator(storage, auth.projectId, name);
    if (!found) throw notFound(id);
    return c.json(found);
  });

  app.delete(`${BASE}/:id`, async (c) => {
    const auth = c.get('auth');
    requireFullAccess(auth);
    const id = c.req.param('id');
    const name = await nameOf(auth.projectId, id);
    if (name === null || !(await storage.evaluators.deleteEvaluator(auth.projectId, name))) throw notFound(id);
    return c.json({ message: 'Evaluator successfully deleted' });
  });
}
