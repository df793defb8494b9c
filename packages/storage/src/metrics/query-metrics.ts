import { badRequest } from '@sightline/core';
import type { Db, SqlDialect } from '../db.js';
import { checkMetricsQuery } from './catalog.js';
import { presentRows } from './present.js';
import { rollupStates } from './rollup-read.js';
import { rollupGap } from './rollup-plan.js';
import { scanStates } from './scan.js';
import type { MetricsPath, MetricsQuery, MetricsResult } from './types.js';

/**
 * Answers a metrics query (§8). The planner reads rollups when they cover every dimension,
 * filter and metric, and scans the base tables otherwise; both give the same rows, except
 * that percentiles from rollups come from the histogram (see histogram.ts for the bound).
 * `path` forces one side (tests, benchmarks); forcing rollups on a query they do not cover
 * is a 400 that says why.
 */
export async function queryMetrics(db: Db, d: SqlDialect, projectId: string, q: MetricsQuery, path: MetricsPath = 'auto'): Promise<MetricsResult> {
  // Checked up front so that a bad filter is the same 400 whichever path would answer.
  const rq = checkMetricsQuery(q, d);
  const gap = rollupGap(rq);
  if (path === 'rollup' && gap !== null) throw badRequest(`rollups cannot answer this query: ${gap}`);
  const useRollups = path === 'rollup' || (path === 'auto' && gap === null);
  const states = useRollups ? await rollupStates(db, d, rq, projectId) : await scanStates(db, d, rq, projectId);
  return { data: presentRows(rq, states, !useRollups), path: useRollups ? 'rollup' : 'scan' };
}
