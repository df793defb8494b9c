import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError, query } from '../api.js';
import type { RuleExtensionProps } from '../pages/evaluators/rule-extensions.js';
import type { BulkEstimateResponse, BulkRunResponse, EvaluationProgressResponse } from '../types.js';

const DAY = 24 * 3_600_000;
/** `YYYY-MM-DDTHH:mm` in local time, for a datetime-local input. */
const localInput = (ms: number) => {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
};
const usd = (v: number | null) => (v === null ? 'unknown (the model has no price)' : v < 0.01 ? `$${v.toFixed(4)}` : `$${v.toFixed(2)}`);

/**
 * Evaluates a rule on existing data: pick a time range, see how many targets match and what the
 * judge calls would cost, run, then follow the rule's jobs (queued, running, succeeded, failed,
 * with the latest failure reasons). Viewers see the estimate and progress; members run. Mounted
 * on a saved rule's page through RULE_EXTENSIONS (pages/evaluators/rule-extensions.ts).
 */
export function BulkEvaluate({ projectId, rule, canWrite: canRun }: RuleExtensionProps) {
  const ruleId = rule.id;
  const [from, setFrom] = useState(() => localInput(Date.now() - 7 * DAY));
  // The inputs hold whole minutes: `to` covers its whole minute, so data of the current minute is in range.
  const [to, setTo] = useState(() => localInput(Date.now()));
  const [estimate, setEstimate] = useState<BulkEstimateResponse | null>(null);
  const [run, setRun] = useState<BulkRunResponse | null>(null);
  const [progress, setProgress] = useState<EvaluationProgressResponse | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const base = `/projects/${encodeURIComponent(projectId)}/evaluation-rules/${encodeURIComponent(ruleId)}`;
  const range = () => ({ from: new Date(from).getTime(), to: new Date(to).getTime() + 59_999 });
  const fail = (err: unknown) => setError(err instanceof ApiError ? err.message : String(err));

  async function estimateCost(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setRun(null);
    try {
      setEstimate(await api.get<BulkEstimateResponse>(`${base}/bulk-estimate${query(range())}`));
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  }

  async function start() {
    setBusy(true);
    setError(null);
    try {
      setRun(await api.post<BulkRunResponse>(`${base}/bulk-run`, range()));
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  }

  // Progress while the rule has work pending (and once after a run starts).
  const pending = progress === null || progress.queued + progress.running > 0;
  useEffect(() => {
    let stopped = false;
    const load = () =>
      api.get<EvaluationProgressResponse>(`${base}/progress`).then(
        (p) => !stopped && setProgress(p),
        (err: unknown) => !stopped && fail(err),
      );
    void load();
    if (!pending && run === null) return () => void (stopped = true);
    const timer = setInterval(() => void load(), 2000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [base, run, pending]);

  return (
    <section className="card" data-testid="bulk-evaluate">
      <h2>Evaluate existing data</h2>
      <form className="inline-form" onSubmit={(e) => void estimateCost(e)}>
        <label>
          From <input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} required />
        </label>
        <label>
          To <input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} required />
        </label>
        <button type="submit" disabled={busy}>
          Estimate
        </button>
      </form>
      {estimate && (
        <p data-testid="bulk-estimate">
          {estimate.targets}
          {estimate.capped ? '+' : ''} matching targets · about {estimate.totalTokens.toLocaleString()} tokens ({estimate.inputTokensPerEvaluation} in,{' '}
          {estimate.outputTokensPerEvaluation} out each) · {usd(estimate.costUsd)}
          {estimate.model && <span className="muted"> with {estimate.model}</span>}
        </p>
      )}
      {estimate && canRun && estimate.targets > 0 && run === null && (
        <button type="button" disabled={busy} onClick={() => void start()}>
          Run on {estimate.targets} targets
        </button>
      )}
      {run && (
        <p className="muted" data-testid="bulk-run">
          Queued {run.queued} evaluations{run.existing > 0 && ` (${run.existing} already evaluated or queued by this rule)`}
          {run.capped && ' — stopped at the limit of one run; run again for the rest'}.
        </p>
      )}
      {progress && (
        <p data-testid="bulk-progress">
          Jobs of this rule: {progress.queued} queued · {progress.running} running · {progress.succeeded} succeeded · {progress.failed} failed
        </p>
      )}
      {progress && progress.recentFailures.length > 0 && (
        <ul className="muted" data-testid="bulk-failures">
          {progress.recentFailures.map((f) => (
            <li key={f.jobId}>
              {f.targetId}: {f.error ?? 'failed'}
            </li>
          ))}
        </ul>
      )}
      {error && <p className="error">{error}</p>}
    </section>
  );
}
