import { badRequest } from '@sightline/core';
import type { Storage } from '@sightline/storage';
import type { Context, Hono } from 'hono';
import { bulkProgress, estimateBulk, ruleWithEvaluator, runBulk, type BulkRange } from '../evaluation-jobs/bulk-evaluate.js';
import { EVALUATION, type EvaluatorSource } from '../evaluation-jobs/evaluation-kind.js';
import { readObject } from './account-routes.js';
import type { BulkEstimateResponse, BulkRunResponse, EvaluationProgressResponse } from './api-types.js';
import { requireRole } from './guard.js';
import type { UiEnv } from './ui-env.js';

/** Longest range one bulk run covers. */
const MAX_RANGE_MS = 366 * 24 * 3_600_000;

/** `from` and `to` (epoch ms or ISO-8601), from before to, at most a year apart. */
function readRange(raw: Record<string, unknown>): BulkRange {
  const time = (name: 'from' | 'to'): number => {
    const v = raw[name];
    const ms = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? (/^\d+$/.test(v) ? Number(v) : Date.parse(v)) : NaN;
    if (!Number.isFinite(ms)) throw badRequest(`${name}: must be a time (epoch milliseconds or an ISO-8601 date)`);
    return ms;
  };
  const range = { from: time('from'), to: time('to') };
  if (range.from > range.to) throw badRequest('from: must not be after to');
  if (range.to - range.from > MAX_RANGE_MS) throw badRequest('to: a bulk run covers at most 366 days');
  return range;
}

const ruleId = (c: Context<UiEnv>) => c.req.param('ruleId') ?? '';

/**
 * Bulk evaluation of existing targets for the rule pages: a cost estimate (viewers may look), the
 * run itself (members), and the rule's job progress with its latest failures.
 */
export function registerEvaluationRunUiRoutes(ui: Hono<UiEnv>, storage: Storage, evaluators: EvaluatorSource): void {
  ui.get('/projects/:projectId/evaluation-rules/:ruleId/bulk-estimate', async (c) => {
    const member = requireRole(c, 'viewer');
    const range = readRange({ from: c.req.query('from'), to: c.req.query('to') });
    const { rule, evaluator } = await ruleWithEvaluator(evaluators, member.projectId, ruleId(c));
    return c.json((await estimateBulk(storage, rule, evaluator, range)) satisfies BulkEstimateResponse);
  });

  ui.post('/projects/:projectId/evaluation-rules/:ruleId/bulk-run', async (c) => {
    const member = requireRole(c, 'member');
    const range = readRange(await readObject(c));
    const { rule, evaluator } = await ruleWithEvaluator(evaluators, member.projectId, ruleId(c));
    return c.json((await runBulk(storage, rule, evaluator, range)) satisfies BulkRunResponse);
  });

  ui.get('/projects/:projectId/evaluation-rules/:ruleId/progress', async (c) => {
    const member = requireRole(c, 'viewer');
    const { rule } = await ruleWithEvaluator(evaluators, member.projectId, ruleId(c));
    const counts = await bulkProgress(storage, member.projectId, rule.id);
    const failed = await storage.jobs.list(member.projectId, { state: 'failed', kind: EVALUATION }, { page: 1, limit: 100 });
    const recentFailures = failed.rows
      .filter((j) => (j.payload as { ruleId?: unknown } | null)?.ruleId === rule.id)
      .slice(0, 5)
      .map((j) => ({ jobId: j.id, targetId: String((j.payload as { targetId?: unknown }).targetId ?? ''), error: j.lastError, finishedAt: j.finishedAt }));
    return c.json({ ...counts, recentFailures } satisfies EvaluationProgressResponse);
  });
}
