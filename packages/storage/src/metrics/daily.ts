import type { Db, Row, SqlDialect } from '../db.js';
import { hasTag, Where } from '../queries/where.js';
import type { Paged } from '../types.js';
import { fixedToNumber, fromHalves, halvesSql, sumHalvesSql } from './exact-sum.js';
import { bucketSql } from './time-buckets.js';
import type { DailyMetricsQuery, DailyMetricsRow, DailyUsage } from './types.js';
import { COST_SCALE, dayText } from './view-types.js';

const usageKey = (d: SqlDialect, key: string) =>
  `COALESCE((SELECT SUM(CAST(je.value AS DOUBLE PRECISION)) FROM ${d.jsonEntries('o.usage_details', 'je')} WHERE je.key = '${key}'), 0)`;

/** The traces a daily-metrics query selects (alias `t`). */
function traceWhere(q: DailyMetricsQuery, projectId: string): Where {
  const w = new Where().eq('t.project_id', projectId).eq('t.name', q.traceName).eq('t.user_id', q.userId).in('t.environment', q.environment);
  for (const tag of q.tags ?? []) w.add(hasTag('t.project_id', 't.id'), tag);
  return w.cmp('t.timestamp', '>=', q.fromTimestamp).cmp('t.timestamp', '<', q.toTimestamp);
}

/**
 * `GET /metrics/daily`: per UTC day (newest first) the number of selected traces (by trace
 * timestamp) and, per model, the usage and cost of their observations (by start time).
 */
export async function dailyMetrics(db: Db, d: SqlDialect, projectId: string, q: DailyMetricsQuery): Promise<Paged<DailyMetricsRow>> {
  const w = traceWhere(q, projectId);
  const traceDays = await db.all<Row>(
    `SELECT ${bucketSql('t.timestamp', 'day', d)} AS day, COUNT(*) AS n FROM traces t ${w.sql} GROUP BY ${bucketSql('t.timestamp', 'day', d)}`,
    w.params,
  );
  const cost = halvesSql('COALESCE(o.total_cost, 0)', COST_SCALE);
  const models = await db.all<Row>(
    `SELECT day, model, COUNT(*) AS observations, COUNT(DISTINCT trace_id) AS traces, SUM(input) AS input, SUM(output) AS output,
            SUM(total) AS total, ${sumHalvesSql('cost_hi', 'cost_lo', 0).join(', ')}
       FROM (SELECT ${bucketSql('o.start_time', 'day', d)} AS day, o.model AS model, o.trace_id AS trace_id, ${usageKey(d, 'input')} AS input,
                    ${usageKey(d, 'output')} AS output, ${usageKey(d, 'total')} AS total, ${cost.hi} AS cost_hi, ${cost.lo} AS cost_lo
               FROM traces t JOIN observations o ON o.project_id = t.project_id AND o.trace_id = t.id ${w.sql}) x
      GROUP BY day, model`,
    w.params,
  );
  const days = new Map<number, DailyMetricsRow & { cost: bigint }>();
  const dayOf = (ms: number) => {
    let row = days.get(ms);
    if (!row) days.set(ms, (row = { date: String(dayText(ms)), countTraces: 0, countObservations: 0, totalCost: 0, usage: [], cost: 0n }));
    return row;
  };
  for (const r of traceDays) dayOf(Number(r.day)).countTraces = Number(r.n);
  for (const r of models) {
    const row = dayOf(Number(r.day));
    const modelCost = fromHalves(r.s0, r.f0);
    const usage: DailyUsage = {
      model: r.model === null ? null : String(r.model),
      inputUsage: Number(r.input),
      outputUsage: Number(r.output),
      totalUsage: Number(r.total),
      countObservations: Number(r.observations),
      countTraces: Number(r.traces),
      totalCost: fixedToNumber(modelCost, COST_SCALE),
    };
    row.usage.push(usage);
    row.countObservations += usage.countObservations;
    row.cost += modelCost;
  }
  const all = [...days.entries()].sort((a, b) => b[0] - a[0]).map(([, { cost, ...row }]) => ({
    ...row,
    totalCost: fixedToNumber(cost, COST_SCALE),
    usage: row.usage.sort((a, b) => (a.model ?? '\uffff').localeCompare(b.model ?? '\uffff')),
  }));
  return { rows: all.slice((q.page - 1) * q.limit, q.page * q.limit), totalItems: all.length };
}
