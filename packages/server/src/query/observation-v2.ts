import { setOwn, type JsonObject, type ObservationRecord, type TraceRecord } from '@sightline/core';
import { effectiveUsage } from './presenters.js';
import type { PromptIdOf } from './prompt-links.js';

export const OBSERVATION_FIELD_GROUPS = ['core', 'basic', 'time', 'io', 'metadata', 'model', 'usage', 'prompt', 'metrics', 'trace_context'] as const;
export type ObservationFieldGroup = (typeof OBSERVATION_FIELD_GROUPS)[number];

/** Trace fields some groups denormalise onto each observation. */
export type TraceContext = Pick<TraceRecord, 'userId' | 'sessionId' | 'name' | 'tags' | 'release' | 'public' | 'bookmarked'>;

/** Groups whose fields come from the observation's trace, so the route loads traces only when needed. */
export const needsTraceContext = (groups: ReadonlySet<ObservationFieldGroup>): boolean =>
  groups.has('basic') || groups.has('trace_context');

export const METADATA_VALUE_LIMIT = 200;

/** Metadata with values longer than 200 characters cut short, except for the keys in `expand`. */
export function truncateMetadata(metadata: JsonObject, expand: ReadonlySet<string>): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(metadata)) {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    setOwn(out, key, expand.has(key) || text.length <= METADATA_VALUE_LIMIT ? value : `${text.slice(0, METADATA_VALUE_LIMIT)}...`);
  }
  return out;
}

/** v2 returns I/O as the raw text the client sent: a string as itself, anything else as JSON text. */
function rawIo(stored: string | null): string | null {
  if (stored === null) return null;
  try {
    const value: unknown = JSON.parse(stored);
    return typeof value === 'string' ? value : stored;
  } catch {
    return stored;
  }
}

/** A price as a plain decimal string ("0.00000015", never "1.5e-7"), as the v2 schema types it. */
export function decimalString(n: number | null): string | null {
  if (n === null) return null;
  const m = /^(-?)(\d)(?:\.(\d+))?e-(\d+)$/.exec(String(n));
  return m ? `${m[1]}0.${'0'.repeat(Number(m[4]) - 1)}${m[2]}${m[3] ?? ''}` : String(n);
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const seconds = (from: number, to: number | null) => (to === null ? null : (to - from) / 1000);

/** Builds each group's fields; `core` is always present. */
type GroupPresenter = (o: ObservationRecord, t: TraceContext | undefined, expand: ReadonlySet<string>, promptIdOf: PromptIdOf) => object;

const GROUPS: Record<ObservationFieldGroup, GroupPresenter> = {
  core: (o) => ({
    id: o.id,
    traceId: o.traceId,
    startTime: iso(o.startTime),
    endTime: iso(o.endTime),
    projectId: o.projectId,
    parentObservationId: o.parentObservationId,
    type: o.type,
    // Always present; filled in by the `model` group.
    modelId: null,
    inputPrice: null,
    outputPrice: null,
    totalPrice: null,
  }),
  basic: (o, t) => ({
    name: o.name,
    level: o.level,
    statusMessage: o.statusMessage,
    version: o.version,
    environment: o.environment,
    bookmarked: t?.bookmarked ?? false,
    public: t?.public ?? false,
    userId: t?.userId ?? null,
    sessionId: t?.sessionId ?? null,
    isRootObservation: o.parentObservationId === null,
  }),
  time: (o) => ({ completionStartTime: iso(o.completionStartTime), createdAt: iso(o.createdAt), updatedAt: iso(o.updatedAt) }),
  io: (o) => ({ input: rawIo(o.input), output: rawIo(o.output) }),
  metadata: (o, _t, expand) => ({ metadata: truncateMetadata(o.metadata, expand) }),
  model: (o) => ({
    providedModelName: o.model,
    internalModelId: o.modelId,
    modelParameters: o.modelParameters,
    modelId: o.modelId,
    inputPrice: decimalString(o.inputPrice),
    outputPrice: decimalString(o.outputPrice),
    totalPrice: decimalString(o.totalPrice),
  }),
  usage: (o) => ({ usageDetails: effectiveUsage(o.usageDetails), costDetails: o.costDetails, totalCost: o.totalCost, usagePricingTierName: o.pricingTierName }),
  prompt: (o, _t, _e, promptIdOf) => ({ promptId: promptIdOf(o), promptName: o.promptName, promptVersion: o.promptVersion }),
  metrics: (o) => ({ latency: seconds(o.startTime, o.endTime), timeToFirstToken: seconds(o.startTime, o.completionStartTime) }),
  trace_context: (_o, t) => ({ tags: t?.tags ?? [], release: t?.release ?? null, traceName: t?.name ?? null }),
};

/** One observation of GET /v2/observations with only the requested field groups. */
export function presentObservationV2(
  o: ObservationRecord,
  groups: ReadonlySet<ObservationFieldGroup>,
  trace: TraceContext | undefined,
  expandMetadata: ReadonlySet<string>,
  promptIdOf: PromptIdOf,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const g of OBSERVATION_FIELD_GROUPS) if (g === 'core' || groups.has(g)) Object.assign(out, GROUPS[g](o, trace, expandMetadata, promptIdOf));
  return out;
}
