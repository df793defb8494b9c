import { lazy, Suspense, useState, type FormEvent } from 'react';
import { api, ApiError, query } from '../api.js';
import { formatTime } from '../format.js';
import { usePromptRights } from '../prompts/use-prompt-role.js';
import { useFetch } from '../use-fetch.js';
import type { CommentListResponse, CommentTarget } from '../types.js';
import { FormError } from './FormError.js';

const Markdown = lazy(() => import('../render/Markdown.js'));
/** The server's limit (Langfuse's): the counter shows it before the server has to refuse. */
export const COMMENT_MAX = 5_000;

/** The comments on a trace, observation, session or prompt version: markdown rendered by the safe renderer; members add. */
export function CommentThread({ projectId, objectType, objectId }: { projectId: string; objectType: CommentTarget; objectId: string }) {
  const { canWrite } = usePromptRights(projectId);
  const thread = useFetch<CommentListResponse>(`/projects/${projectId}/comments${query({ objectType, objectId })}`);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const tooLong = text.length > COMMENT_MAX;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.post(`/projects/${projectId}/comments`, { objectType, objectId, content: text });
      setText('');
      thread.reload();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  const comments = thread.data?.data ?? [];
  return (
    <section className="comments" aria-label="Comments">
      <h3>Comments{comments.length > 0 ? ` (${comments.length})` : ''}</h3>
      {thread.error && <p className="error">{thread.error}</p>}
      {thread.data && comments.length === 0 && <p className="muted small">No comments yet.</p>}
      <ol className="comment-list">
        {comments.map((c) => (
          <li key={c.id} className="comment">
            <div className="comment-head muted small">
              <strong>{c.author ? (c.author.name ?? c.author.email) : 'API'}</strong> · <time dateTime={new Date(c.createdAt).toISOString()}>{formatTime(c.createdAt)}</time>
            </div>
            <div className="comment-body">
              <Suspense fallback={<pre className="text">{c.content}</pre>}>
                <Markdown text={c.content} />
              </Suspense>
            </div>
          </li>
        ))}
      </ol>
      {canWrite && (
        <form className="comment-form" onSubmit={(e) => void submit(e)}>
          <textarea aria-label="New comment" placeholder="Write a note in markdown" rows={3} value={text} onChange={(e) => setText(e.target.value)} aria-invalid={tooLong} />
          <div className="comment-actions">
            <span className={`small ${tooLong ? 'error' : 'muted'}`} aria-live="polite">
              {text.length.toLocaleString()} / {COMMENT_MAX.toLocaleString()}
            </span>
            <button type="submit" disabled={busy || tooLong || !text.trim()}>
              Comment
            </button>
          </div>
          <FormError error={error} />
        </form>
      )}
    </section>
  );
}
