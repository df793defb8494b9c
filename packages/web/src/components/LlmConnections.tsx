import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api.js';
import type { LlmConnectionListResponse, LlmConnectionView } from '../types.js';
import { useFetch } from '../use-fetch.js';

const ADAPTERS = ['openai', 'azure', 'anthropic'] as const;
const errorText = (err: unknown) => (err instanceof ApiError ? err.message : String(err));

/** `Name: value` lines into an object; a line without a colon is reported, not dropped. */
export function parseHeaderLines(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new Error(`Extra headers: "${line.trim()}" is not "Name: value"`);
    out[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return out;
}

const splitModels = (text: string) => text.split(/[\n,]/).map((m) => m.trim()).filter((m) => m !== '');

/**
 * Settings → LLM connections: the providers the playground (and evaluators) call. Everyone in the
 * project sees the list with masked keys; owners and admins add, edit and delete (the server
 * checks the role, the base URL against the SSRF guard, and never sends a secret back).
 */
export function LlmConnections({ projectId }: { projectId: string }) {
  const list = useFetch<LlmConnectionListResponse>(`/projects/${projectId}/llm-connections`);
  const [editing, setEditing] = useState<LlmConnectionView | 'new' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const manage = list.data?.canManage ?? false;

  async function remove(c: LlmConnectionView) {
    if (!window.confirm(`Delete the connection "${c.provider}"? The playground and evaluators using it stop working.`)) return;
    try {
      await api.del(`/projects/${projectId}/llm-connections/${encodeURIComponent(c.id)}`);
      setError(null);
      list.reload();
    } catch (err) {
      setError(errorText(err));
    }
  }

  if (list.data && !list.data.enabled) return null;
  return (
    <section className="card" aria-label="LLM connections">
      <h2>LLM connections</h2>
      {list.error && <p className="error">{list.error}</p>}
      {list.data && list.data.data.length === 0 && <p className="muted">No connection yet{manage ? ': add one to use the playground.' : '.'}</p>}
      {list.data && list.data.data.length > 0 && (
        <table className="data" aria-label="LLM connections">
          <thead>
            <tr>
              <th>Provider</th>
              <th>Adapter</th>
              <th>Base URL</th>
              <th>API key</th>
              <th>Custom models</th>
              <th>Extra headers</th>
              {manage && <th />}
            </tr>
          </thead>
          <tbody>
            {list.data.data.map((c) => (
              <tr key={c.id} data-connection={c.provider}>
                <td className="name-cell">{c.provider}</td>
                <td>{c.adapter}</td>
                <td className="small">{c.baseURL ?? <span className="muted">default</span>}</td>
                <td className="small">{c.displaySecretKey}</td>
                <td className="small">{c.customModels.join(', ') || <span className="muted">none</span>}{c.withDefaultModels ? <span className="muted"> + defaults</span> : null}</td>
                <td className="small">{c.extraHeaderKeys.join(', ')}</td>
                {manage && (
                  <td className="nowrap">
                    <button type="button" className="link" onClick={() => setEditing(c)} aria-label={`Edit ${c.provider}`}>
                      Edit
                    </button>
                    <button type="button" className="link danger" onClick={() => void remove(c)} aria-label={`Delete ${c.provider}`}>
                      Delete
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {error && <p className="error" role="alert">{error}</p>}
      {manage && editing === null && (
        <button type="button" onClick={() => setEditing('new')}>
          Add connection
        </button>
      )}
      {manage && editing !== null && (
        <ConnectionForm
          key={editing === 'new' ? 'new' : editing.id}
          projectId={projectId}
          existing={editing === 'new' ? null : editing}
          onDone={(saved) => {
            setEditing(null);
            if (saved) list.reload();
          }}
        />
      )}
      {!manage && list.data && <p className="muted">Only owners and admins change LLM connections.</p>}
    </section>
  );
}

function ConnectionForm({ projectId, existing, onDone }: { projectId: string; existing: LlmConnectionView | null; onDone(saved: boolean): void }) {
  const [provider, setProvider] = useState(existing?.provider ?? '');
  const [adapter, setAdapter] = useState(existing?.adapter ?? 'openai');
  const [secretKey, setSecretKey] = useState('');
  const [baseURL, setBaseURL] = useState(existing?.baseURL ?? '');
  const [models, setModels] = useState(existing?.customModels.join(', ') ?? '');
  const [withDefaults, setWithDefaults] = useState(existing?.withDefaultModels ?? true);
  const [headers, setHeaders] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    try {
      const body: Record<string, unknown> = {
        provider: provider.trim(),
        adapter,
        baseURL: baseURL.trim() || null,
        customModels: splitModels(models),
        withDefaultModels: withDefaults,
      };
      if (secretKey !== '' || !existing) body.secretKey = secretKey;
      // An edit keeps the stored headers unless new ones are typed.
      if (headers.trim() !== '' || !existing) body.extraHeaders = parseHeaderLines(headers);
      if (existing) await api.put(`/projects/${projectId}/llm-connections/${encodeURIComponent(existing.id)}`, body);
      else await api.post(`/projects/${projectId}/llm-connections`, body);
      onDone(true);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  }

  return (
    <form className="stack-form" aria-label={existing ? `Edit connection ${existing.provider}` : 'New connection'} onSubmit={(e) => void submit(e)}>
      <h3>{existing ? `Edit ${existing.provider}` : 'New connection'}</h3>
      <label>
        Provider name
        <input required maxLength={200} value={provider} disabled={existing !== null} onChange={(e) => setProvider(e.target.value)} placeholder="openai" />
      </label>
      <label>
        Adapter
        <select aria-label="Adapter" value={adapter} onChange={(e) => setAdapter(e.target.value)}>
          {ADAPTERS.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
      </label>
      <label>
        API key
        <input
          type="password"
          autoComplete="off"
          required={existing === null}
          value={secretKey}
          onChange={(e) => setSecretKey(e.target.value)}
          placeholder={existing ? `leave empty to keep ${existing.displaySecretKey}` : 'sk-…'}
        />
      </label>
      <label>
        Base URL
        <input value={baseURL} onChange={(e) => setBaseURL(e.target.value)} placeholder="empty: the provider's own API; or e.g. http://localhost:11434/v1" />
      </label>
      <label>
        Custom models
        <input value={models} onChange={(e) => setModels(e.target.value)} placeholder="comma-separated, e.g. llama3.1, my-deployment" />
      </label>
      <label className="check">
        <input type="checkbox" checked={withDefaults} onChange={(e) => setWithDefaults(e.target.checked)} />
        Offer the adapter's default models too
      </label>
      <label>
        Extra headers
        <textarea
          rows={2}
          value={headers}
          onChange={(e) => setHeaders(e.target.value)}
          placeholder={existing && existing.extraHeaderKeys.length > 0 ? `leave empty to keep ${existing.extraHeaderKeys.join(', ')}` : 'one "Name: value" per line'}
        />
      </label>
      {error && <p className="error" role="alert">{error}</p>}
      <div className="inline-form">
        <button type="submit" className="primary" disabled={busy}>
          {existing ? 'Save connection' : 'Add connection'}
        </button>
        <button type="button" onClick={() => onDone(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
