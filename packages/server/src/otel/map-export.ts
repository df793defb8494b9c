import { mapSpan, type IngestionEvent, type SpanContext } from './map-span.js';
import { keyValuesToObject } from './otlp-values.js';

const asObject = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {});
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export interface MappedExport {
  /** Ingestion events: per span an observation create and at most one trace-create. */
  events: IngestionEvent[];
  /** Number of spans mapped. */
  spans: number;
  /** Envelope event id → `<traceId>/<spanId>`-style label of the span it came from. */
  spanOf: Map<string, string>;
}

/**
 * Maps a validated export (`resourceSpans`) to Langfuse ingestion events. Every root span gives
 * a full trace-create and every span with trace-level attributes a partial one; a trace seen
 * only through plain child spans gets one shallow trace-create, dropped when the export holds a
 * fuller one for the same trace.
 */
export function mapExport(resourceSpans: unknown[]): MappedExport {
  const observations: IngestionEvent[] = [];
  const traces: IngestionEvent[] = [];
  const shallow = new Map<string, IngestionEvent>();
  const spanOf = new Map<string, string>();
  for (const resourceSpan of resourceSpans) {
    const resourceAttributes = keyValuesToObject(asObject(asObject(resourceSpan).resource).attributes);
    for (const scopeSpan of asList(asObject(resourceSpan).scopeSpans)) {
      const scope = asObject(asObject(scopeSpan).scope);
      const ctx: SpanContext = {
        resourceAttributes,
        scope: {
          name: typeof scope.name === 'string' ? scope.name : '',
          version: typeof scope.version === 'string' ? scope.version : undefined,
          attributes: keyValuesToObject(scope.attributes),
        },
      };
      for (const span of asList(asObject(scopeSpan).spans)) {
        const mapped = mapSpan(asObject(span), ctx);
        observations.push(mapped.observation);
        const label = `span ${String(mapped.observation.body.id)} of trace ${mapped.traceId}`;
        spanOf.set(mapped.observation.id, label);
        spanOf.set(mapped.trace.event.id, label);
        if (mapped.trace.kind !== 'shallow') traces.push(mapped.trace.event);
        else if (!shallow.has(mapped.traceId)) shallow.set(mapped.traceId, mapped.trace.event);
      }
    }
  }
  const full = new Set(traces.map((e) => e.body.id as string));
  const kept = [...shallow.values()].filter((e) => !full.has(e.body.id as string));
  return { events: [...withPublicKept([...traces, ...kept]), ...observations], spans: observations.length, spanOf };
}

/**
 * A trace event without `public` would reset the flag (the batch merge treats absence as
 * false), so within one export a trace marked public stays public on its other trace events.
 */
function withPublicKept(events: IngestionEvent[]): IngestionEvent[] {
  const publicTraces = new Set(events.filter((e) => e.body.public === true).map((e) => e.body.id as string));
  if (publicTraces.size === 0) return events;
  return events.map((e) => (e.body.public === undefined && publicTraces.has(e.body.id as string) ? { ...e, body: { ...e.body, public: true } } : e));
}
