import { describe, expect, it } from 'vitest';
import { idProblem, validateExport } from './validate-export.js';

const T = 'bb14c33c23138873afcc5e6f3c2b5f61';
const S = 'cb00000daff4e5ae';
const exportOf = (spans: unknown[]) => [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: 's' }, spans }] }];

describe('idProblem', () => {
  it('accepts hex strings and bytes of the OTLP length, and passes other strings through', () => {
    expect(idProblem(T, 'traceId')).toBeNull();
    expect(idProblem(Buffer.from(S, 'hex'), 'spanId')).toBeNull();
    expect(idProblem([...Buffer.from(T, 'hex')], 'traceId')).toBeNull();
    expect(idProblem({ type: 'Buffer', data: [...Buffer.from(S, 'hex')] }, 'spanId')).toBeNull();
    expect(idProblem(Buffer.from(T, 'hex').toString('base64'), 'traceId')).toBeNull();
  });

  it('rejects absent ids, wrong lengths and non-ids', () => {
    expect(idProblem(undefined, 'traceId')).toBe('is absent');
    expect(idProblem('', 'spanId')).toBe('is absent');
    expect(idProblem(Buffer.from([107]), 'traceId')).toContain('must be 32 hex characters');
    expect(idProblem(T, 'spanId')).toContain('must be 16 hex characters');
    expect(idProblem(42, 'traceId')).toBe('is not a hex string or bytes');
  });
});

describe('validateExport', () => {
  it('accepts well-formed exports, empty lists and null entries', () => {
    expect(validateExport(exportOf([{ traceId: T, spanId: S, attributes: [], events: [] }]))).toBeNull();
    expect(validateExport([])).toBeNull();
    expect(validateExport([null, { scopeSpans: [null, { spans: [] }] }])).toBeNull();
  });

  it('counts only the offending spans and names each problem', () => {
    const msg = validateExport(exportOf([{ traceId: T, spanId: S }, { traceState: 'INFO' }, { traceId: T, spanId: S, attributes: { k: 'v' } }]));
    expect(msg).toMatch(/^Invalid OTLP trace export: 2 of 3 span\(s\) cannot be processed/);
    expect(msg).toContain('resourceSpans[0].scopeSpans[0].spans[1]: traceId is absent, spanId is absent');
    expect(msg).toContain('spans[2]: attributes must be a list of {key, value} pairs');
  });

  it('rejects non-array scopeSpans, spans, events and event attributes', () => {
    expect(validateExport([{ scopeSpans: {} }])).toContain('resourceSpans[0].scopeSpans must be an array');
    expect(validateExport([{ scopeSpans: [{ spans: 'x' }] }])).toContain('scopeSpans[0].spans must be an array');
    expect(validateExport(exportOf([{ traceId: T, spanId: S, events: {} }]))).toContain('events must be an array');
    expect(validateExport(exportOf([{ traceId: T, spanId: S, events: [{ name: 'e', attributes: { a: 1 } }] }]))).toContain('events[].attributes');
    expect(validateExport([{ resource: { attributes: { a: 1 } }, scopeSpans: [] }])).toContain('resource.attributes must be a list');
  });
});
