import { AppError } from '@sightline/core';
import type { Hono } from 'hono';
import { processBatch } from '../ingest/process-batch.js';
import { loadScoreRefs } from '../ingest/score-refs.js';
import type { AppDeps, AppEnv } from './app-env.js';
import { INGESTION_BODY_LIMIT, readBatchJson } from './read-json.js';

/** Most events one request may carry. */
export const MAX_BATCH_EVENTS = 10_000;

/**
 * POST /api/public/ingestion — the batch endpoint. Always 207 with `{successes, errors}` for a
 * valid envelope; sent only after the accepted events are committed.
 */
export function registerIngestionRoute(app: Hono<AppEnv>, deps: AppDeps): void {
  app.post('/api/public/ingestion', async (c) => {
    const auth = c.get('auth');
    const { body, texts } = await readBatchJson(c, INGESTION_BODY_LIMIT);
    const batch = (body as { batch?: unknown } | null)?.batch;
    if (typeof body !== 'object' || body === null || !Array.isArray(batch)) {
      // Langfuse's words for a malformed envelope, with the reason in `errors`.
      throw new AppError(400, 'invalid_request', 'Invalid request data', { errors: ['batch: must be an array of events'] });
    }
    if (batch.length > MAX_BATCH_EVENTS) {
      throw new AppError(413, 'batch_too_long', `batch: at most ${MAX_BATCH_EVENTS} events per request; got ${batch.length}`);
    }
    const result = processBatch(batch, auth.accessLevel, await loadScoreRefs(deps.storage, auth.projectId, batch), texts);
    c.set('ingestion', { events: result.events.length, errorStatuses: result.errors.map((e) => e.status) });
    await deps.ingestor.submit({ projectId: auth.projectId, events: result.events, raw: result.raw });
    return c.json({ successes: result.successes, errors: result.errors }, 207);
  });
}
