import { contextManager } from './context.js';
import { SightlineError, toSightlineError } from './errors.js';
import type { TraceClient } from './handles.js';
import type { ScoreBody, TraceBody } from './types.js';

/** The environment of experiment traces, as the Langfuse v5 runner sets it (kept apart from production data). */
export const EXPERIMENT_ENVIRONMENT = 'sdk-experiment';

/**
 * One item an experiment runs its task on: local data, or a dataset item (then `id` and
 * `datasetId` link the run to the dataset). @example `{ input: { country: 'France' }, expectedOutput: 'Paris' }`
 */
export interface ExperimentItem {
  input: unknown;
  expectedOutput?: unknown;
  metadata?: unknown;
  id?: string;
  datasetId?: string;
}

/** A score an evaluator gives. @example `{ name: 'exact_match', value: 1, comment: 'same text' }` */
export interface Evaluation {
  name: string;
  value: number | string | boolean;
  comment?: string;
  metadata?: unknown;
  dataType?: ScoreBody['dataType'];
}

/** Rates one item's output. @example `async ({ output, expectedOutput }) => ({ name: 'exact', value: output === expectedOutput ? 1 : 0 })` */
export type Evaluator = (params: { input: unknown; output: unknown; expectedOutput: unknown; metadata: unknown }) => Evaluation | Evaluation[] | Promise<Evaluation | Evaluation[]>;

/** Rates the whole run from every item's result. @example `({ itemResults }) => ({ name: 'n', value: itemResults.length })` */
export type RunEvaluator = (params: { itemResults: ExperimentItemResult[] }) => Evaluation | Evaluation[] | Promise<Evaluation | Evaluation[]>;

/** Progress after each item. @example `({ completed, total }) => console.log(`${completed}/${total}`)` */
export type ExperimentProgress = (progress: { completed: number; failed: number; total: number }) => void;

/**
 * What `runExperiment` runs: `task` on every item of `data` (at most `maxConcurrency` at once,
 * default 50), each in its own trace; `evaluators` score each output, `runEvaluators` the run.
 * @example `{ name: 'capital-quiz', data, task: async (item) => answer(item.input), evaluators: [exact] }`
 */
export interface ExperimentOptions {
  name: string;
  /** Default: `<name> - <ISO time>`, so each run of an experiment is its own dataset run. */
  runName?: string;
  description?: string;
  metadata?: Record<string, unknown>;
  data: ExperimentItem[];
  task: (item: ExperimentItem) => unknown;
  evaluators?: Evaluator[];
  runEvaluators?: RunEvaluator[];
  maxConcurrency?: number;
  onProgress?: ExperimentProgress;
}

export interface ExperimentItemResult {
  item: ExperimentItem;
  output: unknown;
  evaluations: Evaluation[];
  traceId: string;
  /** The dataset run the item was linked to (dataset items only). */
  datasetRunId?: string;
}

/** The outcome of a run; `format()` renders it as a table with each evaluator's average. */
export interface ExperimentResult {
  name: string;
  runName: string;
  datasetRunId?: string;
  itemResults: ExperimentItemResult[];
  /** Items whose task threw (skipped, as the Langfuse runner does). */
  failedItems: { item: ExperimentItem; error: string }[];
  runEvaluations: Evaluation[];
  format(): string;
}

/** What the runner needs of {@link Sightline}. */
export interface ExperimentHost {
  trace(body: TraceBody): TraceClient;
  score(body: ScoreBody): unknown;
  flush(): Promise<unknown>;
  link(item: { itemId: string; traceId: string; observationId: string; runName: string; description?: string; metadata?: unknown }): Promise<{ datasetRunId: string }>;
  report(error: SightlineError): void;
}

const asList = (e: Evaluation | Evaluation[]) => (Array.isArray(e) ? e : [e]);
const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** An evaluation as a score body: booleans become 1/0 with the BOOLEAN type, strings CATEGORICAL unless told. */
function scoreOf(e: Evaluation): Pick<ScoreBody, 'name' | 'value' | 'dataType' | 'comment' | 'metadata'> {
  const value = typeof e.value === 'boolean' ? (e.value ? 1 : 0) : e.value;
  const dataType = e.dataType ?? (typeof e.value === 'boolean' ? 'BOOLEAN' : typeof e.value === 'string' ? 'CATEGORICAL' : undefined);
  return { name: e.name, value, dataType, comment: e.comment, metadata: e.metadata };
}

/** Runs the evaluators side by side; one that throws is reported and leaves the others' scores. */
async function evaluate<P>(host: ExperimentHost, evaluators: ((p: P) => Evaluation | Evaluation[] | Promise<Evaluation | Evaluation[]>)[], params: P): Promise<Evaluation[]> {
  const settled = await Promise.allSettled(evaluators.map(async (ev) => asList(await ev(params))));
  const out: Evaluation[] = [];
  for (const s of settled) {
    if (s.status === 'fulfilled') out.push(...s.value);
    else host.report(new SightlineError('experiment', `an evaluator threw: ${messageOf(s.reason)}`, { cause: s.reason }));
  }
  return out;
}

async function runItem(host: ExperimentHost, o: ExperimentOptions, runName: string, item: ExperimentItem): Promise<ExperimentItemResult> {
  const dataset = item.id !== undefined && item.datasetId !== undefined ? { dataset_id: item.datasetId, dataset_item_id: item.id } : {};
  const metadata = { ...(o.metadata ?? {}), experiment_name: o.name, experiment_run_name: runName, ...dataset };
  const trace = host.trace({ name: 'experiment-item-run', input: item.input, environment: EXPERIMENT_ENVIRONMENT, metadata });
  const span = trace.span({ name: 'experiment-item-run', input: item.input, metadata: { ...metadata, expected_output: item.expectedOutput } });
  let datasetRunId: string | undefined;
  if (item.id !== undefined && item.datasetId !== undefined) {
    try {
      ({ datasetRunId } = await host.link({ itemId: item.id, traceId: trace.id, observationId: span.id, runName, description: o.description, metadata: o.metadata }));
    } catch (e) {
      host.report(new SightlineError('experiment', `linking item ${item.id} to run ${runName} failed: ${messageOf(e)}`, { cause: e }));
    }
  }
  let output: unknown;
  try {
    output = await contextManager().with(span, () => o.task(item));
  } catch (e) {
    span.end({ level: 'ERROR', statusMessage: messageOf(e) });
    throw e;
  }
  span.end({ output });
  trace.update({ output });
  const evaluations = await evaluate(host, o.evaluators ?? [], { input: item.input, output, expectedOutput: item.expectedOutput, metadata: item.metadata });
  for (const e of evaluations) host.score({ traceId: trace.id, observationId: span.id, ...scoreOf(e) });
  return { item, output, evaluations, traceId: trace.id, datasetRunId };
}

/**
 * Runs an experiment with the semantics of the Langfuse v5 runner: items in parallel up to the
 * limit, an item whose task throws is skipped (and listed in `failedItems`), evaluator scores go
 * to the item's trace and run-evaluator scores to the dataset run; everything is flushed before
 * the result is returned.
 */
export async function runExperiment(host: ExperimentHost, o: ExperimentOptions): Promise<ExperimentResult> {
  const runName = o.runName ?? `${o.name} - ${new Date().toISOString()}`;
  const results: (ExperimentItemResult | undefined)[] = new Array(o.data.length);
  const failedItems: ExperimentResult['failedItems'] = [];
  let next = 0;
  let completed = 0;
  const worker = async () => {
    while (next < o.data.length) {
      const index = next++;
      try {
        results[index] = await runItem(host, o, runName, o.data[index]);
      } catch (e) {
        failedItems.push({ item: o.data[index], error: messageOf(e) });
      }
      completed++;
      try {
        o.onProgress?.({ completed, failed: failedItems.length, total: o.data.length });
      } catch (e) {
        host.report(toSightlineError(e, 'onProgress'));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.maxConcurrency ?? 50, o.data.length)) }, worker));
  const itemResults = results.filter((r): r is ExperimentItemResult => r !== undefined);
  const datasetRunId = itemResults.find((r) => r.datasetRunId)?.datasetRunId;
  const runEvaluations = await evaluate(host, o.runEvaluators ?? [], { itemResults });
  if (datasetRunId) for (const e of runEvaluations) host.score({ datasetRunId, ...scoreOf(e) });
  await host.flush();
  return { name: o.name, runName, datasetRunId, itemResults, failedItems, runEvaluations, format: () => formatResult(o.name, runName, itemResults, failedItems.length, runEvaluations) };
}

const cell = (v: unknown) => {
  const text = typeof v === 'string' ? v : JSON.stringify(v) ?? '';
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
};

/** The summary table: one row per item, then each evaluator's average and the run's evaluations. */
export function formatResult(name: string, runName: string, items: ExperimentItemResult[], failed: number, runEvaluations: Evaluation[]): string {
  const names = [...new Set(items.flatMap((r) => r.evaluations.map((e) => e.name)))];
  const header = ['#', 'input', 'output', 'expected', ...names];
  const rows = items.map((r, i) => [String(i + 1), cell(r.item.input), cell(r.output), cell(r.item.expectedOutput), ...names.map((n) => cell(r.evaluations.find((e) => e.name === n)?.value ?? ''))]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (r: string[]) => r.map((v, c) => v.padEnd(widths[c])).join(' | ');
  const averages = names.map((n) => {
    const values = items.flatMap((r) => r.evaluations.filter((e) => e.name === n && typeof e.value === 'number').map((e) => e.value as number));
    return values.length ? `${n}: ${(values.reduce((a, b) => a + b, 0) / values.length).toFixed(3)}` : `${n}: -`;
  });
  return [
    `Experiment ${name} (run ${runName}): ${items.length} items${failed ? `, ${failed} failed` : ''}`,
    line(header),
    widths.map((w) => '-'.repeat(w)).join('-|-'),
    ...rows.map(line),
    `Averages: ${averages.join(', ') || '-'}`,
    ...(runEvaluations.length ? [`Run evaluations: ${runEvaluations.map((e) => `${e.name}: ${cell(e.value)}`).join(', ')}`] : []),
  ].join('\n');
}
