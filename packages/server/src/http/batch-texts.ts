/**
 * The text of each element of a JSON body's top-level `batch` array, found by one scan of the
 * body: the ingestion route logs each event as the client sent it (the event log's raw text)
 * instead of serialising every parsed event again. The same scan measures the nesting depth,
 * which is refused past a limit before the body is parsed (read-json.ts).
 *
 * The elements are right only for valid JSON (the body is parsed as well; on other text the scan
 * still measures depth and never throws): it tracks strings, depth and the top-level object's keys. Like JSON.parse, the last `batch` key wins. A key written
 * with escapes (`"b\u0061tch"`) is decoded before it is compared.
 */
export interface BodyScan {
  /** The deepest nesting of arrays and objects, or `max + 1` when the scan stopped there. */
  depth: number;
  /** Each element's text, without the whitespace around it; null when the top level has no `batch` array. */
  batch: string[] | null;
}

/** Whether a JSON string literal with escapes decodes to `word` (false when it is not a valid literal). */
function decodes(literal: string, word: string): boolean {
  try {
    return JSON.parse(literal) === word;
  } catch {
    return false;
  }
}

/**
 * Where the string literal opening at `start` closes: the first quote after it not escaped, i.e.
 * not preceded by an odd run of backslashes (what reading it character by character, a backslash
 * skipping the next one, finds), by `indexOf` rather than a step per character; the text's end
 * when it never closes.
 */
function stringEnd(text: string, start: number): number {
  for (let q = text.indexOf('"', start + 1); q >= 0; q = text.indexOf('"', q + 1)) {
    let slashes = 0;
    while (text.charCodeAt(q - 1 - slashes) === 0x5c) slashes++;
    if (slashes % 2 === 0) return q;
  }
  return text.length;
}

const isSpace = (ch: number) => ch === 0x20 || ch === 0x0a || ch === 0x0d || ch === 0x09;

/** Scans `text` (valid JSON); stops once the nesting passes `max` (then `depth` is `max + 1`). */
export function scanBody(text: string, max: number): BodyScan {
  let depth = 0;
  let deepest = 0;
  // Inside the top-level object (depth 1): whether the next string is a key, and whether the last key was `batch`.
  let expectKey = false;
  let batchKey = false;
  // The `batch` array being read (depth 2 inside it): its elements, and where the current one starts.
  let inBatch = false;
  let elementStart = -1;
  let elements: string[] = [];
  let batch: string[] | null = null;
  const endElement = (end: number) => {
    if (elementStart < 0) return;
    let e = end;
    while (e > elementStart && isSpace(text.charCodeAt(e - 1))) e--;
    elements.push(text.slice(elementStart, e));
    elementStart = -1;
  };

  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (isSpace(ch)) continue;
    if (inBatch && depth === 2 && elementStart < 0 && ch !== 0x5d && ch !== 0x2c) elementStart = i;
    if (ch === 0x22) {
      // A string: skip to its closing quote at once (most of a batch is string content).
      const end = stringEnd(text, i);
      if (depth === 1 && expectKey) {
        const raw = text.slice(i, end + 1);
        batchKey = raw === '"batch"' || (raw.includes('\\') && decodes(raw, 'batch'));
        expectKey = false;
      }
      i = end;
    } else if (ch === 0x7b || ch === 0x5b) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (depth > max) return { depth, batch: null };
      }
      if (depth === 1) {
        expectKey = ch === 0x7b;
      } else if (depth === 2 && batchKey && ch === 0x5b) {
        inBatch = true;
        elements = [];
        elementStart = -1;
      }
    } else if (ch === 0x7d || ch === 0x5d) {
      if (inBatch && depth === 2) {
        endElement(i);
        inBatch = false;
        batch = elements;
      }
      depth--;
      if (depth === 1) batchKey = false;
    } else if (ch === 0x2c) {
      if (depth === 1) {
        expectKey = true;
        batchKey = false;
      } else if (inBatch && depth === 2) {
        endElement(i);
      }
    }
  }
  return { depth: deepest, batch };
}
