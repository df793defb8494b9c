import { AppError } from '@sightline/core';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';
import { createAuthenticator } from './auth/authenticate.js';
import type { AppDeps, AppEnv } from './http/app-env.js';
import { clientAddress, clientInfo } from './http/client-address.js';
import { renderError } from './http/errors.js';
import { registerDatasetRoutes } from './http/dataset-routes.js';
import { registerEvaluationRuleRoutes } from './http/evaluation-rule-routes.js';
import { registerEvaluatorRoutes } from './http/evaluator-routes.js';
import { registerAnnotationQueueRoutes } from './http/annotation-queue-routes.js';
import { registerCommentRoutes } from './http/comment-routes.js';
import { registerHealthRoutes } from './http/health-routes.js';
import { registerIngestionRoute } from './http/ingestion-route.js';
import { registerLegacyRoutes } from './http/legacy-routes.js';
import { registerLlmConnectionRoutes } from './http/llm-connection-routes.js';
import { registerMetricsRoutes } from './http/metrics-routes.js';
import { registerModelRoutes } from './http/model-routes.js';
import { noStore } from './http/no-store.js';
import { registerOpenApiRoutes } from './http/openapi-routes.js';
import { registerProjectRoutes } from './http/project-routes.js';
import { registerPromptRoutes } from './http/prompt-routes.js';
import { registerReadRoutes } from './http/read-routes.js';
import { registerScoreConfigRoutes } from './http/score-config-routes.js';
import { requestLimits } from './http/request-limits.js';
import { registerExportRoutes } from './exports/export-routes.js';
import { registerMediaFileRoutes } from './media/media-file-routes.js';
import { registerMediaRoutes } from './media/media-routes.js';
import { registerOpsMetrics } from './ops/metrics-endpoint.js';
import { registerOtelRoutes } from './otel/route.js';
import { registerUi } from './ui/register-ui.js';

const PUBLIC_PATHS = new Set(['/api/public/health', '/api/public/ready', '/api/public/openapi.json', '/api/public/docs']);

/** The whole HTTP surface as a Web-standard `fetch` handler; Node specifics live in node-server.ts. */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const authenticator = createAuthenticator(deps.storage, { logger: deps.logger });

  app.use('*', clientInfo(deps.trustedProxies));
  app.use('*', secureHeaders({ crossOriginResourcePolicy: false }));
  registerOpsMetrics(app, deps);
  // Langfuse reflects every origin without credentials; SDKs in browsers rely on it. The UI API
  // (/api/ui, cookie sessions) grants no CORS at all: only its own pages may call it.
  app.use('/api/public/*', cors({ origin: (origin) => origin, credentials: false, maxAge: 600 }));
  app.use('/api/*', noStore);
  app.use('/api/public/*', async (c, next) => {
    if (PUBLIC_PATHS.has(c.req.path) || c.req.method === 'OPTIONS') return next();
    c.set('auth', await authenticator.authenticate(c.req.header('authorization'), clientAddress(c)));
    return next();
  });
  app.use('/api/public/*', requestLimits);

  registerHealthRoutes(app, deps);
  registerIngestionRoute(app, deps);
  registerOtelRoutes(app, deps);
  registerLegacyRoutes(app, deps);
  registerReadRoutes(app, deps);
  registerModelRoutes(app, deps);
  registerMetricsRoutes(app, deps);
  registerProjectRoutes(app, deps);
  registerPromptRoutes(app, deps);
  registerDatasetRoutes(app, deps);
  if (deps.media) {
    registerMediaRoutes(app, deps, deps.media);
    registerMediaFileRoutes(app, deps, deps.media);
  }
  registerScoreConfigRoutes(app, deps);
  registerCommentRoutes(app, deps);
  registerAnnotationQueueRoutes(app, deps);
  registerExportRoutes(app, deps);
  if (deps.llm) registerLlmConnectionRoutes(app, deps, deps.llm);
  registerEvaluatorRoutes(app, deps);
  registerEvaluationRuleRoutes(app, deps);
  registerOpenApiRoutes(app);
  registerUi(app, deps);

  app.notFound((c) => renderError(c, new AppError(404, 'not_found', `No route for ${c.req.method} ${c.req.path}`), deps.logger));
  app.onError((err, c) => renderError(c, err, deps.logger));
  return app;
}
