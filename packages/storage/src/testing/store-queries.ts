import { AppError } from '@sightline/core';
import { expect } from 'vitest';
import type { ObservationQuery, ScoreQuery, TraceQuery } from '../storage.js';

/** Epoch ms of 2024-01-01 plus `hours`. */
export const h = (hours: number) => Date.UTC(2024, 0, 1) + hours * 3_600_000;
/** Epoch ms of 2024-01-01 plus `minutes`. */
export const m = (minutes: number) => Date.UTC(2024, 0, 1) + minutes * 60_000;
export const iso = (ms: number) => new Date(ms).toISOString();
/** The ids of a page or a list of rows, in order. */
export const ids = (r: { rows: { id: string }[] } | { id: string }[]) => ('rows' in r ? r.rows : r).map((x) => x.id);

/** A trace query: the first page of 50, without aggregates, plus `over`. */
export const tq = (over: Partial<TraceQuery> = {}): TraceQuery => ({
  page: 1, limit: 50, withObservations: false, withScores: false, withMetrics: false, ...over,
});
/** A score query: the first page of 50, plus `over`. */
export const sq = (over: Partial<ScoreQuery> = {}): ScoreQuery => ({ page: 1, limit: 50, ...over });
/** An observation query: the first page of 50, plus `over`. */
export const oq = (over: Partial<ObservationQuery> = {}) => ({ page: 1, limit: 50, ...over });

/** Asserts that `p` rejects with a 400 `AppError` whose message matches `pattern`. */
export async function expectBadRequest(p: Promise<unknown>, pattern: RegExp): Promise<void> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).status).toBe(400);
  expect((err as AppError).message).toMatch(pattern);
}
