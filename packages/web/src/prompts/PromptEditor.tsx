import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api.js';
import type { PromptVersionResponse, PromptVersionView } from '../types.js';
import { fromDraft, move, newMessage, newPlaceholder, parseConfig, parseLabels, toDraft, type DraftItem } from './chat-draft.js';
import { PromptBody } from './PromptContent.js';
import { versionVariables } from './prompt-text.js';

const ROLES = ['system', 'user', 'assistant'];

/**
 * A new version of a prompt (or a new prompt when `name` is null), started from `base`. The
 * server validates as the public API does; config JSON is checked here before it is sent.
 */
export function PromptEditor(props: { projectId: string; name: string | null; type?: 'text' | 'chat'; base?: PromptVersionView; onCreated(name: string, version: number): void }) {
  const { base } = props;
  const [name, setName] = useState(props.name ?? '');
  const [type, setType] = useState<'text' | 'chat'>(props.type ?? 'text');
  const [text, setText] = useState(typeof base?.prompt === 'string' ? base.prompt : '');
  const [items, setItems] = useState<DraftItem[]>(() => (base && Array.isArray(base.prompt) ? toDraft(base.prompt) : [newMessage('system'), newMessage('user')]));
  const [config, setConfig] = useState(base ? JSON.stringify(base.config ?? {}, null, 2) : '{}');
  const [labels, setLabels] = useState('');
  const [commitMessage, setCommitMessage] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const parsedConfig = parseConfig(config);
  const prompt = type === 'text' ? text : fromDraft(items);
  const variables = versionVariables({ prompt });
  const update = (id: number, change: Partial<DraftItem>) => setItems((xs) => xs.map((x) => (x.id === id ? ({ ...x, ...change } as DraftItem) : x)));

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!parsedConfig.ok) return;
    setBusy(true);
    try {
      const body = { name, type, prompt, config: parsedConfig.value, labels: parseLabels(labels), commitMessage: commitMessage.trim() || undefined };
      const res = await api.post<PromptVersionResponse>(`/projects/${props.projectId}/prompts`, body);
      props.onCreated(name, res.version.version);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="prompt-editor" aria-label="New version" onSubmit={(e) => void submit(e)}>
      {props.name === null && (
        <div className="inline-form">
          <input aria-label="Prompt name" required placeholder="Name (folders with /)" value={name} onChange={(e) => setName(e.target.value)} />
          <select aria-label="Type" value={type} onChange={(e) => setType(e.target.value as 'text' | 'chat')}>
            <option value="text">text</option>
            <option value="chat">chat</option>
          </select>
        </div>
      )}
      {type === 'text' ? (
        <textarea aria-label="Prompt text" rows={8} value={text} onChange={(e) => setText(e.target.value)} />
      ) : (
        <ol className="chat-editor">
          {items.map((m, i) => (
            <li key={m.id} className="chat-edit-item">
              {m.kind === 'message' ? (
                <>
                  <select aria-label={`Message ${i + 1} role`} value={m.role} onChange={(e) => update(m.id, { role: e.target.value })}>
                    {[...new Set([...ROLES, m.role])].map((r) => (
                      <option key={r} value={r}>
                        {r}
                      </option>
                    ))}
                  </select>
                  <textarea aria-label={`Message ${i + 1} content`} rows={3} value={m.content} onChange={(e) => update(m.id, { content: e.target.value })} />
                </>
              ) : (
                <>
                  <span className="role">Placeholder</span>
                  <input aria-label={`Placeholder ${i + 1} name`} placeholder="e.g. history" value={m.name} onChange={(e) => update(m.id, { name: e.target.value })} />
                </>
              )}
              <span className="item-actions">
                <button type="button" aria-label={`Move entry ${i + 1} up`} disabled={i === 0} onClick={() => setItems((xs) => move(xs, i, -1))}>
                  ↑
                </button>
                <button type="button" aria-label={`Move entry ${i + 1} down`} disabled={i === items.length - 1} onClick={() => setItems((xs) => move(xs, i, 1))}>
                  ↓
                </button>
                <button type="button" aria-label={`Remove entry ${i + 1}`} onClick={() => setItems((xs) => xs.filter((x) => x.id !== m.id))}>
                  ✕
                </button>
              </span>
            </li>
          ))}
          <li className="inline-form">
            <button type="button" onClick={() => setItems((xs) => [...xs, newMessage()])}>
              Add message
            </button>
            <button type="button" onClick={() => setItems((xs) => [...xs, newPlaceholder()])}>
              Add placeholder
            </button>
          </li>
        </ol>
      )}
      <section className="editor-preview" aria-label="Preview">
        <h3>Preview</h3>
        <PromptBody prompt={prompt} />
        {variables.length > 0 && <p className="muted small">Variables: {variables.join(', ')}</p>}
      </section>
      <label className="stacked">
        Config (JSON)
        <textarea aria-label="Config (JSON)" rows={4} value={config} onChange={(e) => setConfig(e.target.value)} aria-invalid={!parsedConfig.ok} />
      </label>
      {!parsedConfig.ok && <p className="error">Config is not valid JSON: {parsedConfig.error}</p>}
      <div className="inline-form">
        <input aria-label="Labels" placeholder="Labels, e.g. staging production" value={labels} onChange={(e) => setLabels(e.target.value)} />
        <input aria-label="Commit message" placeholder="Commit message" value={commitMessage} onChange={(e) => setCommitMessage(e.target.value)} />
        <button type="submit" className="primary" disabled={busy || !parsedConfig.ok}>
          Create version
        </button>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
