import { createHash } from 'node:crypto';
import type { ObservationRecord, TraceRecord } from '@sightline/core';
import type { EvaluationRuleRecord, RuleFilter } from '@sightline/storage';

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

/** Columns read from the trace even for observation targets (the observation has no such field). */
const TRACE_ONLY = new Set(['userId', 'sessionId', 'release', 'tags', 'timestamp', 'bookmarked', 'public']);

type Row = TraceRecord | ObservationRecord;

/** The value a condition tests: a field of the record, or a metadata key's value. */
function fieldOf(record: Row, f: RuleFilter): unknown {
  if (f.column === 'metadata') return f.key && Object.hasOwn(record.metadata, f.key) ? record.metadata[f.key] : null;
  return Object.hasOwn(record, f.column) ? (record as unknown as Record<string, unknown>)[f.column] : null;
}

const text = (v: unknown): string | null => (v === null || v === undefined ? null : typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v));
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map((x) => String(x)) : v === null || v === undefined ? [] : [String(v)]);

/**
 * One condition of a rule on a record, in memory (the record is loaded anyway): `=`, `!=`,
 * `contains`, `does not contain`, `starts with`, `ends with`, `any of`, `none of`, `all of`
 * (against a list field like tags, or a single value), `>`, `<`, `>=`, `<=` (numbers, or times
 * as epoch ms), `is null`, `is not null`. An unknown operator matches nothing.
 */
export function conditionHolds(value: unknown, f: Pick<RuleFilter, 'operator' | 'value'>): boolean {
  const op = f.operator;
  if (op === 'is null') return value === null || value === undefined || value === '';
  if (op === 'is not null') return !(value === null || value === undefined || value === '');
  if (op === 'any of' || op === 'none of' || op === 'all of') {
    const have = list(value);
    const want = list(f.value);
    if (op === 'all of') return want.every((w) => have.includes(w));
    const hit = want.some((w) => have.includes(w));
    return op === 'any of' ? hit : !hit;
  }
  if (['>', '<', '>=', '<='].includes(op)) {
    const a = typeof value === 'number' ? value : Number(text(value) ?? NaN);
    const b = typeof f.value === 'number' ? f.value : Number(f.value);
    if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
    return op === '>' ? a > b : op === '<' ? a < b : op === '>=' ? a >= b : a <= b;
  }
  const v = text(value);
  const w = text(f.value) ?? '';
  switch (op) {
    case '=':
      return Array.isArray(value) ? list(value).includes(w) : v === w;
    case '!=':
      return Array.isArray(value) ? !list(value).includes(w) : v !== w;
    case 'contains':
      return v !== null && v.includes(w);
    case 'does not contain':
      return v === null || !v.includes(w);
    case 'starts with':
      return v !== null && v.startsWith(w);
    case 'ends with':
      return v !== null && v.endsWith(w);
    default:
      return false;
  }
}

/** Whether every condition holds: trace columns on the trace, the others on the observation (observation targets). */
export function filterHolds(rule: Pick<EvaluationRuleRecord, 'target' | 'filter'>, target: { trace: TraceRecord | null; observation: ObservationRecord | null; datasetId?: string | null }): boolean {
  return rule.filter.every((f) => {
    if (f.column === 'datasetId') return conditionHolds(target.datasetId ?? null, f);
    const onTrace = rule.target !== 'observation' || TRACE_ONLY.has(f.column);
    const record = onTrace ? target.trace : target.observation;
    return conditionHolds(record ? fieldOf(record, f) : null, f);
  });
}

/**
 * Whether the target still matches the rule now (re-checked when the job runs, after the delay
 * let updates arrive). Internal environments never match.
 */
export function targetMatches(
  rule: Pick<EvaluationRuleRecord, 'target' | 'filter'>,
  target: { trace: TraceRecord | null; observation: ObservationRecord | null; datasetId?: string | null },
): boolean {
  if (target.trace && isInternalEnvironment(target.trace.environment)) return false;
  if (rule.target === 'observation' && (!target.observation || isInternalEnvironment(target.observation.environment))) return false;
  if (rule.target !== 'observation' && !target.trace) return false;
  return filterHolds(rule, target);
}

/**
 * The part of a rule's filter checked when the scanner first sees a target: conditions on the
 * target's own fields. A later change to those fields writes new events for the target, which
 * brings it back to the scanner, so a target that does not match yet is queued once an update
 * makes it match. Conditions an observation rule places on the trace are left to run time (a
 * trace update does not bring its observations back).
 */
export function matchesOnArrival(
  rule: Pick<EvaluationRuleRecord, 'target' | 'filter'>,
  target: { trace?: TraceRecord | null; observation?: ObservationRecord | null; datasetId?: string | null },
): boolean {
  if (rule.target === 'trace') return filterHolds(rule, { trace: target.trace ?? null, observation: null });
  if (rule.target === 'observation') {
    const own = rule.filter.filter((f) => !TRACE_ONLY.has(f.column));
    return filterHolds({ target: 'observation', filter: own }, { trace: null, observation: target.observation ?? null });
  }
  return filterHolds({ target: 'experiment', filter: rule.filter.filter((f) => f.column === 'datasetId') }, { trace: null, observation: null, datasetId: target.datasetId ?? null });
}
