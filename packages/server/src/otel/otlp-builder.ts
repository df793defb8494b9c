/**
 * Builds OTLP/JSON trace exports from plain values, for tests and benchmarks.
 *
 * @example
 * otlpExport([otlpSpan({ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), name: 'chat', attributes: { 'gen_ai.request.model': 'gpt-4o' } })])
 */

/** A plain value as an OTLP `AnyValue` (integers as intValue, other numbers as doubleValue). */
export function toAnyValue(v: unknown): Record<string, unknown> {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { intValue: v } : { doubleValue: v };
  if (Array.isArray(v)) return { arrayValue: { values: v.map(toAnyValue) } };
  if (typeof v === 'object' && v !== null) return { kvlistValue: { values: toKeyValues(v as Record<string, unknown>) } };
  return {};
}

export const toKeyValues = (attrs: Record<string, unknown>) => Object.entries(attrs).map(([key, value]) => ({ key, value: toAnyValue(value) }));

export interface SpanSpec {
  traceId: unknown;
  spanId: unknown;
  parentSpanId?: unknown;
  name?: string;
  /** Epoch ms; defaults to 2024-01-01T00:00:00Z. */
  startMs?: number;
  endMs?: number;
  attributes?: Record<string, unknown>;
  events?: { name: string; attributes?: Record<string, unknown> }[];
  status?: { code?: number; message?: string };
}

const nanos = (ms: number) => `${BigInt(ms) * 1_000_000n}`;

export function otlpSpan(s: SpanSpec): Record<string, unknown> {
  const start = s.startMs ?? Date.parse('2024-01-01T00:00:00.000Z');
  return {
    traceId: s.traceId,
    spanId: s.spanId,
    ...(s.parentSpanId === undefined ? {} : { parentSpanId: s.parentSpanId }),
    name: s.name ?? 'span',
    kind: 1,
    startTimeUnixNano: nanos(start),
    endTimeUnixNano: nanos(s.endMs ?? start + 100),
    attributes: toKeyValues(s.attributes ?? {}),
    events: (s.events ?? []).map((e) => ({ name: e.name, timeUnixNano: nanos(start), attributes: toKeyValues(e.attributes ?? {}) })),
    status: s.status ?? {},
  };
}

export interface ExportOptions {
  resource?: Record<string, unknown>;
  scope?: { name: string; version?: string; attributes?: Record<string, unknown> };
}

/** One resource with one scope holding `spans`. */
export function otlpExport(spans: Record<string, unknown>[], options: ExportOptions = {}): { resourceSpans: unknown[] } {
  const scope = options.scope ?? { name: 'test-scope', version: '1.0.0' };
  return {
    resourceSpans: [
      {
        resource: { attributes: toKeyValues(options.resource ?? { 'service.name': 'test' }) },
        scopeSpans: [{ scope: { name: scope.name, version: scope.version, attributes: toKeyValues(scope.attributes ?? {}) }, spans }],
      },
    ],
  };
}
