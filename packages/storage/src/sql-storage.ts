import type { ObservationRecord, ScoreRecord, SessionRecord, TraceRecord } from '@sightline/core';
import { createAccountStore, type AccountStore } from './accounts.js';
import type { Migration, SqlDialect, WritableDb } from './db.js';
import { IngestThreadUnavailable, type IngestThread } from './sqlite/ingest-thread.js';
import { applyEvents } from './ingest/apply-events.js';
import { runMigrations } from './migrate.js';
import * as metrics from './metrics/index.js';
import * as models from './models.js';
import * as keys from './projects.js';
import * as q from './queries/index.js';
import type { ObservationTotals } from './queries/trace-aggregates.js';
import { createUiQueries } from './ui/index.js';
import type { UiQueries } from './ui/types.js';
import type {
  ApiKey, DailyMetricsQuery, DailyMetricsRow, IngestItem, MetricsPath, MetricsQuery, MetricsResult, ObservationCursor, ObservationQuery,
  Page, Paged, Project, ScoreQuery, ScoreWithTrace, SessionQuery, Storage, StorageCapabilities, TraceListRow, TraceQuery,
} from './storage.js';

/** The one `Storage` implementation: generic SQL over a dialect's driver and capabilities. */
export class SqlStorage implements Storage {
  readonly dialect: 'sqlite' | 'postgres';
  readonly accounts: AccountStore;
  readonly ui: UiQueries;

  constructor(
    private readonly db: WritableDb,
    private readonly sql: SqlDialect,
    private readonly migrations: Migration[],
    readonly capabilities: StorageCapabilities,
    /** Where ingestion commits run when not on this thread (SQLite's ingestion worker). */
    private ingestThread: IngestThread | null = null,
  ) {
    this.dialect = sql.name;
    this.accounts = createAccountStore(db, sql);
    this.ui = createUiQueries(db, sql);
  }

  async migrate(): Promise<void> {
    await runMigrations(this.db, this.sql, this.migrations);
    await metrics.ensureRollups(this.db, this.sql);
  }
  async ping(): Promise<void> {
    await this.db.get('SELECT 1 AS ok');
  }
  async backup(destination: string): Promise<void> {
    if (!this.db.backupTo) {
      throw new Error(`online backup is built in for SQLite only; back up ${this.dialect} with its own tools (for PostgreSQL: pg_dump)`);
    }
    await this.db.backupTo(destination);
  }
  async close(): Promise<void> {
    await this.ingestThread?.close();
    await this.db.close();
  }

  createProject(project: Project): Promise<void> {
    return keys.createProject(this.db, project);
  }
  listProjects(): Promise<Project[]> {
    return keys.listProjects(this.db);
  }
  getProject(id: string): Promise<Project | null> {
    return keys.getProject(this.db, id);
  }
  createApiKey(key: ApiKey): Promise<void> {
    return keys.createApiKey(this.db, key);
  }
  listApiKeys(projectId?: string): Promise<ApiKey[]> {
    return keys.listApiKeys(this.db, projectId);
  }
  findApiKeyByPublicKey(publicKey: string): Promise<ApiKey | null> {
    return keys.findApiKeyByPublicKey(this.db, publicKey);
  }
  revokeApiKey(idOrPublicKey: string, at: number): Promise<boolean> {
    return keys.revokeApiKey(this.db, idOrPublicKey, at);
  }

  async ingest(items: IngestItem[]): Promise<void> {
    const now = Date.now();
    if (this.ingestThread) {
      try {
        return await this.ingestThread.ingest(items, now);
      } catch (err) {
        if (!(err instanceof IngestThreadUnavailable)) throw err;
        this.ingestThread = null;
      }
    }
    return this.db.transaction((tx) => applyEvents(tx, this.sql, items, now));
  }

  listTraces(projectId: string, query: TraceQuery): Promise<Paged<TraceListRow>> {
    return q.listTraces(this.db, this.sql, projectId, query);
  }
  getTrace(projectId: string, id: string): Promise<TraceRecord | null> {
    return q.getTrace(this.db, projectId, id);
  }
  traceTotals(projectId: string, traceIds: string[]): Promise<Map<string, ObservationTotals>> {
    return q.traceTotals(this.db, this.sql, projectId, traceIds);
  }
  deleteTraces(projectId: string, ids: string[]): Promise<number> {
    return q.deleteTraces(this.db, this.sql, projectId, ids);
  }
  listObservations(projectId: string, query: ObservationQuery & Page): Promise<Paged<ObservationRecord>> {
    return q.listObservations(this.db, this.sql, projectId, query);
  }
  listObservationsAfter(projectId: string, query: ObservationQuery & { limit: number; cursor?: ObservationCursor }): Promise<ObservationRecord[]> {
    return q.listObservationsAfter(this.db, this.sql, projectId, query);
  }
  listObservationsOfTraces(projectId: string, traceIds: string[]): Promise<ObservationRecord[]> {
    return q.listObservationsOfTraces(this.db, this.sql, projectId, traceIds);
  }
  getObservation(projectId: string, id: string): Promise<ObservationRecord | null> {
    return q.getObservation(this.db, projectId, id);
  }
  listScores(projectId: string, query: ScoreQuery): Promise<Paged<ScoreWithTrace>> {
    return q.listScores(this.db, this.sql, projectId, query);
  }
  listScoresOfTraces(projectId: string, traceIds: string[]): Promise<ScoreRecord[]> {
    return q.listScoresOfTraces(this.db, this.sql, projectId, traceIds);
  }
  getScore(projectId: string, id: string): Promise<ScoreRecord | null> {
    return q.getScore(this.db, projectId, id);
  }
  deleteScore(projectId: string, id: string): Promise<boolean> {
    return this.db.transaction((tx) => q.deleteScore(tx, this.sql, projectId, id));
  }
  listSessions(projectId: string, query: SessionQuery): Promise<Paged<SessionRecord>> {
    return q.listSessions(this.db, this.sql, projectId, query);
  }
  getSession(projectId: string, id: string): Promise<SessionRecord | null> {
    return q.getSession(this.db, projectId, id);
  }

  listModels(projectId: string): Promise<models.StoredModel[]> {
    return models.listModels(this.db, projectId);
  }
  getModel(projectId: string, id: string): Promise<models.StoredModel | null> {
    return models.getModel(this.db, projectId, id);
  }
  createModel(model: models.StoredModel): Promise<void> {
    return models.createModel(this.db, model);
  }
  deleteModel(projectId: string, id: string): Promise<boolean> {
    return models.deleteModel(this.db, projectId, id);
  }

  queryMetrics(projectId: string, query: MetricsQuery, path?: MetricsPath): Promise<MetricsResult> {
    return metrics.queryMetrics(this.db, this.sql, projectId, query, path);
  }
  dailyMetrics(projectId: string, query: DailyMetricsQuery): Promise<Paged<DailyMetricsRow>> {
    return metrics.dailyMetrics(this.db, this.sql, projectId, query);
  }
  rebuildRollups(): Promise<void> {
    return metrics.rebuildRollups(this.db, this.sql);
  }
}
