import { describe, expect, it } from 'vitest';
import { normalizeEnvironment } from './environment.js';

describe('normalizeEnvironment', () => {
  it.each([
    [undefined, 'default'],
    ['Production', 'production'],
    ['langfuse-staging', 'staging'],
    ['langfuse_langfuse-dev', 'dev'],
    ['.invalidcharacter!', 'default'],
    ['', 'default'],
    ['a'.repeat(50), 'a'.repeat(40)],
    ['langfuse', 'default'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeEnvironment(input)).toBe(expected);
  });
});
