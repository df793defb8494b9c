import { useState } from 'react';
import { useLocation } from 'wouter';
import { query } from '../api.js';
import { Pager } from '../components/Pager.js';
import { formatCost, formatDuration, formatTime } from '../format.js';
import { useFetch } from '../use-fetch.js';
import { useUrlState } from '../url-state.js';
import type { DatasetRunListResponse, ScoreAggregate } from '../types.js';

const LIMIT = 20;
export const formatAverage = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(3));

export function ScoreAverages({ scores }: { scores: ScoreAggregate[] }) {
  return (
    <span className="chips">
      {scores.map((s) => (
        <span key={s.name} className="chip score" title={`${s.count} scores`}>
          {s.name}: {formatAverage(s.average)}
        </span>
      ))}
    </span>
  );
}

/** A dataset's runs, newest first, with item count, mean latency, cost and score averages; pick two or more to compare. */
export function RunsTable({ projectId, datasetId }: { projectId: string; datasetId: string }) {
  const [params, set] = useUrlState();
  const [, navigate] = useLocation();
  const page = Math.max(1, Number(params.get('page')) || 1);
  const { data, error } = useFetch<DatasetRunListResponse>(`/projects/${projectId}/datasets/${datasetId}/runs${query({ page, limit: LIMIT })}`);
  const [picked, setPicked] = useState<string[]>([]);
  const toggle = (id: string) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id]));
  return (
    <section aria-label="Runs">
      <div className="filters">
        <button type="button" className="primary" disabled={picked.length < 2} onClick={() => navigate(`/p/${projectId}/datasets/${datasetId}/compare${query({ runs: picked })}`)}>
          Compare {picked.length >= 2 ? `${picked.length} runs` : 'runs'}
        </button>
        <span className="muted small">Pick two or more runs; the first picked is the baseline.</span>
      </div>
      {error && <p className="error">{error}</p>}
      <div className="table-wrap">
        <table className="data" aria-label="Dataset runs">
          <thead>
            <tr>
              <th />
              <th>Run</th>
              <th>Created</th>
              <th>Items</th>
              <th>Avg latency</th>
              <th>Total cost</th>
              <th>Avg cost</th>
              <th>Scores (avg)</th>
              <th>Run scores</th>
            </tr>
          </thead>
          <tbody>
            {data?.data.map((r) => (
              <tr key={r.id} data-run={r.name}>
                <td>
                  <input type="checkbox" aria-label={`Pick run ${r.name}`} checked={picked.includes(r.id)} onChange={() => toggle(r.id)} />
                  {picked.includes(r.id) && <span className="muted small"> {picked.indexOf(r.id) + 1}</span>}
                </td>
                <td className="name-cell" title={r.description ?? undefined}>
                  {r.name}
                </td>
                <td className="nowrap">{formatTime(r.createdAt)}</td>
                <td className="num">{r.itemCount.toLocaleString()}</td>
                <td className="num">{formatDuration(r.avgLatencyMs)}</td>
                <td className="num">{formatCost(r.totalCost)}</td>
                <td className="num">{formatCost(r.avgCost)}</td>
                <td>
                  <ScoreAverages scores={r.scores} />
                </td>
                <td>
                  <ScoreAverages scores={r.runScores} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {data && data.data.length === 0 && <p className="empty">No runs yet: run an experiment over this dataset with an SDK.</p>}
      </div>
      {data && data.totalItems > LIMIT && <Pager page={page} limit={LIMIT} total={data.totalItems} onPage={(p) => set({ page: String(p) })} />}
    </section>
  );
}
