import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { otlpExport, otlpSpan } from './otlp-builder.js';
import { decodeTraceRequest, encodeTraceRequest } from './otlp-proto.js';

type Decoded = { resourceSpans: { resource: { attributes: unknown[] }; scopeSpans: { scope: { name: string }; spans: Record<string, unknown>[] }[] }[] };

describe('OTLP protobuf decoding', () => {
  it('decodes the request captured from @opentelemetry/exporter-trace-otlp-proto: bytes ids, int64 as decimal strings', () => {
    const pb = readFileSync(new URL('../../../../test/contract/payloads/langfuse-js-v5.11.1_otel_v1_traces_via-otlp-proto-exporter.pb', import.meta.url));
    const decoded = decodeTraceRequest(pb) as Decoded;
    const [scopeSpans] = decoded.resourceSpans[0].scopeSpans;
    expect(scopeSpans.scope.name).toBe('langfuse-sdk');
    const [llm, root] = scopeSpans.spans;
    expect(Buffer.isBuffer(llm.traceId)).toBe(true);
    expect((llm.traceId as Buffer).toString('hex')).toBe('8e9472179040e03afea251c04df8a646');
    expect((llm.parentSpanId as Buffer).toString('hex')).toBe('86e8ac4003c81fc6');
    expect(llm).toMatchObject({ name: 'llm-call', startTimeUnixNano: '1795467652046000000', endTimeUnixNano: '1795467652046390963' });
    expect(root.name).toBe('chat-request');
    expect(decoded.resourceSpans[0].resource.attributes).toContainEqual({ key: 'process.pid', value: { intValue: '21068' } });
  });

  it('round-trips every AnyValue kind, events and status', () => {
    const span = otlpSpan({
      traceId: Buffer.alloc(16, 1),
      spanId: Buffer.alloc(8, 2),
      attributes: { s: 'x', b: false, i: 42, d: 1.5, a: ['y', 3], kv: { k: 'v' } },
      events: [{ name: 'gen_ai.user.message', attributes: { content: 'hi' } }],
      status: { code: 2, message: 'boom' },
    });
    const decoded = decodeTraceRequest(encodeTraceRequest(otlpExport([span]))) as Decoded;
    const out = decoded.resourceSpans[0].scopeSpans[0].spans[0];
    expect(out.attributes).toEqual([
      { key: 's', value: { stringValue: 'x' } },
      { key: 'b', value: { boolValue: false } },
      { key: 'i', value: { intValue: '42' } },
      { key: 'd', value: { doubleValue: 1.5 } },
      { key: 'a', value: { arrayValue: { values: [{ stringValue: 'y' }, { intValue: '3' }] } } },
      { key: 'kv', value: { kvlistValue: { values: [{ key: 'k', value: { stringValue: 'v' } }] } } },
    ]);
    expect(out.events).toEqual([{ name: 'gen_ai.user.message', timeUnixNano: '1704067200000000000', attributes: [{ key: 'content', value: { stringValue: 'hi' } }] }]);
    expect(out.status).toEqual({ code: 2, message: 'boom' });
  });

  it('throws on bytes that are not an export request', () => {
    expect(() => decodeTraceRequest(Uint8Array.from([0x0a, 0xff, 0xff, 0xff]))).toThrow();
  });
});
