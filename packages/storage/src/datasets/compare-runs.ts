import type { Db, Row } from '../db.js';
import { COST_UNITS, COST_WHOLE, exactCost } from '../queries/trace-aggregates.js';
import { placeholders } from '../queries/where.js';
import type { ComparedItem, DatasetCounts, DatasetItemStatus, RunItemFacts, RunItemScore, RunScore, TextPreview } from './types.js';

/*
 * The reads behind a dataset's runs table and the run comparison: a handful of grouped queries
 * over the run items of the chosen runs (index dataset_run_items_run), each joining their traces,
 * observations or scores by index — never a query per item. Joins are written as CROSS JOIN with
 * the condition in WHERE so SQLite keeps the run items as the outer loop, and the orderings and
 * groupings are expressions (`+ 0`, `|| ''`) that no index provides, so SQLite reads the runs'
 * items through the run index instead of walking all of the project's run items in index order.
 */

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const preview = (text: unknown, length: unknown): TextPreview => ({ text: str(text), length: Number(length ?? 0) });

/** Each dataset's active items, runs and newest run. */
export async function datasetCounts(db: Db, projectId: string, datasetIds: string[]): Promise<Map<string, DatasetCounts>> {
  const out = new Map<string, DatasetCounts>(datasetIds.map((id) => [id, { itemCount: 0, runCount: 0, lastRunAt: null }]));
  if (datasetIds.length === 0) return out;
  const inList = `(${placeholders(datasetIds.length)})`;
  const [items, runs] = await Promise.all([
    db.all<Row>(`SELECT dataset_id, COUNT(*) AS n FROM dataset_items WHERE project_id = ? AND dataset_id IN ${inList} AND status = 'ACTIVE' GROUP BY dataset_id`, [projectId, ...datasetIds]),
    db.all<Row>(`SELECT dataset_id, COUNT(*) AS n, MAX(created_at) AS last FROM dataset_runs WHERE project_id = ? AND dataset_id IN ${inList} GROUP BY dataset_id`, [projectId, ...datasetIds]),
  ]);
  for (const r of items) out.get(String(r.dataset_id))!.itemCount = Number(r.n);
  for (const r of runs) Object.assign(out.get(String(r.dataset_id))!, { runCount: Number(r.n), lastRunAt: Number(r.last) });
  return out;
}

const score = (r: Row): RunItemScore => ({ name: String(r.name), value: Number(r.value), dataType: String(r.data_type), stringValue: str(r.string_value) });

/**
 * The run items of `runIds` (in link order) with latency, cost and scores; with `previewChars`,
 * their outputs cut to that many characters. Three queries whatever the number of items.
 */
export async function runItemFacts(db: Db, projectId: string, runIds: string[], previewChars?: number): Promise<RunItemFacts[]> {
  if (runIds.length === 0) return [];
  const runs = `ri.project_id = ? AND ri.run_id IN (${placeholders(runIds.length)})`;
  const scope = [projectId, ...runIds];
  const output = 'CASE WHEN ri.observation_id IS NULL THEN t.output ELSE lo.output END';
  const outputColumns = previewChars === undefined ? '' : `, SUBSTR(${output}, 1, ?) AS output, LENGTH(${output}) AS output_length`;
  const [items, totals, scores] = await Promise.all([
    db.all<Row>(
      `SELECT ri.id, ri.run_id, ri.dataset_item_id, ri.trace_id, ri.observation_id, ri.created_at${outputColumns}
         FROM dataset_run_items ri
         LEFT JOIN traces t ON t.project_id = ri.project_id AND t.id = ri.trace_id
         LEFT JOIN observations lo ON lo.project_id = ri.project_id AND lo.id = ri.observation_id
        WHERE ${runs} ORDER BY ri.created_at + 0, ri.id`,
      previewChars === undefined ? scope : [previewChars, ...scope],
    ),
    db.all<Row>(
      `SELECT ri.id || '' AS k, MIN(o.start_time) AS first_start, MAX(o.start_time) AS last_start, MAX(o.end_time) AS last_end,
              ${COST_WHOLE} AS cost_whole, ${COST_UNITS} AS cost_units
         FROM dataset_run_items ri CROSS JOIN observations o
        WHERE ${runs} AND o.project_id = ri.project_id AND o.trace_id = ri.trace_id AND (ri.observation_id IS NULL OR o.id = ri.observation_id)
        GROUP BY ri.id || ''`,
      scope,
    ),
    db.all<Row>(
      `SELECT ri.id AS k, s.name, s.value, s.data_type, s.string_value
         FROM dataset_run_items ri CROSS JOIN scores s
        WHERE ${runs} AND s.project_id = ri.project_id AND s.trace_id = ri.trace_id
          AND (ri.observation_id IS NULL OR s.observation_id IS NULL OR s.observation_id = ri.observation_id)
        ORDER BY s.timestamp, s.id`,
      scope,
    ),
  ]);
  const totalsOf = new Map(totals.map((r) => [String(r.k), r]));
  const scoresOf = new Map<string, RunItemScore[]>();
  for (const r of scores) {
    const list = scoresOf.get(String(r.k));
    if (list) list.push(score(r));
    else scoresOf.set(String(r.k), [score(r)]);
  }
  return items.map((r) => {
    const id = String(r.id);
    const t = totalsOf.get(id);
    const lastEnd = t?.last_end === null || t?.last_end === undefined ? -Infinity : Number(t.last_end);
    return {
      runItemId: id,
      runId: String(r.run_id),
      datasetItemId: String(r.dataset_item_id),
      traceId: String(r.trace_id),
      observationId: str(r.observation_id),
      createdAt: Number(r.created_at),
      latencyMs: t ? Math.max(lastEnd, Number(t.last_start)) - Number(t.first_start) : null,
      totalCost: t ? exactCost(t.cost_whole, t.cost_units) : 0,
      output: previewChars === undefined ? null : preview(r.output, r.output_length),
      scores: scoresOf.get(id) ?? [],
    };
  });
}

/** The dataset items that the run items of `runIds` point at, current state, previews of `previewChars` characters. */
export async function comparedItems(db: Db, projectId: string, runIds: string[], previewChars: number): Promise<ComparedItem[]> {
  if (runIds.length === 0) return [];
  const rows = await db.all<Row>(
    `SELECT i.id, i.status, SUBSTR(i.input, 1, ?) AS input, LENGTH(i.input) AS input_length,
            SUBSTR(i.expected_output, 1, ?) AS expected_output, LENGTH(i.expected_output) AS expected_output_length
       FROM dataset_items i
      WHERE i.project_id = ? AND i.id IN (SELECT ri.dataset_item_id FROM dataset_run_items ri WHERE ri.project_id = ? AND ri.run_id IN (${placeholders(runIds.length)}))
      ORDER BY i.created_at, i.id`,
    [previewChars, previewChars, projectId, projectId, ...runIds],
  );
  return rows.map((r) => ({
    id: String(r.id),
    status: String(r.status) as DatasetItemStatus,
    input: preview(r.input, r.input_length),
    expectedOutput: preview(r.expected_output, r.expected_output_length),
  }));
}

/** Scores that target the runs themselves (run-level evaluators). */
export async function runScores(db: Db, projectId: string, runIds: string[]): Promise<RunScore[]> {
  if (runIds.length === 0) return [];
  const rows = await db.all<Row>(
    `SELECT dataset_run_id, name, value, data_type, string_value FROM scores WHERE project_id = ? AND dataset_run_id IN (${placeholders(runIds.length)}) ORDER BY timestamp, id`,
    [projectId, ...runIds],
  );
  return rows.map((r) => ({ runId: String(r.dataset_run_id), ...score(r) }));
}
