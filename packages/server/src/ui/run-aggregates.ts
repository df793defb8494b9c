import type { ComparedItem, DatasetRun, RunItemFacts, RunItemScore, RunScore } from '@sightline/storage';
import type { CellScore, ComparisonCell, ComparisonRow, DatasetRunRow, ScoreAggregate } from './api-types.js';

/** Numeric and boolean scores average; categorical ones (labels) do not. */
const averages = (s: RunItemScore) => s.dataType === 'NUMERIC' || s.dataType === 'BOOLEAN';

function aggregate(scores: RunItemScore[]): ScoreAggregate[] {
  const sums = new Map<string, { sum: number; count: number }>();
  for (const s of scores.filter(averages)) {
    const a = sums.get(s.name) ?? { sum: 0, count: 0 };
    a.sum += s.value;
    a.count++;
    sums.set(s.name, a);
  }
  return [...sums].map(([name, a]) => ({ name, average: a.sum / a.count, count: a.count })).sort((x, y) => x.name.localeCompare(y.name));
}

/** Each run with its item count, mean latency, cost and score averages (from `facts`, the run items of these runs). */
export function runRows(runs: DatasetRun[], facts: RunItemFacts[], runScores: RunScore[]): DatasetRunRow[] {
  const byRun = new Map<string, RunItemFacts[]>(runs.map((r) => [r.id, []]));
  for (const f of facts) byRun.get(f.runId)?.push(f);
  return runs.map((r) => {
    const items = byRun.get(r.id) ?? [];
    const timed = items.filter((f) => f.latencyMs !== null);
    const totalCost = items.reduce((sum, f) => sum + f.totalCost, 0);
    return {
      id: r.id,
      name: r.name,
      description: r.description,
      metadata: r.metadata,
      createdAt: r.createdAt,
      itemCount: items.length,
      avgLatencyMs: timed.length > 0 ? timed.reduce((sum, f) => sum + f.latencyMs!, 0) / timed.length : null,
      totalCost,
      avgCost: items.length > 0 ? totalCost / items.length : null,
      scores: aggregate(items.flatMap((f) => f.scores)),
      runScores: aggregate(runScores.filter((s) => s.runId === r.id)),
    };
  });
}

/** A run item's scores, one per name: numeric ones averaged when a name repeats, the latest label kept. */
function cellScores(scores: RunItemScore[]): CellScore[] {
  const byName = new Map<string, { sum: number; count: number; label: string | null }>();
  for (const s of scores) {
    const c = byName.get(s.name) ?? { sum: 0, count: 0, label: null };
    c.sum += s.value;
    c.count++;
    if (s.dataType !== 'NUMERIC') c.label = s.stringValue ?? String(s.value);
    byName.set(s.name, c);
  }
  return [...byName].map(([name, c]) => ({ name, value: c.sum / c.count, label: c.label }));
}

const cell = (f: RunItemFacts): ComparisonCell => ({
  traceId: f.traceId,
  observationId: f.observationId,
  output: f.output ?? { text: null, length: 0 },
  latencyMs: f.latencyMs,
  totalCost: f.totalCost,
  scores: cellScores(f.scores),
});

/** One row per item any run has (in the items' order), each run's latest run item for it in its column. */
export function comparisonRows(runIds: string[], items: ComparedItem[], facts: RunItemFacts[]): ComparisonRow[] {
  const column = new Map(runIds.map((id, i) => [id, i]));
  const cells = new Map<string, (ComparisonCell | null)[]>(items.map((i) => [i.id, runIds.map(() => null)]));
  // Facts come in link order, so a later run item of the same item replaces an earlier one.
  for (const f of facts) {
    const row = cells.get(f.datasetItemId);
    const i = column.get(f.runId);
    if (row && i !== undefined) row[i] = cell(f);
  }
  return items.map((i) => ({ itemId: i.id, status: i.status, input: i.input, expectedOutput: i.expectedOutput, cells: cells.get(i.id)! }));
}
