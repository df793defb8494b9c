/**
 * The JSONPath subset variable mappings accept: `$`, then any of `.key`, `['key']`, `["key"]`,
 * `[3]`, `[-1]` (from the end), `.*` / `[*]` (every element or value) and `..key` (that key at
 * any depth). Enough to pick a message or a metadata field; filters and slices are refused.
 */
export type PathSegment =
  | { kind: 'key'; key: string }
  | { kind: 'index'; index: number }
  | { kind: 'wildcard' }
  | { kind: 'descendant'; key: string };

const NAME = /^[A-Za-z_$][\w$-]*/;

/** The segments of `path`, or the reason it is not a JSONPath of the accepted subset. */
export function parseJsonPath(path: string): { segments: PathSegment[] } | { error: string } {
  if (!path.startsWith('$')) return { error: 'must start with $' };
  const segments: PathSegment[] = [];
  let i = 1;
  while (i < path.length) {
    const rest = path.slice(i);
    if (rest.startsWith('..')) {
      const m = NAME.exec(rest.slice(2));
      if (!m) return { error: `expected a key after '..' at position ${i}` };
      segments.push({ kind: 'descendant', key: m[0] });
      i += 2 + m[0].length;
    } else if (rest.startsWith('.*')) {
      segments.push({ kind: 'wildcard' });
      i += 2;
    } else if (rest.startsWith('.')) {
      const m = NAME.exec(rest.slice(1));
      if (!m) return { error: `expected a key after '.' at position ${i}` };
      segments.push({ kind: 'key', key: m[0] });
      i += 1 + m[0].length;
    } else if (rest.startsWith('[')) {
      const m = /^\[(?:(\*)|(-?\d+)|'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\]/.exec(rest);
      if (!m) return { error: `expected [index], [*] or ['key'] at position ${i}` };
      if (m[1]) segments.push({ kind: 'wildcard' });
      else if (m[2] !== undefined) segments.push({ kind: 'index', index: Number(m[2]) });
      else segments.push({ kind: 'key', key: (m[3] ?? m[4]).replace(/\\(.)/g, '$1') });
      i += m[0].length;
    } else {
      return { error: `unexpected '${path[i]}' at position ${i}` };
    }
  }
  return { segments };
}

const children = (v: unknown): unknown[] => (Array.isArray(v) ? v : v !== null && typeof v === 'object' ? Object.values(v) : []);

function step(values: unknown[], s: PathSegment): unknown[] {
  const out: unknown[] = [];
  for (const v of values) {
    if (s.kind === 'wildcard') out.push(...children(v));
    else if (s.kind === 'index') {
      if (Array.isArray(v)) {
        const at = s.index < 0 ? v.length + s.index : s.index;
        if (at >= 0 && at < v.length) out.push(v[at]);
      }
    } else if (s.kind === 'key') {
      if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.hasOwn(v, s.key)) out.push((v as Record<string, unknown>)[s.key]);
    } else {
      const stack = [v];
      while (stack.length > 0) {
        const node = stack.shift();
        if (node !== null && typeof node === 'object' && !Array.isArray(node) && Object.hasOwn(node, s.key)) out.push((node as Record<string, unknown>)[s.key]);
        stack.push(...children(node));
      }
    }
  }
  return out;
}

/**
 * The values `path` selects in `value`: one value for a definite path, an array when a wildcard or
 * descendant segment may select several, undefined when nothing matches.
 *
 * @example
 * readJsonPath({ messages: [{ content: 'a' }, { content: 'b' }] }, '$.messages[-1].content') // 'b'
 */
export function readJsonPath(value: unknown, path: string): unknown {
  const parsed = parseJsonPath(path);
  if ('error' in parsed) throw new Error(`invalid JSONPath ${path}: ${parsed.error}`);
  const found = parsed.segments.reduce<unknown[]>(step, [value]);
  const definite = parsed.segments.every((s) => s.kind === 'key' || s.kind === 'index');
  if (definite) return found[0];
  return found.length === 0 ? undefined : found;
}
