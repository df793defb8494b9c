import { describe, expect, it } from 'vitest';
import { parseMediaRef, splitMediaRefs } from './media-refs.js';

const REF = '@@@langfuseMedia:type=image/png|id=AbC-_12345678901234567|source=base64_data_uri@@@';

describe('media references in text', () => {
  it('parses what the SDKs write', () => {
    expect(parseMediaRef(REF)).toEqual({ text: REF, contentType: 'image/png', mediaId: 'AbC-_12345678901234567' });
  });

  it('leaves look-alikes as text: no type, no id, or an id that could not be one', () => {
    for (const text of ['@@@langfuseMedia:garbage@@@', '@@@langfuseMedia:type=image/png|source=x@@@', '@@@langfuseMedia:type=image/png|id=../x|source=x@@@', `x${REF}`]) {
      expect(parseMediaRef(text), text).toBeNull();
    }
    expect(splitMediaRefs('@@@langfuseMedia:garbage@@@ and more')).toEqual(['@@@langfuseMedia:garbage@@@ and more']);
  });

  it('splits running text around references, in order', () => {
    const parts = splitMediaRefs(`before ${REF} middle ${REF}`);
    expect(parts.map((p) => (typeof p === 'string' ? p : p.mediaId))).toEqual(['before ', 'AbC-_12345678901234567', ' middle ', 'AbC-_12345678901234567']);
    expect(splitMediaRefs('no media here')).toEqual(['no media here']);
  });
});
