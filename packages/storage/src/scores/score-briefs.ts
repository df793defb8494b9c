import type { ScoreDataType, ScoreSource } from '@sightline/core';
import type { Db, Row, SqlDialect } from '../db.js';
import { chunks, placeholders } from '../queries/where.js';
import type { ScoreBrief } from './score-store.js';

/** The first `perTrace` scores of each given trace (by timestamp), without comments and metadata. */
export async function scoreBriefs(db: Db, d: SqlDialect, projectId: string, traceIds: string[], perTrace: number): Promise<Map<string, ScoreBrief[]>> {
  const out = new Map<string, ScoreBrief[]>();
  for (const ids of chunks(traceIds, d.maxParams - 1)) {
    const scores = await db.all<Row>(
      `SELECT id, trace_id, name, value, string_value, data_type, source, observation_id FROM scores
        WHERE project_id = ? AND trace_id IN (${placeholders(ids.length)}) ORDER BY timestamp, id`,
      [projectId, ...ids],
    );
    for (const s of scores) {
      const traceId = String(s.trace_id);
      let briefs = out.get(traceId);
      if (!briefs) out.set(traceId, (briefs = []));
      if (briefs.length >= perTrace) continue;
      briefs.push({
        id: String(s.id),
        name: String(s.name),
        value: Number(s.value),
        stringValue: s.string_value === null || s.string_value === undefined ? null : String(s.string_value),
        dataType: String(s.data_type) as ScoreDataType,
        source: String(s.source) as ScoreSource,
        observationId: s.observation_id === null || s.observation_id === undefined ? null : String(s.observation_id),
      });
    }
  }
  return out;
}
