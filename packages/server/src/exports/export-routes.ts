import type { Hono } from 'hono';
import { requireFullAccess } from '../auth/authenticate.js';
import type { AppDeps, AppEnv } from '../http/app-env.js';
import { parseQuery } from '../query/parse-params.js';
import { TRACE_LIST_REPEATABLE } from '../query/trace-list.js';
import { exportFilters, exportTraceParams } from './export-params.js';
import { exportResponse } from './export-response.js';
import { filteredTracePages } from './trace-pages.js';

/** GET /api/public/export/traces (a Sightline extension): the filtered traces with observations and scores, streamed as JSONL or CSV. */
export function registerExportRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const { storage, logger } = deps;
  app.get('/api/public/export/traces', async (c) => {
    requireFullAccess(c.get('auth'));
    const params = parseQuery(c, exportTraceParams, TRACE_LIST_REPEATABLE);
    const { projectId } = c.get('auth');
    const filters = exportFilters(params);
    // Counting first also checks the filter conditions, so a bad one is a 400 before any byte is sent.
    const total = await storage.traces.countFiltered(projectId, filters);
    return exportResponse(storage, logger, projectId, params.format, filteredTracePages(storage, projectId, filters), total);
  });
}
