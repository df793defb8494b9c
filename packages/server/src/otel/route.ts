import { badRequest } from '@sightline/core';
import type { Context, Hono } from 'hono';
import { requireFullAccess } from '../auth/authenticate.js';
import type { AppDeps, AppEnv } from '../http/app-env.js';
import { processBatch } from '../ingest/process-batch.js';
import { NO_SCORE_REFS } from '../ingest/score-refs.js';
import { decodeRequest } from './decode-request.js';
import { mapExport, type MappedExport } from './map-export.js';
import { validateExport } from './validate-export.js';

/** Highest `x-langfuse-ingestion-version` Langfuse accepts. */
const MAX_INGESTION_VERSION = 4;

/** Rejects an `x-langfuse-ingestion-version` (either spelling) that is not a number ≤ 4. */
function checkIngestionVersion(c: Context): void {
  const raw = c.req.header('x-langfuse-ingestion-version') ?? c.req.header('x_langfuse_ingestion_version');
  if (raw === undefined) return;
  const v = raw.trim();
  if (!/^\d+$/.test(v) || Number(v) > MAX_INGESTION_VERSION) {
    throw badRequest(`Unsupported x-langfuse-ingestion-version: "${raw}". Maximum supported: "${MAX_INGESTION_VERSION}".`);
  }
}

/** The `resourceSpans` of a decoded request; `undefined` when it has none. Other OTLP signals are refused by name. */
function resourceSpansOf(request: unknown): unknown[] | undefined {
  const r = (typeof request === 'object' && request !== null ? request : {}) as Record<string, unknown>;
  const spans = r.resourceSpans;
  if (spans === undefined || spans === null) {
    for (const signal of ['resourceLogs', 'resourceMetrics']) {
      if (r[signal] !== undefined) {
        throw badRequest(`Invalid OTLP trace export: the body is an OTLP ${signal === 'resourceLogs' ? 'logs' : 'metrics'} payload (${signal}); only traces (resourceSpans) are accepted here`);
      }
    }
    return undefined;
  }
  if (!Array.isArray(spans)) throw badRequest('Invalid OTLP trace export: resourceSpans must be an array');
  return spans;
}

/** Maps the export; values nested beyond reason (a stack overflow) reject it with a 400 instead of a 500. */
function mapOrReject(resourceSpans: unknown[]): MappedExport {
  try {
    return mapExport(resourceSpans);
  } catch (err) {
    if (err instanceof RangeError) throw badRequest('Invalid OTLP trace export: values are nested too deeply');
    throw err;
  }
}

/**
 * POST /api/public/otel/v1/traces — OTLP/HTTP trace export (JSON or protobuf, optionally
 * gzipped). Spans become Langfuse ingestion events that go through the batch path, so merge
 * rules, validation and durability are the batch endpoint's; the answer comes after the commit.
 * POST /api/public/otel/v1/metrics accepts and discards, as Langfuse does.
 */
export function registerOtelRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  app.post('/api/public/otel/v1/traces', async (c) => {
    const auth = c.get('auth');
    requireFullAccess(auth);
    checkIngestionVersion(c);
    const resourceSpans = resourceSpansOf(await decodeRequest(c));
    if (!resourceSpans || resourceSpans.length === 0) return c.json({}, 200);
    const invalid = validateExport(resourceSpans);
    if (invalid) throw badRequest(invalid);

    const mapped = mapOrReject(resourceSpans);
    // Spans map to traces and observations only; no score can name a config or queue here.
    const result = processBatch(mapped.events, auth.accessLevel, NO_SCORE_REFS);
    c.set('ingestion', { events: result.events.length, errorStatuses: result.errors.map((e) => e.status) });
    await deps.ingestor.submit({ projectId: auth.projectId, events: result.events, raw: result.raw });
    if (result.errors.length === 0) return c.json({}, 200);

    // OTLP partial success: the export is acknowledged, and the client learns what was not stored.
    const rejected = new Set(result.errors.map((e) => mapped.spanOf.get(e.id) ?? e.id));
    const details = result.errors.slice(0, 5).map((e) => `${mapped.spanOf.get(e.id) ?? e.id}: ${e.error ?? e.message ?? 'rejected'}`);
    deps.logger.warn('otel spans rejected', { projectId: auth.projectId, rejected: rejected.size, details });
    return c.json({ partialSuccess: { rejectedSpans: rejected.size, errorMessage: details.join('; ') } }, 200);
  });

  app.post('/api/public/otel/v1/metrics', (c) => {
    requireFullAccess(c.get('auth'));
    return c.json({ message: 'OK' }, 200);
  });
}
