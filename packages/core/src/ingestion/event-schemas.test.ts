import { describe, expect, it } from 'vitest';
import { validateEvent } from './event-schemas.js';

const ts = '2024-01-01T00:00:00.000Z';

describe('validateEvent', () => {
  it('accepts a minimal trace-create', () => {
    expect(validateEvent({ id: 'e', type: 'trace-create', timestamp: ts, body: { id: 't' } }).ok).toBe(true);
  });

  it('rejects an event id with a carriage return', () => {
    const r = validateEvent({ id: 'a\rb', type: 'trace-create', timestamp: ts, body: {} });
    expect(r).toMatchObject({ ok: false, id: 'a\rb', message: 'Invalid request data' });
    expect(!r.ok && r.error).toContain('ID cannot contain carriage return characters');
  });

  it('requires a timezone on the envelope timestamp', () => {
    const r = validateEvent({ id: 'e', type: 'trace-create', timestamp: '2024-01-01T00:00:00', body: {} });
    expect(!r.ok && r.error).toMatch(/^timestamp: /);
  });

  it('names an unknown event type', () => {
    const r = validateEvent({ id: 'e', type: 'nope', timestamp: ts, body: {} });
    expect(!r.ok && r.error).toContain('unknown event type "nope"');
  });

  it('limits trace names to 1000 characters', () => {
    const r = validateEvent({ id: 'e', type: 'trace-create', timestamp: ts, body: { name: 'x'.repeat(1001) } });
    expect(!r.ok && r.error).toContain('body.name');
  });

  it('rejects float usage counts and a prompt name without version', () => {
    const usage = validateEvent({ id: 'e', type: 'generation-create', timestamp: ts, body: { id: 'g', usage: { input: 1.5 } } });
    expect(!usage.ok && usage.error).toContain('body.usage.input');
    const prompt = validateEvent({ id: 'e', type: 'generation-create', timestamp: ts, body: { id: 'g', promptName: 'p' } });
    expect(!prompt.ok && prompt.error).toContain('promptName and promptVersion must be given together');
  });

  it('requires an observation id', () => {
    expect(validateEvent({ id: 'e', type: 'span-create', timestamp: ts, body: { name: 'x' } }).ok).toBe(false);
  });

  it.each([
    [{ name: 's', value: 1 }, 'exactly one of traceId, sessionId or datasetRunId'],
    [{ name: 's', value: 1, traceId: 't', sessionId: 's' }, 'exactly one of traceId, sessionId or datasetRunId'],
    [{ name: 's', value: 1, observationId: 'o', sessionId: 's' }, 'observationId requires traceId'],
    [{ name: 's', value: 'x', traceId: 't', dataType: 'NUMERIC' }, 'NUMERIC score needs a number'],
    [{ name: 's', value: 2, traceId: 't', dataType: 'BOOLEAN' }, 'BOOLEAN score needs the value 0 or 1'],
    [{ name: '', value: 1, traceId: 't' }, 'name must not be empty'],
  ])('validates score rules %#', (body, message) => {
    const r = validateEvent({ id: 'e', type: 'score-create', timestamp: ts, body });
    expect(!r.ok && r.error).toContain(message);
  });
});

describe('NUL characters', () => {
  it('are refused in ids, names and tags, naming the field, but kept inside input/output/metadata', () => {
    const bad = validateEvent({ id: 'e', type: 'trace-create', timestamp: ts, body: { id: 't', userId: 'a\u0000b' } });
    expect(!bad.ok && bad.error).toContain('body.userId: must not contain NUL');
    const tag = validateEvent({ id: 'e', type: 'trace-create', timestamp: ts, body: { tags: ['x\u0000'] } });
    expect(!tag.ok && tag.error).toContain('body.tags.0');
    expect(validateEvent({ id: 'e\u0000', type: 'trace-create', timestamp: ts, body: {} }).ok).toBe(false);
    expect(validateEvent({ id: 'e', type: 'trace-create', timestamp: ts, body: { input: 'a\u0000b', metadata: { k: '\u0000' } } }).ok).toBe(true);
  });
});
