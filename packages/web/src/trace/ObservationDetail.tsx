import { Link } from 'wouter';
import { TypeIcon } from '../components/TypeIcon.js';
import { ScoreForm } from '../components/ScoreForm.js';
import { ScoreList } from '../components/ScoreList.js';
import { AddToDataset } from '../datasets/AddToDataset.js';
import { CommentThread } from '../annotate/CommentThread.js';
import { formatCost, formatDuration, formatTime } from '../format.js';
import { promptHref } from '../prompts/prompt-links.js';
import { IoView } from '../render/IoView.js';
import { JsonTree } from '../render/JsonTree.js';
import { useFetch } from '../use-fetch.js';
import type { ObservationDetailResponse } from '../types.js';

const hasKeys = (o: object | null | undefined): o is object => !!o && Object.keys(o).length > 0;

/** One observation in full: fetched when selected, never part of the tree payload. */
export function ObservationDetail({ projectId, observationId, canScore }: { projectId: string; observationId: string; canScore: boolean }) {
  const { data, error, reload } = useFetch<ObservationDetailResponse>(`/projects/${projectId}/observations/${encodeURIComponent(observationId)}`);
  if (error) return <p className="error">{error}</p>;
  if (!data) return <p className="muted">Loading…</p>;
  const o = data.observation;
  const duration = o.endTime !== null ? o.endTime - o.startTime : null;
  const fields: [string, string | null][] = [
    ['Start', formatTime(o.startTime)],
    ['Duration', formatDuration(duration)],
    ['Time to first token', o.completionStartTime !== null ? formatDuration(o.completionStartTime - o.startTime) : null],
    ['Model', o.model],
    ['Level', o.level],
    ['Status', o.statusMessage],
    ['Total cost', o.totalCost !== null ? formatCost(o.totalCost) : null],
    ['Version', o.version],
    ['Environment', o.environment],
  ];
  return (
    <div className="detail" aria-label="Observation detail">
      <header className="detail-head">
        <TypeIcon type={o.type} />
        <h2>{o.name ?? '(unnamed)'}</h2>
        <code className="muted">{o.id}</code>
      </header>
      <dl className={`fields level-${o.level.toLowerCase()}`}>
        {fields
          .filter(([, v]) => v !== null && v !== '')
          .map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        {o.promptName && (
          <div>
            <dt>Prompt</dt>
            <dd>
              <Link href={promptHref(projectId, o.promptName, { version: o.promptVersion ?? undefined })}>
                {o.promptName} v{o.promptVersion ?? '?'}
              </Link>
            </dd>
          </div>
        )}
      </dl>
      {hasKeys(o.usageDetails) && <KeyValues title="Usage" values={o.usageDetails} />}
      {hasKeys(o.costDetails) && <KeyValues title="Cost (USD)" values={o.costDetails} />}
      {hasKeys(o.modelParameters) && (
        <section>
          <h3>Model parameters</h3>
          <JsonTree value={o.modelParameters} />
        </section>
      )}
      <IoView label="Input" value={o.input} projectId={projectId} />
      <IoView label="Output" value={o.output} projectId={projectId} />
      {o.traceId && <AddToDataset projectId={projectId} traceId={o.traceId} observationId={o.id} input={o.input} output={o.output} />}
      {hasKeys(o.metadata) && (
        <section>
          <h3>Metadata</h3>
          <JsonTree value={o.metadata} />
        </section>
      )}
      <section>
        <h3>Scores</h3>
        <ScoreList scores={data.scores} />
        {canScore && o.traceId && <ScoreForm projectId={projectId} traceId={o.traceId} observationId={o.id} onAdded={reload} />}
      </section>
      <CommentThread projectId={projectId} objectType="OBSERVATION" objectId={o.id} />
    </div>
  );
}

function KeyValues({ title, values }: { title: string; values: Record<string, number> }) {
  return (
    <section>
      <h3>{title}</h3>
      <dl className="fields compact">
        {Object.entries(values).map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd className="num">{title.startsWith('Cost') ? formatCost(v) : v.toLocaleString()}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
