import { useMemo } from 'react';
import { Link } from 'wouter';
import { query } from '../../api.js';
import { Pager } from '../../components/Pager.js';
import { delta, outputDiffers, parseSort, sortParam, sortRows } from '../../datasets/compare-model.js';
import { formatAverage, ScoreAverages } from '../../datasets/RunsTable.js';
import { ScoreCharts } from '../../datasets/ScoreCharts.js';
import { formatCost, formatDuration } from '../../format.js';
import { useFetch } from '../../use-fetch.js';
import { useUrlState } from '../../url-state.js';
import type { ComparisonCell, ComparisonRow, RunComparisonResponse, TextPreviewView } from '../../types.js';

const PAGE = 100;

/** A cut JSON text as the table shows it: strings unquoted, the rest as JSON, "…" when cut. */
function shown(p: TextPreviewView): string {
  if (p.text === null) return '';
  let t = p.text;
  if (p.length <= t.length) {
    try {
      const v = JSON.parse(t) as unknown;
      if (typeof v === 'string') t = v;
    } catch {
      // not JSON: shown as it is
    }
  }
  return p.length > p.text.length ? `${t}…` : t;
}

const signed = (n: number, format: (n: number) => string) => (n > 0 ? `+${format(n)}` : n < 0 ? `−${format(-n)}` : '±0');

/**
 * Two or more runs of a dataset side by side: per item, the expected output and each run's
 * output (outputs that differ from the first run's highlighted), scores with their delta to the
 * first run, latency and cost; sortable by any delta; score distributions per run charted.
 */
export default function ComparePage({ projectId, datasetId }: { projectId: string; datasetId: string }) {
  const [params, set] = useUrlState();
  const runIds = params.getAll('runs');
  const { data, error } = useFetch<RunComparisonResponse>(`/projects/${projectId}/datasets/${datasetId}/compare${query({ runs: runIds })}`);
  const sortText = params.get('sort');
  const sort = data ? parseSort(sortText, data.runs.length) : null;
  const ascending = params.get('dir') === 'asc';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const rows = useMemo(() => (data ? sortRows(data.rows, parseSort(sortText, data.runs.length), ascending) : []), [data, sortText, ascending]);
  const back = `/p/${projectId}/datasets/${datasetId}?tab=runs`;
  if (error) return <p className="error">{error}</p>;
  if (!data) return <p className="muted">Loading…</p>;
  const metrics = [...data.scoreNames.map((n) => ({ key: `score:${n}`, label: n })), { key: 'latency', label: 'latency' }, { key: 'cost', label: 'cost' }];
  const shownRows = rows.slice((page - 1) * PAGE, page * PAGE);
  return (
    <section className="page compare-page">
      <header className="page-head">
        <div>
          <Link href={back} className="muted small">
            ← Runs
          </Link>
          <h1>Compare runs</h1>
        </div>
      </header>
      <div className="table-wrap">
        <table className="data" aria-label="Compared runs">
          <thead>
            <tr>
              <th>#</th>
              <th>Run</th>
              <th>Items</th>
              <th>Avg latency</th>
              <th>Total cost</th>
              <th>Scores (avg)</th>
            </tr>
          </thead>
          <tbody>
            {data.runs.map((r, i) => (
              <tr key={r.id}>
                <td>{i === 0 ? '1 (baseline)' : i + 1}</td>
                <td>{r.name}</td>
                <td className="num">{r.itemCount.toLocaleString()}</td>
                <td className="num">{formatDuration(r.avgLatencyMs)}</td>
                <td className="num">{formatCost(r.totalCost)}</td>
                <td>
                  <ScoreAverages scores={r.scores} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>Score distributions</h2>
      <ScoreCharts data={data} />
      <form className="filters" aria-label="Sort items" onSubmit={(e) => e.preventDefault()}>
        <label>
          Sort by
          <select aria-label="Sort by" value={sort ? sortParam(sort) : ''} onChange={(e) => set({ sort: e.target.value || null, page: null }, true)}>
            <option value="">dataset order</option>
            {metrics.flatMap((m) =>
              data.runs.slice(1).map((r, i) => (
                <option key={`${m.key}@${i + 1}`} value={sortParam({ metric: m.key, run: i + 1 })}>
                  Δ {m.label}: {r.name} − {data.runs[0].name}
                </option>
              )),
            )}
          </select>
        </label>
        <label>
          Order
          <select aria-label="Order" value={ascending ? 'asc' : 'desc'} onChange={(e) => set({ dir: e.target.value === 'asc' ? 'asc' : null, page: null }, true)}>
            <option value="desc">largest first</option>
            <option value="asc">smallest first</option>
          </select>
        </label>
        <span className="muted small">Outputs that differ from the baseline's are highlighted; texts are cut at {data.previewChars} characters (the trace has the rest).</span>
      </form>
      <div className="table-wrap">
        <table className="data compare-table" aria-label="Items compared">
          <thead>
            <tr>
              <th>Item</th>
              <th>Expected output</th>
              {data.runs.map((r, i) => (
                <th key={r.id}>
                  {i + 1}. {r.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shownRows.map((row) => (
              <Row key={row.itemId} projectId={projectId} row={row} scoreNames={data.scoreNames} />
            ))}
          </tbody>
        </table>
        {data.rows.length === 0 && <p className="empty">These runs have no items.</p>}
      </div>
      {rows.length > PAGE && <Pager page={page} limit={PAGE} total={rows.length} onPage={(p) => set({ page: String(p) })} />}
    </section>
  );
}

function Row({ projectId, row, scoreNames }: { projectId: string; row: ComparisonRow; scoreNames: string[] }) {
  return (
    <tr data-item={row.itemId}>
      <td className="preview">
        <code className="muted small">{row.itemId}</code>
        <div>{shown(row.input)}</div>
      </td>
      <td className="preview expected">{shown(row.expectedOutput)}</td>
      {row.cells.map((cell, i) => (
        <Cell key={i} projectId={projectId} row={row} cell={cell} run={i} scoreNames={scoreNames} />
      ))}
    </tr>
  );
}

function Cell({ projectId, row, cell, run, scoreNames }: { projectId: string; row: ComparisonRow; cell: ComparisonCell | null; run: number; scoreNames: string[] }) {
  if (!cell) return <td className="muted">not in this run</td>;
  const differs = outputDiffers(row, run);
  const latency = run > 0 ? delta(row, 'latency', run) : null;
  return (
    <td className={`run-cell${differs ? ' differs' : ''}`} data-run-index={run}>
      <div className="cell-output" title={differs ? "Differs from the baseline's output" : undefined}>
        {shown(cell.output)}
      </div>
      <div className="chips">
        {scoreNames.map((name) => {
          const s = cell.scores.find((x) => x.name === name);
          if (!s) return null;
          const d = run > 0 ? delta(row, `score:${name}`, run) : null;
          return (
            <span key={name} className={`chip score${d === null || d === 0 ? '' : d > 0 ? ' delta-up' : ' delta-down'}`}>
              {name}: {s.label ?? formatAverage(s.value)}
              {d !== null && d !== 0 && ` (${signed(d, formatAverage)})`}
            </span>
          );
        })}
      </div>
      <div className="muted small">
        {formatDuration(cell.latencyMs)}
        {latency !== null && latency !== 0 && ` (${signed(latency, formatDuration)})`} · {formatCost(cell.totalCost)} ·{' '}
        <Link href={`/p/${projectId}/traces/${encodeURIComponent(cell.traceId)}${query({ observation: cell.observationId })}`}>trace</Link>
      </div>
    </td>
  );
}
