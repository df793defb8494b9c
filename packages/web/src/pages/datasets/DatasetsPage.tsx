import { useState, type FormEvent } from 'react';
import { FormError } from '../../components/FormError.js';
import { Link, useLocation } from 'wouter';
import { api, ApiError, query } from '../../api.js';
import { Pager } from '../../components/Pager.js';
import { useCanWriteDatasets } from '../../datasets/json-text.js';
import { formatTime } from '../../format.js';
import { useFetch } from '../../use-fetch.js';
import { useUrlState } from '../../url-state.js';
import type { DatasetDetailResponse, DatasetListResponse } from '../../types.js';

const LIMIT = 50;

/** The project's datasets, newest first, with their item and run counts; members create new ones. */
export function DatasetsPage({ projectId }: { projectId: string }) {
  const [params, set] = useUrlState();
  const page = Math.max(1, Number(params.get('page')) || 1);
  const { data, error } = useFetch<DatasetListResponse>(`/projects/${projectId}/datasets${query({ page, limit: LIMIT })}`);
  const canWrite = useCanWriteDatasets(projectId);
  const [creating, setCreating] = useState(false);
  return (
    <section className="page">
      <header className="page-head">
        <h1>Datasets</h1>
        {canWrite && (
          <button type="button" className="primary" onClick={() => setCreating(!creating)}>
            {creating ? 'Cancel' : 'New dataset'}
          </button>
        )}
      </header>
      {creating && <NewDataset projectId={projectId} />}
      {error && <p className="error">{error}</p>}
      <div className="table-wrap">
        <table className="data" aria-label="Datasets">
          <thead>
            <tr>
              <th>Name</th>
              <th>Description</th>
              <th>Items</th>
              <th>Runs</th>
              <th>Last run</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {data?.data.map((d) => (
              <tr key={d.id} data-dataset={d.name}>
                <td className="name-cell">
                  <Link href={`/p/${projectId}/datasets/${d.id}`}>{d.name}</Link>
                </td>
                <td className="ellipsis">{d.description ?? ''}</td>
                <td className="num">{d.itemCount.toLocaleString()}</td>
                <td className="num">{d.runCount.toLocaleString()}</td>
                <td className="nowrap">{d.lastRunAt === null ? '–' : formatTime(d.lastRunAt)}</td>
                <td className="nowrap">{formatTime(d.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {data && data.data.length === 0 && <p className="empty">No datasets yet. Create one here, or with an SDK: createDataset().</p>}
      </div>
      {data && data.totalItems > LIMIT && <Pager page={page} limit={LIMIT} total={data.totalItems} onPage={(p) => set({ page: String(p) })} />}
    </section>
  );
}

function NewDataset({ projectId }: { projectId: string }) {
  const [, navigate] = useLocation();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [error, setError] = useState<string | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      const { dataset } = await api.post<DatasetDetailResponse>(`/projects/${projectId}/datasets`, { name: name.trim(), description: description.trim() || undefined });
      navigate(`/p/${projectId}/datasets/${dataset.id}`);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  }
  return (
    <form className="card inline-form" aria-label="New dataset" onSubmit={(e) => void submit(e)}>
      <label>
        Name
        <input name="datasetName" required value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        Description
        <input name="datasetDescription" value={description} onChange={(e) => setDescription(e.target.value)} />
      </label>
      <button type="submit" className="primary">
        Create dataset
      </button>
      <FormError error={error} />
    </form>
  );
}
