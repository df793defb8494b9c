import { toIso, toIsoOrNull, type NumberMap, type ObservationRecord, type ScoreRecord, type SessionRecord, type TraceRecord } from '@sightline/core';
import type { ObservationTotals } from '@sightline/storage';
import type { PromptIdOf } from './prompt-links.js';

/** Parses stored JSON text back into the value the client sent. */
export function parseStored(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The sum of the values whose key contains `part`, in key order (no array per call: a big trace sums 20,000 maps). */
function sumKeys(map: NumberMap, part: string): number {
  let s = 0;
  for (const k in map) if (Object.hasOwn(map, k) && k.includes(part)) s += map[k];
  return s;
}

/** Usage as reads show it: the provided usage plus `total` as the sum of all keys when absent. */
export function effectiveUsage(usage: NumberMap): NumberMap {
  const keys = Object.keys(usage);
  if (keys.length === 0 || usage.total !== undefined) return usage;
  return { ...usage, total: keys.reduce((s, k) => s + usage[k], 0) };
}

/** Trace in the Langfuse v1 API shape (without list-only fields). */
export function presentTrace(t: TraceRecord, options: { io?: boolean } = {}) {
  const io = options.io ?? true;
  return {
    id: t.id,
    projectId: t.projectId,
    timestamp: toIso(t.timestamp),
    name: t.name,
    ...(io ? { input: parseStored(t.input), output: parseStored(t.output), metadata: t.metadata } : {}),
    sessionId: t.sessionId,
    release: t.release,
    version: t.version,
    userId: t.userId,
    tags: t.tags,
    public: t.public,
    bookmarked: t.bookmarked,
    environment: t.environment,
    externalId: null,
    htmlPath: `/project/${encodeURIComponent(t.projectId)}/traces/${encodeURIComponent(t.id)}`,
    createdAt: toIso(t.createdAt),
    updatedAt: toIso(t.updatedAt),
  };
}

/**
 * A trace's `latency` (seconds; 0 without observations, as in Langfuse) and `totalCost` from the
 * storage totals. Without totals (the `metrics` field group left out) both are -1, as in Langfuse.
 */
export function presentTraceMetrics(totals: Pick<ObservationTotals, 'latencyMs' | 'totalCost'> | undefined) {
  if (!totals) return { latency: -1, totalCost: -1 };
  return { latency: (totals.latencyMs ?? 0) / 1000, totalCost: totals.totalCost };
}

/**
 * Observation in the Langfuse v1 API shape, with legacy usage fields and derived latency;
 * `promptId` from the page's prompt lookup (see prompt-links.ts).
 */
export function presentObservation(o: ObservationRecord, promptIdOf: PromptIdOf) {
  const usageDetails = effectiveUsage(o.usageDetails);
  const cost = o.costDetails;
  const hasCost = Object.keys(cost).length > 0;
  const input = sumKeys(usageDetails, 'input');
  const output = sumKeys(usageDetails, 'output');
  const total = usageDetails.total ?? 0;
  return {
    id: o.id,
    projectId: o.projectId,
    traceId: o.traceId,
    parentObservationId: o.parentObservationId,
    type: o.type,
    name: o.name,
    environment: o.environment,
    startTime: toIso(o.startTime),
    endTime: toIsoOrNull(o.endTime),
    completionStartTime: toIsoOrNull(o.completionStartTime),
    version: o.version,
    input: parseStored(o.input),
    output: parseStored(o.output),
    metadata: o.metadata,
    level: o.level,
    statusMessage: o.statusMessage,
    model: o.model,
    modelParameters: o.modelParameters,
    promptId: promptIdOf(o),
    promptName: o.promptName,
    promptVersion: o.promptVersion,
    usageDetails,
    costDetails: cost,
    usagePricingTierId: o.pricingTierId,
    usagePricingTierName: o.pricingTierName,
    modelId: o.modelId,
    inputPrice: o.inputPrice ?? 0,
    outputPrice: o.outputPrice ?? 0,
    totalPrice: o.totalPrice ?? 0,
    calculatedInputCost: hasCost ? sumKeys(cost, 'input') : null,
    calculatedOutputCost: hasCost ? sumKeys(cost, 'output') : null,
    calculatedTotalCost: hasCost ? (cost.total ?? 0) : null,
    latency: o.endTime === null ? null : (o.endTime - o.startTime) / 1000,
    timeToFirstToken: o.completionStartTime === null ? null : (o.completionStartTime - o.startTime) / 1000,
    usage: { unit: 'TOKENS', input, output, total },
    unit: 'TOKENS',
    promptTokens: input,
    completionTokens: output,
    totalTokens: total,
    createdAt: toIso(o.createdAt),
    updatedAt: toIso(o.updatedAt),
  };
}

export function presentScore(s: ScoreRecord) {
  return {
    id: s.id,
    projectId: s.projectId,
    name: s.name,
    value: s.value,
    stringValue: s.stringValue,
    dataType: s.dataType,
    source: s.source,
    traceId: s.traceId,
    observationId: s.observationId,
    sessionId: s.sessionId,
    datasetRunId: s.datasetRunId,
    timestamp: toIso(s.timestamp),
    comment: s.comment,
    metadata: s.metadata,
    configId: s.configId,
    queueId: s.queueId,
    executionTraceId: s.executionTraceId,
    environment: s.environment,
    authorUserId: s.authorUserId,
    createdAt: toIso(s.createdAt),
    updatedAt: toIso(s.updatedAt),
  };
}

export function presentSession(s: SessionRecord) {
  return { id: s.id, createdAt: toIso(s.createdAt), projectId: s.projectId, environment: s.environment };
}
