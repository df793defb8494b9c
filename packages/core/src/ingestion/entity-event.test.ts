import { describe, expect, it } from 'vitest';
import { toEntityEvent } from './entity-event.js';
import { validateEvent } from './event-schemas.js';

const ts = '2024-01-01T00:00:00.000Z';
const metadataOf = (metadata: unknown) => {
  const v = validateEvent({ id: 'e', type: 'span-create', timestamp: ts, body: { id: 's', traceId: 't', metadata } });
  if (!v.ok) throw new Error(v.error);
  const e = toEntityEvent(v.event);
  return e?.kind === 'observation' ? e.change.metadata : undefined;
};

describe('metadata of an entity event', () => {
  it('has NUL replaced by U+FFFD in strings and keys at any depth (PostgreSQL jsonb cannot hold it)', () => {
    expect(metadataOf({ a: 'x\u0000y', deep: { list: [1, 'p\u0000', { 'k\u0000': true }] }, clean: 'ok' })).toEqual({
      a: 'x\uFFFDy', deep: { list: [1, 'p\uFFFD', { 'k\uFFFD': true }] }, clean: 'ok',
    });
    expect(metadataOf('just \u0000 text')).toEqual({ metadata: 'just \uFFFD text' });
  });

  it('is the value sent when it holds no NUL, and wraps a non-object value', () => {
    const text = '{"region":"eu","nested":{"n":1,"list":["a",null,false]},"__proto__":"an own key"}';
    const kept = metadataOf(JSON.parse(text)) as Record<string, unknown>;
    expect(JSON.stringify(kept)).toBe(text);
    expect(Object.hasOwn(kept, '__proto__')).toBe(true);
    expect(metadataOf(['a', 2])).toEqual({ metadata: ['a', 2] });
    expect(metadataOf(null)).toBeUndefined();
  });
});
