// The public API's queries on traces, observations, scores and sessions, one per file, as
// SqlStorage calls them: the reads, plus the two deletions (deleteTraces, deleteScore), which
// lock and write like ingestion does. Ingestion itself is in ../ingest, the UI's reads in ../ui;
// the helpers here (where.ts, filter-sql.ts, trace-aggregates.ts) are shared with them.
export { deleteScore } from './delete-score.js';
export { deleteTraces } from './delete-traces.js';
export { getObservation } from './get-observation.js';
export { getScore } from './get-score.js';
export { getSession } from './get-session.js';
export { getTrace } from './get-trace.js';
export { listObservations } from './list-observations.js';
export { listObservationsAfter } from './list-observations-after.js';
export { listObservationsOfTraces } from './list-observations-of-traces.js';
export { listScores } from './list-scores.js';
export { listScoresOfTraces } from './list-scores-of-traces.js';
export { listSessions } from './list-sessions.js';
export { listTraces } from './list-traces.js';
export { traceTotals } from './trace-aggregates.js';
