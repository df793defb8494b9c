import { Link } from 'wouter';
import { query } from '../api.js';
import { Pager } from '../components/Pager.js';
import { AddToQueue, addObjects } from '../annotate/AddToQueue.js';
import { CommentThread } from '../annotate/CommentThread.js';
import { usePromptRights } from '../prompts/use-prompt-role.js';
import { ScoreChips } from '../components/ScoreChips.js';
import { formatCost, formatDuration, formatTime } from '../format.js';
import { IoView } from '../render/IoView.js';
import { useFetch } from '../use-fetch.js';
import { useUrlState } from '../url-state.js';
import type { Score, SessionDetailResponse } from '../types.js';

/** A session read as a conversation: its traces in order, each with its input and output. */
export function SessionPage({ projectId, sessionId }: { projectId: string; sessionId: string }) {
  const [params, set] = useUrlState();
  const { canWrite } = usePromptRights(projectId);
  const page = Math.max(1, Number(params.get('page') ?? 1) || 1);
  const { data, error } = useFetch<SessionDetailResponse>(
    `/projects/${projectId}/sessions/${encodeURIComponent(sessionId)}${query({ page, limit: 20 })}`,
  );
  return (
    <section className="page">
      <header className="page-head">
        <div>
          <Link href={`/p/${projectId}/sessions`} className="muted small">
            ← Sessions
          </Link>
          <h1>Session</h1>
          <code className="muted">{sessionId}</code>
          {canWrite && data && (
            <div>
              <AddToQueue projectId={projectId} actions={[addObjects('SESSION', [data.session.id])]} />
            </div>
          )}
        </div>
      </header>
      {error && <p className="error">{error}</p>}
      <ol className="conversation">
        {data?.traces.map((t) => (
          <li key={t.id} className="turn">
            <div className="turn-head">
              <Link href={`/p/${projectId}/traces/${encodeURIComponent(t.id)}`}>{t.name ?? '(unnamed trace)'}</Link>
              <span className="muted">{formatTime(t.timestamp)}</span>
              {t.userId && <span className="chip">{t.userId}</span>}
              <span className="muted">{formatDuration(t.latency === null ? null : t.latency * 1000)}</span>
              <span className="muted">{formatCost(t.totalCost)}</span>
              <ScoreChips scores={(data.scores ?? []).filter((s) => (s as Score & { traceId?: string }).traceId === t.id)} />
            </div>
            <div className="turn-body">
              <IoView label="Input" value={t.input} projectId={projectId} />
              <IoView label="Output" value={t.output} projectId={projectId} />
            </div>
          </li>
        ))}
      </ol>
      {data && <Pager page={page} limit={data.limit} total={data.totalItems} onPage={(p) => set({ page: String(p) })} />}
      {data && <CommentThread projectId={projectId} objectType="SESSION" objectId={data.session.id} />}
    </section>
  );
}
