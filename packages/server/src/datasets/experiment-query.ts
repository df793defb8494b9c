import { badRequest } from '@sightline/core';
import type { FilterCondition } from '@sightline/storage';

/**
 * Cursors of the experiment lists: a versioned base64url token holding the offset of the next
 * page, so a client treats it as opaque and the format can change with the version.
 */
export function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ v: 1, offset })).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { v?: unknown; offset?: unknown };
    if (parsed.v === 1 && Number.isSafeInteger(parsed.offset) && Number(parsed.offset) >= 0) return Number(parsed.offset);
  } catch {
    // falls through to the 400
  }
  throw badRequest('cursor: is not a cursor this server returned; pass meta.cursor of the previous page unchanged');
}

/** The `fields` groups requested; `fallback` when the parameter is absent. Unknown groups are a 400 naming the allowed ones. */
export function fieldGroups(fields: string[] | undefined, allowed: readonly string[], fallback: readonly string[]): Set<string> {
  const groups = fields ?? fallback;
  const unknown = groups.filter((g) => !allowed.includes(g));
  if (unknown.length > 0) throw badRequest(`fields: unknown group '${unknown[0]}'; allowed are ${allowed.join(', ')}`);
  return new Set(groups);
}

/**
 * Folds `filter` conditions on the supported columns into value lists (`=` one value, `any of`
 * a list), merged with the comma-separated parameters of the same column.
 */
export function filterLists(filter: FilterCondition[] | undefined, columns: Record<string, string[] | undefined>): Record<string, string[] | undefined> {
  const out = { ...columns };
  for (const [i, f] of (filter ?? []).entries()) {
    if (!Object.hasOwn(columns, f.column)) throw badRequest(`filter[${i}].column: must be one of ${Object.keys(columns).join(', ')}`);
    const values = f.operator === '=' && typeof f.value === 'string' ? [f.value] : f.operator === 'any of' && Array.isArray(f.value) && f.value.every((v) => typeof v === 'string') ? (f.value) : null;
    if (!values) throw badRequest(`filter[${i}]: supports operator '=' with a string value or 'any of' with a list of strings`);
    const prior = out[f.column];
    out[f.column] = prior ? prior.filter((v) => values.includes(v)) : values;
  }
  return out;
}
