import type { Fragment } from '../queries/where.js';

/*
 * Sorting the sessions and users lists by one score name: a group's value is the mean of that
 * name's scores on its traces (and, for a session, on the session itself), as a trace's value is
 * the mean of its scores of the name (traces/search-traces.ts). The groups' values are read from
 * that name's scores only (scores_name_trace, scores_name_session: migrations 17 and 21), so a
 * page costs the name's scores, not the project's traces; groups without such a score come
 * after the others in both directions (queries/missing-last-page.ts).
 */

/** The trace's scores of the name, each with the trace's `group` column (`session_id` or `user_id`). */
const viaTraces = (group: string, projectId: string, name: string): Fragment => ({
  sql: `SELECT t.${group} AS gid, s.value AS v FROM scores s CROSS JOIN traces t
         WHERE s.project_id = ? AND s.name = ? AND s.trace_id IS NOT NULL AND t.project_id = s.project_id AND t.id = s.trace_id AND t.${group} IS NOT NULL`,
  params: [projectId, name],
});

/** `(id, v)` for each session with a score of the name on it or on one of its traces. */
export function sessionScores(projectId: string, name: string): Fragment {
  const traces = viaTraces('session_id', projectId, name);
  return {
    sql: `SELECT u.gid AS id, AVG(u.v) AS v FROM (${traces.sql}
            UNION ALL SELECT s.session_id, s.value FROM scores s WHERE s.project_id = ? AND s.name = ? AND s.session_id IS NOT NULL AND s.trace_id IS NULL) u
          GROUP BY u.gid`,
    params: [...traces.params, projectId, name],
  };
}

/** `(id, v)` for each user with a score of the name on one of their traces. */
export function userScores(projectId: string, name: string): Fragment {
  const traces = viaTraces('user_id', projectId, name);
  return { sql: `SELECT u.gid AS id, AVG(u.v) AS v FROM (${traces.sql}) u GROUP BY u.gid`, params: traces.params };
}
