import { badRequest } from '@sightline/core';
import type { SqlDialect } from '../db.js';
import type { FilterCondition } from '../types.js';
import { FILTER_COLUMNS, FILTER_OPERATORS, type ColumnSpec, type FilterEntity, type FilterType } from './filter-columns.js';
import { concat, escapeLike, hasTag, placeholders, type Fragment } from './where.js';

export type { FilterEntity } from './filter-columns.js';

const LIKE_PATTERNS: Record<string, (v: string) => string> = {
  contains: (v) => `%${v}%`,
  'does not contain': (v) => `%${v}%`,
  'starts with': (v) => `${v}%`,
  'ends with': (v) => `%${v}`,
};

/**
 * Compiles Langfuse `filter` conditions into SQL conditions over the entity's table, aliased
 * `alias`. Every user value is bound; unknown columns, operators or ill-typed values throw a
 * 400 that names the condition and the rule.
 */
export function compileFilter(entity: FilterEntity, filter: readonly FilterCondition[], d: SqlDialect, alias: string): Fragment[] {
  return filter.map((cond, i) => compileCondition(entity, cond, i, d, alias));
}

function compileCondition(entity: FilterEntity, cond: FilterCondition, i: number, d: SqlDialect, alias: string): Fragment {
  const at = `filter[${i}]`;
  if (typeof cond !== 'object' || cond === null) throw badRequest(`${at}: must be an object with type, column, operator and value`);
  const columns = FILTER_COLUMNS[entity];
  const spec = Object.hasOwn(columns, cond.column) ? columns[cond.column] : undefined;
  if (!spec) {
    throw badRequest(`${at}.column: unknown column ${JSON.stringify(cond.column)} for ${entity}; expected one of ${Object.keys(columns).join(', ')}`);
  }
  if (!spec.types.includes(cond.type)) {
    throw badRequest(`${at}.type: ${JSON.stringify(cond.type)} is not valid for column "${cond.column}"; expected one of ${spec.types.join(', ')}`);
  }
  const ops = FILTER_OPERATORS[cond.type];
  if (!ops.includes(cond.operator)) {
    throw badRequest(`${at}.operator: ${JSON.stringify(cond.operator)} is not valid for type ${cond.type}; expected one of ${ops.map((o) => `"${o}"`).join(', ')}`);
  }
  const value = (rule: string, ok: (v: unknown) => boolean): void => {
    if (!ok(cond.value)) throw badRequest(`${at}.value: must be ${rule} for type ${cond.type}`);
  };
  const expr = columnExpr(spec, cond, at, d, alias);
  const op = cond.operator;
  switch (cond.type) {
    case 'datetime': {
      value('an ISO-8601 datetime string', (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v) && !Number.isNaN(Date.parse(v)));
      return use(expr, `${op} ?`, Date.parse(cond.value as string));
    }
    case 'string':
    case 'stringObject':
      value('a string', (v) => typeof v === 'string');
      if (cond.type === 'stringObject' && op === '=' && spec.containment && d.name === 'postgres' && notJsonScalarText(cond.value as string)) {
        return containment(`${alias}.${spec.column}`, cond.key!, cond.value as string);
      }
      return stringCondition(expr, op, cond.value as string, d);
    case 'number':
    case 'numberObject':
      value('a finite number', (v) => typeof v === 'number' && Number.isFinite(v));
      return use(cond.type === 'numberObject' ? numericText(expr) : expr, `${op} ?`, cond.value);
    case 'boolean':
      value('a boolean', (v) => typeof v === 'boolean');
      return use(expr, `${op} ?`, d.bool(cond.value as boolean));
    case 'stringOptions':
      value('an array of strings', isStringArray);
      return optionsCondition(expr, op, cond.value as string[]);
    case 'arrayOptions':
      value('an array of strings', isStringArray);
      return tagsCondition(alias, op, cond.value as string[]);
    case 'null':
      return use(expr, op === 'is null' ? 'IS NULL' : 'IS NOT NULL');
  }
}

/**
 * True when no JSON value but a string has `v` as its text (`->>`): `v` is not the text of a
 * number, boolean, object or array. For such a value `(j ->> key) = v` holds exactly when `j`
 * contains `{key: v}` (a string inside an array is not contained below the top level).
 */
function notJsonScalarText(v: string): boolean {
  try {
    const parsed: unknown = JSON.parse(v);
    return parsed === null || typeof parsed === 'string';
  } catch {
    return true;
  }
}

/**
 * `key = v` on PostgreSQL as containment, `j @> {key: v}`: the GIN index of the column serves a
 * rare value, and the planner's statistics of that index's expression tell a common value from a
 * rare one (it walks the time index for a common one) — which it cannot for `j ->> key`.
 */
function containment(column: string, key: string, v: string): Fragment {
  return { sql: `${column}::jsonb @> CAST(? AS jsonb)`, params: [JSON.stringify({ [key]: v })] };
}

const isStringArray = (v: unknown): boolean => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** The SQL expression a condition tests; for JSON columns the text of `cond.key`. */
function columnExpr(spec: ColumnSpec, cond: FilterCondition, at: string, d: SqlDialect, alias: string): Fragment {
  const column = `${alias}.${spec.column}`;
  if (spec.kind !== 'json') return { sql: column, params: [] };
  if (typeof cond.key !== 'string' || cond.key === '') throw badRequest(`${at}.key: required (a non-empty string) for type ${cond.type}`);
  const j = d.jsonText(column, cond.key);
  // CAST gives the same text for numbers on every engine (SQLite's json_extract returns them as numbers).
  return { sql: `CAST(${j.sql} AS TEXT)`, params: j.params };
}

/** `expr tail`, binding the expression's own parameters before `params`. */
const use = (expr: Fragment, tail: string, ...params: unknown[]): Fragment => concat(expr, ` ${tail}`, { sql: '', params });

function stringCondition(expr: Fragment, op: string, v: string, d: SqlDialect): Fragment {
  if (op === '=') return use(expr, '= ?', v);
  const pattern = LIKE_PATTERNS[op](escapeLike(v));
  const like = `${d.ilike} ? ESCAPE '\\'`;
  if (op !== 'does not contain') return use(expr, like, pattern);
  // A missing value does not contain anything.
  return concat(expr, ' IS NULL OR ', expr, ` NOT ${like}`, { sql: '', params: [pattern] });
}

function optionsCondition(expr: Fragment, op: string, values: string[]): Fragment {
  if (values.length === 0) return { sql: op === 'any of' ? '1 = 0' : '1 = 1', params: [] };
  const list = `(${placeholders(values.length)})`;
  if (op === 'any of') return use(expr, `IN ${list}`, ...values);
  return concat(expr, ' IS NULL OR ', expr, ` NOT IN ${list}`, { sql: '', params: values });
}

function tagsCondition(alias: string, op: string, tags: string[]): Fragment {
  const project = `${alias}.project_id`;
  const trace = `${alias}.id`;
  if (op === 'all of') {
    if (tags.length === 0) return { sql: '1 = 1', params: [] };
    return { sql: tags.map(() => hasTag(project, trace)).join(' AND '), params: tags };
  }
  if (tags.length === 0) return { sql: op === 'any of' ? '1 = 0' : '1 = 1', params: [] };
  const some = `EXISTS (SELECT 1 FROM trace_tags tt WHERE tt.project_id = ${project} AND tt.trace_id = ${trace} AND tt.tag IN (${placeholders(tags.length)}))`;
  return { sql: op === 'any of' ? some : `NOT ${some}`, params: tags };
}

/**
 * The numeric value of a text expression, or NULL when it is not a plain decimal number.
 * Checked before casting because PostgreSQL rejects a bad cast instead of yielding NULL.
 */
function numericText(t: Fragment): Fragment {
  const s: Fragment = { sql: '0123456789'.split('').reduce((acc, c) => `REPLACE(${acc}, '${c}', '')`, t.sql), params: t.params };
  return concat(
    'CASE WHEN LENGTH(', t, ') BETWEEN 1 AND 30',
    ' AND ', s, " IN ('', '.', '-', '-.') AND LENGTH(", s, ') < LENGTH(', t, ')',
    ' AND (', s, " NOT LIKE '-%' OR ", t, " LIKE '-%')",
    ' THEN CAST(', t, ' AS DOUBLE PRECISION) END',
  );
}

export type { FilterType };
