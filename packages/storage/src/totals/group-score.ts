/*
 * Sorting the sessions and users lists by one score name: a group's value is the mean of that
 * name's scores on its traces (and, for a session, on the session itself), as a trace's value is
 * the mean of its scores of the name (traces/search-traces.ts). Ingestion keeps each group's
 * count and exact sum per name (group_score_sums, totals/group-score-sums.ts), so a page walks
 * group_score_sums_mean a page at a time; groups without such a score come after the others in
 * both directions (queries/missing-last-page.ts).
 */

/** Conditions on a group_score_sums row aliased `x` for the kind and name, joined to the group's id `id`. */
export const scoreSumsOf = (kind: 'session' | 'user', projectId: string, name: string, id: string) => ({
  sql: `x.project_id = ? AND x.kind = '${kind}' AND x.name = ? AND ${id} = x.id`,
  params: [projectId, name],
});

/** A condition: the group `id` has no score of the name. */
export const noScoreSum = (kind: 'session' | 'user', projectId: string, name: string, id: string) => ({
  sql: `NOT EXISTS (SELECT 1 FROM group_score_sums m WHERE m.project_id = ? AND m.kind = '${kind}' AND m.name = ? AND m.id = ${id})`,
  params: [projectId, name],
});
