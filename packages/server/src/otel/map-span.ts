import { createHash } from 'node:crypto';
import { setOwn } from '@sightline/core';
import { extractExperiment, extractMetadata, LF } from './attributes.js';
import { extractObservationIO, extractTraceIO, IO_KEYS, IO_PREFIXES } from './io.js';
import type { SpanEvent } from './messages.js';
import { extractModel, extractModelParameters } from './model.js';
import {
  extractCompletionStartTime,
  extractLevel,
  extractObservationName,
  extractPrompt,
  extractStatusMessage,
} from './observation-fields.js';
import { mapObservationType, type ScopeInfo } from './observation-type.js';
import { keyValuesToObject, nanosToMs, parseId, type Attributes } from './otlp-values.js';
import {
  extractEnvironment,
  extractPublic,
  extractRelease,
  extractSessionId,
  extractTags,
  extractUserId,
  extractVersion,
  hasTraceUpdates,
} from './trace-attributes.js';
import { extractCost, extractUsage } from './usage.js';

/** A Langfuse batch ingestion event, as `processBatch` takes it. */
export interface IngestionEvent {
  id: string;
  type: string;
  timestamp: string;
  body: Record<string, unknown>;
}

/** What a span's resource and instrumentation scope contribute. */
export interface SpanContext {
  resourceAttributes: Attributes;
  scope: ScopeInfo;
}

export type TraceEventKind = 'root' | 'update' | 'shallow';

export interface MappedSpan {
  traceId: string;
  observation: IngestionEvent;
  trace: { kind: TraceEventKind; event: IngestionEvent };
}

const MAX_TRACE_NAME = 1000;
const MAX_EVENT_ID = 800;

/** Deterministic envelope id, so a retried export replaces rather than duplicates; hashed when the ids are huge. */
function eventId(prefix: string, traceId: string, spanId: string): string {
  const id = `${prefix}-${traceId}-${spanId}`;
  if (id.length <= MAX_EVENT_ID && !id.includes('\r')) return id;
  return `${prefix}-${createHash('sha256').update(`${traceId}\n${spanId}`).digest('hex')}`;
}

/** Drops undefined fields so bodies carry only what the span said. */
function defined(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
}

const nonEmpty = (o: Record<string, unknown>) => (Object.keys(o).length > 0 ? o : undefined);

/** Leftover span attributes for non-Langfuse scopes: I/O keys removed, non-strings JSON-encoded. */
function leftoverAttributes(attrs: Attributes): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(attrs)) {
    if (IO_KEYS.has(k) || IO_PREFIXES.some((p) => k.startsWith(p))) continue;
    setOwn(out, k, typeof v === 'string' ? v : JSON.stringify(v));
  }
  return out;
}

function spanTimes(span: Record<string, unknown>): { startMs: number; endMs: number } {
  const start = nanosToMs(span.startTimeUnixNano);
  const end = nanosToMs(span.endTimeUnixNano);
  const startMs = start ?? end ?? Date.now();
  return { startMs, endMs: end ?? startMs };
}

function spanStatus(span: Record<string, unknown>): { code?: number; message?: string } {
  const status = (span.status ?? {}) as { code?: unknown; message?: unknown };
  const code = status.code === 'STATUS_CODE_ERROR' ? 2 : typeof status.code === 'number' ? status.code : undefined;
  return { code, message: typeof status.message === 'string' ? status.message : undefined };
}

function spanEvents(span: Record<string, unknown>): SpanEvent[] {
  if (!Array.isArray(span.events)) return [];
  return span.events.map((e: { name?: unknown; attributes?: unknown }) => ({
    name: typeof e?.name === 'string' ? e.name : '',
    attributes: keyValuesToObject(e?.attributes),
  }));
}

/**
 * Maps one OTLP span (already validated) to a Langfuse observation create event plus a
 * trace-create event: full for a root span, partial for a span with trace-level attributes,
 * shallow (`{id, timestamp, environment}`) otherwise. Envelope timestamps are the span start.
 */
export function mapSpan(span: Record<string, unknown>, ctx: SpanContext): MappedSpan {
  const traceId = parseId(span.traceId)!;
  const spanId = parseId(span.spanId)!;
  const parentId = parseId(span.parentSpanId);
  const attrs = keyValuesToObject(span.attributes);
  const resource = ctx.resourceAttributes;
  const scopeName = ctx.scope.name;
  const { startMs, endMs } = spanTimes(span);
  const startTime = new Date(startMs).toISOString();
  const status = spanStatus(span);
  const events = spanEvents(span);

  const type = mapObservationType(attrs, resource, ctx.scope);
  const name = extractObservationName(typeof span.name === 'string' ? span.name : '', attrs);
  const environment = extractEnvironment(attrs, resource);
  const io = extractObservationIO(attrs, events, scopeName);
  const isLangfuseSdk = scopeName.startsWith('langfuse-sdk');
  // The AI SDK reports an agent's usage on its steps as well; counting the agent span too would double it.
  const agentSpan = scopeName === 'ai' && ['invoke_agent', 'agent_step'].includes(String(attrs['gen_ai.operation.name']));

  const observationBody = defined({
    id: spanId,
    traceId,
    parentObservationId: parentId,
    name,
    startTime,
    endTime: new Date(endMs).toISOString(),
    environment,
    completionStartTime: extractCompletionStartTime(attrs, startMs),
    metadata: {
      ...extractMetadata(resource, 'trace'),
      ...extractMetadata(attrs, 'observation'),
      ...extractExperiment(attrs),
      ...(isLangfuseSdk ? {} : { attributes: leftoverAttributes(attrs) }),
      resourceAttributes: resource,
      scope: { name: scopeName, version: ctx.scope.version, attributes: ctx.scope.attributes },
    },
    level: extractLevel(attrs, status.code),
    statusMessage: extractStatusMessage(attrs, status.message),
    version: extractVersion(attrs, resource),
    model: agentSpan ? undefined : extractModel(attrs),
    modelParameters: extractModelParameters(attrs, scopeName),
    usageDetails: agentSpan ? undefined : extractUsage(attrs, scopeName),
    costDetails: agentSpan ? undefined : extractCost(attrs),
    ...extractPrompt(attrs, type),
    input: io.input,
    output: io.output,
  });

  const isRoot = !parentId || String(attrs[LF.AS_ROOT]) === 'true';
  const kind: TraceEventKind = isRoot ? 'root' : hasTraceUpdates(attrs) ? 'update' : 'shallow';
  let traceBody: Record<string, unknown> = { id: traceId, timestamp: startTime, environment };
  if (kind !== 'shallow') {
    const rawName = attrs[LF.TRACE_NAME] ?? (isRoot ? name : undefined);
    const traceIO = isRoot ? extractTraceIO(attrs, io) : extractTraceIO(attrs, {});
    traceBody = {
      ...traceBody,
      name: rawName === undefined ? undefined : String(rawName).slice(0, MAX_TRACE_NAME),
      metadata: nonEmpty({ ...extractMetadata(resource, 'trace'), ...extractMetadata(attrs, 'trace'), ...(isRoot ? extractExperiment(attrs) : {}) }),
      version: extractVersion(attrs, resource),
      release: extractRelease(attrs, resource),
      userId: extractUserId(attrs),
      sessionId: extractSessionId(attrs),
      public: extractPublic(attrs),
      tags: extractTags(attrs),
      input: traceIO.input,
      output: traceIO.output,
    };
  }

  return {
    traceId,
    observation: { id: eventId('otel', traceId, spanId), type: `${type.toLowerCase()}-create`, timestamp: startTime, body: observationBody },
    trace: { kind, event: { id: eventId('otel-trace', traceId, spanId), type: 'trace-create', timestamp: startTime, body: defined(traceBody) } },
  };
}
