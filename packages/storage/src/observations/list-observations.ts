import type { ObservationRecord } from '@sightline/core';
import type { Db, Row, SqlDialect } from '../db.js';
import { rowToObservation } from '../mappers.js';
import type { Page, Paged } from '../types.js';
import type { ObservationQuery } from './observation-store.js';
import { observationWhere } from './observation-where.js';
import { boundedTotal, pageTotal } from '../queries/bounded-total.js';
import { pageParams } from '../queries/where.js';

/**
 * GET /observations (v1): one page, newest start time first, with the total: exact up to
 * EXACT_TOTAL_LIMIT matches, beyond that an estimate (`totalEstimated`) — an exact count of a
 * million generations reads a million index entries for every page.
 */
export async function listObservations(db: Db, d: SqlDialect, projectId: string, q: ObservationQuery & Page): Promise<Paged<ObservationRecord>> {
  const w = observationWhere(d, projectId, q);
  const total = await boundedTotal(db, {
    from: { sql: `FROM observations o ${w.sql}`, params: w.params },
    time: 'o.start_time',
    since: q.fromStartTime,
    firstTime: { sql: 'SELECT MIN(start_time) AS m FROM observations WHERE project_id = ?', params: [projectId] },
  });
  const [limit, offset] = pageParams(q.page, q.limit);
  const rows = await db.all<Row>(`SELECT o.* FROM observations o ${w.sql} ORDER BY o.start_time DESC, o.id DESC LIMIT ? OFFSET ?`, [...w.params, limit + 1, offset]);
  const { count, estimated } = pageTotal(total, offset, limit, rows.length);
  return { rows: rows.slice(0, limit).map(rowToObservation), totalItems: count, ...(estimated ? { totalEstimated: true } : {}) };
}
