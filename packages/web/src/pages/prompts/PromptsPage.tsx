import { useState, type FormEvent } from 'react';
import { Link, useLocation } from 'wouter';
import { query } from '../../api.js';
import { formatTime } from '../../format.js';
import { promptHref } from '../../prompts/prompt-links.js';
import { PromptEditor } from '../../prompts/PromptEditor.js';
import { usePromptRights } from '../../prompts/use-prompt-role.js';
import { useFetch } from '../../use-fetch.js';
import { useUrlState } from '../../url-state.js';
import type { PromptListResponse } from '../../types.js';
import { FolderCrumbs } from './FolderCrumbs.js';
import { LabelChips } from './LabelChips.js';

/** The project's prompts, one folder at a time (folders come from `/` in names); search, label and tag filters live in the URL. */
export function PromptsPage({ projectId }: { projectId: string }) {
  const [params, set] = useUrlState();
  const [, navigate] = useLocation();
  const { canWrite } = usePromptRights(projectId);
  const folder = params.get('folder') ?? '';
  const filters = { folder, q: params.get('q') ?? '', label: params.get('label') ?? '', tag: params.get('tag') ?? '' };
  const { data, error } = useFetch<PromptListResponse>(`/projects/${projectId}/prompts${query(filters)}`);
  const [search, setSearch] = useState(filters.q);
  const [creating, setCreating] = useState(false);
  const prefix = folder ? `${folder}/` : '';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    set({ q: search.trim() || null });
  };
  const empty = data && data.folders.length === 0 && data.prompts.length === 0;
  return (
    <section className="page">
      <header className="page-head">
        <div>
          <h1>Prompts</h1>
          <FolderCrumbs projectId={projectId} folder={folder} />
        </div>
        {canWrite && (
          <button type="button" className="primary" onClick={() => setCreating(!creating)}>
            {creating ? 'Cancel' : 'New prompt'}
          </button>
        )}
      </header>
      {creating && (
        <section className="card">
          <h2>New prompt</h2>
          <PromptEditor projectId={projectId} name={null} onCreated={(name) => navigate(promptHref(projectId, name))} />
        </section>
      )}
      <form className="filters" onSubmit={submit} aria-label="Prompt filters">
        <label>
          Search
          <input aria-label="Search prompts" placeholder="Name contains…" value={search} onChange={(e) => setSearch(e.target.value)} />
        </label>
        <Choice label="Label" value={filters.label} options={data?.allLabels ?? []} onChange={(label) => set({ label })} />
        <Choice label="Tag" value={filters.tag} options={data?.allTags ?? []} onChange={(tag) => set({ tag })} />
        <button type="submit">Search</button>
        {(filters.q || filters.label || filters.tag) && (
          <button
            type="button"
            className="link"
            onClick={() => {
              setSearch('');
              set({ q: null, label: null, tag: null });
            }}
          >
            Clear filters
          </button>
        )}
      </form>
      {error && <p className="error">{error}</p>}
      <div className="table-wrap">
        <table className="data prompts" aria-label="Prompts">
          <thead>
            <tr>
              <th>Name</th>
              <th>Type</th>
              <th>Versions</th>
              <th>Labels</th>
              <th>Tags</th>
              <th>Last updated</th>
            </tr>
          </thead>
          <tbody>
            {data?.folders.map((f) => (
              <tr key={`folder:${f.path}`} className="folder-row" data-folder={f.path}>
                <td colSpan={6}>
                  <Link href={`/p/${projectId}/prompts${query({ folder: f.path, label: filters.label, tag: filters.tag })}`}>
                    <span className="folder-icon" aria-hidden="true" />
                    {f.name}/
                  </Link>{' '}
                  <span className="muted small">{f.promptCount === 1 ? '1 prompt' : `${f.promptCount} prompts`}</span>
                </td>
              </tr>
            ))}
            {data?.prompts.map((p) => (
              <tr key={p.name} data-prompt={p.name}>
                <td className="name-cell">
                  <Link href={promptHref(projectId, p.name)}>{p.name.startsWith(prefix) ? p.name.slice(prefix.length) : p.name}</Link>
                </td>
                <td>{p.type}</td>
                <td className="num">{p.versionCount}</td>
                <td>
                  <LabelChips labels={p.labels} />
                </td>
                <td>
                  <span className="chips">
                    {p.tags.map((t) => (
                      <span key={t} className="chip tag">
                        {t}
                      </span>
                    ))}
                  </span>
                </td>
                <td className="nowrap">{formatTime(p.lastUpdatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {empty && <p className="empty">{filters.q || filters.label || filters.tag ? 'No prompts match these filters.' : 'No prompts here yet. Create one, or with the SDK: createPrompt().'}</p>}
      </div>
    </section>
  );
}

/** A filter select over the project's labels or tags ('' is any). */
function Choice({ label, value, options, onChange }: { label: string; value: string; options: string[]; onChange(v: string): void }) {
  return (
    <label>
      {label}
      <select aria-label={`${label} filter`} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">any {label.toLowerCase()}</option>
        {options.map((o) => (
          <option key={o}>{o}</option>
        ))}
      </select>
    </label>
  );
}
