import { badRequest } from '@sightline/core';

/**
 * A small JSONPath subset for variable mappings: `$`, `.key`, `['key']` / `["key"]`, `[n]`,
 * `[-1]` (from the end), `[*]` / `.*` (every element or value) and `..key` (the key at any depth).
 * No filters or scripts: a path is only ever a walk, so a rule cannot make the server evaluate code.
 */
export type PathStep = { kind: 'key'; key: string } | { kind: 'index'; index: number } | { kind: 'all' } | { kind: 'deep'; key: string };

const MAX_PATH = 500;

/** The steps of `path`; a 400 naming the offending position when it is not in the subset. */
export function parseJsonPath(path: string, field = 'jsonPath'): PathStep[] {
  const bad = (at: number, rule: string) => badRequest(`${field}: ${rule} at position ${at} of ${JSON.stringify(path)}`);
  if (path.length > MAX_PATH) throw badRequest(`${field}: at most ${MAX_PATH} characters`);
  const s = path.trim();
  let i = 0;
  if (s[0] === '$') i = 1;
  const steps: PathStep[] = [];
  const name = /^[A-Za-z_$][\w$-]*/;
  while (i < s.length) {
    if (s.startsWith('..', i)) {
      const m = name.exec(s.slice(i + 2));
      if (!m) throw bad(i, 'expected a key after ".."');
      steps.push({ kind: 'deep', key: m[0] });
      i += 2 + m[0].length;
    } else if (s[i] === '.') {
      if (s[i + 1] === '*') {
        steps.push({ kind: 'all' });
        i += 2;
        continue;
      }
      const m = name.exec(s.slice(i + 1));
      if (!m) throw bad(i, 'expected a key after "."');
      steps.push({ kind: 'key', key: m[0] });
      i += 1 + m[0].length;
    } else if (s[i] === '[') {
      const close = s.indexOf(']', i);
      if (close < 0) throw bad(i, 'unclosed "["');
      const inner = s.slice(i + 1, close).trim();
      if (inner === '*') steps.push({ kind: 'all' });
      else if (/^-?\d+$/.test(inner)) steps.push({ kind: 'index', index: Number(inner) });
      else if (/^'[^']*'$|^"[^"]*"$/.test(inner)) steps.push({ kind: 'key', key: inner.slice(1, -1) });
      else throw bad(i, 'a bracket holds a quoted key, an integer index or *');
      i = close + 1;
    } else if (steps.length === 0 && i === 0) {
      // A bare key path (`messages[0]`) is read as `$.messages[0]`.
      const m = name.exec(s);
      if (!m) throw bad(i, 'a path starts with $, a key, "." or "["');
      steps.push({ kind: 'key', key: m[0] });
      i = m[0].length;
    } else throw bad(i, `unexpected ${JSON.stringify(s[i])}`);
  }
  return steps;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function deepFind(value: unknown, key: string, out: unknown[]): void {
  if (Array.isArray(value)) for (const v of value) deepFind(v, key, out);
  else if (isObject(value)) {
    if (Object.hasOwn(value, key)) out.push(value[key]);
    for (const v of Object.values(value)) deepFind(v, key, out);
  }
}

/**
 * The value at `path` in `root`: one value for a plain walk, an array of matches once the path
 * holds `*` or `..`; undefined when nothing matches.
 */
export function evaluateJsonPath(root: unknown, path: string | PathStep[]): unknown {
  const steps = typeof path === 'string' ? parseJsonPath(path) : path;
  let current: unknown[] = [root];
  let many = false;
  for (const step of steps) {
    const next: unknown[] = [];
    for (const v of current) {
      if (step.kind === 'key') {
        if (isObject(v) && Object.hasOwn(v, step.key)) next.push(v[step.key]);
      } else if (step.kind === 'index') {
        if (Array.isArray(v)) {
          const at = step.index < 0 ? v.length + step.index : step.index;
          if (at >= 0 && at < v.length) next.push(v[at]);
        }
      } else if (step.kind === 'all') {
        many = true;
        if (Array.isArray(v)) next.push(...v);
        else if (isObject(v)) next.push(...Object.values(v));
      } else {
        many = true;
        deepFind(v, step.key, next);
      }
    }
    current = next;
  }
  if (many) return current.length === 0 ? undefined : current;
  return current[0];
}
