import { badRequest } from '@sightline/core';
import type { Dataset, DatasetStore } from '@sightline/storage';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

/*
 * JSON Schema checks of dataset items (a dataset's `inputSchema` / `expectedOutputSchema`), as
 * Langfuse does them: draft-07 through ajv, non-strict (unknown keywords are allowed), every
 * error collected. `format` is not checked (Langfuse loads ajv-formats; we have no format set).
 */

// One ajv instance for all schemas; compiled validators are cached by the schema's JSON text.
// `addUsedSchema: false` keeps schemas that carry an `$id` from colliding in ajv's own registry.
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, addUsedSchema: false });
const MAX_CACHED = 256;
const cache = new Map<string, ValidateFunction>();

export type SchemaField = 'inputSchema' | 'expectedOutputSchema';
const FIELD_OF: Record<SchemaField, 'input' | 'expectedOutput'> = { inputSchema: 'input', expectedOutputSchema: 'expectedOutput' };

/** The compiled validator of `schema` (compiled once, then served from a bounded cache); an invalid schema is a 400 naming `field`. */
export function compileSchema(schema: unknown, field: SchemaField): ValidateFunction {
  const key = JSON.stringify(schema);
  const hit = cache.get(key);
  if (hit) {
    // Refresh its place: the cache evicts the least recently used.
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  if (typeof schema !== 'boolean' && (typeof schema !== 'object' || schema === null || Array.isArray(schema))) {
    throw badRequest(`${field}: must be a JSON Schema (an object or a boolean)`);
  }
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(schema);
  } catch (err) {
    throw badRequest(`${field}: is not a valid JSON Schema: ${err instanceof Error ? err.message : String(err)}`);
  }
  cache.set(key, validate);
  if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value!);
  return validate;
}

/** `input/answer: must be string (rule 'type' at #/properties/answer/type)` — the first error, naming the value's path and the schema rule. */
function describe(field: string, errors: ErrorObject[] | null | undefined): string {
  const e = errors?.[0];
  if (!e) return `${field}: does not match the dataset's schema`;
  const more = errors!.length > 1 ? ` (and ${errors!.length - 1} more)` : '';
  return `${field}${e.instancePath}: ${e.message ?? 'is invalid'} (rule '${e.keyword}' at ${e.schemaPath} of the dataset's ${field}Schema)${more}`;
}

/** Item fields to check: null or absent ones are not checked (an item need not have an expected output). */
export interface ItemValues {
  input?: unknown;
  expectedOutput?: unknown;
}

/**
 * A 400 when a given input or expected output does not match the dataset's schema. `where`
 * prefixes the message (e.g. `items[3].` for an import row).
 */
export function checkItem(dataset: Pick<Dataset, 'inputSchema' | 'expectedOutputSchema'>, item: ItemValues, where = ''): void {
  for (const schemaField of ['inputSchema', 'expectedOutputSchema'] as const) {
    const schema = dataset[schemaField];
    const field = FIELD_OF[schemaField];
    const value = item[field];
    if (schema === null || schema === undefined || value === undefined || value === null) continue;
    const validate = compileSchema(schema, schemaField);
    if (!validate(value)) throw badRequest(`${where}${describe(field, validate.errors)}`);
  }
}

const PAGE = 500;

/**
 * Checks new schemas before a dataset is created or changed: each must compile, and, as in
 * Langfuse, the dataset's existing items (archived ones too) must match them, else a 400 naming
 * the first item that does not.
 */
export async function checkNewSchemas(store: DatasetStore, projectId: string, name: string, schemas: { inputSchema?: unknown; expectedOutputSchema?: unknown }): Promise<void> {
  const given = { inputSchema: schemas.inputSchema ?? null, expectedOutputSchema: schemas.expectedOutputSchema ?? null };
  if (given.inputSchema === null && given.expectedOutputSchema === null) return;
  if (given.inputSchema !== null) compileSchema(given.inputSchema, 'inputSchema');
  if (given.expectedOutputSchema !== null) compileSchema(given.expectedOutputSchema, 'expectedOutputSchema');
  const existing = await store.get(projectId, name);
  if (!existing) return;
  // Clients that re-create their dataset on every run send the same schemas: nothing to re-check.
  const changed = (field: SchemaField) => given[field] !== null && JSON.stringify(given[field]) !== JSON.stringify(existing[field]) ? given[field] : null;
  const toCheck = { inputSchema: changed('inputSchema'), expectedOutputSchema: changed('expectedOutputSchema') };
  if (toCheck.inputSchema === null && toCheck.expectedOutputSchema === null) return;
  for (let page = 1; ; page++) {
    const { rows } = await store.listItems(projectId, { datasetId: existing.id, includeArchived: true, page, limit: PAGE });
    for (const item of rows) checkItem(toCheck, item, `existing item '${item.id}' of dataset '${name}' does not match the new schema: `);
    if (rows.length < PAGE) return;
  }
}
