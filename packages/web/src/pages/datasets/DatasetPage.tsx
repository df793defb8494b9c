import { Link } from 'wouter';
import { ItemsTab } from '../../datasets/ItemsTab.js';
import { RunsTable } from '../../datasets/RunsTable.js';
import { formatTime } from '../../format.js';
import { JsonTree, type Json } from '../../render/JsonTree.js';
import { useFetch } from '../../use-fetch.js';
import { useUrlState } from '../../url-state.js';
import type { DatasetDetailResponse } from '../../types.js';

/** One dataset: its items (view, add, edit, archive, import, export) and its runs (aggregates, pick runs to compare). */
export function DatasetPage({ projectId, datasetId }: { projectId: string; datasetId: string }) {
  const [params, set] = useUrlState();
  const tab = params.get('tab') === 'runs' ? 'runs' : 'items';
  const { data, error, reload } = useFetch<DatasetDetailResponse>(`/projects/${projectId}/datasets/${datasetId}`);
  if (error) return <p className="error">{error}</p>;
  const d = data?.dataset;
  return (
    <section className="page">
      <header className="page-head">
        <div>
          <Link href={`/p/${projectId}/datasets`} className="muted small">
            ← Datasets
          </Link>
          <h1>{d?.name ?? 'Dataset'}</h1>
          {d?.description && <p className="muted">{d.description}</p>}
        </div>
        {d && (
          <dl className="fields inline">
            <div>
              <dt>Items</dt>
              <dd>{d.itemCount.toLocaleString()}</dd>
            </div>
            <div>
              <dt>Runs</dt>
              <dd>{d.runCount.toLocaleString()}</dd>
            </div>
            <div>
              <dt>Created</dt>
              <dd>{formatTime(d.createdAt)}</dd>
            </div>
          </dl>
        )}
      </header>
      {d && (d.inputSchema !== null || d.expectedOutputSchema !== null) && (
        <details className="card">
          <summary>Item schemas (items are checked against them)</summary>
          {d.inputSchema !== null && (
            <section>
              <h3>Input schema</h3>
              <JsonTree value={d.inputSchema as Json} />
            </section>
          )}
          {d.expectedOutputSchema !== null && (
            <section>
              <h3>Expected output schema</h3>
              <JsonTree value={d.expectedOutputSchema as Json} />
            </section>
          )}
        </details>
      )}
      <div className="tabs" role="tablist">
        <button type="button" role="tab" aria-selected={tab === 'items'} onClick={() => set({ tab: null, page: null }, true)}>
          Items
        </button>
        <button type="button" role="tab" aria-selected={tab === 'runs'} onClick={() => set({ tab: 'runs', page: null }, true)}>
          Runs
        </button>
      </div>
      {tab === 'items' ? <ItemsTab projectId={projectId} datasetId={datasetId} onChange={reload} /> : <RunsTable projectId={projectId} datasetId={datasetId} />}
    </section>
  );
}
