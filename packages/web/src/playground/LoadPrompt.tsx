import { useState } from 'react';
import { query } from '../api.js';
import type { PromptHistoryResponse, PromptListResponse, PromptVersionView } from '../types.js';
import { useFetch } from '../use-fetch.js';

/** Picks a prompt by name (searched as typed) and one of its versions (labels shown) from prompt management. */
export function LoadPrompt({ projectId, onLoad }: { projectId: string; onLoad(name: string, version: PromptVersionView): void }) {
  const [typed, setTyped] = useState('');
  const [name, setName] = useState<string | null>(null);
  const [version, setVersion] = useState('');
  const search = useFetch<PromptListResponse>(typed.trim() ? `/projects/${projectId}/prompts${query({ q: typed.trim() })}` : null);
  const history = useFetch<PromptHistoryResponse>(name ? `/projects/${projectId}/prompts/history${query({ name })}` : null);
  const versions = name && history.data?.name === name ? history.data.versions : [];
  const chosen = versions.find((v) => String(v.version) === version) ?? versions[0];
  return (
    <div className="inline-form pg-load" role="group" aria-label="Load a prompt">
      <input
        aria-label="Prompt name"
        list="pg-prompt-names"
        placeholder="Load a prompt…"
        value={typed}
        onChange={(e) => {
          setTyped(e.target.value);
          setName(e.target.value.trim() || null);
          setVersion('');
        }}
      />
      <datalist id="pg-prompt-names">
        {search.data?.prompts.map((p) => <option key={p.name} value={p.name} />)}
      </datalist>
      {versions.length > 0 && (
        <select aria-label="Prompt version" value={chosen ? String(chosen.version) : ''} onChange={(e) => setVersion(e.target.value)}>
          {versions.map((v) => (
            <option key={v.version} value={String(v.version)}>
              v{v.version}
              {v.labels.length > 0 ? ` (${v.labels.join(', ')})` : ''}
            </option>
          ))}
        </select>
      )}
      <button type="button" disabled={!chosen || !name} onClick={() => chosen && name && onLoad(name, chosen)}>
        Load
      </button>
      {name && history.error && <span className="muted small">{history.error}</span>}
    </div>
  );
}
