// Placeholder: each read query lives in its own file (list-traces.ts, get-trace.ts, ...).
import type { ObservationRecord, ScoreRecord, SessionRecord, TraceRecord } from '@sightline/core';
import type { Db, SqlDialect } from '../db.js';
import type { ObservationCursor, ObservationQuery, Page, Paged, ScoreQuery, ScoreWithTrace, SessionQuery, TraceListRow, TraceQuery } from '../storage.js';

const todo = (): never => {
  throw new Error('not implemented');
};
export const listTraces = (_db: Db, _d: SqlDialect, _p: string, _q: TraceQuery): Promise<Paged<TraceListRow>> => todo();
export const getTrace = (_db: Db, _p: string, _id: string): Promise<TraceRecord | null> => todo();
export const deleteTraces = (_db: Db, _d: SqlDialect, _p: string, _ids: string[]): Promise<number> => todo();
export const listObservations = (_db: Db, _d: SqlDialect, _p: string, _q: ObservationQuery & Page): Promise<Paged<ObservationRecord>> => todo();
export const listObservationsAfter = (_db: Db, _d: SqlDialect, _p: string, _q: ObservationQuery & { limit: number; cursor?: ObservationCursor }): Promise<ObservationRecord[]> => todo();
export const listObservationsOfTraces = (_db: Db, _d: SqlDialect, _p: string, _ids: string[]): Promise<ObservationRecord[]> => todo();
export const getObservation = (_db: Db, _p: string, _id: string): Promise<ObservationRecord | null> => todo();
export const listScores = (_db: Db, _d: SqlDialect, _p: string, _q: ScoreQuery): Promise<Paged<ScoreWithTrace>> => todo();
export const listScoresOfTraces = (_db: Db, _d: SqlDialect, _p: string, _ids: string[]): Promise<ScoreRecord[]> => todo();
export const getScore = (_db: Db, _p: string, _id: string): Promise<ScoreRecord | null> => todo();
export const deleteScore = (_db: Db, _p: string, _id: string): Promise<boolean> => todo();
export const listSessions = (_db: Db, _d: SqlDialect, _p: string, _q: SessionQuery): Promise<Paged<SessionRecord>> => todo();
export const getSession = (_db: Db, _p: string, _id: string): Promise<SessionRecord | null> => todo();
