import { LEVELS, OBSERVATION_TYPES } from '@sightline/core';
import type { EvaluationTarget, RuleFilter, Storage } from '@sightline/storage';
import { evalError } from './eval-errors.js';

/** How a filter column compares: its operators and the value each needs. */
type ColumnKind = 'string' | 'nullableString' | 'options' | 'arrayOptions' | 'object' | 'ids';

const STRING_OPS = ['=', '!=', 'contains', 'does not contain', 'starts with'];
const OPTION_OPS = ['any of', 'none of'];
const NULL_OPS = ['is null', 'is not null'];
const NUMBER_OPS = ['=', '>', '<', '>=', '<='];

const OPERATORS: Record<ColumnKind, string[]> = {
  string: [...STRING_OPS, ...OPTION_OPS],
  nullableString: [...STRING_OPS, ...OPTION_OPS, ...NULL_OPS],
  options: ['=', '!=', ...OPTION_OPS],
  arrayOptions: [...OPTION_OPS, 'all of'],
  object: [...new Set([...STRING_OPS, ...NUMBER_OPS, ...OPTION_OPS, ...NULL_OPS])],
  ids: OPTION_OPS,
};

const TRACE_COLUMNS: Record<string, ColumnKind> = {
  name: 'nullableString',
  userId: 'nullableString',
  sessionId: 'nullableString',
  tags: 'arrayOptions',
  environment: 'string',
  release: 'nullableString',
  version: 'nullableString',
  metadata: 'object',
};

/**
 * The filter columns of each target, in the vocabulary of `RuleFilter` (types.ts). Observation
 * rules also filter on their trace's fields; experiment rules on the dataset only, as Langfuse.
 */
export const RULE_FILTER_COLUMNS: Record<EvaluationTarget, Record<string, ColumnKind>> = {
  trace: TRACE_COLUMNS,
  observation: { ...TRACE_COLUMNS, type: 'options', level: 'options', model: 'nullableString' },
  experiment: { datasetId: 'ids' },
};

/** Columns whose values form a closed set. */
const ALLOWED_VALUES: Record<string, readonly string[]> = { type: OBSERVATION_TYPES, level: LEVELS };

export const MAX_FILTERS = 50;

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string');

/** Throws `invalid_filter_value` naming the condition, the column and the rule it breaks. */
export function checkFilters(target: EvaluationTarget, filter: RuleFilter[], field = 'filter'): void {
  if (filter.length > MAX_FILTERS) throw evalError('invalid_filter_value', `${field}: at most ${MAX_FILTERS} conditions`, { field });
  const columns = RULE_FILTER_COLUMNS[target];
  filter.forEach((f, i) => {
    const at = `${field}[${i}]`;
    const fail = (rule: string, extra: Record<string, unknown> = {}) =>
      evalError('invalid_filter_value', `${at}: ${rule}`, { field: at, column: f.column, ...extra });
    const kind = Object.hasOwn(columns, f.column) ? columns[f.column] : undefined;
    if (!kind) throw fail(`column '${f.column}' cannot filter target ${target}; use one of ${Object.keys(columns).join(', ')}`, { invalidValues: [f.column], allowedValues: Object.keys(columns) });
    const ops = OPERATORS[kind];
    if (!ops.includes(f.operator)) throw fail(`operator '${f.operator}' does not apply to ${f.column}; use one of ${ops.join(', ')}`, { invalidValues: [f.operator], allowedValues: ops });
    if (kind === 'object' && !f.key) throw fail(`a ${f.column} condition needs the key to compare`);
    if (kind !== 'object' && f.key) throw fail(`key applies only to metadata conditions`);
    if (NULL_OPS.includes(f.operator)) return;
    if (OPTION_OPS.includes(f.operator) || f.operator === 'all of') {
      if (!isStrings(f.value)) throw fail(`'${f.operator}' needs a non-empty array of strings`);
      const allowed = ALLOWED_VALUES[f.column];
      const bad = allowed ? f.value.filter((v) => !allowed.includes(v)) : [];
      if (bad.length > 0) throw fail(`${f.column} has no value ${bad.join(', ')}; use one of ${allowed.join(', ')}`, { invalidValues: bad, allowedValues: [...allowed] });
      return;
    }
    const numeric = ['>', '<', '>=', '<='].includes(f.operator);
    const isNumber = typeof f.value === 'number' && Number.isFinite(f.value);
    // A metadata value may equal a number as well as a string.
    const ok = numeric ? isNumber : typeof f.value === 'string' || (kind === 'object' && f.operator === '=' && isNumber);
    if (!ok) throw fail(`'${f.operator}' needs a ${numeric ? 'number' : 'string'} value`);
    const allowed = ALLOWED_VALUES[f.column];
    if (allowed && !allowed.includes(f.value as string)) throw fail(`${f.column} has no value ${String(f.value)}; use one of ${allowed.join(', ')}`, { invalidValues: [f.value], allowedValues: [...allowed] });
  });
}

/**
 * Langfuse's filter `type` (its discriminator) for a stored condition: what the column holds
 * and how the operator compares it.
 */
export function filterType(target: EvaluationTarget, f: RuleFilter): string {
  const kind = RULE_FILTER_COLUMNS[target][f.column] as ColumnKind | undefined;
  if (NULL_OPS.includes(f.operator)) return 'null';
  if (kind === 'object') {
    if (OPTION_OPS.includes(f.operator)) return 'categoryOptions';
    return typeof f.value === 'number' ? 'numberObject' : 'stringObject';
  }
  if (kind === 'arrayOptions') return 'arrayOptions';
  if (OPTION_OPS.includes(f.operator) || kind === 'options' || kind === 'ids') return 'stringOptions';
  return typeof f.value === 'number' ? 'number' : 'string';
}

/** Throws `invalid_filter_value` naming the `datasetId` values that are no dataset of the project (ids, not names, as Langfuse). */
export async function checkDatasetIds(storage: Storage, projectId: string, filter: RuleFilter[], field = 'filter'): Promise<void> {
  for (const [i, f] of filter.entries()) {
    if (f.column !== 'datasetId' || !Array.isArray(f.value)) continue;
    const missing: string[] = [];
    for (const id of f.value as string[]) if (!(await storage.datasets.getById(projectId, id))) missing.push(id);
    if (missing.length > 0) {
      throw evalError('invalid_filter_value', `${field}[${i}]: the project has no dataset with the id ${missing.join(', ')}; use dataset ids from GET /api/public/v2/datasets`, {
        field: `${field}[${i}]`, column: 'datasetId', invalidValues: missing,
      });
    }
  }
}
