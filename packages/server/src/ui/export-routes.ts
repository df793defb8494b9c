import { badRequest } from '@sightline/core';
import { EXPORT_FREQUENCIES, type ExportFrequency, type ExportSchedule, type Storage } from '@sightline/storage';
import type { Hono } from 'hono';
import { z } from 'zod';
import { formatParam } from '../exports/export-params.js';
import { exportResponse } from '../exports/export-response.js';
import { nextRunAfter } from '../exports/schedule-times.js';
import { searchedTracePages } from '../exports/trace-pages.js';
import type { Logger } from '../logger.js';
import { parseQuery } from '../query/parse-params.js';
import { readObject } from './account-routes.js';
import type { ExportScheduleResponse } from './api-types.js';
import { requireRole } from './guard.js';
import { parseTraceListQuery } from './trace-params.js';
import type { UiEnv } from './ui-env.js';

const present = (s: ExportSchedule | null): ExportScheduleResponse => ({
  schedule: s && {
    frequency: s.frequency, formats: s.formats, enabled: s.enabled, nextRunAt: s.nextRunAt, watermarkAt: s.watermarkAt, lastRunAt: s.lastRunAt,
    lastStatus: s.lastStatus, lastError: s.lastError, lastObjectKeys: s.lastObjectKeys, lastTraceCount: s.lastTraceCount,
  },
});

/**
 * The traces page's export (any member: it reads what the page shows, with the page's filters,
 * search and sort, to the end) and the project's scheduled export settings (admins).
 */
export function registerExportUiRoutes(ui: Hono<UiEnv>, storage: Storage, logger: Logger): void {
  ui.get('/projects/:projectId/export/traces', (c) => {
    const pid = c.get('member').projectId;
    const { format } = parseQuery(c, z.object({ format: formatParam }));
    const search = parseTraceListQuery(c);
    return exportResponse(storage, logger, pid, format, searchedTracePages(storage, pid, { ...search, cursor: undefined }), null);
  });

  ui.get('/projects/:projectId/export-schedule', async (c) => {
    const member = requireRole(c, 'admin');
    return c.json(present(await storage.exports.get(member.projectId)) satisfies ExportScheduleResponse);
  });

  ui.post('/projects/:projectId/export-schedule', async (c) => {
    const member = requireRole(c, 'admin');
    const body = await readObject(c);
    if (!EXPORT_FREQUENCIES.includes(body.frequency as ExportFrequency)) throw badRequest(`frequency: must be one of ${EXPORT_FREQUENCIES.join(', ')}`);
    if (typeof body.enabled !== 'boolean') throw badRequest('enabled: must be true or false');
    if (body.csv !== undefined && typeof body.csv !== 'boolean') throw badRequest('csv: must be true or false');
    const frequency = body.frequency as ExportFrequency;
    const now = Date.now();
    const s = await storage.exports.put(member.projectId, { frequency, formats: body.csv ? ['jsonl', 'csv'] : ['jsonl'], enabled: body.enabled }, nextRunAfter(frequency, now), now);
    return c.json(present(s) satisfies ExportScheduleResponse);
  });
}
