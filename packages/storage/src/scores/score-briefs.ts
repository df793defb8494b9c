import type { ScoreDataType, ScoreSource } from '@sightline/core';
import type { Db, Row, SqlDialect } from '../db.js';
import { chunks, placeholders } from '../queries/where.js';
import type { ScoreBrief } from './score-store.js';

const byTime = (a: Row, b: Row): number => {
  const dt = Number(a.timestamp) - Number(b.timestamp);
  return dt !== 0 ? dt : String(a.id) < String(b.id) ? -1 : String(a.id) > String(b.id) ? 1 : 0;
};

/** The first `perTrace` scores of each given trace (by timestamp), without comments and metadata. */
export async function scoreBriefs(db: Db, d: SqlDialect, projectId: string, traceIds: string[], perTrace: number): Promise<Map<string, ScoreBrief[]>> {
  const out = new Map<string, ScoreBrief[]>();
  for (const ids of chunks(traceIds, d.maxParams - 1)) {
    // Sorted here, not by SQL: with an ORDER BY timestamp SQLite's planner walks the project-wide
    // time index (scores_time) over every score of the project instead of the trace index, so
    // the rows of a page of 50 traces cost a scan of all scores (×8 from 10k to 100k traces).
    const scores = await db.all<Row>(
      `SELECT id, trace_id, name, value, string_value, data_type, source, observation_id, timestamp FROM scores
        WHERE project_id = ? AND trace_id IN (${placeholders(ids.length)})`,
      [projectId, ...ids],
    );
    scores.sort(byTime);
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
