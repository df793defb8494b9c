import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanBody } from './batch-texts.js';
import { nestedDeeperThan } from './read-json.js';

/** JSON text of `v` with whitespace of the given kinds between every token, and `\uXXXX` escapes in some strings. */
function write(v: unknown, ws: readonly string[], next: () => number): string {
  const pad = () => ws[Math.floor(next() * ws.length)];
  const str = (s: string) => (next() < 0.3 ? `"${[...s].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}"` : JSON.stringify(s));
  if (Array.isArray(v)) return `[${pad()}${v.map((x) => write(x, ws, next)).join(`${pad()},${pad()}`)}${pad()}]`;
  if (v !== null && typeof v === 'object') {
    return `{${pad()}${Object.entries(v).map(([k, x]) => `${str(k)}${pad()}:${pad()}${write(x, ws, next)}`).join(`${pad()},${pad()}`)}${pad()}}`;
  }
  return typeof v === 'string' ? str(v) : JSON.stringify(v);
}

const tricky = fc.constantFrom('batch', '"', '\\', '[', ']', '{', '}', ',', ':', 'ü', '😀', ' ', '\n');
const text = fc.array(fc.oneof(tricky, fc.string({ maxLength: 4 })), { maxLength: 4 }).map((parts) => parts.join(''));
const value = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.constant(null), fc.boolean(), fc.double({ noNaN: true, noDefaultInfinity: true }), text, fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(text, tie('v'), { maxKeys: 3 })),
})).v;

describe('the text of each batch element', () => {
  it('parses to the element JSON.parse gives, without the whitespace around it, however the body is written', () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 6 }), fc.dictionary(text, value, { maxKeys: 3 }), fc.constantFrom([''], ['', ' ', '\n  ', '\t', '\r\n']), fc.integer(), (batch, others, ws, seed) => {
        let s = seed;
        const next = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x80000000);
        const body = { ...others, batch };
        const json = write(body, ws, next);
        const scan = scanBody(json, 100);
        expect(scan.batch).not.toBeNull();
        expect(scan.batch!.map((t) => JSON.parse(t))).toEqual(JSON.parse(json).batch);
        for (const t of scan.batch!) expect(t).toBe(t.trim());
      }),
      { numRuns: 400 },
    );
  });

  it('are those of the last top-level batch key, as JSON.parse keeps it; nested batch keys and escaped keys are told apart', () => {
    const json = '{"batch":[1,2],"meta":{"batch":[9]},"b\\u0061tch":[ {"batch":[7]} , "x" ],"other":[5]}';
    expect(JSON.parse(json).batch).toEqual([{ batch: [7] }, 'x']);
    expect(scanBody(json, 100).batch).toEqual(['{"batch":[7]}', '"x"']);
    expect(scanBody('{"batch":[1],"batch":{"a":[2]}}', 100).batch).toEqual(['1']);
    expect(scanBody('{"batch":[]}', 100).batch).toEqual([]);
  });

  it('are absent when the top level holds no batch array', () => {
    expect(scanBody('[{"batch":[1]}]', 100).batch).toBeNull();
    expect(scanBody('{"batch":"[1,2]"}', 100).batch).toBeNull();
    expect(scanBody('{"events":[1]}', 100).batch).toBeNull();
  });

  it('come with the nesting depth, measured like nestedDeeperThan on any text, valid JSON or not', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('[', ']', '{', '}', '"', '\\', 'a', ',', ':', '"batch"', '"b\\x"'), { maxLength: 60 }), fc.integer({ min: 0, max: 8 }), (parts, max) => {
        const t = parts.join('');
        expect(scanBody(t, max).depth > max).toBe(nestedDeeperThan(t, max));
      }),
      { numRuns: 500 },
    );
  });
});
