import { useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { api, ApiError } from '../api.js';
import { promptHref } from '../prompts/prompt-links.js';
import type { PromptVersionResponse } from '../types.js';

/** "Save as new prompt version": the edited prompt (variables as written) and its config, under a new or existing name. */
export function SavePrompt(props: { projectId: string; defaultName: string; body(): { type: 'text' | 'chat'; prompt: unknown; config: Record<string, unknown> } }) {
  const [name, setName] = useState(props.defaultName);
  const [commitMessage, setCommitMessage] = useState('');
  const [result, setResult] = useState<{ ok: true; name: string; version: number } | { ok: false; text: string } | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    try {
      const saved = await api.post<PromptVersionResponse>(`/projects/${props.projectId}/prompts`, { name: name.trim(), ...props.body(), commitMessage: commitMessage.trim() || 'from the playground' });
      setResult({ ok: true, name: name.trim(), version: saved.version.version });
      setCommitMessage('');
    } catch (err) {
      setResult({ ok: false, text: err instanceof ApiError ? err.message : String(err) });
    }
  }
  return (
    <form className="inline-form" aria-label="Save as prompt version" onSubmit={(e) => void submit(e)}>
      <input aria-label="Save as prompt name" required maxLength={1000} placeholder="Prompt name" value={name} onChange={(e) => setName(e.target.value)} />
      <input aria-label="Commit message" placeholder="Commit message (optional)" value={commitMessage} onChange={(e) => setCommitMessage(e.target.value)} />
      <button type="submit">Save as new prompt version</button>
      {result?.ok && (
        <span role="status">
          Saved as{' '}
          <Link href={promptHref(props.projectId, result.name, { version: result.version })}>
            {result.name} v{result.version}
          </Link>
        </span>
      )}
      {result && !result.ok && <span className="error" role="alert">{result.text}</span>}
    </form>
  );
}
