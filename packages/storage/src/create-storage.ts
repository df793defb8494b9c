import { createAccountStore } from './accounts/account-store.js';
import { createAnnotationQueueStore } from './annotation-queues/annotation-queue-store.js';
import { createCommentStore } from './comments/comment-store.js';
import { createDashboardStore } from './dashboards/dashboard-store.js';
import type { Migration, SqlDialect, WritableDb } from './db.js';
import { applyEvents } from './ingest/apply-events.js';
import { groupCommit, type CommitItems } from './ingest/group-commit.js';
import { idleSearchIndex } from './ingest/idle-search-index.js';
import { createEvaluatorStore } from './evaluators/evaluator-store.js';
import { createExportScheduleStore } from './exports/export-schedule-store.js';
import { createJobStore } from './jobs/job-store.js';
import { createEvaluationRunStore } from './evaluation-runs/evaluation-run-store.js';
import { createLlmConnectionStore } from './llm-connections/llm-connection-store.js';
import { createMediaStore } from './media/media-store.js';
import { createMetricsStore } from './metrics/metrics-store.js';
import { ensureRollups } from './metrics/rollup-maintain.js';
import { runMigrations } from './migrate.js';
import { createModelStore } from './models/model-store.js';
import { createObservationStore } from './observations/observation-store.js';
import { createProjectStore } from './projects/project-store.js';
import { createDatasetStore } from './datasets/dataset-store.js';
import { createPromptStore } from './prompts/prompt-store.js';
import { createRetentionStore } from './retention/retention-store.js';
import { createScoreConfigStore } from './score-configs/score-config-store.js';
import { createScoreStore } from './scores/score-store.js';
import { createSessionStore } from './sessions/session-store.js';
import { IngestThreadUnavailable, type IngestThread } from './sqlite/ingest-thread.js';
import type { Storage } from './storage.js';
import { catchUpSearchIndex, searchBacklog, searchBacklogRows, searchPacer, searchStepThreshold } from './traces/search-index.js';
import { createTraceStore } from './traces/trace-store.js';
import type { StorageCapabilities } from './types.js';
import { createUserStore } from './users/user-store.js';

export interface CreateStorageOptions {
  db: WritableDb;
  sql: SqlDialect;
  migrations: Migration[];
  capabilities: StorageCapabilities;
  /** Where ingestion commits run when not on this thread (SQLite's ingestion worker). */
  ingestThread?: IngestThread | null;
}

/** The one `Storage`: every domain's store over a dialect's driver, and ingestion. */
export function createStorage({ db, sql, migrations, capabilities, ingestThread }: CreateStorageOptions): Storage {
  // Checked once here: ingestion commits read it again (on SQLite's worker thread too).
  const pace = searchPacer(db, sql, searchBacklogRows(process.env, sql.name));
  let thread = ingestThread ?? null;
  const commit: CommitItems = async (items, now) => {
    if (thread) {
      try {
        return await thread.ingest(items, now);
      } catch (err) {
        if (!(err instanceof IngestThreadUnavailable)) throw err;
        thread = null;
      }
    }
    await db.transaction((tx) => applyEvents(tx, sql, items, now));
    // PostgreSQL's search index keeps pace with ingestion outside its commits (SQLite's inside them).
    await pace(items.reduce((n, item) => n + item.events.length, 0));
  };
  // A backlog of full groups: PostgreSQL commits them on several connections at once; SQLite's
  // worker takes one while the next waits in its queue; SQLite on this thread commits one at a time anyway.
  const inFlight = Number(process.env.SIGHTLINE_INGEST_IN_FLIGHT) || (sql.name === 'postgres' ? 4 : thread ? 2 : 1);
  // PostgreSQL takes a free connection at once (a closed loop of a few clients is bound by latency,
  // and waits cost it more than the commits they save); SQLite's commits queue anyway.
  const maxWaitMs = sql.name === 'postgres' ? 0 : 20;
  // The search index catches up between commits (traces/search-index.ts): a step counts the
  // backlog on a reader first, so an idle or caught-up instance takes no write lock for it. On
  // PostgreSQL any instance whose ingestion is idle takes steps, one at a time across instances.
  const threshold = searchStepThreshold(sql);
  const indexStep = async (): Promise<number> => {
    if ((await searchBacklog(db, sql, threshold)) < threshold) return 0;
    if (thread) {
      try {
        return await thread.indexSearch();
      } catch (err) {
        if (!(err instanceof IngestThreadUnavailable)) throw err;
        thread = null;
      }
    }
    return db.transaction((tx) => catchUpSearchIndex(tx, sql));
  };
  const indexer = idleSearchIndex({ step: indexStep, idle: () => grouped.idle(), threshold });
  const grouped = groupCommit(commit, { inFlight, maxEvents: 2000, maxChars: 16 * 1024 * 1024, maxWaitMs, onIdle: () => indexer.poke() });
  return {
    dialect: sql.name,
    capabilities,
    projects: createProjectStore(db),
    traces: createTraceStore(db, sql),
    observations: createObservationStore(db, sql),
    scores: createScoreStore(db, sql),
    sessions: createSessionStore(db, sql),
    users: createUserStore(db, sql),
    models: createModelStore(db),
    prompts: createPromptStore(db, sql),
    datasets: createDatasetStore(db, sql),
    media: createMediaStore(db, sql),
    scoreConfigs: createScoreConfigStore(db),
    comments: createCommentStore(db, sql),
    annotationQueues: createAnnotationQueueStore(db),
    metrics: createMetricsStore(db, sql),
    retention: createRetentionStore(db, sql),
    exports: createExportScheduleStore(db, sql),
    dashboards: createDashboardStore(db),
    accounts: createAccountStore(db, sql),
    llmConnections: createLlmConnectionStore(db),
    jobs: createJobStore(db, sql),
    evaluationRuns: createEvaluationRunStore(db),
    evaluators: createEvaluatorStore(db, sql),

    ingest: (items) => grouped.submit(items, Date.now()),

    async migrate() {
      await runMigrations(db, sql, migrations);
      await ensureRollups(db, sql);
      // A backlog left by the last run (or a migration's rows) is indexed once this instance is idle.
      indexer.poke();
    },
    async ping() {
      await db.get('SELECT 1 AS ok');
    },
    async close() {
      await indexer.close();
      await thread?.close();
      await db.close();
    },
    async backup(destination) {
      if (!db.backupTo) {
        throw new Error(`online backup is built in for SQLite only; back up ${sql.name} with its own tools (for PostgreSQL: pg_dump)`);
      }
      await db.backupTo(destination);
    },
  };
}
