import { describe, expect, it } from 'vitest';
import { fieldLimitError, MAX_ID_BYTES, MAX_NAME_BYTES } from './field-limits.js';

describe('field limits', () => {
  it('accepts ids up to the limit, counted in UTF-8 bytes', () => {
    expect(fieldLimitError('e1', { id: 'x'.repeat(MAX_ID_BYTES), name: 'n'.repeat(MAX_NAME_BYTES), tags: ['t'.repeat(MAX_ID_BYTES)] })).toBeNull();
    // 334 three-byte characters are 1002 bytes.
    expect(fieldLimitError('e1', { traceId: '語'.repeat(334) })).toBe('body.traceId: must be at most 1000 bytes (UTF-8); got 1002');
  });

  it('names the field that is too long: ids, names, tags and the envelope id', () => {
    expect(fieldLimitError('e1', { id: 'x'.repeat(MAX_ID_BYTES + 1) })).toMatch(/^body\.id: must be at most 1000 bytes/);
    expect(fieldLimitError('e1', { userId: 'u'.repeat(5000) })).toMatch(/^body\.userId:/);
    expect(fieldLimitError('e1', { model: 'm'.repeat(MAX_NAME_BYTES + 1) })).toMatch(/^body\.model: must be at most 2000 bytes/);
    expect(fieldLimitError('e1', { tags: ['ok', 't'.repeat(1001)] })).toMatch(/^body\.tags\[1\]:/);
    expect(fieldLimitError('😀'.repeat(251), {})).toMatch(/^id: must be at most 1000 bytes \(UTF-8\); got 1004/);
  });

  it('ignores non-string values (the schema judges those) and bodies that are not objects', () => {
    expect(fieldLimitError('e1', { id: 5, tags: 'x' })).toBeNull();
    expect(fieldLimitError('e1', null)).toBeNull();
  });
});
