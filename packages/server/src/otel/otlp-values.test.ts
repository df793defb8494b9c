import { describe, expect, it } from 'vitest';
import { anyValueToJs, keyValuesToObject, nanosToMs, parseId } from './otlp-values.js';

const HEX_TRACE = '0123456789abcdef0123456789abcdef';
const bytes = Buffer.from(HEX_TRACE, 'hex');

describe('parseId', () => {
  it('keeps strings as they are (OTLP/JSON sends hex)', () => {
    expect(parseId(HEX_TRACE)).toBe(HEX_TRACE);
    expect(parseId('not-hex-but-kept')).toBe('not-hex-but-kept');
  });

  it('hex-encodes bytes given as a Buffer, a Uint8Array, a number array or a JSON-serialised Buffer', () => {
    expect(parseId(bytes)).toBe(HEX_TRACE);
    expect(parseId(new Uint8Array(bytes))).toBe(HEX_TRACE);
    expect(parseId([...bytes])).toBe(HEX_TRACE);
    expect(parseId(JSON.parse(JSON.stringify(bytes)))).toBe(HEX_TRACE);
    expect(parseId({ data: [...bytes] })).toBe(HEX_TRACE);
  });

  it('treats empty and unusable values as absent', () => {
    for (const v of [undefined, null, '', Buffer.alloc(0), [], 42, { foo: 'bar' }]) expect(parseId(v)).toBeUndefined();
  });
});

describe('nanosToMs', () => {
  const ns = '1795467598987204303';
  it('reads decimal strings, numbers and protobuf Longs, truncating to ms', () => {
    expect(nanosToMs(ns)).toBe(1795467598987);
    expect(nanosToMs(1_700_000_000_123_000_000)).toBe(1700000000123);
    const n = BigInt(ns);
    const long = { low: Number(n & 0xffffffffn) | 0, high: Number(n >> 32n), unsigned: false };
    expect(nanosToMs(long)).toBe(1795467598987);
    expect(nanosToMs({ ...long, low: Number(n & 0xffffffffn), unsigned: true })).toBe(1795467598987);
  });

  it('gives undefined for absent, zero and garbage values', () => {
    for (const v of [undefined, null, '', '0', 0, 'abc', { low: 'x' }]) expect(nanosToMs(v)).toBeUndefined();
  });
});

describe('anyValueToJs', () => {
  it('converts every AnyValue kind to plain JavaScript', () => {
    expect(anyValueToJs({ stringValue: 's' })).toBe('s');
    expect(anyValueToJs({ boolValue: false })).toBe(false);
    expect(anyValueToJs({ intValue: 0 })).toBe(0);
    expect(anyValueToJs({ intValue: '20451' })).toBe(20451);
    expect(anyValueToJs({ intValue: { low: 5, high: 0 } })).toBe(5);
    expect(anyValueToJs({ intValue: { low: -1, high: -1 } })).toBe(-1);
    expect(anyValueToJs({ intValue: '9007199254740993' })).toBe('9007199254740993');
    expect(anyValueToJs({ doubleValue: 0.5 })).toBe(0.5);
    expect(anyValueToJs({ doubleValue: '1.5' })).toBe(1.5);
    expect(anyValueToJs({ arrayValue: { values: [{ stringValue: 'a' }, { intValue: 2 }] } })).toEqual(['a', 2]);
    expect(anyValueToJs({ kvlistValue: { values: [{ key: 'k', value: { boolValue: true } }] } })).toEqual({ k: true });
    expect(anyValueToJs({ bytesValue: Buffer.from('hi') })).toBe(Buffer.from('hi').toString('base64'));
    expect(anyValueToJs({})).toBeNull();
    expect(anyValueToJs({ weird: 1 })).toBe('{"weird":1}');
  });

  it('turns a KeyValue list into an object', () => {
    expect(keyValuesToObject([{ key: 'a', value: { stringValue: 'x' } }, { key: 'b', value: { intValue: 1 } }, { nokey: true }])).toEqual({ a: 'x', b: 1 });
    expect(keyValuesToObject(undefined)).toEqual({});
  });
});
