import { badRequest } from '@sightline/core';
import type { SqlDialect } from '../db.js';
import { FILTER_OPERATORS, type FilterType } from '../queries/filter-columns.js';
import { concat, escapeLike, placeholders, type Fragment } from '../queries/where.js';
import type { FilterCondition } from '../types.js';
import type { View } from './view-types.js';

/** What a metrics filter column tests: a dimension, the view's time column, or a metadata key. */
export interface FilterColumn {
  sql: string;
  kind: 'string' | 'number' | 'tags' | 'datetime' | 'metadata';
  joins?: string[];
  traceId?: string;
}

const TYPES: Record<FilterColumn['kind'], readonly FilterType[]> = {
  string: ['string', 'stringOptions', 'null'],
  number: ['number', 'null'],
  tags: ['arrayOptions'],
  datetime: ['datetime'],
  metadata: ['stringObject'],
};

/** Filter columns of a view over its base tables: its dimensions, its time column and `metadata`. */
export function baseFilterColumns(view: View): Record<string, FilterColumn> {
  const out: Record<string, FilterColumn> = {};
  for (const [name, dim] of Object.entries(view.dims)) out[name] = { sql: dim.sql, kind: dim.type, joins: dim.joins, traceId: dim.traceId };
  for (const name of view.timeColumns) out[name] = { sql: view.time, kind: 'datetime' };
  out.metadata = { sql: `${view.alias}.metadata`, kind: 'metadata' };
  return out;
}

/**
 * Compiles metrics filters (the list routes' filter objects, §8) into bound SQL conditions.
 * An unknown column, type, operator or an ill-typed value is a 400 naming `filters[i]`.
 */
export function compileFilters(filters: readonly FilterCondition[], columns: Record<string, FilterColumn>, d: SqlDialect, project: string): Fragment[] {
  return filters.map((cond, i) => compileOne(cond, `filters[${i}]`, columns, d, project));
}

function compileOne(cond: FilterCondition, at: string, columns: Record<string, FilterColumn>, d: SqlDialect, project: string): Fragment {
  const col = Object.hasOwn(columns, cond.column) ? columns[cond.column] : undefined;
  if (!col) throw badRequest(`${at}.column: unknown column ${JSON.stringify(cond.column)}; expected one of ${Object.keys(columns).join(', ')}`);
  const types = TYPES[col.kind];
  if (!types.includes(cond.type)) throw badRequest(`${at}.type: ${JSON.stringify(cond.type)} is not valid for column "${cond.column}"; expected one of ${types.join(', ')}`);
  const ops = FILTER_OPERATORS[cond.type];
  if (!ops.includes(cond.operator)) throw badRequest(`${at}.operator: ${JSON.stringify(cond.operator)} is not valid for type ${cond.type}; expected one of ${ops.map((o) => `"${o}"`).join(', ')}`);
  const check = (rule: string, ok: boolean): void => {
    if (!ok) throw badRequest(`${at}.value: must be ${rule} for type ${cond.type}`);
  };
  const v = cond.value;
  const op = cond.operator;
  switch (cond.type) {
    case 'datetime':
      check('an ISO-8601 datetime string', typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v) && !Number.isNaN(Date.parse(v)));
      return { sql: `${col.sql} ${op} ?`, params: [Date.parse(v as string)] };
    case 'number':
      check('a finite number', typeof v === 'number' && Number.isFinite(v));
      return { sql: `${col.sql} ${op} ?`, params: [v] };
    case 'null':
      return { sql: `${col.sql} ${op === 'is null' ? 'IS NULL' : 'IS NOT NULL'}`, params: [] };
    case 'stringOptions':
      check('an array of strings', isStrings(v));
      return options(col.sql, op, v as string[]);
    case 'arrayOptions':
      check('an array of strings', isStrings(v));
      return tags(project, col.traceId ?? 'NULL', op, v as string[]);
    case 'stringObject': {
      if (typeof cond.key !== 'string' || cond.key === '') throw badRequest(`${at}.key: required (a non-empty string) for type ${cond.type}`);
      check('a string', typeof v === 'string');
      const j = d.jsonText(col.sql, cond.key);
      return text({ sql: `CAST(${j.sql} AS TEXT)`, params: j.params }, op, v as string, d);
    }
    default:
      check('a string', typeof v === 'string');
      return text({ sql: col.sql, params: [] }, op, v as string, d);
  }
}

const isStrings = (v: unknown): boolean => Array.isArray(v) && v.every((x) => typeof x === 'string');

const LIKE: Record<string, (v: string) => string> = {
  contains: (v) => `%${v}%`,
  'does not contain': (v) => `%${v}%`,
  'starts with': (v) => `${v}%`,
  'ends with': (v) => `%${v}`,
};

function text(expr: Fragment, op: string, v: string, d: SqlDialect): Fragment {
  if (op === '=') return concat(expr, ' = ?', { sql: '', params: [v] });
  const like = `${d.ilike} ? ESCAPE '\\'`;
  const pattern = { sql: '', params: [LIKE[op](escapeLike(v))] };
  // A missing value does not contain anything.
  if (op === 'does not contain') return concat(expr, ' IS NULL OR ', expr, ` NOT ${like}`, pattern);
  return concat(expr, ` ${like}`, pattern);
}

function options(expr: string, op: string, values: string[]): Fragment {
  if (values.length === 0) return { sql: op === 'any of' ? '1 = 0' : '1 = 1', params: [] };
  const inList = `IN (${placeholders(values.length)})`;
  return op === 'any of' ? { sql: `${expr} ${inList}`, params: values } : { sql: `${expr} IS NULL OR ${expr} NOT ${inList}`, params: values };
}

function tags(project: string, traceId: string, op: string, values: string[]): Fragment {
  const has = (inList: string) => `EXISTS (SELECT 1 FROM trace_tags tt WHERE tt.project_id = ${project} AND tt.trace_id = ${traceId} AND tt.tag ${inList})`;
  if (values.length === 0) return { sql: op === 'any of' ? '1 = 0' : '1 = 1', params: [] };
  if (op === 'all of') return { sql: values.map(() => has('= ?')).join(' AND '), params: values };
  const some = has(`IN (${placeholders(values.length)})`);
  return { sql: op === 'any of' ? some : `NOT ${some}`, params: values };
}
