/** A `@@@langfuseMedia:type=…|id=…|source=…@@@` reference, as the Langfuse SDKs write them into inputs and outputs. */
export interface MediaRef {
  /** The whole reference text, shown when it cannot be resolved. */
  text: string;
  contentType: string;
  mediaId: string;
}

const REFERENCE = /@@@langfuseMedia:(.+?)@@@/g;
const MEDIA_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The reference's fields; null for text that only looks like one (then it stays text). */
export function parseMediaRef(text: string): MediaRef | null {
  const m = /^@@@langfuseMedia:(.+?)@@@$/.exec(text);
  if (!m) return null;
  const fields = new Map(m[1].split('|').map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)] as const));
  const contentType = fields.get('type');
  const mediaId = fields.get('id');
  if (!contentType || !mediaId || !MEDIA_ID.test(mediaId)) return null;
  return { text, contentType, mediaId };
}

/** Splits text into plain pieces and references, in order; text without references is one piece. */
export function splitMediaRefs(text: string): (string | MediaRef)[] {
  if (!text.includes('@@@langfuseMedia:')) return [text];
  const out: (string | MediaRef)[] = [];
  let last = 0;
  for (const m of text.matchAll(REFERENCE)) {
    const ref = parseMediaRef(m[0]);
    if (!ref) continue;
    if (m.index > last) out.push(text.slice(last, m.index));
    out.push(ref);
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}
