import type { ScoreRecord } from '@sightline/core';
import type { Db, Row } from '../db.js';
import { rowToScore } from '../mappers.js';
import { Where } from '../queries/where.js';

export const SCORE_SORT_FIELDS = ['timestamp', 'value', 'name'] as const;
export type ScoreSortField = (typeof SCORE_SORT_FIELDS)[number];

/** The filters of the scores page (all optional; ranges are inclusive below, exclusive above for time). */
export interface ScoreFilter {
  names?: string[];
  source?: string;
  dataType?: string;
  minValue?: number;
  maxValue?: number;
  fromTimestamp?: number;
  toTimestamp?: number;
}

/** A position in a sorted list: the sort column's value and the id of the last row seen. */
export interface ScoreCursor {
  value: number | string;
  id: string;
}

export interface ScoreSearchQuery extends ScoreFilter {
  sort: { field: ScoreSortField; direction: 'asc' | 'desc' };
  limit: number;
  cursor?: ScoreCursor;
}

export interface ScoreSearchPage {
  rows: ScoreRecord[];
  nextCursor: ScoreCursor | null;
}

const COLUMN: Record<ScoreSortField, string> = { timestamp: 'timestamp', value: 'value', name: 'name' };

/** The scores page's conditions, shared with the distributions so both describe the same scores. */
export function scoreFilterWhere(projectId: string, f: ScoreFilter): Where {
  return new Where()
    .eq('project_id', projectId)
    .in('name', f.names)
    .eq('source', f.source)
    .eq('data_type', f.dataType)
    .cmp('value', '>=', f.minValue)
    .cmp('value', '<=', f.maxValue)
    .cmp('timestamp', '>=', f.fromTimestamp)
    .cmp('timestamp', '<', f.toTimestamp);
}

/** One keyset page of a project's scores in any sort order (ties broken by id in the same direction). */
export async function searchScores(db: Db, projectId: string, q: ScoreSearchQuery): Promise<ScoreSearchPage> {
  const w = scoreFilterWhere(projectId, q);
  const col = COLUMN[q.sort.field];
  const dir = q.sort.direction === 'asc' ? 'ASC' : 'DESC';
  const op = q.sort.direction === 'asc' ? '>' : '<';
  if (q.cursor) w.add(`(${col} ${op} ? OR (${col} = ? AND id ${op} ?))`, q.cursor.value, q.cursor.value, q.cursor.id);
  const rows = await db.all<Row>(`SELECT * FROM scores ${w.sql} ORDER BY ${col} ${dir}, id ${dir} LIMIT ?`, [...w.params, q.limit + 1]);
  const page = rows.slice(0, q.limit).map(rowToScore);
  const last = page[page.length - 1];
  const nextCursor = rows.length > q.limit && last ? { value: last[q.sort.field], id: last.id } : null;
  return { rows: page, nextCursor };
}
