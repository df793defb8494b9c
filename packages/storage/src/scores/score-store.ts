import type { ScoreDataType, ScoreRecord, ScoreSource } from '@sightline/core';
import type { SqlDialect, WritableDb } from '../db.js';
import type { FilterCondition, Page, Paged } from '../types.js';
import { deleteScore } from './delete-score.js';
import { getScore } from './get-score.js';
import { listScores } from './list-scores.js';
import { listScoresOfTraces } from './list-scores-of-traces.js';
import { scoreBriefs } from './score-briefs.js';
import { scoreDistributions, type ScoreDistribution } from './score-distributions.js';
import { searchScores, type ScoreFilter, type ScoreSearchPage, type ScoreSearchQuery } from './search-scores.js';

export type { ScoreDistribution } from './score-distributions.js';
export type { ScoreCursor, ScoreFilter, ScoreSearchPage, ScoreSearchQuery, ScoreSortField } from './search-scores.js';

export interface ScoreQuery extends Page {
  userId?: string;
  name?: string;
  fromTimestamp?: number;
  toTimestamp?: number;
  environment?: string[];
  source?: string;
  operator?: '<' | '>' | '<=' | '>=' | '!=' | '=';
  value?: number;
  scoreIds?: string[];
  configId?: string;
  sessionId?: string;
  datasetRunId?: string;
  traceId?: string;
  observationId?: string;
  queueId?: string;
  dataType?: string;
  traceTags?: string[];
  filter?: FilterCondition[];
  /** Any of these numeric values (v3 `value` for NUMERIC and BOOLEAN scores). */
  values?: number[];
  /** Any of these string values (v3 `value` for CATEGORICAL scores). */
  stringValues?: string[];
  /** Keyset paging: only scores after this one in the list order (timestamp desc, id desc). */
  after?: { timestamp: number; id: string };
  /** Skip counting the matches (cursor-paged lists report no total); `totalItems` is then -1. */
  skipCount?: boolean;
}

export interface ScoreWithTrace extends ScoreRecord {
  trace: { userId: string | null; tags: string[]; environment: string; sessionId: string | null } | null;
}

/** A score without its comment and metadata: what a list of traces shows of it. */
export interface ScoreBrief {
  id: string;
  name: string;
  value: number;
  stringValue: string | null;
  dataType: ScoreDataType;
  source: ScoreSource;
  observationId: string | null;
}

/** Scores. Every call is scoped by project. */
export interface ScoreStore {
  list(projectId: string, q: ScoreQuery): Promise<Paged<ScoreWithTrace>>;
  /** All scores of the given traces, ordered by timestamp asc. */
  ofTraces(projectId: string, traceIds: string[]): Promise<ScoreRecord[]>;
  /** The first `perTrace` scores of each given trace (by timestamp), briefly. */
  briefsOfTraces(projectId: string, traceIds: string[], perTrace: number): Promise<Map<string, ScoreBrief[]>>;
  get(projectId: string, id: string): Promise<ScoreRecord | null>;
  /** The scores page: any sort order, keyset pages. */
  search(projectId: string, q: ScoreSearchQuery): Promise<ScoreSearchPage>;
  /** Per score name: a histogram of numeric values, counts of the other types' labels. */
  distributions(projectId: string, f: ScoreFilter, bins: number): Promise<ScoreDistribution[]>;
  /** True when the score existed. */
  delete(projectId: string, id: string): Promise<boolean>;
}

export function createScoreStore(db: WritableDb, d: SqlDialect): ScoreStore {
  return {
    list: (projectId, q) => listScores(db, d, projectId, q),
    ofTraces: (projectId, traceIds) => listScoresOfTraces(db, d, projectId, traceIds),
    briefsOfTraces: (projectId, traceIds, perTrace) => scoreBriefs(db, d, projectId, traceIds, perTrace),
    get: (projectId, id) => getScore(db, projectId, id),
    search: (projectId, q) => searchScores(db, projectId, q),
    distributions: (projectId, f, bins) => scoreDistributions(db, projectId, f, bins),
    delete: (projectId, id) => db.transaction((tx) => deleteScore(tx, d, projectId, id)),
  };
}
