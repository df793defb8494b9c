import { randomUUID } from 'node:crypto';
import { AppError, badRequest } from '@sightline/core';
import type { Context, Hono } from 'hono';
import { requireFullAccess } from '../auth/authenticate.js';
import { processBatch } from '../ingest/process-batch.js';
import { loadScoreRefs } from '../ingest/score-refs.js';
import { presentObservation, presentScore, presentTrace } from '../query/presenters.js';
import { loadPromptIds } from '../query/prompt-links.js';
import type { AppDeps, AppEnv } from './app-env.js';
import { readJson } from './read-json.js';

type Body = Record<string, unknown>;
interface RawEvent {
  id: string;
  type: string;
  timestamp: string;
  body: Body;
}

let sequence = 0;
/** Event ids that sort in creation order within this process, so same-millisecond updates apply in call order. */
const nextEventId = () => `api-${Date.now().toString(36)}-${(sequence++ % 1e9).toString().padStart(9, '0')}-${randomUUID().slice(0, 8)}`;

const event = (type: string, body: Body): RawEvent => ({ id: nextEventId(), type, timestamp: new Date().toISOString(), body });

async function readBody(c: Context): Promise<Body> {
  const body = await readJson(c);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('Request body must be a JSON object');
  return body as Body;
}

/** The seed's `usage` ({promptTokens, completionTokens}, also snake_case) in the ingestion shape. */
function generationUsage(usage: unknown): unknown {
  if (typeof usage !== 'object' || usage === null) return usage;
  const u = usage as Body;
  const mapped: Body = { ...u };
  if ('prompt_tokens' in u) mapped.promptTokens = u.prompt_tokens;
  if ('completion_tokens' in u) mapped.completionTokens = u.completion_tokens;
  if ('total_tokens' in u) mapped.totalTokens = u.total_tokens;
  delete mapped.prompt_tokens;
  delete mapped.completion_tokens;
  delete mapped.total_tokens;
  return mapped;
}

/** The seed's generation fields (`prompt`, `completion`) in the ingestion shape. */
function generationBody(b: Body): Body {
  const { prompt, completion, usage, generationId, ...rest } = b;
  const out: Body = { ...rest };
  if (generationId !== undefined && out.id === undefined) out.id = generationId;
  if (prompt !== undefined && out.input === undefined) out.input = prompt;
  if (completion !== undefined && out.output === undefined) out.output = completion;
  if (usage !== undefined) out.usage = generationUsage(usage);
  return out;
}

export function registerLegacyRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  /** Validates and commits `events`; the last one is the entity the route answers with. */
  async function commit(c: Context<AppEnv>, events: RawEvent[]): Promise<void> {
    const auth = c.get('auth');
    const result = processBatch(events, auth.accessLevel, await loadScoreRefs(deps.storage, auth.projectId, events));
    if (result.errors.length > 0) {
      const e = result.errors[0];
      const message = e.error ?? e.message ?? 'Invalid request data';
      throw e.status === 401 ? new AppError(403, 'forbidden', message) : badRequest(message);
    }
    await deps.ingestor.submit({ projectId: auth.projectId, events: result.events, raw: result.raw });
  }

  async function observation(c: Context<AppEnv>, type: string, body: Body) {
    requireFullAccess(c.get('auth'));
    const id = typeof body.id === 'string' && body.id ? body.id : randomUUID();
    const events: RawEvent[] = [];
    const isCreate = type.endsWith('-create');
    if (isCreate && (body.traceId === undefined || body.traceId === null)) {
      // The seed: "If no traceId is provided, the observation will be attached to a new trace."
      body = { ...body, traceId: randomUUID() };
      events.push(event('trace-create', { id: body.traceId as string }));
    }
    events.push(event(type, { ...body, id }));
    await commit(c, events);
    const stored = await deps.storage.observations.get(c.get('auth').projectId, id);
    if (!stored) throw new AppError(500, 'internal', 'Observation was not stored');
    return c.json(presentObservation(stored, await loadPromptIds(deps.storage, c.get('auth').projectId, [stored])), isCreate ? 200 : 200);
  }

  app.post('/api/public/traces', async (c) => {
    requireFullAccess(c.get('auth'));
    const body = await readBody(c);
    const id = typeof body.id === 'string' && body.id ? body.id : randomUUID();
    await commit(c, [event('trace-create', { ...body, id })]);
    const stored = await deps.storage.traces.get(c.get('auth').projectId, id);
    if (!stored) throw new AppError(500, 'internal', 'Trace was not stored');
    return c.json(presentTrace(stored));
  });

  app.post('/api/public/events', async (c) => observation(c, 'event-create', await readBody(c)));
  app.post('/api/public/spans', async (c) => observation(c, 'span-create', await readBody(c)));
  app.patch('/api/public/spans', async (c) => {
    const { spanId, ...rest } = await readBody(c);
    const id = rest.id ?? spanId;
    if (typeof id !== 'string' || !id) throw badRequest('spanId: required, the id of the span to update');
    return observation(c, 'span-update', { ...rest, id });
  });
  app.post('/api/public/generations', async (c) => observation(c, 'generation-create', generationBody(await readBody(c))));
  app.patch('/api/public/generations', async (c) => {
    const body = generationBody(await readBody(c));
    if (typeof body.id !== 'string' || !body.id) throw badRequest('generationId: required, the id of the generation to update');
    return observation(c, 'generation-update', body);
  });

  app.post('/api/public/scores', async (c) => {
    const body = await readBody(c);
    const id = typeof body.id === 'string' && body.id ? body.id : randomUUID();
    await commit(c, [event('score-create', { ...body, id })]);
    const stored = await deps.storage.scores.get(c.get('auth').projectId, id);
    if (!stored) throw new AppError(500, 'internal', 'Score was not stored');
    return c.json(presentScore(stored));
  });
}
