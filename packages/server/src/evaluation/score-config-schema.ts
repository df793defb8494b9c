import { BOOLEAN_CATEGORIES, SCORE_CONFIG_DATA_TYPES, badRequest, scoreConfigError, toIso, type ScoreConfigRecord, type ScoreConfigShape } from '@sightline/core';
import { z } from 'zod';

/** Longest description kept (the body limit bounds the rest). */
const DESCRIPTION_MAX = 10_000;
const CATEGORIES_MAX = 100;

const category = z.object({ value: z.number({ error: 'must be a number' }), label: z.string({ error: 'must be a string' }).max(200, 'must be at most 200 characters') });
const categories = z.array(category).max(CATEGORIES_MAX, `must hold at most ${CATEGORIES_MAX} categories`).nullish();
const bound = z.number({ error: 'must be a number' }).nullish();
const description = z.string().max(DESCRIPTION_MAX, `must be at most ${DESCRIPTION_MAX} characters`).nullish();

export const createScoreConfigBody = z.object({
  name: z.string({ error: 'required, a string' }),
  dataType: z.enum(SCORE_CONFIG_DATA_TYPES, { error: `must be one of ${SCORE_CONFIG_DATA_TYPES.join(', ')}` }),
  categories,
  minValue: bound,
  maxValue: bound,
  description,
});

export const updateScoreConfigBody = z.object({
  isArchived: z.boolean({ error: 'must be true or false' }).nullish(),
  name: z.string().nullish(),
  categories,
  minValue: bound,
  maxValue: bound,
  description,
});

/** BOOLEAN configs always carry True = 1 and False = 0; a client may not choose others. */
export function categoriesFor(dataType: ScoreConfigShape['dataType'], given: ScoreConfigShape['categories'] | undefined): ScoreConfigShape['categories'] {
  if (dataType !== 'BOOLEAN') return given ?? null;
  if (given != null) throw badRequest('categories: a BOOLEAN config has the categories True = 1 and False = 0, filled in; leave categories out');
  return BOOLEAN_CATEGORIES.map((c) => ({ ...c }));
}

/** Throws the 400 naming the rule a config breaks. */
export function assertConsistent(shape: ScoreConfigShape): void {
  const error = scoreConfigError(shape);
  if (error) throw badRequest(error);
}

/** The ScoreConfig shape of the public API. */
export const presentScoreConfig = (c: ScoreConfigRecord) => ({
  id: c.id,
  name: c.name,
  projectId: c.projectId,
  dataType: c.dataType,
  isArchived: c.isArchived,
  minValue: c.minValue,
  maxValue: c.maxValue,
  categories: c.categories,
  description: c.description,
  createdAt: toIso(c.createdAt),
  updatedAt: toIso(c.updatedAt),
});

/** A new, checked config of the project from a create body (the public API's and the UI's). */
export function newScoreConfig(projectId: string, id: string, body: z.output<typeof createScoreConfigBody>, now: number): ScoreConfigRecord {
  const config: ScoreConfigRecord = {
    id, projectId, name: body.name, dataType: body.dataType, isArchived: false,
    minValue: body.minValue ?? null, maxValue: body.maxValue ?? null, categories: categoriesFor(body.dataType, body.categories),
    description: body.description ?? null, createdAt: now, updatedAt: now,
  };
  assertConsistent(config);
  return config;
}
