import { useState } from 'react';
import { Link } from 'wouter';
import { api, ApiError, query } from '../api.js';
import { Pager } from '../components/Pager.js';
import { formatTime } from '../format.js';
import { useFetch } from '../use-fetch.js';
import { useUrlState } from '../url-state.js';
import type { DatasetItemListResponse, DatasetItemView } from '../types.js';
import { ImportPanel } from './ImportPanel.js';
import { ItemEditor } from './ItemEditor.js';
import { previewText, useCanWriteDatasets } from './json-text.js';

const LIMIT = 50;
type Panel = { kind: 'new' } | { kind: 'edit'; item: DatasetItemView } | { kind: 'import' } | null;

/** A dataset's items, newest first (archived ones on request), with add, edit, archive, import and export. */
export function ItemsTab({ projectId, datasetId, onChange }: { projectId: string; datasetId: string; onChange(): void }) {
  const [params, set] = useUrlState();
  const page = Math.max(1, Number(params.get('page')) || 1);
  const all = params.get('archived') === '1';
  const canWrite = useCanWriteDatasets(projectId);
  const base = `/projects/${projectId}/datasets/${datasetId}`;
  const { data, error, reload } = useFetch<DatasetItemListResponse>(`${base}/items${query({ page, limit: LIMIT, status: all ? 'all' : 'active' })}`);
  const [panel, setPanel] = useState<Panel>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const refresh = () => {
    reload();
    onChange();
  };
  const changed = () => {
    setPanel(null);
    refresh();
  };

  async function setStatus(item: DatasetItemView, status: 'ACTIVE' | 'ARCHIVED') {
    setActionError(null);
    try {
      await api.post(`${base}/items`, { id: item.id, status });
      changed();
    } catch (err) {
      setActionError(err instanceof ApiError ? err.message : String(err));
    }
  }

  return (
    <section aria-label="Items">
      <div className="filters">
        {canWrite && (
          <>
            <button type="button" onClick={() => setPanel(panel?.kind === 'new' ? null : { kind: 'new' })}>
              Add item
            </button>
            <button type="button" onClick={() => setPanel(panel?.kind === 'import' ? null : { kind: 'import' })}>
              Import CSV / JSONL
            </button>
          </>
        )}
        <a href={`/api/ui${base}/export?format=jsonl`} download>
          Export JSONL
        </a>
        <a href={`/api/ui${base}/export?format=csv`} download>
          Export CSV
        </a>
        <label>
          <input type="checkbox" checked={all} onChange={(e) => set({ archived: e.target.checked ? '1' : null, page: null })} /> Show archived
        </label>
      </div>
      {panel?.kind === 'new' && (
        <div className="card">
          <ItemEditor projectId={projectId} datasetId={datasetId} draft={{}} onSaved={changed} onCancel={() => setPanel(null)} />
        </div>
      )}
      {panel?.kind === 'edit' && (
        <div className="card">
          <h3>Edit item {panel.item.id}</h3>
          <ItemEditor key={panel.item.id} projectId={projectId} datasetId={datasetId} draft={{ id: panel.item.id, input: panel.item.input, expectedOutput: panel.item.expectedOutput, metadata: panel.item.metadata }} onSaved={changed} onCancel={() => setPanel(null)} />
        </div>
      )}
      {panel?.kind === 'import' && <ImportPanel projectId={projectId} datasetId={datasetId} onDone={refresh} />}
      {(error ?? actionError) && <p className="error">{error ?? actionError}</p>}
      <div className="table-wrap">
        <table className="data dataset-items" aria-label="Dataset items">
          <thead>
            <tr>
              <th>Id</th>
              <th>Input</th>
              <th>Expected output</th>
              <th>Metadata</th>
              <th>Source</th>
              <th>Status</th>
              <th>Updated</th>
              {canWrite && <th />}
            </tr>
          </thead>
          <tbody>
            {data?.data.map((i) => (
              <tr key={i.id} data-item={i.id} className={i.status === 'ARCHIVED' ? 'archived' : ''}>
                <td className="ellipsis">
                  <code>{i.id}</code>
                </td>
                <td className="preview">{previewText(i.input)}</td>
                <td className="preview">{previewText(i.expectedOutput)}</td>
                <td className="preview">{previewText(i.metadata, 80)}</td>
                <td>
                  {i.sourceTraceId && (
                    <Link href={`/p/${projectId}/traces/${encodeURIComponent(i.sourceTraceId)}${query({ observation: i.sourceObservationId })}`}>trace</Link>
                  )}
                </td>
                <td>{i.status === 'ARCHIVED' ? 'archived' : 'active'}</td>
                <td className="nowrap">{formatTime(i.updatedAt)}</td>
                {canWrite && (
                  <td className="nowrap">
                    <button type="button" className="link" onClick={() => setPanel({ kind: 'edit', item: i })}>
                      Edit
                    </button>
                    <button type="button" className="link" onClick={() => void setStatus(i, i.status === 'ARCHIVED' ? 'ACTIVE' : 'ARCHIVED')}>
                      {i.status === 'ARCHIVED' ? 'Unarchive' : 'Archive'}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
        {data && data.data.length === 0 && <p className="empty">No items yet. Add one by hand, import a file, or add one from a trace.</p>}
      </div>
      {data && data.totalItems > LIMIT && <Pager page={page} limit={LIMIT} total={data.totalItems} onPage={(p) => set({ page: String(p) })} />}
    </section>
  );
}
