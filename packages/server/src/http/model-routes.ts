import { randomUUID } from 'node:crypto';
import { badRequest, builtinModels, formatIssues, notFound, toIso, AppError, type ModelPrice } from '@sightline/core';
import type { StoredModel } from '@sightline/storage';
import type { Hono } from 'hono';
import { requireFullAccess } from '../auth/authenticate.js';
import { loadById } from '../query/load-by-id.js';
import { createModelSchema } from '../query/model-schema.js';
import { z } from 'zod';
import { pageMeta, pageParams, parseQuery } from '../query/parse-params.js';
import type { AppDeps, AppEnv } from './app-env.js';
import { readJson } from './read-json.js';

/** A model in the Langfuse API shape; built-ins are `isLangfuseManaged`. */
function presentModel(m: ModelPrice & { unit?: string | null }) {
  const tiers = m.pricingTiers;
  const defaultPrices = tiers.find((t) => t.isDefault)?.prices ?? {};
  return {
    id: m.id,
    modelName: m.modelName,
    matchPattern: m.matchPattern,
    startDate: m.startDate === null ? null : toIso(m.startDate),
    unit: m.unit ?? 'TOKENS',
    inputPrice: defaultPrices.input ?? null,
    outputPrice: defaultPrices.output ?? null,
    totalPrice: defaultPrices.total ?? null,
    tokenizerId: m.tokenizerId,
    tokenizerConfig: m.tokenizerConfig,
    isLangfuseManaged: m.projectId === null,
    createdAt: m.createdAt === undefined ? null : toIso(m.createdAt),
    prices: Object.fromEntries(Object.entries(defaultPrices).map(([k, price]) => [k, { price }])),
    pricingTiers: tiers,
  };
}

/** GET/POST /api/public/models and GET/DELETE /api/public/models/{id}. */
export function registerModelRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  app.get('/api/public/models', async (c) => {
    const auth = c.get('auth');
    requireFullAccess(auth);
    const { page, limit } = parseQuery(c, z.object(pageParams));
    const all = [...(await deps.storage.models.list(auth.projectId)), ...builtinModels()];
    const data = all.slice((page - 1) * limit, page * limit).map(presentModel);
    return c.json({ data, meta: pageMeta(page, limit, all.length) });
  });

  app.get('/api/public/models/:id', async (c) => {
    const auth = c.get('auth');
    requireFullAccess(auth);
    const id = c.req.param('id');
    const model = (await loadById(id, (i) => deps.storage.models.get(auth.projectId, i), null)) ?? builtinModels().find((m) => m.id === id);
    if (!model) throw notFound(`Model ${id} not found within authorized project`);
    return c.json(presentModel(model));
  });

  app.post('/api/public/models', async (c) => {
    const auth = c.get('auth');
    requireFullAccess(auth);
    const parsed = createModelSchema.safeParse(await readJson(c));
    if (!parsed.success) throw badRequest(formatIssues(parsed.error));
    const b = parsed.data;
    const now = Date.now();
    const id = randomUUID();
    const pricingTiers = b.pricingTiers
      ? b.pricingTiers.map((t) => ({ ...t, id: randomUUID() }))
      : [{
          id: randomUUID(),
          name: 'Standard',
          isDefault: true,
          priority: 0,
          conditions: [],
          prices: Object.fromEntries(
            (['input', 'output', 'total'] as const).flatMap((k) => {
              const price = b[`${k}Price`];
              return price == null ? [] : [[k, price]];
            }),
          ),
        }];
    const model: StoredModel = {
      id,
      projectId: auth.projectId,
      modelName: b.modelName,
      matchPattern: b.matchPattern,
      startDate: b.startDate ? Date.parse(b.startDate) : null,
      unit: b.unit ?? null,
      tokenizerId: b.tokenizerId ?? null,
      tokenizerConfig: (b.tokenizerConfig as ModelPrice['tokenizerConfig']) ?? null,
      pricingTiers,
      createdAt: now,
      updatedAt: now,
    };
    await deps.storage.models.create(model);
    return c.json(presentModel(model));
  });

  app.delete('/api/public/models/:id', async (c) => {
    const auth = c.get('auth');
    requireFullAccess(auth);
    const id = c.req.param('id');
    if (builtinModels().some((m) => m.id === id)) throw new AppError(400, 'builtin_model', `Model ${id} is built in and cannot be deleted; create a project model with the same match pattern to override it`);
    if (!(await loadById(id, (i) => deps.storage.models.delete(auth.projectId, i), false))) throw notFound(`Model ${id} not found within authorized project`);
    return c.json({ message: 'Model successfully deleted' });
  });
}
