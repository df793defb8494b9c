import { badRequest, SCORE_DATA_TYPES, SCORE_SOURCES, type ScoreRecord } from '@sightline/core';
import { SCORE_SORT_FIELDS, type ScoreCursor, type ScoreFilter, type ScoreSortField, type Storage } from '@sightline/storage';
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { enumParam, intParam, listParam, numberParam, parseQuery } from '../query/parse-params.js';
import type { ScoreDistributionsResponse, ScorePageResponse, ScoreRow } from './api-types.js';
import type { UiEnv } from './ui-env.js';

const BINS = 10;
const msParam = z.string().regex(/^\d+$/, 'must be epoch milliseconds').transform(Number).optional();

const filterSchema = {
  name: listParam,
  source: enumParam(SCORE_SOURCES),
  dataType: enumParam(SCORE_DATA_TYPES),
  min: numberParam,
  max: numberParam,
  from: msParam,
  to: msParam,
};
const listSchema = z.object({ ...filterSchema, sort: z.string().optional(), cursor: z.string().optional(), limit: intParam({ min: 1, max: 200, fallback: 50 }) });

function toFilter(p: { name?: string[]; source?: string; dataType?: string; min?: number; max?: number; from?: number; to?: number }): ScoreFilter {
  if (p.min !== undefined && p.max !== undefined && p.min > p.max) throw badRequest('min: must not be greater than max');
  return { names: p.name, source: p.source, dataType: p.dataType, minValue: p.min, maxValue: p.max, fromTimestamp: p.from, toTimestamp: p.to };
}

const cursorText = (c: ScoreCursor | null): string | null => (c ? Buffer.from(JSON.stringify([c.value, c.id])).toString('base64url') : null);

function parseCursor(s: string | undefined): ScoreCursor | undefined {
  if (s === undefined) return undefined;
  try {
    const [value, id] = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as unknown[];
    if ((typeof value === 'string' || typeof value === 'number') && typeof id === 'string') return { value, id };
  } catch {
    // reported below
  }
  throw badRequest('cursor: must be the nextCursor of a previous page');
}

function parseSort(s: string | undefined): { field: ScoreSortField; direction: 'asc' | 'desc' } {
  const [field = 'timestamp', direction = 'desc'] = (s ?? 'timestamp.desc').split('.');
  if (!(SCORE_SORT_FIELDS as readonly string[]).includes(field) || (direction !== 'asc' && direction !== 'desc')) {
    throw badRequest(`sort: must be <field>.<asc|desc> with field one of ${SCORE_SORT_FIELDS.join(', ')}`);
  }
  return { field: field as ScoreSortField, direction };
}

/** Who gave a score through the UI (the review screen and score forms record the email). */
const author = (s: ScoreRecord): string | null => (typeof s.metadata.annotatedBy === 'string' ? s.metadata.annotatedBy : null);

/** The scores page: all of a project's scores, filtered and sorted, and their distributions per name (any member). */
export function registerScoresPageRoute(ui: Hono<UiEnv>, storage: Storage): void {
  const projectId = (c: Context<UiEnv>) => c.get('member').projectId;

  ui.get('/projects/:projectId/scores', async (c) => {
    const p = parseQuery(c, listSchema, ['name']);
    const page = await storage.scores.search(projectId(c), { ...toFilter(p), sort: parseSort(p.sort), limit: p.limit, cursor: parseCursor(p.cursor) });
    const data: ScoreRow[] = page.rows.map((s) => ({ ...s, author: author(s) }));
    return c.json({ data, nextCursor: cursorText(page.nextCursor) } satisfies ScorePageResponse);
  });

  // Distributions ignore the value range: they show where values fall, a range would only cut the picture.
  ui.get('/projects/:projectId/scores/distributions', async (c) => {
    const p = parseQuery(c, z.object(filterSchema), ['name']);
    const data = await storage.scores.distributions(projectId(c), { ...toFilter(p), minValue: undefined, maxValue: undefined }, BINS);
    return c.json({ data } satisfies ScoreDistributionsResponse);
  });
}
