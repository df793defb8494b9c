import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../http/app-env.js';
import { registerAccountRoutes } from './account-routes.js';
import { registerDashboardRoute } from './dashboard-route.js';
import { registerDashboardsRoutes } from './dashboards-routes.js';
import { registerDataRoutes } from './data-routes.js';
import { registerDatasetRunUiRoutes } from './dataset-run-routes.js';
import { registerDatasetUiRoutes } from './dataset-routes.js';
import { registerEvaluatorUiRoutes } from './evaluator-ui-routes.js';
import { registerEvaluationRunUiRoutes } from './evaluation-run-routes.js';
import { registerExportUiRoutes } from './export-routes.js';
import { csrfProtection, loadSession, projectAccess } from './guard.js';
import { createLiveHub } from './live.js';
import { registerLlmConnectionUiRoutes } from './llm-connection-routes.js';
import { registerMediaRoute } from './media-route.js';
import { registerPlaygroundRoutes } from './playground-routes.js';
import { registerLiveRoute } from './live-route.js';
import { registerProjectRoutes } from './project-routes.js';
import { registerPromptMetricsRoute } from './prompt-metrics-route.js';
import { registerPromptUiRoutes } from './prompt-routes.js';
import { registerRetentionRoute } from './retention-route.js';
import { registerScoreRoute } from './score-route.js';
import { registerCommentUiRoutes } from './comment-ui-routes.js';
import { registerQueueUiRoutes } from './queue-ui-routes.js';
import { registerScoreConfigUiRoutes } from './score-config-ui-routes.js';
import { registerScoresPageRoute } from './scores-page-route.js';
import { serveStaticApp } from './static-files.js';
import { registerTableRoutes } from './table-routes.js';
import type { UiEnv } from './ui-env.js';

/** The web UI: its JSON API under /api/ui (session cookie, CSRF token, per-project roles) and the built app at `/`. */
export function registerUi(app: Hono<AppEnv>, deps: AppDeps): void {
  const { storage } = deps;
  const ui = new Hono<UiEnv>();
  ui.use('*', async (c, next) => {
    await next();
    // Per-user data: never cached by the browser or a proxy.
    if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store');
  });
  ui.use('*', loadSession(storage));
  ui.use('*', csrfProtection);
  ui.use('/projects/:projectId/*', projectAccess(storage));

  registerAccountRoutes(ui, storage, deps.setupToken);
  registerProjectRoutes(ui, storage);
  registerDataRoutes(ui, storage);
  registerScoreRoute(ui, storage, deps.ingestor);
  registerDashboardRoute(ui, storage);
  registerLiveRoute(ui, storage, createLiveHub(deps.ingestor));
  registerPromptMetricsRoute(ui, storage);
  registerPromptUiRoutes(ui, storage);
  registerMediaRoute(ui, storage, deps.media);
  registerDatasetUiRoutes(ui, storage);
  registerDatasetRunUiRoutes(ui, storage);
  registerCommentUiRoutes(ui, storage);
  registerScoreConfigUiRoutes(ui, storage);
  registerQueueUiRoutes(ui, storage, deps.ingestor);
  registerScoresPageRoute(ui, storage);
  registerRetentionRoute(ui, storage);
  registerTableRoutes(ui, storage);
  registerExportUiRoutes(ui, storage, deps.logger);
  registerDashboardsRoutes(ui, storage);
  registerEvaluatorUiRoutes(ui, storage);
  registerEvaluationRunUiRoutes(ui, storage, storage.evaluators);
  registerLlmConnectionUiRoutes(ui, storage, deps.llm);
  registerPlaygroundRoutes(ui, { storage, ingestor: deps.ingestor, logger: deps.logger, llm: deps.llm });

  app.route('/api/ui', ui);
  app.use('*', serveStaticApp());
}
