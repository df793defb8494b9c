import { createHash } from 'node:crypto';
import { badRequest } from '@sightline/core';
import type { EvaluationRuleRecord, FilterCondition, RuleFilter, Storage } from '@sightline/storage';

/** Environments Sightline writes itself (judge calls, the playground): never evaluated, so an evaluation cannot trigger another. */
export const INTERNAL_ENVIRONMENT_PREFIX = 'sightline-';
export const EVALUATION_ENVIRONMENT = 'sightline-evaluation';
export const isInternalEnvironment = (environment: string): boolean => environment.startsWith(INTERNAL_ENVIRONMENT_PREFIX);

/**
 * Deterministic sampling: the same rule and target always get the same draw, so a target
 * re-checked at run time (or by another instance, or in a bulk run) is in or out the same way.
 */
export function sampled(ruleId: string, targetId: string, rate: number): boolean {
  if (rate >= 1) return true;
  const draw = createHash('sha256').update(`${ruleId}:${targetId}`).digest().readUInt32BE(0) / 2 ** 32;
  return draw < rate;
}

const TRACE_ONLY = new Set(['userId', 'sessionId', 'release', 'tags', 'timestamp', 'bookmarked', 'public']);
const OBSERVATION_ONLY = new Set(['type', 'level', 'model', 'startTime', 'endTime', 'parentObservationId', 'statusMessage', 'traceId']);
const TIME_COLUMNS = new Set(['timestamp', 'startTime', 'endTime']);

/** A rule's condition in the filter language the trace and observation queries compile. */
export function toCondition(f: RuleFilter, at = 'filter'): FilterCondition {
  const { column, operator: op, value } = f;
  const strings = (v: unknown) => (Array.isArray(v) ? v.map(String) : [String(v)]);
  if (op === 'is null' || op === 'is not null') return { type: 'null', column, operator: op };
  if (column === 'tags') return { type: 'arrayOptions', column, operator: op === '=' ? 'any of' : op, value: strings(value) };
  if (column === 'metadata') {
    if (!f.key) throw badRequest(`${at}.key: a metadata condition names the key`);
    return { type: typeof value === 'number' ? 'numberObject' : 'stringObject', column, key: f.key, operator: op, value };
  }
  if (op === 'any of' || op === 'none of') return { type: 'stringOptions', column, operator: op, value: strings(value) };
  if (op === '!=') return { type: 'stringOptions', column, operator: 'none of', value: strings(value) };
  if (TIME_COLUMNS.has(column)) return { type: 'datetime', column, operator: op, value: typeof value === 'number' ? new Date(value).toISOString() : value };
  if (['>', '<', '>=', '<='].includes(op)) return { type: 'number', column, operator: op, value };
  return { type: 'string', column, operator: op, value };
}

/** A rule's filter split by what it tests: the trace, the observation, the experiment's dataset. */
export interface SplitFilter {
  trace: FilterCondition[];
  observation: FilterCondition[];
  datasetIds: { operator: string; values: string[] }[];
}

export function splitFilter(rule: Pick<EvaluationRuleRecord, 'target' | 'filter'>): SplitFilter {
  const out: SplitFilter = { trace: [], observation: [], datasetIds: [] };
  rule.filter.forEach((f, i) => {
    if (f.column === 'datasetId') {
      out.datasetIds.push({ operator: f.operator, values: Array.isArray(f.value) ? f.value.map(String) : [String(f.value)] });
      return;
    }
    const c = toCondition(f, `filter[${i}]`);
    const onObservation = OBSERVATION_ONLY.has(f.column) || (rule.target === 'observation' && !TRACE_ONLY.has(f.column));
    (onObservation ? out.observation : out.trace).push(c);
  });
  return out;
}

const idIs = (column: string, id: string): FilterCondition => ({ type: 'string', column, operator: '=', value: id });

/** Whether a dataset id passes the rule's datasetId conditions (=, !=, any of, none of). */
function datasetPasses(conds: SplitFilter['datasetIds'], datasetId: string | null): boolean {
  return conds.every((c) => {
    const hit = datasetId !== null && c.values.includes(datasetId);
    return c.operator === '!=' || c.operator === 'none of' ? !hit : hit;
  });
}

/**
 * Whether the target still matches the rule now (re-checked when the job runs, after the delay
 * let updates arrive): its trace against the trace conditions, the observation (or, for trace
 * targets, some observation of the trace) against the observation conditions. Internal
 * environments never match.
 */
export async function targetMatches(
  storage: Storage,
  rule: Pick<EvaluationRuleRecord, 'projectId' | 'target' | 'filter'>,
  target: { traceId: string; observationId: string | null; datasetId?: string | null },
): Promise<boolean> {
  const split = splitFilter(rule);
  const p = rule.projectId;
  if (rule.target === 'experiment' && !datasetPasses(split.datasetIds, target.datasetId ?? null)) return false;
  const trace = await storage.traces.get(p, target.traceId);
  if (rule.target !== 'observation' && (!trace || isInternalEnvironment(trace.environment))) return false;
  if (split.trace.length > 0) {
    if (!trace) return false;
    if ((await storage.traces.countFiltered(p, { filter: [idIs('id', target.traceId), ...split.trace] })) === 0) return false;
  }
  if (rule.target === 'observation') {
    const own = [idIs('id', target.observationId ?? ''), ...split.observation];
    const page = await storage.observations.list(p, { filter: own, page: 1, limit: 1 });
    return page.rows.length > 0 && !isInternalEnvironment(page.rows[0].environment);
  }
  if (split.observation.length === 0) return true;
  const some = [idIs('traceId', target.traceId), ...split.observation];
  return (await storage.observations.list(p, { filter: some, page: 1, limit: 1 })).rows.length > 0;
}
