import type { ObservationRecord } from '@sightline/core';
import type { Db, Row, SqlDialect } from '../db.js';
import { rowToObservation } from '../mappers.js';
import type { Page, Paged } from '../types.js';
import type { ObservationQuery } from './observation-store.js';
import { observationWhere } from './observation-where.js';
import { pageParams } from '../queries/where.js';

/** GET /observations (v1): one page, newest start time first, with the total count. */
export async function listObservations(db: Db, d: SqlDialect, projectId: string, q: ObservationQuery & Page): Promise<Paged<ObservationRecord>> {
  const w = observationWhere(d, projectId, q);
  const count = await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM observations o ${w.sql}`, w.params);
  const rows = await db.all<Row>(`SELECT o.* FROM observations o ${w.sql} ORDER BY o.start_time DESC, o.id DESC LIMIT ? OFFSET ?`, [
    ...w.params,
    ...pageParams(q.page, q.limit),
  ]);
  return { rows: rows.map(rowToObservation), totalItems: Number(count?.n ?? 0) };
}
